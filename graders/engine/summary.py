"""What a batch shows: results/summary.csv and the score table on screen.

Totals mean one thing everywhere, as in nbgrader's grades.csv: an assignment a student has no
result for, or one that could not be graded, counts 0 of its points. The table marks such a cell
``-`` (nothing submitted), ``MISSING`` (a folder with nothing gradable), ``REFUSED`` (a file the
grader would not open) or ``ERROR``; a notebook graded under another name keeps its score, with
a ``*`` and a footnote naming the file graded. Names and messages are student data: control
characters never reach the terminal, and every CSV cell goes through graders.names.csv_cell.
"""
from __future__ import annotations

import csv
import io
import os
import unicodedata
from pathlib import Path
from typing import Any

from graders import ASSIGNMENTS
from graders.names import csv_cell, shown
from graders.messages import _

COLUMNS = ["student", "assignment", "score", "max_score", "failed_tests", "submission_file",
           "submission_status", "error"]
REASON_CHARS = 300  # summary.csv's error column: the reason, not the whole message
NAME_CHARS = 40  # a student's name in the table
MARKS = {"missing": "MISSING", "refused": "REFUSED"}


def reason(result: dict[str, Any]) -> str:
    """Why the score is what it is, when a problem explains it; never empty for a 0 caused by one."""
    for text in (result.get("error"), result.get("submission_reason") if result.get("submission_status") != "ok" else ""):
        if text:
            return str(text)
    if result.get("over_budget"):
        return _("over the time budget of a submission: the tests not reached scored 0")
    if result.get("max_score") and not result.get("score"):
        loads = result.get("load_errors") or []
        if loads:
            return _("while loading the code: {problem}").format(problem=loads[0])
        failing = [t for t in result.get("tests") or [] if t.get("status") != "passed"]
        if failing:
            first = (failing[0].get("output") or "").strip().splitlines() or [""]
            return _("all {count} tests failed; first: {message}").format(count=len(failing), message=first[0])
    return ""


def write_summary(path: Path, results: list[dict[str, Any]]) -> None:
    """summary.csv: one row per result, every cell quoted and neutralised (atomic write)."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in results:
        failed = sum(t.get("status") != "passed" for t in r.get("tests") or [])
        row = [r.get("student"), r.get("assignment"), r.get("score"), r.get("max_score"), failed,
               r.get("submission_file"), r.get("submission_status"), shown(reason(r), REASON_CHARS)]
        writer.writerow([csv_cell(v) for v in row])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    os.replace(tmp, path)


def _points(results: list[dict[str, Any]], name: str) -> float:
    """An assignment's points: the largest max_score any of its results reports."""
    return max((float(r["max_score"]) for r in results if r["assignment"] == name and r.get("max_score")), default=0.0)


def _cell(r: dict[str, Any] | None) -> tuple[str, float, bool]:
    """(text, points earned, renamed) of one table cell."""
    if r is None:
        return "-", 0.0, False
    status = r.get("submission_status")
    if status in MARKS:
        return MARKS[status], 0.0, False
    if r.get("max_score") is None:
        return "ERROR", 0.0, False
    renamed = status == "renamed"
    return f"{r['score']:g} / {r['max_score']:g}" + ("*" if renamed else ""), float(r["score"]), renamed


def table(results: list[dict[str, Any]]) -> str:
    """A score table: one row per student, one column per assignment, the total over every
    column (a missing assignment counts 0 of its points), then a footnote per renamed file."""
    names = [a for a in ASSIGNMENTS if any(r["assignment"] == a for r in results)]
    points = {n: _points(results, n) for n in names}
    students = sorted({r["student"] for r in results})
    cell = {(r["student"], r["assignment"]): r for r in results}
    label = {s: shown(s, NAME_CHARS) for s in students}
    student, total = _("student"), _("total")
    width = max([_width(student)] + [_width(v) for v in label.values()])
    columns = {n: max(len(n), 11) for n in names}
    head = _pad(student, width) + "  " + "  ".join(f"{n:>{columns[n]}}" for n in names) + "  " + _pad(total, 13, right=True)
    lines, notes = [head, "-" * _width(head)], []
    for s in students:
        row, got = [], 0.0
        for n in names:
            text, earned, renamed = _cell(cell.get((s, n)))
            got += earned
            if renamed:
                notes.append("* " + _("{student} / {assignment}: graded {file}").format(
                    student=label[s], assignment=n, file=shown(cell[(s, n)].get("submission_file") or "?", 80)))
            row.append(f"{text:>{columns[n]}}")
        lines.append(_pad(label[s], width) + "  " + "  ".join(row) + f"  {f'{got:g} / {sum(points.values()):g}':>13}")
    if notes:
        lines += ["", "* " + _("graded from a file of another name:"), *notes]
    return "\n".join(lines + isolation_lines(results))


def isolation_lines(results: list[dict[str, Any]]) -> list[str]:
    """One line per isolation level the results were graded at ('isolation: userns, ...')."""
    levels: dict[str, str] = {}
    for r in results:
        if r.get("isolation_level"):
            levels.setdefault(str(r["isolation_level"]), str(r.get("isolation", "")))
    return [_("isolation: {level}: {text}").format(level=level, text=text) for level, text in levels.items()]


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide characters (Korean) take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill
