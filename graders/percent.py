"""jupytext's percent format (``# %%`` cells) read without jupytext, for the grading path.

jupytext pulls in nbformat, jsonschema, yaml and markdown-it: about 2 s of imports per cold grade,
and none of it is in the slim install. Grading only needs each cell's type, its metadata (the
nbgrader and tags keys decide what is dropped) and its source, which this reads from the text:

    # %% [markdown] nbgrader={"grade": false, ...} tags=["checks"]

A marker line is ``# %%`` (or ``#%%``), an optional ``[markdown]`` / ``[md]`` / ``[raw]``, then an
optional title and ``key=<JSON>`` pairs. A leading ``# ---`` ... ``# ---`` block is jupytext's
header, not a cell. Text before the first marker is a code cell, as in jupytext. Metadata that is
not valid JSON is ignored (the cell keeps its source): the text is the student's, so nothing here
raises on it. Commented magics (``# %time``) stay comments, which runs the same as dropping them.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

_MARKER = re.compile(r"^#\s?%%(?!%)(.*)$")
_TYPE = re.compile(r"^\s*\[(markdown|md|raw)\]")
_KEY = re.compile(r"(?:^|\s)([A-Za-z_][\w.-]*)=")


@dataclass
class PercentCell:
    cell_type: str  # "code", "markdown" or "raw"
    source: str
    metadata: dict = field(default_factory=dict)


def _metadata(options: str) -> dict:
    """``key=<JSON>`` pairs of a marker line; anything unreadable is left out."""
    found: dict = {}
    decoder = json.JSONDecoder()
    at = 0
    while True:
        key = _KEY.search(options, at)
        if key is None:
            return found
        try:
            value, at = decoder.raw_decode(options, key.end())
        except ValueError:
            at = key.end()
            continue
        found[key.group(1)] = value


def _cell(kind: str, options: str, lines: list[str]) -> PercentCell:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return PercentCell(kind, "\n".join(lines), _metadata(options))


def _skip_header(lines: list[str]) -> list[str]:
    if lines and lines[0].rstrip() == "# ---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() == "# ---":
                return lines[i + 1:]
    return lines


def read_percent(text: str) -> list[PercentCell]:
    """The cells of a percent-format script, in order (markdown and raw cells included)."""
    cells: list[PercentCell] = []
    kind, options, body = "code", "", []
    started = False
    for line in _skip_header(text.splitlines()):
        marker = _MARKER.match(line)
        if marker is None:
            body.append(line)
            continue
        if started or any(b.strip() for b in body):
            cells.append(_cell(kind, options, body))
        started = True
        rest = marker.group(1)
        typed = _TYPE.match(rest)
        kind = "markdown" if typed and typed.group(1) in ("markdown", "md") else typed.group(1) if typed else "code"
        options = rest[typed.end():] if typed else rest
        body = []
    if started or any(b.strip() for b in body):
        cells.append(_cell(kind, options, body))
    return cells
