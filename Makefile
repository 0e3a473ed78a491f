# Two commands do all the set-up on a fresh machine (Python 3.11+ is all it needs):
#   make report   run the reports on the sample data (creates .venv on first use)
#   make test     run the whole test suite
# The virtual environment is made once and refreshed whenever pyproject.toml changes.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
DATA ?= data/sample
ARGS ?=

.PHONY: report test lab dashboard lint format student clean-venv

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing the kit and its dependencies into $(VENV) (first time only)..."
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv
	@$(BIN)/uv pip install -q --python $(BIN)/python -e '.[test]' \
	  || $(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

report: $(STAMP)  ## the main job: every report on $(DATA) (default data/sample/) into reports/<timestamp>/
	$(BIN)/roi report $(DATA) $(ARGS)

test: $(STAMP)  ## the whole test suite (browser tests included when Chromium is installed)
	$(BIN)/python -m pytest $(ARGS)

lab: $(STAMP)  ## open JupyterLab on the notebooks
	$(BIN)/roi lab $(ARGS)

dashboard: $(STAMP)  ## one notebook as a Voila dashboard: make dashboard ARGS=02_engagement_rates
	$(BIN)/roi dashboard $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

student: $(STAMP)  ## workshop copies without solutions, into notebooks/student/
	$(BIN)/roi workshop --student notebooks/student

clean-venv:
	rm -rf $(VENV)
