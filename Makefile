# Every target bootstraps .venv when it is missing, so a fresh clone needs only `make <target>`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test bench reliability lint setup clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Where client stubs reach `make serve` (see README "Embedding from another process").
LISTEN ?= ipc:///tmp/scriptvisor.sock

serve: $(STAMP)
	$(BIN)/scriptvisor serve --listen $(LISTEN)

test: $(STAMP)
	$(BIN)/ruff check scriptvisor tests benchmarks security_tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# The full-size chaos, soak and storm runs and a deep fuzz (`make test` runs small versions).
reliability: $(STAMP)
	$(BIN)/python -m benchmarks.chaos
	$(BIN)/python -m benchmarks.soak
	$(BIN)/python -m benchmarks.storm
	FUZZ_EXAMPLES=20000 $(BIN)/python -m pytest -p no:cacheprovider tests/reliability -k fuzz

lint: $(STAMP)
	$(BIN)/ruff check scriptvisor tests benchmarks security_tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info
