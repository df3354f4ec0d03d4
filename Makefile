# Campaign Letters. `make run` serves the app with a Celery worker; `make test` runs every test.
# Both install what they need into .venv/ first, from the lock file (every package pinned, with
# its hashes: requirements-dev.txt; production installs requirements.txt). `make lock` renews both.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails lead to the server `make run` starts (a wildcard address is reached at 127.0.0.1).
SITE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
# PostgreSQL used by `CI=true make test` for its second pass (trust auth on loopback).
CI_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/campaign_letters
# pytest-xdist processes for `make test` (each with its own test database, Redis, SMTP server and
# browser); `auto` is one per core, 0 runs the suite in this one process.
TEST_WORKERS ?= auto

.PHONY: help install run test test-fast lint format check-system benchmark messages clean lock audit

help:
	@echo "make run    install, migrate, load the seed campaigns, import the congress data, create demo accounts, serve on http://$(HOST):$(PORT)/ with a Celery worker"
	@echo "make test   install and run the whole test suite (CI=true: services are required, and PostgreSQL is tested too)"
	@echo "make lint   ruff check and ruff format --check"
	@echo "make audit  pip-audit over the lock files (skipped, with a message, when offline)"
	@echo "make lock   renew requirements.txt and requirements-dev.txt from pyproject.toml"

$(STAMP): requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Campaign Letters needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	@touch $(STAMP)

# The lock files (pip-tools in a throwaway venv; hashes from PyPI itself), resolved on Debian 12's
# Python 3.11.2, the oldest 3.11 in use: it needs more (redis wants async-timeout before 3.11.3),
# and a lock made there installs on every later 3.11.
LOCK_PYTHON ?= /usr/bin/python3.11
lock:
	rm -rf $(VENV)-lock && $(LOCK_PYTHON) -m venv $(VENV)-lock && $(VENV)-lock/bin/pip install --quiet pip-tools
	PIP_CONFIG_FILE=/dev/null $(VENV)-lock/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe \
		--strip-extras --index-url https://pypi.org/simple --no-emit-index-url \
		--output-file requirements.txt pyproject.toml
	PIP_CONFIG_FILE=/dev/null $(VENV)-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
		--strip-extras --index-url https://pypi.org/simple --no-emit-index-url --extra dev \
		--constraint requirements.txt --output-file requirements-dev.txt pyproject.toml
	rm -rf $(VENV)-lock

audit: $(STAMP)
	$(PY) scripts/audit.py

# axe-core for the accessibility audit in the browser tests (from the npm registry, no CDN).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the accessibility tests will skip (install Node.js and npm)"; fi

install: $(STAMP) check-system

check-system: $(STAMP)
	@$(PY) scripts/check_system.py

run: install
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_seed
	DEBUG=$${DEBUG:-true} $(PY) manage.py import_congress
	DEBUG=$${DEBUG:-true} $(PY) manage.py create_demo_accounts
	DEBUG=$${DEBUG:-true} HOST=$(HOST) PORT=$(PORT) SITE_URL=$(SITE_URL) bash scripts/serve.sh

# With CI=true, two passes. First every test on PostgreSQL (`CI_DATABASE_URL`), so the integration
# tests (real Redis, Celery workers, SMTP) and the browser tests (Chromium) run against the
# production database. Then, on SQLite (the embedded default of `make run`), every other test that
# uses the database (the marker is set in tests/conftest.py); a test without the database runs the
# same whatever the database, so once is enough. Without CI, one pass on SQLite runs everything.
test: install node_modules/axe-core/axe.min.js
ifeq ($(CI),true)
	@echo "--- Every test, on PostgreSQL ($(CI_DATABASE_URL)) ---"
	DATABASE_URL=$(CI_DATABASE_URL) $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal
	@echo "--- The tests that use the database again, on SQLite (browser and integration tests ran on PostgreSQL) ---"
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal \
		-m "database and not browser and not integration" -p no:cacheprovider
else
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal
endif

test-fast: install
	$(PY) -m pytest -m "not integration and not browser" -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Update the Spanish catalogue after changing texts, translate the new entries, then compile
# (the compiled .mo file is committed, so running the app needs no gettext).
messages: $(STAMP)
	DEBUG=true $(PY) manage.py makemessages -l es --ignore ".venv/*" --ignore "node_modules/*" \
		--ignore "tests/*" --ignore "benchmarks/*" --ignore "staticfiles/*" --ignore "var/*"
	DEBUG=true $(PY) manage.py compilemessages -l es --ignore ".venv/*"

benchmark: install
	DEBUG=true $(PY) benchmarks/render_letters.py

clean:
	rm -rf $(VENV) $(VENV)-lock var staticfiles .pytest_cache .ruff_cache
