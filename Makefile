# Secondment Registry: every target installs what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install lint test browser run demo worker timers bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy domain projections api workers
	$(BIN)/lint-imports

# The dashboard's end-to-end tests drive Debian's Chromium (Playwright never downloads a browser).
CHROMIUM ?= /usr/bin/chromium

browser:
	@test -x $(CHROMIUM) || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
	@test -x $(CHROMIUM) || (echo "error: $(CHROMIUM) is missing; the browser tests need Debian's chromium" >&2; exit 1)

test: $(STAMP) browser
	$(BIN)/pytest $(PYTEST_ARGS)

run: $(STAMP)
	$(BIN)/secondments serve $(if $(DEMO),--demo,)

demo: $(STAMP)
	$(BIN)/secondments demo

worker: $(STAMP)
	$(BIN)/secondments worker

timers: $(STAMP)
	$(BIN)/secondments timers

bench: $(STAMP)
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
