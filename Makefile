# The RARE platform. `make run` serves the demo, `make test` runs the suite. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV ?= $(shell command -v uv || echo .tools/bin/uv)
VENV := .venv
RARE := $(VENV)/bin/rare
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help install run test test-e2e ci lint format messages clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.tools/bin/uv:
	@echo "uv not found: installing it into .tools/"
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv>=0.9,<1"

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python "$(PYTHON)"
	@touch $@

install: $(VENV)/.installed ## Install the locked dependencies into .venv

run: install ## Migrate, load the demo and serve it on http://127.0.0.1:8000 with a task worker
	$(RARE) up

test: install ## Run the whole test suite (SQLite, or DATABASE_URL if set)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-e2e: install ## Run only the browser tests
	$(VENV)/bin/pytest tests/e2e $(PYTEST_ARGS)

ci: ## Run what CI runs: lint, migrations, translations, tests on SQLite and PostgreSQL with the browser
	bash .ci/run

lint: install ## Check code and templates (ruff, djlint)
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/djlint src/rare --lint

format: install ## Format code and templates
	$(VENV)/bin/ruff check --fix src tests
	$(VENV)/bin/ruff format src tests
	$(VENV)/bin/djlint src/rare --reformat --quiet || true

messages: install ## Extract translatable strings into the German and Hungarian catalogues, then compile them
	cd src/rare && ../../$(RARE) makemessages -l de -l hu --no-obsolete --no-location -i "static/vendor/*"
	cd src/rare && ../../$(RARE) compilemessages

clean: ## Remove the virtual environment and local data (the demo database, keys, uploads)
	rm -rf $(VENV) .tools var .pytest_cache
