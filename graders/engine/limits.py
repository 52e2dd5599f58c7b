"""Bounds on everything a submission can make a result grow, applied once to every result.

A student controls exception messages, warnings, printed output and the names of what fails to
load; without bounds a 100 MB message becomes a 100 MB JSON and a 100 MB feedback page. Every
student-controlled string of a result is cut to a fixed length (saying how much was dropped) and
stripped of control characters, so nothing a student wrote can move a terminal's cursor or
colour a TA's screen; lists are cut to a fixed count.
"""
from __future__ import annotations

import re
from typing import Any

MESSAGE_CHARS = 2000  # one test's message: layer, case, symptom and likely mistake fit in 500
OUTPUT_CHARS = 8192  # what the submission printed, over the whole run
LINE_CHARS = 500  # one warning or one load error
MAX_WARNINGS = 10
MAX_LOAD_ERRORS = 10

# C0 and C1 control characters but tab and newline; ESC starts every terminal escape sequence.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: Any, limit: int) -> str:
    """``text`` as a string without control characters, cut to ``limit`` characters."""
    text = _CONTROL.sub("\N{REPLACEMENT CHARACTER}", str(text))
    if len(text) <= limit:
        return text
    return text[:limit] + f" [... {len(text) - limit} more characters dropped]"


def _lines(values: Any, count: int) -> list[str]:
    values = list(values or [])
    kept = [clean(v, LINE_CHARS) for v in values[:count]]
    if len(values) > count:
        kept.append(f"[... {len(values) - count} more not shown]")
    return kept


def bounded(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` with every student-controlled field bounded (changed in place and returned)."""
    for test in result.get("tests", []):
        test["output"] = clean(test.get("output", ""), MESSAGE_CHARS)
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
