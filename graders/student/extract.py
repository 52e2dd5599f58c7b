"""A submission's code, as a list of cells: from NAME.ipynb (code cells) or NAME.py.

Runs on the grading side and only reads text. Dropped: nbgrader's autograder test cells
(``grade`` without ``solution``) and cells tagged ``checks`` (the notebook's public checks, which
the graders repeat), IPython magics and shell lines (``%...``, ``!...``) and ``%%`` cell magics.
A ``.py`` is split on jupytext's ``# %%`` markers when it has them, else it is one cell.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


class SubmissionNotFound(Exception):
    """No NAME.ipynb or NAME.py where the submission should be."""


class UnreadableSubmission(Exception):
    """The file is there but is not a notebook or text we can read."""


@dataclass(frozen=True)
class Cell:
    index: int  # position among the notebook's cells, counted from 1, for messages
    source: str


def find_submission(name: str, path: Path) -> Path:
    """The file of a submission: ``path`` itself, or NAME.ipynb / NAME.py inside it."""
    path = Path(path)
    if path.is_file():
        return path
    if path.is_dir():
        for candidate in (path / f"{name}.ipynb", path / f"{name}.py"):
            if candidate.is_file():
                return candidate
        found = sorted(p.name for p in path.iterdir() if p.suffix in (".ipynb", ".py"))
        hint = f" (found: {', '.join(found)})" if found else ""
        raise SubmissionNotFound(f"no {name}.ipynb or {name}.py in {path}{hint}")
    raise SubmissionNotFound(f"no such file or folder: {path}")


def _is_dropped(metadata: dict) -> bool:
    nb = metadata.get("nbgrader") or {}
    if nb.get("grade") and not nb.get("solution"):
        return True
    return "checks" in (metadata.get("tags") or [])


def _strip_magics(source: str) -> str:
    if source.lstrip().startswith("%%"):
        return ""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        # Keep the line count (tracebacks name student lines) but drop the magic itself.
        lines.append("" if stripped.startswith(("%", "!")) else line)
    return "\n".join(lines)


def _cells_of_notebook(text: str) -> list[Cell]:
    try:
        nb = json.loads(text)
        raw = nb["cells"]
    except (ValueError, KeyError, TypeError) as exc:
        raise UnreadableSubmission(f"the notebook is not valid JSON ({exc})") from None
    cells = []
    for i, c in enumerate(raw, start=1):
        if not isinstance(c, dict) or c.get("cell_type") != "code":
            continue
        if _is_dropped(c.get("metadata") or {}):
            continue
        src = c.get("source", "")
        src = "".join(src) if isinstance(src, list) else str(src)
        cells.append(Cell(i, _strip_magics(src)))
    return cells


def _cells_of_py(text: str) -> list[Cell]:
    if "# %%" not in text:
        return [Cell(1, text)]
    from graders.percent import read_percent  # jupytext's format without jupytext's imports

    return [
        Cell(i, _strip_magics(c.source))
        for i, c in enumerate(read_percent(text), start=1)
        if c.cell_type == "code" and not _is_dropped(c.metadata)
    ]


def read_cells(file: Path) -> list[Cell]:
    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableSubmission(f"cannot read {Path(file).name}: {exc}") from None
    if Path(file).suffix == ".ipynb":
        return _cells_of_notebook(text)
    return _cells_of_py(text)
