# The two commands of the README: `make demo` and `make test`. Both create or reuse .venv/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# Test workers (pytest-xdist), fed test by test in the order pytest-django gives (transactional
# tests last); modules whose fixture runs a whole corpus are kept on one worker (xdist_group).
WORKERS ?= 2
PYTEST := $(BIN)/pytest -q -n $(WORKERS) --dist loadgroup

.PHONY: demo test test-sqlite test-postgres lint bench clean system-deps

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

# The main job on the shipped example: load it, print the per-municipality table, write the
# full report (HTML, PDF, Excel) and all 25 municipality overviews to out/, then serve the web
# application on the example with one demo user per role (printed), at http://127.0.0.1:$(PORT)/.
demo: $(STAMP)
	@scripts/system-deps.sh --pdf-only
	$(BIN)/samarbeid load-example
	$(BIN)/samarbeid demobrukere
	$(BIN)/samarbeid sammendrag --mapping "Buskerud 2021"
	$(BIN)/samarbeid rapport --mapping "Buskerud 2021" --format html,pdf,xlsx --out out
	$(BIN)/samarbeid oversikt --mapping "Buskerud 2021" --alle --format html,pdf,xlsx --out out/oversikter
	@echo "Rapporten og oversiktene ligger i out/. Nettstedet starter nå (Ctrl+C avslutter)."
	$(BIN)/samarbeid serve --host 127.0.0.1 --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/lint-imports

# Debian packages the tests need: Chromium and axe-core (browser tests), poppler and LibreOffice
# (report checks), PostgreSQL (scripts/postgres.sh installs it itself). Idempotent.
system-deps:
	scripts/browser-deps.sh
	scripts/system-deps.sh

test-sqlite: $(STAMP) system-deps
	$(PYTEST)

# On PostgreSQL only the tests that use the database (tests/conftest.py): the rest ran above.
test-postgres: $(STAMP) system-deps
	SAMARBEID_TEST_DATABASE_ONLY=1 scripts/test-postgres.sh $(PYTEST)

test: lint test-sqlite test-postgres

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_intake.py

clean:
	rm -rf $(VENV) var out .pytest_cache .ruff_cache
