"""Does the grader suite give the (possibly mutated) reference full marks?

Run by mutmut only (``make mutation``, configured in setup.cfg): mutmut copies reference/ to
mutants/reference/ with every mutant of every function inside, and activates one mutant at a
time through MUTANT_UNDER_TEST. Here the mutated file is graded AS THE STUDENT, in this process
(mutmut's trampolines pick the active mutant at call time), while the graders' ``ref`` loads a
pristine copy from BACKPROP_REFERENCE_DIR. A mutant is killed when this test fails, that is
when the suite takes at least one point from it.
"""
from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import pytest

from graders import ASSIGNMENTS, ROOT
from graders.engine.suite import GRADERS_DIR, run_suite
from graders.student.extract import Cell
from graders.student.loader import run_cells
from graders.student.local import LocalStudent

UNDER_MUTMUT = "MUTANT_UNDER_TEST" in os.environ  # set (possibly to "") by every mutmut phase


def mutated_file(name: str) -> Path:
    """reference/NAME/NAME.py as mutmut rewrote it (ROOT is mutants/ under mutmut)."""
    return ROOT / "reference" / name / f"{name}.py"


def module_name(name: str) -> str:
    """The dotted name mutmut derives from the file's path; its trampolines compare the active
    mutant's module against the ``__module__`` of the functions, which is this ``__name__``."""
    return f"reference.{name}.{name}"


def definitions_only(source: str) -> str:
    """The mutated file's definitions, as one piece of code.

    mutmut copies a function's leading comments (our ``# %%`` cell headers) to each of its
    mutants and puts each mutant table right after the statement before the function, often
    inside an autograded or checks cell; so the file cannot be split into cells any more.
    Instead keep the top-level statements that define things: imports (not the graders'),
    functions, classes and assignments without calls (mutmut's tables, constants). The public
    checks and the autograded ``run_part`` calls are all statements with calls, so they go.
    """
    def keeps(node: ast.stmt) -> bool:
        if isinstance(node, ast.ImportFrom):
            return not (node.module or "").startswith("graders")
        if isinstance(node, (ast.Import, ast.FunctionDef, ast.ClassDef)):
            return True
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            return not any(isinstance(n, ast.Call) for n in ast.walk(node))
        return False

    tree = ast.parse(source)
    tree.body = [node for node in tree.body if keeps(node)]
    return ast.unparse(tree)


def has_suite(name: str) -> bool:
    return any((GRADERS_DIR / name).glob("test_*.py"))


def forget_suite_modules() -> None:
    """Drop grader test modules of earlier runs from sys.modules. Suites of different
    assignments may share file names (test_forward.py) and pytest imports them by basename;
    mutmut sets PY_IGNORE_IMPORTMISMATCH=1, so a stale one would be reused silently."""
    suites = [str(GRADERS_DIR / name) + os.sep for name in ASSIGNMENTS]
    for key, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None) or ""
        if any(file.startswith(folder) for folder in suites):
            del sys.modules[key]


@pytest.mark.skipif(not UNDER_MUTMUT, reason="mutation testing only: run `make mutation` (mutmut sets MUTANT_UNDER_TEST)")
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_reference_gets_full_marks(name: str) -> None:
    """Does the suite of NAME give full marks to reference/NAME/NAME.py with the active mutant?"""
    pristine = os.environ.get("BACKPROP_REFERENCE_DIR", "")
    if not pristine or Path(pristine).resolve() == (ROOT / "reference").resolve():
        pytest.fail("BACKPROP_REFERENCE_DIR must name a pristine copy of reference/ (tests/mutation/run.py sets it)")
    if not mutated_file(name).is_file() or not has_suite(name):
        pytest.skip(f"{name}: no reference or no grader suite yet")
    code = definitions_only(mutated_file(name).read_text(encoding="utf-8"))
    namespace, problems = run_cells([Cell(0, code)], module_name(name))
    forget_suite_modules()
    result = run_suite(name, LocalStudent(namespace))
    lost = [f"{t['name']}: {t['status']}: {t['output'][:200]}" for t in result["tests"] if t["score"] < t["max_score"]]
    assert result["score"] >= result["max_score"], (
        f"{name}: {result['score']}/{result['max_score']}; load problems: {problems}; lost: {lost}"
    )
