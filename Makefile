# The README's two commands: `make book` and `make test`. Each does all of its own set-up.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
BUILD_FLAGS ?= --warningiserror --nitpick --keep-going
PYTEST_ARGS ?=

.PHONY: book test bench setup assets clean

book: setup assets
	$(VENV)/bin/jupyter-book build . $(BUILD_FLAGS)
	@echo "The book is at $(CURDIR)/_build/html/index.html"

test: system-test book
	$(PY) -m pytest $(PYTEST_ARGS)

# Training speed (d2l-style baseline vs d2lutils vs the FLOP floor), notebook execution, site build.
bench: system-test setup assets
	$(PY) -m bench --all

setup: system-book $(STAMPS)/python

system-book system-test: system-%:
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
