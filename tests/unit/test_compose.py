"""The production stack as files: docker-compose.yaml, .env.example, Dockerfile, pools.

Docker does not run here, so these tests read the files and check what a broken deployment
would get wrong: a missing component, an unmounted DAG folder, an undocumented variable, a
secret written into the file, a warehouse that only one container can reach.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from postwatch.registry import Platform

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yaml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
POOLS = ROOT / "docker" / "airflow" / "pools.json"

AIRFLOW_SERVICES = ("api-server", "scheduler", "dag-processor", "triggerer", "worker")
ONE_SHOT = ("init", "minio-init", "cli")
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}; "$${VAR}" is a literal for the container.
VAR = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN|KEY_ID$")
# Variables that may be empty: used only by a profile (interpolated before profiles apply, so they
# cannot be required with :?; the service itself refuses), or legitimately optional.
OPTIONAL_SECRETS = {"SMTP_PASSWORD", "POSTWATCH_S3_KEY_ID", "POSTWATCH_S3_SECRET", "MINIO_ROOT_PASSWORD"}


@pytest.fixture(scope="module")
def raw() -> str:
    return COMPOSE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose(raw: str) -> dict[str, Any]:
    return yaml.safe_load(raw)


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    return _env_assignments(ENV_EXAMPLE.read_text(encoding="utf-8"))


def _env_assignments(text: str) -> dict[str, str]:
    return dict(re.findall(r"(?m)^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", text))


def _resolve(value: str, env: dict[str, str]) -> str:
    """Interpolate like compose does, with .env.example's values (empty secrets become <NAME>)."""

    def sub(m: re.Match[str]) -> str:
        name, op, arg = m.group(1), m.group(2), m.group(3)
        got = env.get(name, "")
        if got:
            return got
        if op in (":-", "-"):
            return arg or ""
        return f"<{name}>"

    return VAR.sub(sub, value).replace("$$", "$")


def _env(svc: dict[str, Any]) -> dict[str, str]:
    env = svc.get("environment") or {}
    assert isinstance(env, dict), "environment must be a mapping so anchors can merge"
    return {k: str(v) for k, v in env.items()}


def _mounts(svc: dict[str, Any]) -> dict[str, str]:
    """Container path -> source (a ./path or a named volume) of a service's volumes."""
    out = {}
    for v in svc.get("volumes") or []:
        source, target = v.split(":")[:2]
        out[target] = source
    return out


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def test_the_stack_has_every_airflow_component_postgres_redis_an_init_and_a_mail_catcher(
    services: dict[str, Any],
) -> None:
    expected = {*AIRFLOW_SERVICES, "init", "postgres", "redis", "mailcatcher"}
    assert expected <= set(services)
    commands = {name: services[name]["command"] for name in AIRFLOW_SERVICES}
    assert commands == {
        "api-server": "api-server",
        "scheduler": "scheduler",
        "dag-processor": "dag-processor",
        "triggerer": "triggerer",
        "worker": "celery worker",
    }
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["mailcatcher"]["image"].startswith("axllent/mailpit:")
    assert services["mailcatcher"]["profiles"] == ["staging"]


def test_every_airflow_service_runs_the_image_built_from_the_dockerfile(services: dict[str, Any]) -> None:
    images = set()
    for name in (*AIRFLOW_SERVICES, "init", "cli"):
        svc = services[name]
        build = svc.get("build")
        assert build, f"{name} has no build section"
        assert (build["context"], build.get("dockerfile", "Dockerfile")) == (".", "Dockerfile"), name
        images.add(svc["image"])
    assert len(images) == 1, f"Airflow services must share one image, got {images}"
    assert (ROOT / "Dockerfile").is_file()


