# `make run` sets up and runs the bot; `make test` sets up and runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
RUN_STAMP := $(VENV)/.run-stamp
ARGS ?=

.PHONY: run test lint typecheck pytest fuzz postgres setup clean

setup: $(STAMP)

# What running needs (make run), and the development tools on top (make test).
$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The tests start their own throwaway PostgreSQL cluster; they need the server binaries.
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then :; \
	else echo "Installing PostgreSQL server binaries..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; fi

run: $(RUN_STAMP)
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

# The property tests with many new random examples (make test runs a fixed set, the same every time).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/domain -q

# Ack latency of Inhouse next to a bare Bolt app on the same gunicorn setup, the SLA sweep's cost, 1,000
# breaches at once through the outbox sender, the reports' and the map's queries (benchmarks/README.md;
# REPORT_ARGS= and MAP_ARGS= without --quick for the 1,000,000-request runs).
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m benchmarks.ack_latency $(ARGS)
	$(BIN)/python -m benchmarks.sla_sweep $(SLA_ARGS)
	$(BIN)/python -m benchmarks.breach_burst $(BURST_ARGS)
	$(BIN)/python -m benchmarks.report_queries $(REPORT_ARGS)
	$(BIN)/python -m benchmarks.map $(MAP_ARGS)

REPORT_ARGS ?= --quick
MAP_ARGS ?= --quick

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
