"""The report's numbers as CSV files, one per kind, each row one number the page shows.

    histogram.csv    assignment, low, high, students   (low <= score < high; low == high: full marks)
    parts.csv        assignment, part, full_marks, graded, pass_rate, mean_score, points
    tests.csv        assignment, part, test, passed, graded, pass_rate
    mistakes.csv     assignment, rank, mistake, students, failed_tests, hint, example, who (names joined by '; ')
    submissions.csv  assignment, student, status, score, max_score, reason, seed, isolation

Text cells that a spreadsheet would run as a formula (starting with = + - @) get a leading quote:
student names and messages are written by students.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from graders.report.data import ClassReport

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _rate(value: float) -> str:
    return f"{value:.4f}"


def rows(report: ClassReport) -> dict[str, list[list[object]]]:
    """{file name: rows, header first}."""
    out: dict[str, list[list[object]]] = {
        "histogram.csv": [["assignment", "low", "high", "students"]],
        "parts.csv": [["assignment", "part", "full_marks", "graded", "pass_rate", "mean_score", "points"]],
        "tests.csv": [["assignment", "part", "test", "passed", "graded", "pass_rate"]],
        "mistakes.csv": [["assignment", "rank", "mistake", "students", "failed_tests", "hint", "example", "who"]],
        "submissions.csv": [["assignment", "student", "status", "score", "max_score", "reason", "seed", "isolation"]],
    }
    for a in report.assignments:
        out["histogram.csv"] += [[a.name, f"{b.low:g}", f"{b.high:g}", b.students] for b in a.bins]
        out["parts.csv"] += [[a.name, p.part, p.passed, p.graded, _rate(p.rate), f"{p.mean_score:.4g}", f"{p.points:g}"]
                             for p in a.parts]
        out["tests.csv"] += [[a.name, t.part, t.name, t.passed, t.graded, _rate(t.rate)] for t in a.tests]
        out["mistakes.csv"] += [[a.name, rank, m.id, len(m.students), m.failed_tests, m.hint, m.example, "; ".join(m.students)]
                                for rank, m in enumerate(a.mistakes, start=1)]
        out["mistakes.csv"].append([a.name, "", "(undiagnosed)", len(a.undiagnosed_students), a.undiagnosed_tests,
                                    "failed tests whose message names no known mistake", "",
                                    "; ".join(a.undiagnosed_students)])
        out["mistakes.csv"].append([a.name, "", "(not attempted)", len(a.not_done_students), a.not_done_tests,
                                    "failed tests on code still raising NotImplementedError", "",
                                    "; ".join(a.not_done_students)])
        out["submissions.csv"] += [[a.name, s.student, s.status, f"{s.score:g}", f"{s.max_score:g}", s.reason,
                                    "" if s.seed is None else s.seed, s.isolation] for s in a.submissions]
    return out


def write(report: ClassReport, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in rows(report).items():
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([[_cell(v) for v in row] for row in table])
        path = folder / name
        path.write_text(buf.getvalue(), encoding="utf-8")
        written.append(path)
    return written
