# Two commands on a fresh machine: `make demo` and `make test`.
# Each creates .venv when missing and installs the locked dependencies into it:
# requirements.lock pins every package (runtime and dev) with its hashes, so CI and
# every developer test the same bytes; the project itself goes in without dependencies.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# Maintainer tools (uv to compile the locks, pip-audit), kept out of the project's venv.
TOOLS  ?= .venv-tools
# The suite on every core (pytest-xdist), a module's tests on one worker: module fixtures
# (the demo's run, a served webhook) start once. Each worker has its own databases. The test
# that restarts the PostgreSQL server runs alone after them: beside it another worker's
# test would lose its server mid-statement.
PYTEST := $(VENV)/bin/pytest -q -n auto --dist loadscope
SUITE  := $(PYTEST) -m "not server_restart" && $(VENV)/bin/pytest -q -m server_restart
LOCK_FLAGS := --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --index-url https://pypi.org/simple

.PHONY: demo test test-deep lint unit bench lock audit clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m bot.demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: lint
	$(SUITE)

# Every property test at its full count of examples (tests/examples.py): before a release.
test-deep: lint
	export NHACVIEC_TEST_DEPTH=deep && $(SUITE)

unit: $(STAMP)
	$(PYTEST) -m "not postgres and not e2e"

# BENCH_ARGS="--quick" or "--only cluster": a tenth of the sizes, or one section.
bench: $(STAMP)
	$(PY) -m bench.run $(BENCH_ARGS)

$(TOOLS)/bin/pip-audit:
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q uv pip-audit

# Recompile both locks from pyproject.toml (after changing a dependency or its floor).
lock: $(TOOLS)/bin/pip-audit
	$(TOOLS)/bin/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -o requirements.lock
	$(TOOLS)/bin/uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements-runtime.lock

# Known vulnerabilities in the locked versions; needs the network (not part of `make test`).
# --strict: a package that could not be checked fails the audit instead of passing silently.
audit: $(TOOLS)/bin/pip-audit
	$(TOOLS)/bin/pip-audit --strict --disable-pip --require-hashes -r requirements.lock

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache nhacviec-demo.db
