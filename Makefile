# govdisclosure — `make help` lists the targets. Everything runs from the project's .venv, which
# the first target that needs it creates (Python 3.11 and pip are all a fresh machine needs).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
RAW := data/raw
PROCESSED := data/processed

.DEFAULT_GOAL := help
.PHONY: help setup extract report view test test-fast lab dictionary bench clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}'

# Two stages: a report run needs only the package and its dependencies; tests and JupyterLab add
# the `dev` extra on top.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP)

setup: $(DEV_STAMP) ## Create .venv and install the package with its dev tools

extract: $(STAMP) ## Extract the bundled corpus (data/raw) into data/processed
	$(BIN)/govdisclosure extract $(RAW) --out $(PROCESSED)

report: extract ## Set up, extract, run every notebook into a new folder under reports/ (P='-p lang en' for parameters)
	$(BIN)/govdisclosure report --processed $(PROCESSED) --out reports $(P)
	$(MAKE) view

view: $(STAMP) ## Write the evidence viewer of data/processed into reports/viewer/ (open index.html)
	$(BIN)/govdisclosure view $(PROCESSED) --out reports/viewer

test: $(DEV_STAMP) ## Run the whole test suite (notebooks included)
	$(BIN)/python -m pytest -q

test-fast: $(DEV_STAMP) ## Run the tests without the slow notebook runs
	$(BIN)/python -m pytest -q -m 'not slow'

lab: $(DEV_STAMP) ## Open JupyterLab on the project with its kernel installed
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "govdisclosure (.venv)"
	$(BIN)/jupyter lab --notebook-dir=.

dictionary: $(STAMP) ## Regenerate docs/data_dictionary.md from the schema
	$(BIN)/python -m govdisclosure.schema > docs/data_dictionary.md

clean: ## Remove generated tables and reports (never data/raw)
	rm -rf $(PROCESSED)/*.parquet $(PROCESSED)/*.csv reports/
