#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu 22.04 by
# default, whose python3 is 3.10). It installs the grading package, nothing else, into its own
# virtual environment. AUTOGRADER_ROOT and AUTOGRADER_PYTHON exist for local tests.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PY="${AUTOGRADER_PYTHON:-python3}"
VENV="$ROOT/venv"
if ! "$PY" -m venv "$VENV" 2>/dev/null; then
    echo "setup.sh: $PY has no venv module; installing python3-venv"
    apt-get update -qq && apt-get install -y -qq python3-venv
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --no-cache-dir --disable-pip-version-check "$ROOT"/source/backprop_lab-*.whl
"$VENV/bin/python" -m graders --version
