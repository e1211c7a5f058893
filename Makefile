# `make run` sets up and runs the bot; `make test` sets up and runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ARGS ?=

.PHONY: run test lint typecheck pytest postgres setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The tests start their own throwaway PostgreSQL cluster; they need the server binaries.
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then :; \
	else echo "Installing PostgreSQL server binaries..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; fi

run: $(STAMP)
	$(BIN)/inhouse run $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy bot handlers storage tests

pytest: $(STAMP) postgres
	$(BIN)/pytest

test: lint typecheck pytest

# Ack latency of Inhouse next to a bare Bolt app on the same gunicorn setup, the SLA sweep's cost, and 1,000
# breaches at once through the outbox sender (benchmarks/README.md).
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m benchmarks.ack_latency $(ARGS)
	$(BIN)/python -m benchmarks.sla_sweep $(SLA_ARGS)
	$(BIN)/python -m benchmarks.breach_burst $(BURST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
