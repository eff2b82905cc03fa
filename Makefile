# Two commands matter: `make run` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AXE_VERSION := 4.14.1

.PHONY: run test install translations compile-translations check-translations lint format \
        test-deps bench-deps test-sqlite test-postgres db-upgrade seed-demo clean bench soak \
        check-curriculum audit screens screens-pdf

# The public PDFs and cards are built before the site serves them (a first
# build takes a minute or two; after that only what changed is built again).
run: install compile-translations db-upgrade
	@$(BIN)/flask seed-demo --if-empty >/dev/null
	$(BIN)/flask curriculum build
	@echo
	@echo "MOBILIS Prévention: http://127.0.0.1:5000/"
	@echo "Demo sign-ins (from instance/demo-sign-ins.txt):"
	@cat instance/demo-sign-ins.txt 2>/dev/null | sed 's/^/  /' || echo "  (none: the database had real accounts)"
	@echo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# The two databases' runs at the same time, each on its own database, ports and
# temporary folders: the suite is mostly one process, and the machine has two
# cores. Both show their progress as they go, pytest's line per test file marked
# with its run ([sqlite], [postgres]), and end with their 15 slowest tests; each
# run's whole output is also kept in .cache/test-<run>.log. A test module
# marked one_database(...) draws the same from either database (a PDF, a
# layout): MOBILIS_TESTS_SPLIT runs it in one of the two runs only.
test: install test-deps bench-deps compile-translations lint audit check-translations check-curriculum
	@mkdir -p .cache
	@echo "Tests on SQLite and on PostgreSQL, side by side (whole outputs: .cache/test-*.log)"
	@MOBILIS_TESTS_SPLIT=1 $(MAKE) --no-print-directory -j2 test-sqlite test-postgres \
	  PYTEST_FLAGS="-p no:cacheprovider --durations=15" LABELLED=1

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

test-deps:
	scripts/install-test-deps $(AXE_VERSION)

translations: install
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -o translations/messages.pot app
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations
	$(BIN)/python -m app.catalogs fill-english translations/en/LC_MESSAGES/messages.po
	$(MAKE) compile-translations

compile-translations: install
	$(BIN)/pybabel compile --statistics -d translations 2>&1 | grep -v "^$$" || true
	@$(BIN)/pybabel compile -d translations >/dev/null

check-translations: install
	$(BIN)/python -m app.catalogs check

check-curriculum: install
	$(BIN)/flask curriculum check

# Pictures of the printed materials (covers, a poster, a slide) in docs/screens/.
screens-pdf: install compile-translations
	$(BIN)/python scripts/screens_pdf.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Known vulnerabilities in the installed dependencies, from PyPI's advisories
# (pip-audit's default service), saying how many packages could not be checked
# (app/audit.py). STRICT=1 (for a release) fails when any could not.
audit: install
	$(BIN)/python -m app.audit$(if $(filter 1 yes true,$(STRICT)), --strict)

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Under `make test` (LABELLED=1) a run's lines are marked with its name as they
# come and kept in .cache/test-<name>.log; pipefail keeps pytest's exit status.
labelled = $(if $(LABELLED),set -o pipefail; $(2) 2>&1 | tee .cache/test-$(1).log | sed -u 's/^/[$(1)] /',$(2))

test-sqlite: install
	$(call labelled,sqlite,$(BIN)/pytest $(PYTEST_FLAGS))

test-postgres: install
	$(call labelled,postgres,scripts/with-postgres $(BIN)/pytest $(PYTEST_FLAGS))

db-upgrade: install
	$(BIN)/flask db upgrade

seed-demo: install
	$(BIN)/flask seed-demo

# Screenshots for docs/screens/, made on a throw-away database with the demo:
# pages on a phone (scripts/screens_pages.py), then PDFs when a script makes them.
screens: install compile-translations
	$(BIN)/python -m scripts.screens_pages
	$(BIN)/python scripts/screens_pdf.py

clean:
	rm -rf $(VENV) .cache .pytest_cache .ruff_cache translations/*/LC_MESSAGES/*.mo

# Every benchmark in one run (bench/run.py), ending with one table of ratios
# and goals (docs/performance.md keeps the history). The reach report's
# SQLite database is kept in .cache/bench (seeding 1,000,000 sessions takes
# minutes); PostgreSQL's is a throw-away one, seeded each time.
BENCH_SESSIONS ?= 1000000

bench: install compile-translations test-deps bench-deps
	$(BIN)/python -m bench.pdf_start
	$(BIN)/python -m bench.run --sessions $(BENCH_SESSIONS) --keep .cache/bench

# What the benchmarks need besides Python packages: wrk (Debian's) and Locust,
# in its own virtualenv: it brings gevent and its own Flask, which the app
# must not share. tests/test_bench_smoke.py runs them all on a tiny setting.
bench-deps:
	@command -v wrk >/dev/null || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq wrk >/dev/null; }
	@[ -x .cache/soak-venv/bin/locust ] || { $(PYTHON) -m venv .cache/soak-venv && \
	  .cache/soak-venv/bin/pip install --quiet 'locust>=2.40,<3'; }

# The soak test (bench/soak.py): students, teachers and staff for SOAK_MINUTES
# on 2 gunicorn workers and a throw-away PostgreSQL.
SOAK_MINUTES ?= 10

soak: install compile-translations test-deps bench-deps
	scripts/with-postgres $(BIN)/python -m bench.soak --minutes $(SOAK_MINUTES)
