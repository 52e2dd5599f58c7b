"""The class's results, counted: what the report's figures, tables and CSV files show.

Reads only result files (``results/<assignment>/<student>.json``), never the graders' code nor a
submission. Every string taken from a result is cleaned of control characters here, once, since
student names and messages are written by students; the page escapes them again for HTML.

A submission counts as *graded* when its file was found and graded, under its expected name or
another (``submission_status`` "ok" or "renamed"). Submissions that were missing, refused or could
not be graded are listed apart and stay out of the histogram, the pass rates and the mistake
counts, so a folder with nothing in it does not read as a class that failed every test.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from graders import ASSIGNMENTS
from graders.messages import _

GRADED = ("ok", "renamed")
NOT_GRADED = ("missing", "refused", "error")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_BINS = 20  # bars of a histogram before the bins widen past one point


def text(value: Any, limit: int = 2000) -> str:
    """A student-controlled value as printable text: control characters dropped, length capped."""
    cleaned = _CONTROL.sub("", str(value if value is not None else ""))
    return cleaned if len(cleaned) <= limit else cleaned[:limit] + " [...]"


def number(value: Any) -> float:
    try:
        got = float(value)
    except (TypeError, ValueError):
        return 0.0
    return got if math.isfinite(got) else 0.0


@dataclass
class Submission:
    assignment: str
    student: str
    status: str  # "ok" | "renamed" | "missing" | "refused" | "error"
    reason: str  # why it was not graded, or under which name it was found
    score: float
    max_score: float
    tests: list[dict[str, Any]]
    seed: Any
    isolation: str
    key: str = ""  # the student's name exactly as the result has it (the seed was derived from it)

    @property
    def graded(self) -> bool:
        return self.status in GRADED


def status_of(result: dict[str, Any]) -> tuple[str, str]:
    """(status, reason) of one result; older results without ``submission_status`` are read from
    their ``error`` and ``submission_sha256`` (None when no file of the expected name was found)."""
    status = text(result.get("submission_status") or "", 40)
    reason = text(result.get("submission_reason") or "")
    if status == "renamed":
        found = text(result.get("submission_file") or "", 300)
        return status, reason or (_("graded from {file}").format(file=found) if found
                                  else _("graded from a file of another name"))
    if status in NOT_GRADED:
        return status, reason or text(result.get("error") or "") or status
    if result.get("error") or result.get("max_score") is None:
        return "error", text(result.get("error") or _("the result has no score"))
    if not status and "submission_sha256" in result and result["submission_sha256"] is None:
        errors = [text(e, 500) for e in result.get("load_errors") or []]
        return "missing", errors[0] if errors else _("no file to grade")
    return "ok", ""


def read_result(result: dict[str, Any], fallback_student: str = "?") -> Submission:
    status, reason = status_of(result)
    tests = [t for t in result.get("tests") or [] if isinstance(t, dict)]
    return Submission(
        assignment=text(result.get("assignment"), 100),
        student=text(result.get("student") or fallback_student, 200),
        status=status, reason=reason,
        score=number(result.get("score")), max_score=number(result.get("max_score")),
        tests=tests, seed=result.get("seed") if isinstance(result.get("seed"), int) else None,
        isolation=text(result.get("isolation") or "unknown", 200),
        key=str(result.get("student") or fallback_student),
    )


def load(results: Path, assignments: Iterable[str] = ASSIGNMENTS) -> list[Submission]:
    """Every readable result under ``results``; unreadable files are skipped (collect reports them)."""
    found = []
    for name in assignments:
        for path in sorted((Path(results) / name).glob("*.json")):
            try:
                result = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(result, dict) and result.get("assignment") == name:
                found.append(read_result(result, path.stem))
    return found


def test_name(test: dict[str, Any]) -> str:
    name, part = text(test.get("name", "?"), 300), text(test.get("part", ""), 100)
    return name[len(part) + 2:] if part and name.startswith(f"{part}: ") else name


@dataclass
class Bin:
    low: float
    high: float  # a score s falls in the bin when low <= s < high; the full-marks bin has low == high
    students: int = 0

    @property
    def label(self) -> str:
        return f"{self.low:g}" if self.low == self.high else f"{self.low:g}-{self.high:g}"


def histogram(scores: list[float], top: float) -> list[Bin]:
    """Bins of one point (wider past MAX_BINS bars) from 0 to ``top``, then one bin for full marks."""
    width = max(1, math.ceil(top / MAX_BINS)) if top > 0 else 1
    edges = [float(e) for e in range(0, math.ceil(top), width)]
    bins = [Bin(low, min(low + width, top)) for low in edges] + [Bin(top, top)]
    for s in scores:
        for b in bins:
            if b.low <= s < b.high or b.low == b.high == s:
                b.students += 1
                break
    return bins


@dataclass
class Rate:
    part: str
    name: str  # the test's name, or "" for a whole part
    passed: int  # submissions that passed the test (or got full marks in the part)
    graded: int
    points: float = 0.0
    mean_score: float = 0.0

    @property
    def rate(self) -> float:
        return self.passed / self.graded if self.graded else 0.0


@dataclass
class MistakeCount:
    id: str
    hint: str
    students: list[str]
    failed_tests: int
    example: str  # one failed test's message naming this mistake
    example_student: str


@dataclass
class AssignmentReport:
    name: str
    submissions: list[Submission]
    class_size: int
    bins: list[Bin] = field(default_factory=list)
    parts: list[Rate] = field(default_factory=list)
    tests: list[Rate] = field(default_factory=list)
    mistakes: list[MistakeCount] = field(default_factory=list)
    undiagnosed_tests: int = 0
    undiagnosed_students: list[str] = field(default_factory=list)
    not_done_students: list[str] = field(default_factory=list)  # with a test failing on NotImplementedError
    not_done_tests: int = 0
    top: float = 0.0

    @property
    def graded(self) -> list[Submission]:
        return [s for s in self.submissions if s.graded]

    @property
    def not_graded(self) -> list[Submission]:
        return [s for s in self.submissions if not s.graded]

    @property
    def renamed(self) -> list[Submission]:
        return [s for s in self.submissions if s.status == "renamed"]

    @property
    def mean(self) -> float:
        graded = self.graded
        return sum(s.score for s in graded) / len(graded) if graded else 0.0


def _rates(graded: list[Submission]) -> tuple[list[Rate], list[Rate]]:
    parts: dict[str, Rate] = {}
    tests: dict[tuple[str, str], Rate] = {}
    for sub in graded:
        per_part: dict[str, list[float]] = {}
        for t in sub.tests:
            part = text(t.get("part", ""), 100)
            passed = t.get("status") == "passed"
            rate = tests.setdefault((part, test_name(t)), Rate(part, test_name(t), 0, 0, number(t.get("max_score"))))
            rate.graded += 1
            rate.passed += passed
            got = per_part.setdefault(part, [0.0, 0.0])
            got[0] += number(t.get("score"))
            got[1] += number(t.get("max_score"))
        for part, (score, points) in per_part.items():
            rate = parts.setdefault(part, Rate(part, "", 0, 0, points))
            rate.graded += 1
            rate.passed += score >= points
            rate.mean_score += score
    for rate in parts.values():
        rate.mean_score = rate.mean_score / rate.graded if rate.graded else 0.0
    return list(parts.values()), list(tests.values())


def _failed(test: dict[str, Any]) -> bool:
    return test.get("status") != "passed"


def not_done(test: dict[str, Any]) -> bool:
    """A failure on a stub the student never filled in: not a mistake, whatever its message guesses."""
    return "NotImplementedError" in str(test.get("output", ""))


def _mistakes(graded: list[Submission], hints: dict[str, str]) -> list[MistakeCount]:
    found: dict[str, MistakeCount] = {}
    for sub in sorted(graded, key=lambda s: s.student):
        for t in sub.tests:
            mistake = t.get("mistake")
            if not _failed(t) or not mistake or not_done(t):
                continue
            mistake = text(mistake, 200)
            entry = found.setdefault(mistake, MistakeCount(mistake, hints.get(mistake, ""), [], 0,
                                                          text(t.get("output", "")), sub.student))
            entry.failed_tests += 1
            if sub.student not in entry.students:
                entry.students.append(sub.student)
    return sorted(found.values(), key=lambda m: (-len(m.students), m.id))


def assignment_report(name: str, submissions: list[Submission], class_size: int,
                      hints: dict[str, str]) -> AssignmentReport:
    report = AssignmentReport(name, sorted(submissions, key=lambda s: s.student), class_size)
    graded = report.graded
    report.top = max((s.max_score for s in graded), default=0.0)
    report.bins = histogram([s.score for s in graded], report.top)
    report.parts, report.tests = _rates(graded)
    report.mistakes = _mistakes(graded, hints)
    for sub in graded:
        failed = [t for t in sub.tests if _failed(t)]
        undiagnosed = [t for t in failed if not t.get("mistake") and not not_done(t)]
        report.undiagnosed_tests += len(undiagnosed)
        if undiagnosed:
            report.undiagnosed_students.append(sub.student)
        report.not_done_tests += sum(not_done(t) for t in failed)
        if any(not_done(t) for t in failed):
            report.not_done_students.append(sub.student)
    return report


@dataclass
class ClassReport:
    students: list[str]
    assignments: list[AssignmentReport]
    isolation: Counter
    seeds: dict[tuple[str, str], Any]  # (student as in the result, assignment) -> that submission's seed

    def top_mistakes(self, count: int = 3) -> list[tuple[str, MistakeCount]]:
        """The ``count`` mistakes made by the most students, over every assignment."""
        every = [(a.name, m) for a in self.assignments for m in a.mistakes]
        return sorted(every, key=lambda am: (-len(am[1].students), am[1].id))[:count]


def build(submissions: list[Submission], hints: dict[str, str]) -> ClassReport:
    students = sorted({s.student for s in submissions})
    names = [a for a in ASSIGNMENTS if any(s.assignment == a for s in submissions)]
    names += sorted({s.assignment for s in submissions} - set(names))
    return ClassReport(
        students=students,
        assignments=[assignment_report(a, [s for s in submissions if s.assignment == a], len(students), hints)
                     for a in names],
        isolation=Counter(s.isolation for s in submissions if s.graded),
        seeds={(s.key, s.assignment): s.seed for s in submissions},
    )
