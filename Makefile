# picco: every target sets itself up; a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: run test test-fast coverage bench lint clean

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "picco needs Python 3.11 or newer, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# One stamp per extra, redone whenever pyproject.toml changes.
$(VENV)/.base: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

$(VENV)/.bench: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	@touch $@

run: $(VENV)/.base  ## the app on the default scenario
	$(BIN)/streamlit run app.py

test: $(VENV)/.dev  ## lint, tests, doctests, notebooks (small parameters), browser test
	$(BIN)/ruff check .
	PICCO_NOTEBOOK_FAST=1 $(PY) -m pytest

test-fast: $(VENV)/.dev  ## skip the slow checks (simulation, browser) and the notebooks
	$(PY) -m pytest -m "not slow" --ignore-glob="*.ipynb"

coverage: $(VENV)/.dev  ## line coverage of forecast and staffing (fast tests)
	$(PY) -m pytest -m "not slow" --ignore-glob="*.ipynb" --cov=forecast --cov=staffing --cov-report=term-missing:skip-covered

bench: $(VENV)/.bench  ## speed against the peers
	$(PY) bench/run.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
