# Complex Cases — the two commands in the README are `make run` and `make test`.
# Both start a project-local PostgreSQL and Redis under .local/ unless DATABASE_URL /
# REDIS_URL are set. Needs Python 3.11+, Node.js with npm, and a C compiler.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: setup run reset-demo test faults lint check-deploy manage clean bench fuzz

setup: $(VENV)/.installed frontend_root/.built

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

frontend_root/.built: node_modules/.package-lock.json $(VENV)/.installed tools/build_frontend.py $(wildcard frontend/*)
	$(PY) tools/build_frontend.py
	touch $@

run: setup
	$(PY) tools/devstack.py run

# Empty the local database and load the demo data again (what `make run` starts with).
reset-demo: setup
	$(PY) tools/devstack.py manage load_demo_data --reset

test: setup lint
	$(PY) tools/devstack.py test

# The fault tests (docs/reliability.md): Redis stopped, workers killed, PostgreSQL restarted,
# with real processes of their own on this machine. A few minutes; CI runs them after `make test`.
faults: setup
	$(PY) tools/devstack.py test -p no:cacheprovider -m faults tests/faults

# The property tests with new random examples, RUNS times: what `make test` (the same
# examples every run) cannot find. A failure prints the example to add with @example.
RUNS ?= 5
PROPERTY_TESTS := tests/test_bad_input.py tests/test_post_fuzz.py tests/screening/test_fastcheck.py tests/panel/test_papers.py
fuzz: setup
	for run in $$(seq $(RUNS)); do \
		HYPOTHESIS_PROFILE=fuzz $(PY) tools/devstack.py test -q -p no:cacheprovider $(PROPERTY_TESTS) || exit 1; \
	done

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

manage: setup
	$(PY) tools/devstack.py manage $(ARGS)

# Benchmarks against floors (docs/performance.md): national scale unless SCALE=small.
# Uses its own database (cc_bench_<scale>), on DATABASE_URL's server or the embedded one.
SCALE ?= national
$(VENV)/.bench-installed: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev,bench]"
	touch $@

bench: setup $(VENV)/.bench-installed
	$(PY) tools/devstack.py bench --scale $(SCALE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules frontend_root staticfiles
