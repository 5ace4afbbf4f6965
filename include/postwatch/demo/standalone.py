"""`make airflow`: the demo sources on 127.0.0.1:8765 and `airflow standalone` on 127.0.0.1:8080."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from postwatch.demo.dataset import mount_demo
from postwatch.demo.env import airflow_env
from postwatch.demo.server import FixtureServer


def main(port: int = 8765) -> int:
    server = FixtureServer(port=port).start()
    mount_demo(server)
    env = airflow_env(demo_url=server.base_url)
    env.update(
        {
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": "8080",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin,officer:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(
                Path(env["AIRFLOW_HOME"]) / "passwords.json"
            ),
        }
    )
    # `airflow standalone` starts its components as `airflow ...` found on PATH: put this venv's
    # bin first, since `make airflow` runs the venv's python without activating the venv.
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
    os.environ.update(env)
    print(
        f"demo sources at {server.base_url}; Airflow UI at http://127.0.0.1:8080 "
        f"(users and passwords in {env['AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE']})",
        flush=True,
    )
    airflow = str(Path(bin_dir) / "airflow")
    try:
        import subprocess

        return subprocess.call([airflow, "standalone"], env=os.environ.copy())
    finally:
        server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
