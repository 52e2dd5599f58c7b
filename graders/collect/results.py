"""The class's results, one entry per submission in submitted/<student>/<assignment>/.

A submission with no result, an unreadable one, one that says it could not grade, or one whose
folder held nothing gradable (``submission_status`` "missing" or "refused") still gets an entry:
no parts, and a ``problem`` saying what is missing (the gradebook records 0, feedback says why).
The class is read as the batch read it (graders.layout) and each result found under the same
safe file name (graders.names); problems name a result by its place in the results folder, never
by an absolute path (they reach the student's page).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from graders import ASSIGNMENTS
from graders.layout import scan
from graders.names import file_stem
from graders.messages import _


@dataclass
class Collected:
    assignment: str
    student: str
    result: dict[str, Any] | None = None
    problem: str = ""
    parts: dict[str, tuple[float, float]] = field(default_factory=dict)  # part -> (score, max_score)


def submissions(submitted: Path, assignments: Iterable[str] = ASSIGNMENTS) -> list[tuple[str, str]]:
    """(student, assignment) for every submitted/<student>/<assignment>/ folder, sorted by student."""
    return [(student, name) for name, student, _ in scan(submitted, assignments).submissions]


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if number == number else 0.0  # NaN counts as 0


def sum_parts(result: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """{part: (score, max_score)} over the result's tests; tests without a part are left out."""
    parts: dict[str, tuple[float, float]] = {}
    for test in result.get("tests") or []:
        if not isinstance(test, dict) or not test.get("part"):
            continue
        score, top = parts.get(test["part"], (0.0, 0.0))
        parts[test["part"]] = (score + _number(test.get("score")), top + _number(test.get("max_score")))
    return parts


def read_one(results: Path, student: str, assignment: str) -> Collected:
    entry = Collected(assignment, student)
    shown_as = f"{assignment}/{file_stem(student)}.json"
    path = Path(results) / shown_as
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        entry.problem = _("no result for this submission ({file} is missing from the results): run `make grade`").format(
            file=shown_as)
        return entry
    except (OSError, ValueError) as exc:
        entry.problem = _("the result {file} cannot be read ({kind})").format(file=shown_as, kind=type(exc).__name__)
        return entry
    if not isinstance(result, dict) or result.get("assignment") != assignment:
        entry.problem = _("{file} is not a result of {assignment}").format(file=shown_as, assignment=assignment)
        return entry
    entry.result = result
    entry.parts = sum_parts(result)
    if result.get("error"):
        entry.problem = str(result["error"])
    elif result.get("submission_status") in ("missing", "refused"):
        entry.problem = str(result.get("submission_reason") or _("nothing gradable was submitted for {assignment}").format(assignment=assignment))
    elif not entry.parts:
        entry.problem = _("the result holds no graded tests")
    return entry


def collect(results: Path, submitted: Path, assignments: Iterable[str] = ASSIGNMENTS) -> list[Collected]:
    """Every submission of the class with its result (or what is wrong with it)."""
    return [read_one(results, student, name) for student, name in submissions(submitted, assignments)]
