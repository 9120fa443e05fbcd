# Every target bootstraps .venv when it is missing, so a fresh clone needs only `make <target>`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test bench lint setup clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

serve: $(STAMP)
	$(BIN)/scriptvisor serve

test: $(STAMP)
	$(BIN)/ruff check scriptvisor tests benchmarks security_tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check scriptvisor tests benchmarks security_tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info
