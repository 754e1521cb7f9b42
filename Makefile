# Two commands on a machine with only Python and make: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EVENTS ?= fixtures/events

.PHONY: run test lint bench clean

# An editable install leaves our modules uncompiled, and where PYTHONDONTWRITEBYTECODE is set every start
# compiles them again (~0.15 s of each command); a stale .pyc is only ever ignored, never run.
COMPILE = $(BIN)/python -m compileall -q store cli tui > /dev/null

# The stamp files make each install happen once, and again only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	$(COMPILE)
	touch $@

$(VENV)/.installed-test: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(COMPILE)
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/communique $(EVENTS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check store tui cli bench tests
	$(BIN)/ruff format --check store tui cli bench tests
	$(BIN)/mypy store
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
