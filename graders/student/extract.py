"""A submission's code, as a list of cells: from NAME.ipynb (code cells) or NAME.py.

Runs on the grading side and only reads text; every byte of it is the student's, so nothing
here may raise on odd content or follow it anywhere. Dropped: nbgrader's autograder test cells
(``grade`` without ``solution``) and cells tagged ``checks`` (the notebook's public checks, which
the graders repeat), IPython magics and shell lines (``%...``, ``!...``) and ``%%`` cell magics.
A notebook may be nbformat 4 (``cells``) or 3 (``worksheets``, code in ``input``), with or
without a UTF-8 BOM. A ``.py`` is decoded as Python decodes a module (BOM, PEP 263 coding
cookie) and split on jupytext's ``# %%`` markers when it has them, else it is one cell.
Finding the file and reading it once, safely: :mod:`graders.student.submission`.
"""
from __future__ import annotations

import io
import json
import tokenize
from dataclasses import dataclass
from pathlib import Path

from graders.student.submission import (  # noqa: F401 - SubmissionNotFound, find_submission: re-exported
    MISSING, REFUSED, Submission, SubmissionNotFound, find_submission, read_submission)


class UnreadableSubmission(Exception):
    """The file is there but is not a notebook or text we can read (the message says why)."""


@dataclass(frozen=True)
class Cell:
    index: int  # position among the notebook's cells, counted from 1; 0 for a module that is one cell
    source: str


def _is_dropped(metadata: object) -> bool:
    if not isinstance(metadata, dict):
        return False
    nb = metadata.get("nbgrader")
    nb = nb if isinstance(nb, dict) else {}
    if nb.get("grade") is True and not nb.get("solution"):
        return True
    tags = metadata.get("tags")
    return isinstance(tags, list) and "checks" in tags


def _strip_magics(source: str) -> str:
    if source.lstrip().startswith("%%"):
        return ""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        # Keep the line count (tracebacks name student lines) but drop the magic itself.
        lines.append("" if stripped.startswith(("%", "!")) else line)
    return "\n".join(lines)


def _source_text(source: object) -> str | None:
    """A cell's source as nbformat allows it (a string or a list of strings), else None."""
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return "".join(source)
    return None


def _raw_cells(label: str, nb: object) -> list:
    """The notebook's cells: nbformat 4 keeps them in ``cells``, nbformat 3 in worksheets."""
    if not isinstance(nb, dict):
        raise UnreadableSubmission(f"{label} is not a notebook: its JSON is not an object with cells")
    if isinstance(nb.get("cells"), list):
        return nb["cells"]
    worksheets = nb.get("worksheets")
    if isinstance(worksheets, list):
        return [c for w in worksheets if isinstance(w, dict) and isinstance(w.get("cells"), list) for c in w["cells"]]
    raise UnreadableSubmission(f"{label} is not a notebook: it has no list of cells")


def _cells_of_notebook(label: str, data: bytes, notes: list[str]) -> list[Cell]:
    try:
        text = data.decode("utf-8-sig")  # a BOM is accepted, as Jupyter accepts it
        nb = json.loads(text)
    except UnicodeDecodeError as exc:
        raise UnreadableSubmission(f"{label} is not a notebook: byte {exc.start} is not UTF-8 text") from None
    except RecursionError:
        raise UnreadableSubmission(f"{label} is not a notebook: its JSON is nested too deeply to read") from None
    except ValueError as exc:
        where = f" (line {exc.lineno}, column {exc.colno}: {exc.msg})" if isinstance(exc, json.JSONDecodeError) else ""
        raise UnreadableSubmission(f"{label} is not valid JSON{where}; open it in Jupyter and save it again") from None
    cells, code_cells = [], 0
    for i, c in enumerate(_raw_cells(label, nb), start=1):
        code_cells += isinstance(c, dict) and c.get("cell_type") == "code"
        if not isinstance(c, dict) or c.get("cell_type") != "code" or _is_dropped(c.get("metadata")):
            continue
        src = _source_text(c["source"] if "source" in c else c.get("input", ""))
        if src is None:  # no first line to name it by: its rank among the code cells
            notes.append(f"code cell {code_cells}: its source is not text, so it was skipped")
            continue
        cells.append(Cell(i, _strip_magics(src)))
    return cells


def _decode_python(label: str, data: bytes) -> str:
    """The text of a module as Python reads it: a BOM or a PEP 263 cookie names the encoding."""
    advice = "save it as UTF-8, or declare its encoding in a '# -*- coding: ... -*-' first line"
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # not UTF-8 and no cookie, an unknown codec, a BOM contradicting a cookie
        why = "it is not UTF-8 and declares no encoding" if "missing" in str(exc.msg) else exc.msg
        raise UnreadableSubmission(f"{label} is not Python text ({why}): {advice}") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableSubmission(f"{label} is not Python text: byte {exc.start} is not {encoding}; {advice}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise UnreadableSubmission(f"{label} contains NUL bytes, which Python does not accept in source code")
    return text


def _cells_of_py(label: str, text: str, notes: list[str]) -> list[Cell]:
    if "# %%" not in text:
        return [Cell(0, text)]
    from graders.percent import read_percent  # jupytext's format, read leniently without jupytext

    return [Cell(i, _strip_magics(c.source)) for i, c in enumerate(read_percent(text), start=1)
            if c.cell_type == "code" and not _is_dropped(c.metadata)]


def cells_of(label: str, data: bytes, notes: list[str] | None = None) -> list[Cell]:
    """The cells to run from a file named ``label`` holding ``data``. Raises UnreadableSubmission
    with a sentence for the student; remarks about single cells go to ``notes``."""
    notes = [] if notes is None else notes
    if label.lower().endswith(".ipynb"):
        return _cells_of_notebook(label, data, notes)
    return _cells_of_py(label, _decode_python(label, data), notes)


def read_cells(file: Path) -> list[Cell]:
    """The cells of a trusted file (the reference, a test's own file); submissions are read once,
    safely, through :func:`graders.student.submission.read_submission`."""
    file = Path(file)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise UnreadableSubmission(f"cannot read {file.name}: {exc.strerror}") from None
    return cells_of(file.name, data)


def load_submission(name: str, path: Path) -> Submission:
    """The submission of ``name`` at ``path`` found, read once and parsed into ``cells``. Never
    raises: what could not be read or parsed is in its status and reason."""
    submission = read_submission(name, path)
    if submission.status in (MISSING, REFUSED) or submission.data is None:
        return submission
    try:
        submission.cells = cells_of(submission.file or name, submission.data, submission.notes)
    except UnreadableSubmission as exc:
        submission.refuse(str(exc))
    except Exception as exc:  # noqa: BLE001 - whatever the bytes hold, the student gets a sentence
        submission.refuse(f"{submission.file} could not be read as a notebook or Python text ({type(exc).__name__})")
    return submission
