# The JCM Platform. `make run` serves it with demo data; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV := .tools/bin/uv
UV_VERSION := 0.13.9
RUN := $(UV) run --frozen
export UV_PYTHON_DOWNLOADS := never
export DJANGO_SETTINGS_MODULE := jcm.site.settings

.PHONY: help install run test lint typecheck importlint test-sqlite test-postgres test-e2e messages bench-ledger bench-mrv clean

help:
	@echo "make run    serve the platform with demo data (SQLite under var/)"
	@echo "make test   quality gates + the test suite on SQLite and PostgreSQL + browser tests"

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

messages: .venv/.synced
	@$(RUN) python -m django compilemessages --ignore=.venv --ignore=.tools -v 0

install: .venv/.synced messages

run: install
	$(RUN) jcm migrate
	$(RUN) jcm reference load
	$(RUN) jcm demo
	$(RUN) jcm serve

lint: install
	$(RUN) ruff check src tests bench
	$(RUN) python -m django makemigrations --check --dry-run -v 1
	$(RUN) python scripts/check_catalogues.py

typecheck: install
	$(RUN) mypy src/jcm/*/core

importlint: install
	$(RUN) lint-imports

test-sqlite: install
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(RUN) pytest -q -m "not e2e" -n 2

test-postgres: install
	@set -e; d=$$(mktemp -d /tmp/jcm-pg.XXXXXX); trap "scripts/pgcluster.sh stop $$d" EXIT; \
	  url=$$(scripts/pgcluster.sh start $$d); \
	  DATABASE_URL=$$url $(RUN) pytest -q -m "not e2e" -n 2 --ignore-glob='*/unit/*'

test-e2e: install
	scripts/ensure-system-packages.sh
	DATABASE_URL=sqlite:///$(CURDIR)/var/test-e2e.sqlite3 $(RUN) pytest -q -m e2e -p no:xdist

test: install
	scripts/ensure-system-packages.sh
	$(MAKE) --no-print-directory lint typecheck importlint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-e2e

bench-ledger: install
	$(RUN) python bench/ledger_bench.py

bench-mrv: install
	$(RUN) python bench/mrv_bench.py

clean:
	rm -rf .venv .tools var staticfiles
