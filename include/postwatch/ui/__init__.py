"""The PostWatch page shown inside the Airflow UI: read-only queries, a chart and a FastAPI app.

Nothing here imports Airflow: the plugin in ``plugins/postwatch_ui.py`` hands the app factory
Airflow's authentication dependency, so the page is tested with or without an API server.
"""
