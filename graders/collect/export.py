"""grades.csv: nbgrader's export, one row per student and assignment of the gradebook, written
safely.

nbgrader's own CsvExportPlugin joins the fields with commas and writes no quotes, so a student
id holding a comma or a newline shifts or forges rows, and one starting with = + - @ is a formula
to a spreadsheet; that cannot be repaired afterwards (the row boundaries are already lost). So the
same rows are read here through nbgrader's Gradebook API, with the plugin's rules (a missing
submission scores 0, the score is the raw score, a TA's manual scores included, less the late
penalty, never below 0), and written by a CSV writer: every cell quoted, text neutralised by
graders.names.csv_cell. :class:`SafeCsvExportPlugin` is the same writer as an nbgrader export
plugin: ``nbgrader export --exporter=graders.collect.export.SafeCsvExportPlugin``.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any, Iterator

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins.export import ExportPlugin

from graders.collect import course_id, default_db_url, nbgrader_ready
from graders.names import csv_cell

KEYS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
        "raw_score", "late_submission_penalty", "score", "max_score"]


def rows(gb: Gradebook, students: list[str] | None = None, assignments: list[str] | None = None) -> Iterator[list[Any]]:
    """nbgrader's export rows (KEYS order) for every assignment and student of the gradebook (or
    only those of ``students`` and ``assignments``, as nbgrader's --student and --assignment)."""
    for assignment in gb.assignments:
        if assignments and assignment.name not in assignments:
            continue
        for student in gb.students:
            if students and student.id not in students:
                continue
            row: dict[str, Any] = {"assignment": assignment.name, "duedate": assignment.duedate,
                                   "student_id": student.id, "last_name": student.last_name,
                                   "first_name": student.first_name, "email": student.email,
                                   "max_score": assignment.max_score}
            try:
                submission = gb.find_submission(assignment.name, student.id)
            except MissingEntry:
                row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0)
            else:
                penalty = submission.late_submission_penalty
                row.update(timestamp=submission.timestamp, raw_score=submission.score,
                           late_submission_penalty=penalty, score=max(0.0, submission.score - penalty))
            yield [row[k] if not hasattr(row[k], "isoformat") else str(row[k]) for k in KEYS]


def write(gb: Gradebook, to: Path, **only: list[str] | None) -> Path:
    """Write the gradebook's rows to ``to`` (atomically: a temporary file, then a rename)."""
    to = Path(to)
    to.parent.mkdir(parents=True, exist_ok=True)
    tmp = to.with_name(f".{to.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(KEYS)
        for row in rows(gb, **only):
            writer.writerow([csv_cell(v) for v in row])
    os.replace(tmp, to)
    return to


def main(*, to: Path, db_url: str | None = None) -> Path:
    """Export the gradebook at ``db_url`` (default: the course's) to the CSV file ``to``."""
    db_url = db_url or default_db_url()
    nbgrader_ready(db_url)
    with Gradebook(db_url, course_id()) as gb:
        return write(gb, Path(to).resolve())


class SafeCsvExportPlugin(ExportPlugin):
    """nbgrader's CSV export, quoted and neutralised (``--to`` as for nbgrader's; default grades.csv)."""

    def export(self, gradebook: Gradebook) -> None:
        write(gradebook, Path(self.to or "grades.csv"), students=[str(s) for s in self.student],
              assignments=[str(a) for a in self.assignment])
