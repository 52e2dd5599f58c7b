"""make release: each reference/NAME/NAME.py becomes the student notebook assignments/NAME/NAME.ipynb.

    python reference/release.py [NAME ...]      (default: every assignment with a reference)

Two steps per assignment, both byte-stable (running twice changes nothing):
1. jupytext reads the percent-format source; the notebook keeps only what nbgrader and students
   need (each cell's ``nbgrader`` and ``tags`` metadata, the kernelspec), and every cell gets an id
   derived from its nbgrader grade_id, so no random id ever reaches the release. In an assignment
   that has a student pack (studentpack.build.PACKED), each public check cell (tagged "checks")
   becomes a call to the pack for the part graded just below it: the graders' own public tests and
   diagnoses, where the reference's asserts would only say "wrong". It is written to
   reference/NAME/NAME.ipynb (git-ignored), nbgrader's source notebook.
2. The real ``nbgrader generate_assignment NAME --force`` (course config: nbgrader_config.py) turns
   it into the release: solutions become stubs, hidden tests go, and the grade cells, with their
   hidden tests, are recorded in the gradebook (gradebook/gradebook.db, or BACKPROP_GRADEBOOK),
   from where ``nbgrader autograde`` restores them. nbgrader writes into a temporary folder; only a
   finished release is renamed into assignments/, so a failure never leaves a notebook missing.

Re-releasing after grading: nbgrader refuses to re-record a notebook that has submissions when its
cell list differs from the gradebook's (and `make grade` on a fresh gradebook records only the grade
cells). Then the release is made against a scratch gradebook and, if the graded cells are the same
(a fixed typo, a reworded hint), the course gradebook gets the new points and cell text; a change
that adds or removes graded cells is refused in one line, with assignments/ left as it was.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the graders package importable
    sys.path.insert(0, str(ROOT))

import jupytext  # noqa: E402
import nbformat  # noqa: E402

from graders import ASSIGNMENTS  # noqa: E402
from studentpack.build import PACKED  # noqa: E402

KEPT_CELL_METADATA = ("nbgrader", "tags")
_NOT_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]")


def available(names: list[str] | None = None, reference_dir: Path | None = None) -> list[str]:
    """The assignments asked for (default: all) that have a NAME/NAME.py in ``reference_dir``
    (default reference/), in course order."""
    wanted = names or list(ASSIGNMENTS)
    unknown = sorted(set(wanted) - set(ASSIGNMENTS))
    if unknown:
        raise SystemExit(f"unknown assignment(s): {', '.join(unknown)} (choose from {', '.join(ASSIGNMENTS)})")
    folder = Path(reference_dir or ROOT / "reference")
    return [n for n in ASSIGNMENTS if n in wanted and (folder / n / f"{n}.py").is_file()]


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


def pack_check_source(name: str, part: str) -> str:
    """The check cell of ``part`` in a packed assignment (graders.messages.notebooks.check_cell, which
    also writes the Korean notebook's)."""
    from graders.messages.notebooks import check_cell

    return check_cell(name, part)


def call_the_pack(nb: nbformat.NotebookNode, name: str) -> None:
    """Each check cell of a packed assignment becomes pack_check_source() for the part graded by the
    next grade cell (every check cell sits just above its part's grade cell)."""
    part = None
    for cell in reversed(nb.cells):
        meta = cell.metadata.get("nbgrader") or {}
        if meta.get("grade") and not meta.get("solution"):
            part = meta["grade_id"]
        elif "checks" in cell.metadata.get("tags", []):
            if part is None:
                raise ValueError(f"{name}: check cell {meta.get('grade_id')} has no grade cell after it to name its part")
            cell.source = pack_check_source(name, part)


def source_notebook(py_file: Path) -> nbformat.NotebookNode:
    """The jupytext source as a notebook with deterministic ids and no volatile metadata."""
    nb = jupytext.read(py_file, fmt="py:percent")
    taken: set[str] = set()
    for index, cell in enumerate(nb.cells, start=1):
        cell.id = _cell_id(cell, index, taken)
        cell.metadata = nbformat.NotebookNode({k: cell.metadata[k] for k in KEPT_CELL_METADATA if k in cell.metadata})
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    if py_file.stem in PACKED:
        call_the_pack(nb, py_file.stem)
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


class ReleaseRefused(Exception):
    """A release nbgrader cannot take while the gradebook holds submissions (one line, for the TA)."""


_SUBMISSIONS_BLOCK = "because there are submissions associated with it"


def _cells(gradebook: Path, name: str) -> dict[str, dict[str, dict]]:
    """{kind: {cell name: its fields}} of notebook ``name`` in ``gradebook``, for the kinds nbgrader tracks."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{gradebook}") as gb:
        notebook = gb.find_notebook(name, name)
        return {kind: {c.name: c.to_dict() for c in getattr(notebook, kind)}
                for kind in ("grade_cells", "task_cells", "solution_cells", "source_cells")}


def _keep_gradebook(name: str, gradebook: Path, scratch: Path) -> str:
    """nbgrader refused to re-record ``name`` because it has submissions. If its graded cells are
    the same (the change is text, or the gradebook was started by `make grade`, which records only
    grade cells), record what can be recorded without touching a submission: each grade cell's
    points and every source cell's text (hidden tests included; source cells hold no per-student
    rows). Otherwise raise ReleaseRefused. Returns a note for the TA."""
    from nbgrader.api import Gradebook

    new, old = _cells(scratch, name), _cells(gradebook, name)
    for kind in ("grade_cells", "task_cells"):
        if set(new[kind]) != set(old[kind]):
            added, removed = sorted(set(new[kind]) - set(old[kind])), sorted(set(old[kind]) - set(new[kind]))
            change = ", ".join([f"adds {', '.join(added)}"] * bool(added) + [f"removes {', '.join(removed)}"] * bool(removed))
            raise ReleaseRefused(
                f"not released {name}: the gradebook holds submissions of it and this change {change}, which nbgrader "
                f"cannot record then; assignments/{name}/ is unchanged (keep the graded cells, or use a new gradebook)")
    with Gradebook(f"sqlite:///{gradebook}") as gb:
        for cell, fields in new["grade_cells"].items():
            gb.update_or_create_grade_cell(cell, name, name, max_score=fields["max_score"], cell_type=fields["cell_type"])
        for cell, fields in new["source_cells"].items():
            gb.update_or_create_source_cell(cell, name, name, **{k: fields[k] for k in ("cell_type", "locked", "source", "checksum")})
    return (f"note: {name} has submissions in the gradebook; its graded cells are unchanged, so their points and the "
            "cells' text were updated there and its list of cells kept")


def _install(staged: Path, target: Path) -> None:
    """Put every file of the staged release folder in place, each by an atomic rename."""
    target.mkdir(parents=True, exist_ok=True)
    for file in sorted(staged.iterdir()):
        part = target / f".{file.name}.part"
        shutil.copyfile(file, part)
        os.replace(part, target / file.name)


def release_one(name: str, *, reference_dir: Path, source_dir: Path, release_dir: Path, gradebook: Path) -> tuple[Path, str]:
    """Release ``name`` into ``release_dir`` (the released notebook, and a note or ""). nbgrader
    writes into a temporary folder first, so a refusal leaves ``release_dir`` as it was."""
    nb = source_notebook(reference_dir / name / f"{name}.py")
    target = source_dir / name / f"{name}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    note = ""
    with tempfile.TemporaryDirectory(prefix=f"release-{name}-") as tmp:
        try:
            staged = generate(name, source_dir=source_dir, release_dir=Path(tmp) / "release", gradebook=gradebook)
        except RuntimeError as exc:
            if _SUBMISSIONS_BLOCK not in str(exc):
                raise
            scratch = Path(tmp) / "scratch.db"  # a gradebook without submissions: nbgrader releases into it
            staged = generate(name, source_dir=source_dir, release_dir=Path(tmp) / "release", gradebook=scratch)
            note = _keep_gradebook(name, gradebook, scratch)
        _install(staged.parent, release_dir / name)
    return release_dir / name / f"{name}.ipynb", note


def release(names: list[str] | None = None, *, source_dir: Path | None = None, release_dir: Path | None = None,
            gradebook: Path | None = None, reference_dir: Path | None = None, notes: list[str] | None = None) -> list[Path]:
    """Release ``names`` (default: every assignment with a reference). By default from and into the
    course's own folders (reference/, assignments/, the course gradebook); tests point them elsewhere.
    Raises ReleaseRefused (one line) for a change nbgrader cannot take; notes go to ``notes``."""
    reference_dir = Path(reference_dir or ROOT / "reference").resolve()
    source_dir = Path(source_dir or reference_dir).resolve()
    release_dir = Path(release_dir or ROOT / "assignments").resolve()
    gradebook = Path(gradebook or default_gradebook()).resolve()
    released = []
    for name in available(names, reference_dir):
        path, note = release_one(name, reference_dir=reference_dir, source_dir=source_dir, release_dir=release_dir,
                                 gradebook=gradebook)
        released.append(path)
        if note and notes is not None:
            notes.append(note)
    return released


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python reference/release.py", description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", metavar="NAME", help=f"assignments to release (default: all of {', '.join(ASSIGNMENTS)})")
    p.add_argument("--reference-dir", type=Path, help="where NAME/NAME.py are read (default: reference/)")
    p.add_argument("--release-dir", type=Path, help="where NAME/NAME.ipynb are released (default: assignments/)")
    p.add_argument("--gradebook", type=Path, help="the sqlite gradebook file (default: BACKPROP_GRADEBOOK or gradebook/gradebook.db)")
    args = p.parse_args(argv)
    reference_dir = args.reference_dir or ROOT / "reference"
    for name in sorted(set(args.names) - set(available(args.names, reference_dir))):
        print(f"skipped {name}: no {name}/{name}.py in the reference folder yet")
    notes: list[str] = []
    try:
        paths = release(args.names, reference_dir=reference_dir, release_dir=args.release_dir, gradebook=args.gradebook,
                        notes=notes)
    except ReleaseRefused as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in paths:
        print(f"released {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
