# Obieg — two commands do all set-up: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export OBIEG_HOME := $(CURDIR)

.PHONY: run test setup lock lint bench clean

$(BIN)/.installed: pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/obieg/locale/.compiled: $(wildcard src/obieg/locale/*/LC_MESSAGES/django.po src/obieg/*/locale/*/LC_MESSAGES/django.po) $(BIN)/.installed
	cd src/obieg && ../../$(BIN)/obieg compilemessages --verbosity 0
	touch $@

setup: $(BIN)/.installed node_modules/.installed src/obieg/locale/.compiled
	@mkdir -p var
	$(BIN)/obieg collectstatic --noinput --verbosity 0

run: setup
	$(BIN)/obieg migrate --verbosity 0
	$(BIN)/obieg demo --if-empty
	$(BIN)/obieg serve

# On PostgreSQL: DATABASE_URL=postgres://user@host/db make test (the user must be allowed to create databases).
# The suite runs in TEST_WORKERS processes (pytest-xdist, one test database each); many
# tests wait on a browser, a subprocess or a second connection, so one more than the cores.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test:
	@scripts/ensure-test-packages
	@$(MAKE) --no-print-directory setup
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

# Style, types (mypy: core, engine, billing; see pyproject.toml) and no model change without
# its migration. CI runs it once, before the tests.
lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/obieg makemigrations --check --dry-run

bench: setup
	$(BIN)/python bench/lists.py

lock: $(BIN)/.installed
	{ echo "# Resolved versions of every Python package (pip constraints). Regenerate with: make lock"; \
	  $(BIN)/pip freeze --exclude-editable | grep -vi '^obieg'; } > requirements.lock

clean:
	rm -rf $(VENV) node_modules var
