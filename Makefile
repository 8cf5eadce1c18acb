# The README's two commands: `make book` and `make test`. Each does all of its own set-up.
# For authors: `make notebooks` (re-execute changed or named chapters), `make check` (fast tests),
# `make pdf` (one PDF per language into _build/pdf/, and into the site when it is built).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
BUILD_FLAGS ?= --warningiserror --nitpick --keep-going
PYTEST_ARGS ?=
# `make notebooks NB="chapters/en/02-activation-functions.ipynb chapters/zh/02-activation-functions.ipynb"`
NB ?=

.PHONY: book test check notebooks bench setup assets clean pdf

book: setup assets
	$(VENV)/bin/jupyter-book build . $(BUILD_FLAGS)
	@echo "The book is at $(CURDIR)/_build/html/index.html"

test: system-test book pdf
	$(PY) -m pytest $(PYTEST_ARGS)

# The fast tests only: no nbval, no browser, nothing marked slow (no site build needed).
check: system-test setup
	$(PY) -m pytest -p no:nbval -o addopts="" -m "not slow" $(PYTEST_ARGS) tests

# Refresh the generated cells of, then execute in place and save, the chapter notebooks that
# differ from git HEAD (and untracked ones), or the ones NB names (tools/notebooks.py).
notebooks: system-test setup
	$(PY) -m tools.notebooks execute $(if $(strip $(NB)),$(NB),--changed)

# Training speed (d2l-style baseline vs d2lutils vs the FLOP floor), notebook execution, site build.
bench: system-test setup assets
	$(PY) -m bench --all

setup: system-book $(STAMPS)/python

# One PDF per language (tools/pdf.py): XeLaTeX through jupyter-book's LaTeX builder.
pdf: system-pdf setup assets
	$(PY) -m tools.pdf

system-book system-test system-pdf: system-%:
	bash tools/setup_system.sh $*

$(STAMPS)/python: requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	# d2l 1.0.3 is only a reference the tests compare against; its exact pins would break the venv.
	$(PY) -m pip install -q --no-deps d2l==1.0.3
	@mkdir -p $(STAMPS) && touch $@

# The site's JavaScript (require.js, the ipywidgets HTML manager), exactly as package-lock.json
# says; book_ext copies it into the build. npm ci writes node_modules/.package-lock.json, so a
# deleted node_modules installs again. --ignore-scripts: nothing to build, nothing to run.
assets: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

clean:
	rm -rf _build $(STAMPS) node_modules
