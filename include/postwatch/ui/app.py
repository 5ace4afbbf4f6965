"""The FastAPI app behind the PostWatch page: server-rendered HTML and the same numbers as JSON.

The app has no login of its own. ``create_app`` requires an authentication dependency (the
plugin passes Airflow's), applied to every route, so there is no way to build an open page by
forgetting it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from postwatch.settings import get_settings
from postwatch.ui.chart import build_chart
from postwatch.ui.data import load_dashboard

DayParam = Annotated[date | None, Query(description="Local day YYYY-MM-DD (default: today)")]


def _environment(tz: str) -> Environment:
    env = Environment(
        loader=PackageLoader("postwatch.ui", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=False,
    )
    zone = ZoneInfo(tz)

    def localtime(value: datetime | None) -> str:
        return "—" if value is None else value.astimezone(zone).strftime("%H:%M %d/%m/%Y")

    def age(minutes: int | None) -> str:
        if minutes is None:
            return "—"
        hours, mins = divmod(int(minutes), 60)
        return f"{hours} giờ {mins} phút" if hours else f"{mins} phút"

    env.filters["localtime"] = localtime
    env.filters["age"] = age
    return env


def render_page(day: date | None = None) -> str:
    """The page as HTML, for ``day`` (default today); reads the warehouse read-only."""
    settings = get_settings()
    dashboard = load_dashboard(day, settings)
    template = _environment(settings.timezone).get_template("page.html.j2")
    return template.render(d=dashboard, chart=build_chart(dashboard.coverage.days), tz=settings.timezone)


def create_app(require_user: Callable[..., Any]) -> FastAPI:
    """The page's app; ``require_user`` is a FastAPI dependency that refuses anonymous requests."""
    app = FastAPI(
        title="PostWatch",
        description="Read-only overview of PostWatch: coverage, open alerts, impersonation, sources.",
        dependencies=[Depends(require_user)],
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )

    @app.get("/", response_class=HTMLResponse)
    def page(day: DayParam = None) -> HTMLResponse:
        # A plain def: FastAPI runs it in its thread pool, so a slow query never blocks the API server.
        return HTMLResponse(render_page(day), headers={"Cache-Control": "no-store"})

    @app.get("/api/dashboard")
    def dashboard(day: DayParam = None) -> JSONResponse:
        data = load_dashboard(day, get_settings()).as_json()
        return JSONResponse(jsonable_encoder(data), headers={"Cache-Control": "no-store"})

    return app