def test_airflow_runs_the_celery_executor_with_redis_and_postgresql(services: dict[str, Any]) -> None:
    for name in (*AIRFLOW_SERVICES, "init"):
        env = _env(services[name])
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert re.fullmatch(
            r"redis://:\$\{REDIS_PASSWORD[^}]*\}@redis:6379/\d+", env["AIRFLOW__CELERY__BROKER_URL"]
        )
        assert re.search(r"@postgres:5432/airflow$", env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://")
        # Workers and the triggerer reach the Task Execution API on the api-server service.
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://api-server:8080/execution/"
        # One JWT secret for every component, or task tokens fail to validate.
        assert env["AIRFLOW__API_AUTH__JWT_SECRET"].startswith("${AIRFLOW_JWT_SECRET")
        assert env["AIRFLOW__CORE__AUTH_MANAGER"].endswith("FabAuthManager")


def test_every_long_running_service_has_a_healthcheck(services: dict[str, Any]) -> None:
    for name, svc in services.items():
        if name in ONE_SHOT:
            assert svc.get("restart") == "no", f"one-shot {name} must not be restarted"
            continue
        check = svc.get("healthcheck")
        assert check and check.get("test"), f"{name} runs for good but has no healthcheck"
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert svc.get("restart") in ("always", "unless-stopped"), f"{name} should come back after a crash"


def test_airflow_waits_for_healthy_postgres_and_redis_and_a_finished_init(services: dict[str, Any]) -> None:
    for name in AIRFLOW_SERVICES:
        deps = services[name]["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy", name
        assert deps["redis"]["condition"] == "service_healthy", name
        assert deps["init"]["condition"] == "service_completed_successfully", name
        # Only with the s3 profile: the bucket exists before anything writes to it.
        assert deps["minio-init"] == {"condition": "service_completed_successfully", "required": False}
    for name in ("worker", "triggerer"):
        assert services[name]["depends_on"]["api-server"]["condition"] == "service_healthy"
    init_deps = services["init"]["depends_on"]
    assert init_deps["postgres"]["condition"] == init_deps["redis"]["condition"] == "service_healthy"
    assert "init" not in init_deps


def test_every_airflow_service_mounts_the_dags_plugins_and_config_folders(services: dict[str, Any]) -> None:
    for name in (*AIRFLOW_SERVICES, "init"):
        svc = services[name]
        env, mounts = _env(svc), _mounts(svc)
        assert mounts.get(env["AIRFLOW__CORE__DAGS_FOLDER"]) == "./dags", name
        assert mounts.get(env["AIRFLOW__CORE__PLUGINS_FOLDER"]) == "./plugins", name
        assert mounts.get(env["POSTWATCH_CONFIG_DIR"]) == "./include/config", name
    for source in ("dags", "plugins", "include/config"):
        assert (ROOT / source).is_dir()


def test_every_dag_file_lives_in_the_mounted_dags_folder() -> None:
    skip = {".venv", ".tools", ".git", "tests", "include", "var", "node_modules"}
    defines_dag = re.compile(r"^\s*@dag\b|\bDAG\(", re.M)
    dag_files = [
        p
        for p in ROOT.rglob("*.py")
        if not skip & set(p.relative_to(ROOT).parts) and defines_dag.search(p.read_text(errors="replace"))
    ]
    assert dag_files, "no DAG files found at all"
    outside = [str(p.relative_to(ROOT)) for p in dag_files if p.relative_to(ROOT).parts[0] != "dags"]
    assert outside == [], "these DAGs would not reach the containers"


def test_the_warehouse_catalog_is_a_postgresql_database_of_its_own(
    services: dict[str, Any], env_example: dict[str, str]
) -> None:
    for name in (*AIRFLOW_SERVICES, "init"):
        env = _env(services[name])
        catalog = _resolve(env["POSTWATCH_CATALOG"], env_example)
        assert catalog.startswith("postgres:"), name
        params = dict(kv.split("=", 1) for kv in catalog.removeprefix("postgres:").split())
        assert params["host"] == "postgres"
        assert "password" not in params, "the password travels in POSTWATCH_CATALOG_PASSWORD"
        assert env["POSTWATCH_CATALOG_PASSWORD"].startswith("${WAREHOUSE_DB_PASSWORD:?")
        airflow_db = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].rsplit("/", 1)[1]
        assert params["dbname"] != airflow_db and params["user"] != "airflow"
    pg = services["postgres"]
    script = "/docker-entrypoint-initdb.d/10-warehouse-catalog.sh"
    assert _mounts(pg)[script] == "./docker/postgres/10-warehouse-catalog.sh"
    assert (ROOT / "docker/postgres/10-warehouse-catalog.sh").is_file()
    assert {"WAREHOUSE_DB_NAME", "WAREHOUSE_DB_USER", "WAREHOUSE_DB_PASSWORD"} <= set(_env(pg))


def test_warehouse_data_files_default_to_a_volume_every_airflow_service_shares(
    compose: dict[str, Any], services: dict[str, Any], env_example: dict[str, str]
) -> None:
    for name in (*AIRFLOW_SERVICES, "init"):
        env, mounts = _env(services[name]), _mounts(services[name])
        data_path = _resolve(env["POSTWATCH_DATA_PATH"], env_example)
        assert "://" not in data_path, "default is the shared volume; s3 is opt-in"
        volume = next((src for target, src in mounts.items() if data_path.startswith(target + "/")), None)
        assert volume in compose["volumes"], f"{name}: {data_path} is not on a named volume"
        # The landing zone (POSTWATCH_HOME) must be shared as well: fetch and load may run apart.
        assert mounts[env["POSTWATCH_HOME"]] == volume


def test_the_s3_profile_runs_minio_and_creates_the_bucket_first(
    services: dict[str, Any], env_example: dict[str, str]
) -> None:
    minio, init = services["minio"], services["minio-init"]
    assert minio["profiles"] == init["profiles"] == ["s3"]
    assert init["depends_on"]["minio"]["condition"] == "service_healthy"
    assert (ROOT / "docker/minio/init.sh").is_file()
    assert _mounts(init)["/deploy"] == "./docker/minio"
    worker_env = _env(services["worker"])
    for var in ("ENDPOINT", "KEY_ID", "SECRET", "REGION", "URL_STYLE"):
        assert f"POSTWATCH_S3_{var}" in worker_env
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    assert re.search(r"(?m)^#\s+POSTWATCH_DATA_PATH=s3://", text), "show the s3 setting in .env.example"


def test_every_variable_the_compose_file_uses_is_documented_in_env_example(raw: str) -> None:
    used = {m.group(1) for m in VAR.finditer(raw)}
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    assigned = _env_assignments(text)
    assert used - set(assigned) == set(), "add these to .env.example"
    # Documented: the block of lines holding the assignment carries a comment.
    blocks = re.split(r"\n\s*\n", text)
    for name in used:
        block = next(b for b in blocks if re.search(rf"(?m)^{name}=", b))
        assert re.search(r"(?m)^#", block), f"{name} has no comment in .env.example"


def test_env_example_leaves_every_secret_empty(env_example: dict[str, str]) -> None:
    secrets = {k: v for k, v in env_example.items() if SECRET_NAME.search(k)}
    assert {"POSTGRES_PASSWORD", "AIRFLOW_FERNET_KEY", "WAREHOUSE_DB_PASSWORD"} <= set(secrets)
    assert {k: v for k, v in secrets.items() if v} == {}


def test_the_compose_file_holds_no_literal_secret(compose: dict[str, Any]) -> None:
    interpolation = re.compile(r"\$\{[A-Z0-9_]+(:\?[^}]*|:-)?\}")
    for name, svc in compose["services"].items():
        for key, value in _env(svc).items():
            if SECRET_NAME.search(key):
                assert interpolation.fullmatch(value), f"{name}.{key} must come from .env, not the file"
    for text in _strings(compose):
        for m in re.finditer(r"://[^/\s:@]*:([^@\s]*)@", text):
            assert interpolation.fullmatch(m.group(1)), f"password in URL: {text}"
        for m in re.finditer(r'"password"\s*:\s*"([^"]*)"', text):
            assert interpolation.fullmatch(m.group(1)), f"password in JSON: {text}"
        for m in re.finditer(r"\bpassword\s*=\s*(\S+)", text, re.I):
            assert interpolation.fullmatch(m.group(1)), f"password in libpq string: {text}"
        assert "minioadmin" not in text


def test_compose_refuses_to_start_while_a_required_secret_is_empty(raw: str) -> None:
    used = {m.group(1) for m in VAR.finditer(raw) if SECRET_NAME.search(m.group(1))}
    required = {m.group(1) for m in VAR.finditer(raw) if m.group(2) == ":?"}
    assert used - OPTIONAL_SECRETS - required == set(), "use ${NAME:?set NAME in .env}"
    assert {"AIRFLOW_ADMIN_PASSWORD", "AIRFLOW_API_SECRET_KEY", "REDIS_PASSWORD"} <= required


def test_the_dockerfile_builds_on_airflow_3_3_2_and_installs_from_uv_lock() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    stages = re.findall(r"(?m)^FROM\s+(\S+)", text)
    assert stages[-1] == "apache/airflow:3.3.2-python3.11", "the final stage is the official image"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "apache-airflow==3.3.2" in project["dependencies"]
    assert project["requires-python"].startswith(">=3.11")
    # The uv that wrote uv.lock (Makefile's pin) reads it, and nothing is re-resolved.
    uv_pin = re.search(r"(?m)^UV_VERSION := (\S+)", (ROOT / "Makefile").read_text()).group(1)
    assert f"ghcr.io/astral-sh/uv:{uv_pin}" in stages
    assert re.search(r"COPY .*\buv\.lock\b", text)
    assert re.search(r"uv export --frozen --no-dev", text)
    assert "uv pip install --requirement" in text
    for folder in ("dags", "include", "plugins", "sql"):
        assert re.search(rf"(?m)^COPY .*\b{folder}/ {folder}/$", text), f"{folder}/ not copied"
    # the build hook that compiles the Cython modules, and a compiler for it, before the install
    hook = re.search(r"(?m)^COPY .*\bhatch_build\.py ", text)
    assert hook and hook.start() < text.index("uv pip install --no-deps --editable .")
    assert re.search(r"apt-get install .*\bgcc\b", text)


def test_the_dockerignore_keeps_secrets_and_local_state_out_of_the_image() -> None:
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".env", ".venv", "var", ".git"} <= ignored


def test_the_pools_file_imports_into_airflow_with_a_pool_per_networked_platform(airflow_db: Path) -> None:
    pools = json.loads(POOLS.read_text(encoding="utf-8"))
    networked = {p.value for p in Platform} - {"file"}
    assert networked <= set(pools)
    airflow = Path(sys.executable).with_name("airflow")
    env = os.environ.copy()
    subprocess.run([str(airflow), "pools", "import", str(POOLS)], check=True, capture_output=True, env=env)
    listed = subprocess.run(
        [str(airflow), "pools", "list", "--output", "json"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    slots = {p["pool"]: int(p["slots"]) for p in json.loads(listed.stdout)}
    assert {name: slots.get(name) for name in pools} == {name: p["slots"] for name, p in pools.items()}
