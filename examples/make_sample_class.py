"""Build the bundled sample class that `make grade` grades by default.

    python examples/make_sample_class.py [--out examples/submitted]

Writes OUT/<student>/<assignment>/<assignment>.ipynb (nbgrader's submitted layout) from the
released notebooks in assignments/, the way students would fill them in:

    ada_correct  every solution cell holds the reference's solution
    ben_blank    the released notebook, untouched (every stub still raises NotImplementedError)
    cy_buggy     the reference's solutions with one realistic mistake per assignment (BUGS)
    dee_buggy    another realistic mistake per assignment

tests/test_sample_class.py checks the committed class is what this script makes.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders import ASSIGNMENTS  # noqa: E402

# student -> assignment -> (text in the reference's solution, what the student wrote instead)
BUGS: dict[str, dict[str, tuple[str, str]]] = {
    "cy_buggy": {
        "activations": ("return s * (1.0 - s)", "return x * (1.0 - x)"),
        "softmax_loss": ("shifted = x - np.max(x, axis=-1, keepdims=True)", "shifted = x"),
        "backprop": ("self.db = np.sum(dout, axis=0)", "self.db = np.mean(dout, axis=0)"),
        "softmax_dim": ("return self.y * (dout - np.sum(dout * self.y, axis=self.dim, keepdims=True))",
                        "return dout * self.y * (1 - self.y)"),
    },
    "dee_buggy": {
        "activations": ("return np.where(self.mask, 0.0, x)", "x[self.mask] = 0\n        return x"),
        "softmax_loss": ("return dout * dx / n", "return dout * dx"),
        "backprop": ("self.dW = self.x.T @ dout", "self.dW = dout.T @ self.x"),
        "softmax_dim": ("grad = grad / grad.shape[0]", "grad = grad"),
    },
}
STUDENTS = ("ada_correct", "ben_blank", *BUGS)
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def solutions(name: str) -> dict[str, str]:
    """{grade_id: the solution cell's code without nbgrader's markers} of reference/NAME/NAME.py."""
    notebook = jupytext.read(ROOT / "reference" / name / f"{name}.py")
    found = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            lines = [line for line in cell.source.splitlines() if line.strip() not in MARKERS]
            found[meta["grade_id"]] = "\n".join(lines)
    return found


def filled(name: str, student: str) -> nbformat.NotebookNode:
    notebook = nbformat.read(ROOT / "assignments" / name / f"{name}.ipynb", as_version=4)
    if student == "ben_blank":
        return notebook
    code = solutions(name)
    bug = BUGS.get(student, {}).get(name)
    applied = False
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "code" or not cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        source = code[grade_id]
        if bug and bug[0] in source:
            if source.count(bug[0]) != 1 or applied:
                raise SystemExit(f"{student}/{name}: {bug[0]!r} is not unique in the reference")
            source, applied = source.replace(bug[0], bug[1]), True
        cell.source = source
    if bug and not applied:
        raise SystemExit(f"{student}/{name}: {bug[0]!r} is not in the reference's solutions any more")
    return notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "examples" / "submitted")
    args = parser.parse_args(argv)
    for student in STUDENTS:
        for name in ASSIGNMENTS:
            if not (ROOT / "assignments" / name / f"{name}.ipynb").is_file():
                continue
            if student in BUGS and name not in BUGS[student]:
                continue
            target = args.out / student / name / f"{name}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(nbformat.writes(filled(name, student)) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
