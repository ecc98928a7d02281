# Two commands for a fresh machine (Python 3.11+, pip, make, gcc):
#   make run   install, migrate, seed and serve on an embedded SQLite file (./aigap.db)
#   make test  install, lint, and run the whole suite on SQLite and on PostgreSQL

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall whenever pyproject.toml changes.
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run migrate seed serve test test-sqlite test-postgres lint format clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

migrate: install
	$(BIN)/aigap migrate

seed: migrate
	$(BIN)/aigap seed

serve: install
	$(BIN)/aigap serve

run: seed
	$(BIN)/aigap serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test-sqlite: install
	AIGAP_TEST_DATABASE=sqlite $(BIN)/pytest

test-postgres: install
	AIGAP_TEST_DATABASE=postgresql $(BIN)/pytest

test: lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info aigap.db
