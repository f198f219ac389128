# Every target creates .venv and installs the project from pyproject.toml first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install dataset schema test bench bench-engines bench-suggestions clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

schema: $(STAMP)
	$(BIN)/diplonews schema

dataset: $(STAMP)
	$(BIN)/diplonews build
	$(BIN)/diplonews validate dataset

test: $(STAMP)
	$(BIN)/python -m pytest

# Benchmarks (never part of `make test`): QUICK=1 for the small scales only (a few minutes).
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(if $(QUICK),--quick,)

# DuckDB against Spark local, tables in one file and in 8 shards (needs pip install -e '.[spark]' and Java 17+;
# S=0.1 by default, SCALE=1 for the large one; benchmarks/RESULTS.md, "Engines and shards").
bench-engines: $(STAMP)
	$(BIN)/python benchmarks/engines.py --scale $(or $(SCALE),0.1) --shards 8

# How good the suggestions of `diplonews new` are: leave-one-out over the seeds (seconds; benchmarks/SUGGESTIONS.md).
bench-suggestions: $(STAMP)
	$(BIN)/python benchmarks/suggestions.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
