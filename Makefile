# PLM Portal. Two commands do all the set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The interpreter: Python >= 3.12, from pyenv's versions folder or the PATH. Never downloaded.
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
PYTHON ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.13*/bin/python3.13 $(PYENV_ROOT)/versions/3.12*/bin/python3.12) $(shell command -v python3.13 python3.12 2>/dev/null))
# uv bootstraps itself with the machine's python3 (its pip); call it as a module so pyenv shims don't matter.
BOOTSTRAP_PYTHON ?= python3
UV := $(BOOTSTRAP_PYTHON) -m uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
VENV_PY := .venv/bin/python
MANAGE := $(VENV_PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH_SCALE ?= 1.0
BENCH_DURATION ?= 5
BENCH_PDF_SIZES ?= 16,200,1000
BENCH_WAVE_MEETINGS ?= 38
BENCH_EXPORT_ROWS ?= 100000
BENCH_IMPORT_ROWS ?= 50000

.PHONY: help run test env assets messages browser-deps regions demo worker lint format check-migrations clean \
	bench bench-deps backup restore

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

run: export DJANGO_DEBUG ?= True
run: env assets messages ## Serve the portal on SQLite with demo data (tasks run in-process)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_regions
	$(MANAGE) load_demo
	@$(MANAGE) demo_accounts
	$(MANAGE) runserver $(HOST):$(PORT)

test: env assets messages browser-deps ## Run the whole suite (PostgreSQL when DATABASE_URL is set)
	$(VENV_PY) -m pytest $(PYTEST_ARGS)

env: .venv/.synced ## Create the virtual environment from uv.lock

.venv/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(BOOTSTRAP_PYTHON) -m pip install --quiet --disable-pip-version-check uv
	@test -n "$(PYTHON)" || { echo "No Python >= 3.12 found (looked in $(PYENV_ROOT)/versions and PATH)."; exit 1; }
	$(UV) sync --frozen --python "$(PYTHON)"
	@touch $@

assets: node_modules/.package-lock.json ## Install front-end assets from the npm registry

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

messages: env ## Compile translations
	@DJANGO_DEBUG=True $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

browser-deps: ## Debian's Chromium and poppler for browser and PDF tests (needs root once)
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null && test -e /usr/share/doc/libharfbuzz-subset0 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils libharfbuzz-subset0 >/dev/null; \
	  else \
	    echo "Install Debian's chromium, poppler-utils and libharfbuzz-subset0 (sudo apt-get install ...)."; exit 1; \
	  fi; }

bench-deps: ## Debian's wrk, the load tool of make bench (needs root once)
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "Install Debian's wrk (sudo apt-get install wrk)."; exit 1; \
	  fi; }

bench: env assets messages bench-deps ## Measure pages, PDFs, a wave week, exports and imports at national scale (BENCH_SCALE=1.0)
	$(VENV_PY) bench/pages.py --scale $(BENCH_SCALE) --duration $(BENCH_DURATION)
	$(VENV_PY) bench/reports.py --sizes $(BENCH_PDF_SIZES)
	$(VENV_PY) bench/wave.py --meetings $(BENCH_WAVE_MEETINGS)
	$(VENV_PY) bench/exports.py --rows $(BENCH_EXPORT_ROWS)
	$(VENV_PY) bench/imports.py --rows $(BENCH_IMPORT_ROWS)

regions: export DJANGO_DEBUG ?= True
regions: env ## Load the Kemendagri region list (idempotent)
	$(MANAGE) load_regions

demo: export DJANGO_DEBUG ?= True
demo: env ## Load the demo data (idempotent)
	$(MANAGE) load_demo

backup: export DJANGO_DEBUG ?= True
backup: env ## Write var/backups/plm-backup-<date>.tar.gz: database, media and a manifest (BACKUP_DIR=… elsewhere)
	$(MANAGE) backup $(if $(BACKUP_DIR),--output "$(BACKUP_DIR)")

restore: export DJANGO_DEBUG ?= True
restore: env ## Restore BACKUP=<file> into an empty database and media folders (FORCE=1 to overwrite)
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=var/backups/plm-backup-<date>.tar.gz [FORCE=1]"; exit 1; }
	$(MANAGE) restore "$(BACKUP)" $(if $(FORCE),--force)

worker: env ## Run a Celery worker (needs REDIS_URL)
	.venv/bin/celery -A plm_portal worker --beat -l info

lint: env ## ruff check and format check
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: env ## Format the code
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

check-migrations: export DJANGO_DEBUG ?= True
check-migrations: env ## Fail when a model change has no migration
	$(MANAGE) makemigrations --check --dry-run

clean: ## Remove the environment, assets and local data
	rm -rf .venv node_modules var
