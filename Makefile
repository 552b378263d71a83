# The RARE platform. `make run` serves the demo, `make test` runs the suite. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV ?= $(shell command -v uv || echo .tools/bin/uv)
VENV := .venv
RARE := $(VENV)/bin/rare
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help install run test test-e2e ci lint format messages clean bench prod load faults

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

prod: install ## Run as in production: PostgreSQL, Redis, nginx (TLS) on https://127.0.0.1:8443, 2 app servers, 2 workers
	$(RARE) prod $(ARGS)

LOAD_URL ?= https://127.0.0.1:8443
LOAD_USERS ?= 20
LOAD_RATE ?= 1
LOAD_TIME ?= 2m
LOAD_DIR ?= var/load
LOAD_MEMBERS ?= var/prod/loadtest-members.json

load: install ## Load-test a running `make prod`: 20 users, about 20 requests/s, 2 minutes; fails on any error
	@mkdir -p $(LOAD_DIR)
	@[ -f $(LOAD_MEMBERS) ] || $(RARE) prod -- loadtest-accounts --count 10 --output $(abspath $(LOAD_MEMBERS))
	RARE_LOAD_MEMBERS=$(LOAD_MEMBERS) LOAD_USER_RATE=$(LOAD_RATE) $(VENV)/bin/locust -f loadtest/locustfile.py \
		--headless --only-summary --host $(LOAD_URL) -u $(LOAD_USERS) -r 5 -t $(LOAD_TIME) \
		--csv $(LOAD_DIR)/run --json-file $(LOAD_DIR)/run --exit-code-on-error 0
	$(VENV)/bin/python loadtest/report.py $(LOAD_DIR)/run

faults: install ## Fault tests of the production stack (app server killed, PostgreSQL restarted) under load
	RARE_PRODUCTION_TESTS=1 $(VENV)/bin/pytest tests/production -s $(PYTEST_ARGS)

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

bench: install ## Benchmark pages, API, search, fan-out and exports at demo and europe scale (PostgreSQL, Redis)
	$(VENV)/bin/python bench/run.py $(BENCH_ARGS)

clean: ## Remove the virtual environment and local data (the demo database, keys, uploads)
	rm -rf $(VENV) .tools var .pytest_cache
