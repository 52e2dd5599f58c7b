# Backprop Lab. Every target installs what it needs into .venv on first use.
PYTHON      ?= python3.11
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
.PHONY: help grade test check release bench mutation clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/kit.stamp: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	@# Put this checkout on the venv's path, so `python -m graders` works from any folder (CI's too).
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "backprop_lab.pth").write_text("$(CURDIR)\n")'
	touch $@

$(VENV)/dev.stamp: $(VENV)/kit.stamp requirements-dev.txt
	$(PIP) install -r requirements-dev.txt
	touch $@

grade: $(VENV)/kit.stamp ## grade every submission in SUBMISSIONS (default: the sample class, into sample/); FORCE=1 regrades unchanged ones
	@$(if $(SAMPLE),echo "No SUBMISSIONS given: grading the bundled sample class ($(SUBMISSIONS)) into sample/. Your class: make grade SUBMISSIONS=path/to/submitted")
	$(PY) -m graders batch $(SUBMISSIONS) --out $(RESULTS) --jobs $(JOBS)$(if $(FORCE), --force)
	$(PY) -m graders.collect $(RESULTS) --submitted $(SUBMISSIONS) --feedback $(FEEDBACK)$(if $(GRADEBOOK), --gradebook $(GRADEBOOK))
	$(PY) -m graders.report $(RESULTS)
	@$(if $(SAMPLE),echo "That was the sample class: results in $(RESULTS)/$(comma) gradebook $(patsubst sqlite:///$(CURDIR)/%,%,$(GRADEBOOK))$(comma) feedback in $(FEEDBACK)/ (make clean removes them).")

check: $(VENV)/kit.stamp ## public checks on a notebook: make check ASSIGNMENT=softmax_loss NOTEBOOK=my.ipynb
	@test -n "$(ASSIGNMENT)" || { echo "usage: make check ASSIGNMENT=<$(subst $(space),|,$(ASSIGNMENTS))> [NOTEBOOK=path]"; exit 2; }
	$(PY) -m graders check $(ASSIGNMENT) $(or $(NOTEBOOK),assignments/$(ASSIGNMENT)/$(ASSIGNMENT).ipynb)

release: $(VENV)/kit.stamp ## regenerate assignments/ from reference/
	$(PY) reference/release.py

bench: $(VENV)/kit.stamp ## time grading a class of 200 against a fresh process per submission
	$(PY) bench/bench_class.py

test: $(VENV)/dev.stamp ## the kit's own tests
	$(PY) -m pytest tests

mutation: $(VENV)/dev.stamp ## share of mutmut's mutants of reference/ that the grader suites kill
	$(PY) tests/mutation/run.py

clean: ## remove generated folders (not the venv)
	rm -rf results autograded feedback gradebook sample bench/out mutants$(if $(filter-out results sample/results,$(RESULTS)), $(RESULTS))
