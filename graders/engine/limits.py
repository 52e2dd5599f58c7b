"""Bounds on everything a submission can make a result grow, applied once to every result.

A student controls exception messages, warnings, printed output and the names of what fails to
load; without bounds a 100 MB message becomes a 100 MB JSON and a 100 MB feedback page. Every
student-controlled string of a result is cut to a fixed length (saying how much was dropped) and
stripped of control characters, so nothing a student wrote can move a terminal's cursor or
colour a TA's screen; lists are cut to a fixed count, and all the tests' messages together to a
fixed total. :func:`without_paths` replaces the grading machine's folders (the kit's root, the
class, the results, the home folder) by labels in the same texts, for the batch's results and
the feedback pages.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any, Iterable
from graders.messages import _

MESSAGE_CHARS = 2000  # one test's message: layer, case, symptom and likely mistake fit in 500
OUTPUT_CHARS = 8192  # what the submission printed, over the whole run
LINE_CHARS = 500  # one warning or one load error
NOTE_CHARS = 100  # "[... N more characters dropped]" after a cut
MAX_WARNINGS = 10
MAX_LOAD_ERRORS = 10
# All the tests' messages together: a suite has tens of tests, and the same 100 MB message raised
# by every one of them must still give a page a student can read (and a JSON a TA can open).
TOTAL_MESSAGE_CHARS = 24_000
SHORT_MESSAGE_CHARS = 300  # what each message keeps once the total is spent

# C0 and C1 control characters but tab and newline; ESC starts every terminal escape sequence.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: Any, limit: int) -> str:
    """``text`` as a string without control characters, cut to ``limit`` characters. A text at
    most NOTE_CHARS over the limit is kept whole: so is a text already cut (the note of a first
    cut survives a second one, and cleaning twice changes nothing)."""
    text = _CONTROL.sub("\N{REPLACEMENT CHARACTER}", str(text))
    if len(text) <= limit + NOTE_CHARS:
        return text
    return text[:limit] + " " + _("[... {count} more characters dropped]").format(count=len(text) - limit)


def _lines(values: Any, count: int) -> list[str]:
    values = list(values or [])
    kept = [clean(v, LINE_CHARS) for v in values[:count]]
    if len(values) > count:
        kept.append(_("[... {count} more not shown]").format(count=len(values) - count))
    return kept


def bounded(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` with every student-controlled field bounded (changed in place and returned)."""
    spent = 0
    for test in result.get("tests", []):
        limit = MESSAGE_CHARS if spent < TOTAL_MESSAGE_CHARS else SHORT_MESSAGE_CHARS
        test["output"] = clean(test.get("output", ""), limit)
        spent += len(test["output"])
    if "warnings" in result:
        result["warnings"] = _lines(result["warnings"], MAX_WARNINGS)
    if "load_errors" in result:
        result["load_errors"] = _lines(result["load_errors"], MAX_LOAD_ERRORS)
    if "output" in result:
        # Room for the note grade.capped adds; printed control characters are simply dropped.
        result["output"] = clean(result["output"], OUTPUT_CHARS + 200).replace("\N{REPLACEMENT CHARACTER}", "")
    if result.get("error"):
        result["error"] = clean(result["error"], MESSAGE_CHARS)
    return result


def known_roots(folders: dict[str, str | os.PathLike | None] | None = None) -> dict[str, str]:
    """{absolute path: label shown instead} for the kit's root, the home folder, Python's prefix
    and ``folders`` ({label: path}, e.g. {"<submissions>": submitted}); both the path as given and
    its real path (links resolved) are replaced."""
    from graders import ROOT

    named = {"<kit>": ROOT, "~": Path.home(), "<python>": sys.prefix, **(folders or {})}
    roots: dict[str, str] = {}
    for label, path in named.items():
        if path:
            for form in {os.path.abspath(path), os.path.realpath(path)}:
                if len(form) > 1:  # never "/" itself
                    roots[form] = label
    return roots


def scrub(text: str, roots: dict[str, str]) -> str:
    """``text`` with every known root replaced by its label, the longest (innermost) first."""
    for path in sorted(roots, key=len, reverse=True):
        text = text.replace(path, roots[path])
    return text


def _scrub_all(values: Iterable[Any], roots: dict[str, str]) -> list[str]:
    return [scrub(str(v), roots) for v in values]


def without_paths(result: dict[str, Any], roots: dict[str, str]) -> dict[str, Any]:
    """``result`` with the grading machine's folders (``roots``, see :func:`known_roots`) replaced
    in every text a student or a TA is shown: messages, load errors, warnings, output, error."""
    for test in result.get("tests") or []:
        if isinstance(test, dict) and isinstance(test.get("output"), str):
            test["output"] = scrub(test["output"], roots)
    for key in ("load_errors", "warnings"):
        if isinstance(result.get(key), list):
            result[key] = _scrub_all(result[key], roots)
    for key in ("output", "error", "submission_file", "submission_reason", "isolation"):
        if isinstance(result.get(key), str):
            result[key] = scrub(result[key], roots)
    return result
