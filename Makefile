# The README's commands. Everything runs inside .venv, which uv creates from uv.lock.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
VENV := $(CURDIR)/.venv
SRA := $(VENV)/bin/sra

.PHONY: run setup test lint format bench migrate messages clean screenshots initial-migration

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --compile-bytecode
	touch $@

setup: $(VENV)/.synced

migrate: setup
	$(SRA) migrate

run: setup
	$(SRA) migrate
	SRA_DEMO=1 $(SRA) seed-demo --if-empty
	$(SRA) serve

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy -p sra -p sra_app -p matching -p contracts -p support -p landlord_portal -p tenant_portal
	$(VENV)/bin/lint-imports

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Two pytest workers (pytest-xdist): each makes its own SQLite and PostgreSQL databases.
PYTEST_WORKERS ?= 2

test: setup
	$(MAKE) --no-print-directory lint
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS)

bench: setup
	@set -e; found=0; for f in bench/*.py; do [ -e "$$f" ] || continue; found=1; $(VENV)/bin/python "$$f"; done; \
	if [ $$found = 0 ]; then echo "no benchmarks yet"; fi

# README images of the landing page and the three portals (needs /usr/bin/chromium).
screenshots: setup
	$(VENV)/bin/python -m tests.e2e.screenshots

messages: setup
	$(VENV)/bin/python -m sra.i18n.extract

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache .pytest_cache

# Developers, while the project has no production database: rewrite migration 0001 from the models.
initial-migration: setup
	$(VENV)/bin/python -c "from sra.db.migrate import regenerate_initial; print(regenerate_initial())"
