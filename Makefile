# Backprop Lab. Every target installs what it needs into .venv on first use.
PYTHON      ?= python3.11
# This kit's folder, so that `make -f path/to/Makefile` works from any folder.
KIT         := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
VENV        ?= .venv
PY          := $(VENV)/bin/python
PIP         := $(PY) -m pip --quiet --disable-pip-version-check
# With no SUBMISSIONS, `make grade` grades the bundled sample class into sample/ (results,
# gradebook, feedback), so it never mixes with a course's results/, gradebook/ and feedback/.
ifeq ($(origin SUBMISSIONS),undefined)
SAMPLE      := 1
SUBMISSIONS := examples/submitted
RESULTS     ?= sample/results
FEEDBACK    ?= sample/feedback
GRADEBOOK   ?= sqlite:///$(CURDIR)/sample/gradebook.db
endif
RESULTS     ?= results
FEEDBACK    ?= feedback
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
ASSIGNMENTS := activations softmax_loss backprop softmax_dim
space       := $(subst ,, )
comma       := ,

.DEFAULT_GOAL := help
.PHONY: help grade test check release bench mutation gradescope messages clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The kit's venv: the grading package installed editable (`pip install -e .`: the venv records no
# checkout path of ours, python -m graders works from any folder) with the staff tools, all pinned.
$(VENV)/kit.stamp: $(KIT)/requirements.txt $(KIT)/requirements-staff.txt $(KIT)/pyproject.toml
	@test -f $@ || echo "make: first run: setting up $(VENV) with $(PYTHON); about a minute and a half, once."
	@echo "make: [1/3] creating the virtual environment $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@echo "make: [2/3] installing the pinned packages (numpy, pytest for grading; nbgrader, jupytext, tqdm, matplotlib for staff)"
	$(PIP) install -r $(KIT)/requirements-staff.txt
	@echo "make: [3/3] installing this kit into $(VENV) (editable)"
	@# Venvs made before pyproject.toml put the checkout on the path with a .pth file: gone now.
	@rm -f $(VENV)/lib/python*/site-packages/backprop_lab.pth
	$(PIP) install --no-deps -e $(KIT)
	touch $@

$(VENV)/dev.stamp: $(VENV)/kit.stamp $(KIT)/requirements-dev.txt
	@echo "make: installing the test-only packages (torch as an oracle, mutmut, jsonschema, PyYAML)"
	$(PIP) install -r $(KIT)/requirements-dev.txt
	touch $@

# GRADERS_LANG=ko|en: the language of every message, feedback page and report (default: the
# environment's GRADERS_LANG, else the locale, else English), passed on as --lang so a typo stops.
LANG_ARG     = $(if $(GRADERS_LANG), --lang $(GRADERS_LANG))

grade: $(VENV)/kit.stamp ## grade every submission in SUBMISSIONS (default: the sample class, into sample/); FORCE=1 regrades unchanged ones; GRADERS_LANG=ko in Korean
	@$(if $(SAMPLE),echo "No SUBMISSIONS given: grading the bundled sample class ($(SUBMISSIONS)) into sample/. Your class: make grade SUBMISSIONS=path/to/submitted")
	$(PY) -m graders batch $(SUBMISSIONS) --out $(RESULTS) --jobs $(JOBS)$(if $(FORCE), --force)$(if $(ISOLATION), --isolation $(ISOLATION))$(LANG_ARG)
	$(PY) -m graders.collect $(RESULTS) --submitted $(SUBMISSIONS) --feedback $(FEEDBACK)$(if $(GRADEBOOK), --gradebook $(GRADEBOOK))$(LANG_ARG)
	$(PY) -m graders.report $(RESULTS)$(LANG_ARG)
	@$(if $(SAMPLE),echo "That was the sample class: results in $(RESULTS)/$(comma) gradebook $(patsubst sqlite:///$(CURDIR)/%,%,$(GRADEBOOK))$(comma) feedback in $(FEEDBACK)/ (make clean removes them).")

check: $(VENV)/kit.stamp ## public checks on a notebook: make check ASSIGNMENT=softmax_loss NOTEBOOK=my.ipynb [ISOLATION=none] [GRADERS_LANG=ko]
	@test -n "$(ASSIGNMENT)" || { echo "usage: make check ASSIGNMENT=<$(subst $(space),|,$(ASSIGNMENTS))> [NOTEBOOK=path]"; exit 2; }
	$(PY) -m graders check $(ASSIGNMENT) $(or $(NOTEBOOK),assignments/$(ASSIGNMENT)/$(ASSIGNMENT).ipynb)$(if $(ISOLATION), --isolation $(ISOLATION))$(LANG_ARG)

release: $(VENV)/kit.stamp ## regenerate assignments/ from reference/ (check cells call the pack), then the packs to hand out, dist/pack/NAME.zip
	$(PY) reference/release.py
	$(PY) -m graders.messages.notebooks
	$(PY) $(KIT)/studentpack/build.py --out dist/pack --lang ko  # and the Korean notebook's, dist/pack/ko/NAME.zip

bench: $(VENV)/kit.stamp ## time grading a class of 200 against a fresh process per submission
	$(PY) bench/bench_class.py

gradescope: $(VENV)/kit.stamp ## dist/gradescope/NAME.zip per assignment (HIDDEN=after_due_date|hidden|after_published)
	$(PY) -m graders.gradescope.build --out dist/gradescope$(if $(HIDDEN), --hidden-visibility $(HIDDEN))$(LANG_ARG) $(ASSIGNMENTS)

messages: $(VENV)/kit.stamp ## refresh the Korean catalogues (graders/messages/locale) from the code, then compile them
	$(PY) -m graders.messages.catalog

test: $(VENV)/dev.stamp ## the kit's own tests
	$(PY) -m pytest tests

mutation: $(VENV)/dev.stamp ## share of mutmut's mutants of reference/ that the grader suites kill
	$(PY) tests/mutation/run.py

clean: ## remove generated folders (not the venv)
	rm -rf results autograded feedback gradebook sample bench/out mutants dist build$(if $(filter-out results sample/results,$(RESULTS)), $(RESULTS))
