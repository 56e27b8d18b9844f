# Two commands for users: `make run` and `make test`. Everything else is a building block.
SHELL := /bin/bash
BIN := .venv/bin
ASA := $(BIN)/asa-bot
RASA := $(BIN)/rasa
RESULTS := var/results
export TF_CPP_MIN_LOG_LEVEL ?= 2
# Rasa's telemetry and Sentry error reports stay off for every rasa command run from here.
export RASA_TELEMETRY_ENABLED ?= false

.PHONY: help install nginx run run-scaled shell train test lint types unit validate stories nlu-cv e2e \
	browser-install bench bench-rules clean

help:
	@echo "make run    – installiert, trainiert bei Bedarf und startet den Bot (Strg+C beendet)"
	@echo "make test   – Lint, Typen, Unit-Tests, Datenprüfung, Test-Stories, End-to-End-Test"
	@echo "make shell  – Chat im Terminal mit dem laufenden Bot"
	@echo "make run-scaled – Scale-out: mehrere Rasa-Server hinter nginx, PostgreSQL und Redis"
	@echo "make bench  – misst Start, Speicher, Latenz, Durchsatz und Training gegen einen Rasa-Standardbot"

install:
	@./scripts/install.sh
	@$(ASA) setup

# Debian's nginx for the scale-out profile; does nothing when it is installed.
nginx:
	@./scripts/install-nginx.sh

run: install
	@$(ASA) run

# Scale-out profile: PostgreSQL, Redis, ASA_RASA_WORKERS Rasa servers behind nginx (README).
run-scaled: install nginx
	@$(ASA) run-scaled

shell:
	@$(ASA) shell

train: install
	@$(ASA) train

test: install nginx lint types unit train validate stories e2e nlu-cv

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types:
	$(BIN)/mypy

unit:
	$(BIN)/python -m pytest -m "not e2e"

# `rasa data validate --fail-on-warnings`; responses sent by actions and forms count as used.
validate:
	$(BIN)/python scripts/validate_data.py --domain domain --data data --config config.yml

stories: train
	$(RASA) test core --model "$$($(ASA) model-path)" --stories tests/stories \
		--fail-on-prediction-errors --out $(RESULTS)/stories --no-plot

# 3-fold cross-validation of the NLU data with fixed folds (report in var/results/nlu-cv);
# fails below intent macro-F1 0.90.
nlu-cv: install
	$(BIN)/python scripts/nlu_cv.py --nlu data/nlu --config config.yml --folds 3 \
		--out $(RESULTS)/nlu-cv --no-plot
	$(BIN)/python scripts/check_nlu_report.py $(RESULTS)/nlu-cv --min-f1 0.90

e2e: train browser-install nginx
	$(BIN)/python -m pytest -m e2e

# Debian's Chromium and axe-core (npm) for the widget's browser tests; skipped when present.
browser-install:
	@./scripts/install-browser.sh

bench-rules: install
	$(BIN)/python benchmarks/bench_rules.py

# Our bot against a plain `rasa init` bot on this machine (several minutes); not part of `make test`.
bench: install nginx train
	$(BIN)/python -m benchmarks.bench_bots --out $(RESULTS)/bench

clean:
	rm -rf var/models var/results var/logs var/scaled var/rasa-cache .pytest_cache .mypy_cache .ruff_cache
