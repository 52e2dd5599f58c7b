"""The reference solution of an assignment, loaded on the grading side (trusted code only).

reference/NAME/NAME.py is the jupytext source of the notebook; its autograder test cells are
dropped on loading (see :mod:`graders.student.extract`), the rest runs as a module.
"""
from __future__ import annotations

import functools
import os
import types
from pathlib import Path

from graders import ROOT
from graders.student.extract import read_cells
from graders.student.loader import run_cells


# Where ``pip install .`` puts reference/ (pyproject.toml maps it into the package as data).
PACKAGED = Path(__file__).resolve().parent / "_reference"


def reference_dir() -> Path:
    """The folder of reference/NAME/NAME.py: BACKPROP_REFERENCE_DIR (make mutation grades mutants
    of reference/ against a pristine copy kept there), else the installed package's own copy,
    else the checkout's reference/."""
    env = os.environ.get("BACKPROP_REFERENCE_DIR")
    if env:
        return Path(env)
    return PACKAGED if PACKAGED.is_dir() else ROOT / "reference"


@functools.lru_cache(maxsize=None)
def load_reference(name: str) -> types.SimpleNamespace:
    path = reference_dir() / name / f"{name}.py"
    namespace, problems = run_cells(read_cells(path), f"reference_{name}")
    if problems:
        raise RuntimeError(f"the reference of {name} does not load: {problems}")
    return types.SimpleNamespace(**{k: v for k, v in namespace.items() if not k.startswith("__")})
