# PostWatch. Every target bootstraps what it needs: only Python 3.11 and the package
# registries are assumed. uv is pinned and installed into .tools/, the project into .venv/.
PYTHON ?= python3.11
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export POSTWATCH_HOME ?= $(CURDIR)/var
export GX_ANALYTICS_ENABLED := False
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
# Compile bytecode at install: Python is often run with PYTHONDONTWRITEBYTECODE (CI, containers), and
# every Airflow task process would otherwise re-compile Airflow and Great Expectations from source.
export UV_COMPILE_BYTECODE := 1

.PHONY: demo test bench eval airflow lint sync clean

$(UV):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or make PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# hatch_build.py and the Cython sources: uv rebuilds the project's compiled modules when they change.
$(VENV)/.synced: $(UV) pyproject.toml uv.lock hatch_build.py $(wildcard include/postwatch/*.pyx include/postwatch/*/*.pyx)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

sync: $(VENV)/.synced

demo: sync  ## run the whole pipeline offline on the recorded demo sources
	$(BIN)/postwatch demo

test: sync  ## lint, then every test (fixture servers on 127.0.0.1, real DuckDB, real DAG runs)
	$(BIN)/ruff check include dags plugins tests bench hatch_build.py
	$(BIN)/pytest

bench: sync  ## throughput and memory on synthetic posts; writes bench/results.json
	$(BIN)/python bench/run.py

eval: sync  ## train and evaluate the classifiers on ../shared/data; writes eval/results.json and the README table
	$(BIN)/python eval/run.py

airflow: sync  ## Airflow UI on http://127.0.0.1:8080 with the project's DAGs and the demo sources
	$(BIN)/python -m postwatch.demo.standalone

lint: sync
	$(BIN)/ruff check include dags plugins tests bench hatch_build.py
	$(BIN)/ruff format --check include dags plugins tests bench hatch_build.py

clean:
	rm -rf $(VENV) $(TOOLS) var
