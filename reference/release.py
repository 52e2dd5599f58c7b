"""make release: each reference/NAME/NAME.py becomes the student notebook assignments/NAME/NAME.ipynb.

    python reference/release.py [NAME ...]      (default: every assignment with a reference)

Two steps per assignment, both byte-stable (running twice changes nothing):
1. jupytext reads the percent-format source; the notebook keeps only what nbgrader and students
   need (each cell's ``nbgrader`` and ``tags`` metadata, the kernelspec), and every cell gets an id
   derived from its nbgrader grade_id, so no random id ever reaches the release. It is written to
   reference/NAME/NAME.ipynb (git-ignored), nbgrader's source notebook.
2. The real ``nbgrader generate_assignment NAME --force`` (course config: nbgrader_config.py) turns
   it into the release: solutions become stubs, hidden tests go, and the grade cells, with their
   hidden tests, are recorded in the gradebook (gradebook/gradebook.db, or BACKPROP_GRADEBOOK),
   from where ``nbgrader autograde`` restores them.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the graders package importable
    sys.path.insert(0, str(ROOT))

import jupytext  # noqa: E402
import nbformat  # noqa: E402

from graders import ASSIGNMENTS  # noqa: E402

KEPT_CELL_METADATA = ("nbgrader", "tags")
_NOT_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]")


def available(names: list[str] | None = None) -> list[str]:
    """The assignments asked for (default: all) that have a reference/NAME/NAME.py, in course order."""
    wanted = names or list(ASSIGNMENTS)
    unknown = sorted(set(wanted) - set(ASSIGNMENTS))
    if unknown:
        raise SystemExit(f"unknown assignment(s): {', '.join(unknown)} (choose from {', '.join(ASSIGNMENTS)})")
    return [n for n in ASSIGNMENTS if n in wanted and (ROOT / "reference" / n / f"{n}.py").is_file()]


def _cell_id(cell: nbformat.NotebookNode, index: int, taken: set[str]) -> str:
    """The cell's nbgrader grade_id made a valid nbformat id (else its position), unique."""
    grade_id = (cell.metadata.get("nbgrader") or {}).get("grade_id")
    base = _NOT_ID_CHARS.sub("-", str(grade_id))[:56] if grade_id else f"cell-{index}"
    cell_id, n = base, 1
    while cell_id in taken:
        n += 1
        cell_id = f"{base}-{n}"
    taken.add(cell_id)
    return cell_id


def source_notebook(py_file: Path) -> nbformat.NotebookNode:
    """The jupytext source as a notebook with deterministic ids and no volatile metadata."""
    nb = jupytext.read(py_file, fmt="py:percent")
    taken: set[str] = set()
    for index, cell in enumerate(nb.cells, start=1):
        cell.id = _cell_id(cell, index, taken)
        cell.metadata = nbformat.NotebookNode({k: cell.metadata[k] for k in KEPT_CELL_METADATA if k in cell.metadata})
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata = nbformat.NotebookNode({
        "kernelspec": nb.metadata.get("kernelspec")
        or {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    nb.nbformat, nb.nbformat_minor = 4, 5
    nbformat.validate(nb)
    return nb


def default_gradebook() -> Path:
    """The sqlite file nbgrader_config.py uses: BACKPROP_GRADEBOOK, else gradebook/gradebook.db."""
    return Path(os.environ.get("BACKPROP_GRADEBOOK") or ROOT / "gradebook" / "gradebook.db")


def generate(name: str, *, source_dir: Path, release_dir: Path, gradebook: Path) -> Path:
    """Run ``nbgrader generate_assignment NAME --force`` with the course config; the released notebook."""
    gradebook.parent.mkdir(parents=True, exist_ok=True)
    # nbgrader's Gradebook runs the `alembic` command found on PATH: the venv's bin/ must be on it.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = dict(os.environ, BACKPROP_GRADEBOOK=str(gradebook), PATH=path)
    cmd = [
        sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force",
        f"--CourseDirectory.root={ROOT}",
        f"--CourseDirectory.source_directory={source_dir}",
        f"--CourseDirectory.release_directory={release_dir}",
        "--log-level=WARN",
    ]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    released = release_dir / name / f"{name}.ipynb"
    if done.returncode != 0 or not released.is_file():
        raise RuntimeError(f"nbgrader generate_assignment {name} failed (exit {done.returncode}):\n"
                           f"{done.stdout}{done.stderr}")
    return released


def release(names: list[str] | None = None, *, source_dir: Path | None = None, release_dir: Path | None = None,
            gradebook: Path | None = None) -> list[Path]:
    """Release ``names`` (default: every assignment with a reference). By default into the course's
    own folders (reference/, assignments/, the course gradebook); tests point all three elsewhere."""
    source_dir = Path(source_dir or ROOT / "reference").resolve()
    release_dir = Path(release_dir or ROOT / "assignments").resolve()
    gradebook = Path(gradebook or default_gradebook()).resolve()
    released = []
    for name in available(names):
        nb = source_notebook(ROOT / "reference" / name / f"{name}.py")
        target = source_dir / name / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        released.append(generate(name, source_dir=source_dir, release_dir=release_dir, gradebook=gradebook))
    return released


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python reference/release.py", description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", metavar="NAME", help=f"assignments to release (default: all of {', '.join(ASSIGNMENTS)})")
    args = p.parse_args(argv)
    for name in sorted(set(args.names) - set(available(args.names))):
        print(f"skipped {name}: no reference/{name}/{name}.py yet")
    for path in release(args.names):
        print(f"released {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
