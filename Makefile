# Two commands for a fresh machine (Python 3.11+, pip, make, gcc):
#   make run   install, migrate, seed and serve on an embedded SQLite file (./aigap.db)
#   make test  install, lint, and run the whole suite on SQLite and on PostgreSQL

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall whenever pyproject.toml changes. Serving needs only the runtime dependencies;
# the dev tools (pytest, mypy, ruff, schemathesis, pandas, altair ...) come with `make test`.
SUM         := $(shell cksum pyproject.toml | cut -d' ' -f1)
RUNTIME     := $(VENV)/.installed-runtime-$(SUM)
DEV         := $(VENV)/.installed-dev-$(SUM)

.PHONY: install install-dev bytecode run migrate seed serve test test-sqlite test-postgres lint format clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	@rm -f $(VENV)/.installed-runtime-*
	@touch $@

$(DEV): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-dev-* $(VENV)/.installed-runtime-*
	@touch $@ $(RUNTIME)

install: $(RUNTIME)

install-dev: $(DEV)

# The app's bytecode, written once: where PYTHONDONTWRITEBYTECODE is set (these machines, the
# image), every process would otherwise compile it again, and the suite starts dozens.
bytecode: install
	$(BIN)/python -m compileall -q api alembic

migrate: install
	$(BIN)/aigap migrate

seed: migrate
	$(BIN)/aigap seed

serve: install bytecode
	$(BIN)/aigap serve

run: seed bytecode
	$(BIN)/aigap serve

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test-sqlite: install-dev bytecode
	AIGAP_TEST_DATABASE=sqlite $(BIN)/pytest

test-postgres: install-dev bytecode
	AIGAP_TEST_DATABASE=postgresql $(BIN)/pytest

test: lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info aigap.db
