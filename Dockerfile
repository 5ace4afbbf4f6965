# syntax=docker/dockerfile:1.7
# PostWatch on the official Airflow image: the project and exactly the dependency versions of
# uv.lock (the ones the tests ran with), added to the image's own Airflow environment so its
# providers for the CeleryExecutor (celery, redis, postgres, fab) stay in place.

# uv pinned to the Makefile's UV_VERSION: the version that wrote uv.lock reads it.
FROM ghcr.io/astral-sh/uv:0.13.8 AS uv

FROM apache/airflow:3.3.2-python3.11

COPY --from=uv /uv /usr/local/bin/uv
# The image's Airflow lives in the virtualenv VIRTUAL_ENV=/home/airflow/.local; uv installs there.
ENV UV_NO_CACHE=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never

WORKDIR /opt/airflow

# Third-party dependencies first, in their own layer: rebuilt only when the lock changes.
# --frozen: install what uv.lock says, fail rather than re-resolve; hashes are checked.
COPY --chown=airflow:0 pyproject.toml uv.lock README.md ./
RUN uv export --frozen --no-dev --no-emit-project --format requirements-txt \
        --output-file /tmp/requirements.txt \
    && uv pip install --requirement /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project's Cython modules (hatch_build.py) are compiled when it is installed: a C compiler.
USER root
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
USER airflow

COPY --chown=airflow:0 hatch_build.py ./
COPY --chown=airflow:0 include/ include/
COPY --chown=airflow:0 sql/ sql/
COPY --chown=airflow:0 dags/ dags/
COPY --chown=airflow:0 plugins/ plugins/
COPY --chown=airflow:0 docker/airflow/ deploy/

# The project itself, editable: postwatch finds include/config and sql/ beside its code in
# /opt/airflow, where compose mounts the officers' config. Then the whole environment is checked.
RUN uv pip install --no-deps --editable . \
    && uv pip check \
    && mkdir -p /opt/airflow/var \
    && python -c "import postwatch.settings as s; assert str(s.PROJECT_ROOT) == '/opt/airflow', s.PROJECT_ROOT"

ENV POSTWATCH_HOME=/opt/airflow/var \
    GX_ANALYTICS_ENABLED=False
