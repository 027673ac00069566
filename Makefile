# sscard — every routine command. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell for p in python3.12 python3.11 python3; do command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(not (3,11) <= sys.version_info[:2] < (3,13))' 2>/dev/null && { echo $$p; break; }; done)
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
VENV := .venv/bin
PORT ?= 8000

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(CURDIR)/.tools/bin/uv:
	@test -n "$(PYTHON)" || { echo "需要 Python 3.11 或 3.12 (Python 3.11 or 3.12 is required)"; exit 1; }
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

.PHONY: install
install: $(UV) ## install uv (if missing) and sync the environment from uv.lock
	$(UV) sync --frozen

.PHONY: run
run: install ## migrate, load demo data, start web server + task worker on SQLite (Ctrl-C stops all)
	PORT=$(PORT) scripts/run.sh

.PHONY: test
test: install ## ruff check, lint-imports (layer contracts), makemigrations --check, then the whole pytest suite
	$(VENV)/ruff check .
	$(VENV)/lint-imports --no-cache --no-logo
	SSCARD_VAR_DIR=$$(mktemp -d) $(VENV)/sscard makemigrations --check --dry-run
	$(VENV)/pytest $(PYTEST_ARGS)

.PHONY: lint
lint: install ## ruff check (lint rules and import order; no format check) and lint-imports (layers)
	$(VENV)/ruff check .
	$(VENV)/lint-imports --no-cache --no-logo

.PHONY: migrate
migrate: install ## apply database migrations
	$(VENV)/sscard migrate

.PHONY: demo
demo: migrate ## load the demo data (idempotent)
	$(VENV)/sscard load-demo

.PHONY: bench
bench: install ## run the benchmarks under bench/ (they print ratios measured in one run)
	@for f in bench/*.py; do echo "== $$f"; $(VENV)/python $$f || exit 1; done

.PHONY: env-example
env-example: install ## regenerate .env.example from src/sscard/config.py
	$(VENV)/sscard env-example --write

.PHONY: clean
clean: ## remove the environment and local data (./var)
	rm -rf .venv .tools var .pytest_cache .ruff_cache
