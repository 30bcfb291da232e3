# The two commands a user needs: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run once test test-fast lint deploy-lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# an old pip (Debian's 23.0) silently drops lxml[html_clean], so upgrade it first
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot run

once: $(STAMP)
	$(PY) -m bot once

test: $(STAMP)
	$(PY) -m pytest -q
	$(PY) -m ruff check bot tests bench
	$(PY) -m mypy
	$(MAKE) --no-print-directory deploy-lint

# While working: the tests that need no subprocess (not marked slow), without ruff and mypy.
# `make test` stays the one command that checks everything.
test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

lint: $(STAMP) deploy-lint
	$(PY) -m ruff check bot tests bench
	$(PY) -m mypy

# Docker files, offline and without a Docker engine: hadolint from its wheel, the compose file
# against the compose-spec schema vendored in check-jsonschema.
deploy-lint: $(STAMP)
	$(VENV)/bin/hadolint deploy/Dockerfile
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec deploy/compose.yaml deploy/compose.postgres.yaml

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
