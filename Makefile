# Two commands: `make` (set up, lint, build) and `make test` (set up, ruff, mypy, pytest).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all setup check build report test lint bench eval clean

all: check build report

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

check: $(STAMP)
	$(BIN)/glutlint check

build: $(STAMP)
	$(BIN)/glutlint build

PY_DIRS := $(wildcard src tests benchmarks scripts)

lint: $(STAMP)
	$(BIN)/ruff format --check $(PY_DIRS)
	$(BIN)/ruff check $(PY_DIRS)
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q

# Precision on text written by others (Citation-Integrity, train split, in ../shared) and on
# the labelled set of claims about our own sources.
REALWORLD ?= ../shared/realworld
eval: $(STAMP)
	$(BIN)/python $(REALWORLD)/citint_eval.py --glutlint "$(abspath $(BIN))/glutlint" \
	  --claims $(REALWORLD)/citation-integrity-train/claims_train.jsonl \
	  --corpus $(REALWORLD)/citation-integrity-train/corpus_train.jsonl
	$(BIN)/python tests/claims/evaluate.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/worst_case.py
	$(BIN)/python benchmarks/pdf_sources.py
	$(BIN)/python benchmarks/pdf_fidelity.py

clean:
	rm -rf build .pytest_cache

report: $(STAMP)
	$(BIN)/glutlint report
