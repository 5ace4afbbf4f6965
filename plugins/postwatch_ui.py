"""PostWatch's page in the Airflow UI: a FastAPI app under /postwatch, shown in the navigation.

The page is read-only (coverage, open alerts, impersonation suspects, source health, quarantine;
see ``postwatch.ui``). Plugin apps are not behind Airflow's login by themselves, so every route
requires an authenticated Airflow user allowed to see the website: the same check and JWT cookie
or bearer token the Airflow UI's own API uses. Anonymous requests get 401, bad tokens 403.
"""

from __future__ import annotations

from airflow.api_fastapi.auth.managers.models.resource_details import AccessView
from airflow.api_fastapi.core_api.security import requires_access_view
from airflow.plugins_manager import AirflowPlugin

from postwatch.ui.app import create_app

URL_PREFIX = "/postwatch"


class PostWatchUIPlugin(AirflowPlugin):
    name = "postwatch_ui"
    fastapi_apps = [  # noqa: RUF012 (Airflow reads these class attributes)
        {
            "app": create_app(requires_access_view(AccessView.WEBSITE)),
            "url_prefix": URL_PREFIX,
            "name": "PostWatch",
        }
    ]
    external_views = [  # noqa: RUF012
        {
            "name": "PostWatch",
            # Relative (no leading slash): resolved against the UI's base URL, also behind a proxy.
            "href": "postwatch/",
            "url_route": "postwatch",
            "destination": "nav",
            "nav_top_level": True,
        }
    ]
