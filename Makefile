# Backprop Lab. Every target installs what it needs into .venv on first use.
PYTHON      ?= python3.11
VENV        ?= .venv
PY          := $(VENV)/bin/python
PIP         := $(PY) -m pip --quiet --disable-pip-version-check
SUBMISSIONS ?= examples/submitted
RESULTS     ?= results
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
ASSIGNMENTS := activations softmax_loss backprop softmax_dim
space       := $(subst ,, )

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

grade: $(VENV)/kit.stamp ## grade every submission in SUBMISSIONS (default: the sample class); FORCE=1 regrades unchanged ones
	$(PY) -m graders batch $(SUBMISSIONS) --out $(RESULTS) --jobs $(JOBS)$(if $(FORCE), --force)
	$(PY) -m graders.collect $(RESULTS) --submitted $(SUBMISSIONS)
	$(PY) -m graders.report $(RESULTS)

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
	rm -rf $(RESULTS) autograded feedback gradebook bench/out mutants
