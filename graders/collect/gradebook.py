"""The results into nbgrader's gradebook: each grade cell's auto_score, as `nbgrader autograde` would.

The rubric is the released notebooks' grade cells (assignments/NAME/NAME.ipynb: grade_id and
points). Assignments, notebooks and grade cells are created when missing (a fresh gradebook;
`make release` fills the same entries, plus the hidden tests `nbgrader autograde` needs), then
students and their submissions. A grade cell's auto_score is the sum of its part's test scores,
clamped to [0, points]; a missing part scores 0. manual_score is never written: a TA's manual grade
survives every regrade (and, as in nbgrader, such a grade stays flagged for review).
Each student is written in one transaction (the student, their submissions and scores), and the
course's entries in another: nbgrader's Gradebook commits after every entry it adds, and each commit
waits for the disk (10 to 20 ms), about six per student; inside these transactions its commits
only flush, and one commit ends each. A failure leaves that student as they were.
"""
from __future__ import annotations

import contextlib
import json
import warnings
from collections import defaultdict
from pathlib import Path

from nbgrader.api import Grade, Gradebook, GradeCell, MissingEntry
from sqlalchemy.exc import SAWarning

from graders import ASSIGNMENTS, ROOT
from graders.collect import course_id, default_db_url, nbgrader_ready
from graders.collect.results import Collected, collect
from graders.engine.files import Refused, read_untrusted
from graders.messages import _


def rubric(name: str, release_dir: Path) -> dict[str, float]:
    """{grade_id: points} of the grade cells of assignments/NAME/NAME.ipynb ({} if not released)."""
    path = Path(release_dir) / name / f"{name}.ipynb"
    if not path.is_file():
        return {}
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = {}
    for cell in cells:
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if meta.get("grade"):
            found[meta["grade_id"]] = float(meta.get("points", 0))
    return found


@contextlib.contextmanager
def one_transaction(gb: Gradebook):
    """Everything ``gb`` writes in this block, committed once at its end, or rolled back entirely
    when it raises (nbgrader's own commits inside it only flush, so its checks still run)."""
    session = gb.db()  # the scoped session's Session: nbgrader calls gb.db.commit() on it
    session.commit = session.flush  # type: ignore[method-assign]
    try:
        yield
    except BaseException:
        del session.commit
        session.rollback()
        raise
    del session.commit
    session.commit()


def ensure_course(gb: Gradebook, rubrics: dict[str, dict[str, float]]) -> None:
    """Every assignment; for each released one, its notebook and grade cells with their points."""
    for name in ASSIGNMENTS:
        gb.update_or_create_assignment(name)
        if rubrics.get(name):
            gb.update_or_create_notebook(name, name)
        for grade_id, points in rubrics.get(name, {}).items():
            gb.update_or_create_grade_cell(grade_id, name, name, max_score=points, cell_type="code")


def _timestamp(submitted: Path, student: str, name: str) -> str | None:
    """nbgrader's submitted/<student>/<assignment>/timestamp.txt, when the class has one."""
    path = Path(submitted) / student / name / "timestamp.txt"
    try:  # the student's folder: never through a link, never waiting on a FIFO, never a huge file
        return read_untrusted(path, 4096).decode("utf-8").strip() or None
    except (OSError, Refused, ValueError):
        return None


def _grades(gb: Gradebook, entry: Collected) -> dict[str, Grade]:
    """{grade cell name: Grade} of one submitted notebook, in one query (find_grade makes one per cell)."""
    try:
        notebook = gb.find_submission_notebook(entry.assignment, entry.assignment, entry.student)
    except MissingEntry:
        return {}
    found = gb.db.query(GradeCell.name, Grade).join(GradeCell, GradeCell.id == Grade.cell_id)\
        .filter(Grade.notebook_id == notebook.id)
    return dict(found.all())


def _record(gb: Gradebook, entry: Collected, points: dict[str, float]) -> list[str]:
    """Set the auto_score of every grade cell of one submission (no commit); the problems met."""
    problems = [entry.problem] if entry.problem else []
    grades = _grades(gb, entry)
    for grade_id, top in points.items():
        grade = grades.get(grade_id)
        if grade is None:
            problems.append(_("the gradebook has no grade for {cell} (the submission predates the cell)").format(cell=grade_id))
            continue
        if grade_id in entry.parts:
            score, graded_top = entry.parts[grade_id]
            if abs(graded_top - top) > 1e-9:
                problems.append(_("part {part}: the grader's {graded} points differ from the cell's {points}").format(
                    part=grade_id, graded=f"{graded_top:g}", points=f"{top:g}"))
        else:
            score = 0.0
            if entry.result is not None and not entry.problem:
                problems.append(_("part {part}: no test result, scored 0").format(part=grade_id))
        grade.auto_score = round(min(max(score, 0.0), top), 6)
        # As nbgrader's SaveAutoGrades: a grade with a manual score stays flagged for review.
        grade.needs_manual_grade = grade.manual_score is not None
    return problems


def _one_student(gb: Gradebook, student: str, entries: list[Collected], submitted: Path,
                 rubrics: dict[str, dict[str, float]]) -> list[str]:
    problems = []
    with one_transaction(gb):
        gb.update_or_create_student(student)
        for entry in entries:
            if not rubrics.get(entry.assignment):
                problems.append(_("{assignment} is not released (no {notebook}): not in the gradebook").format(
                    assignment=entry.assignment, notebook=f"assignments/{entry.assignment}/{entry.assignment}.ipynb"))
                continue
            stamp = _timestamp(submitted, student, entry.assignment)
            with warnings.catch_warnings():
                # nbgrader's add_submission builds objects SQLAlchemy 2 autoflushes before they are in
                # the session; it warns ("not in session") and the submission is made all the same.
                warnings.filterwarnings("ignore", "Object of type", SAWarning)
                gb.update_or_create_submission(entry.assignment, student, **({"timestamp": stamp} if stamp else {}))
        for entry in entries:
            if rubrics.get(entry.assignment):
                problems += [f"{entry.assignment}: {p}" for p in _record(gb, entry, rubrics[entry.assignment])]
    return problems


def main(*, results: Path, submitted: Path, db_url: str | None = None,
         release_dir: Path = ROOT / "assignments") -> dict[str, list[str]]:
    """Fill the gradebook at ``db_url`` (default: the course's) from ``results``; returns
    {student: problems} for every student whose submissions had any."""
    db_url = db_url or default_db_url()
    nbgrader_ready(db_url)
    rubrics = {name: rubric(name, release_dir) for name in ASSIGNMENTS}
    by_student: dict[str, list[Collected]] = defaultdict(list)
    for entry in collect(results, submitted):
        by_student[entry.student].append(entry)
    report: dict[str, list[str]] = {}
    with Gradebook(db_url, course_id()) as gb:
        with one_transaction(gb):
            ensure_course(gb, rubrics)
        for student, entries in by_student.items():
            try:
                problems = _one_student(gb, student, entries, submitted, rubrics)
            except UnicodeEncodeError:  # the folder's name holds bytes that are not UTF-8
                gb.db.rollback()
                problems = [_("not recorded: the folder's name is not valid UTF-8, which the gradebook cannot "
                              "hold (the result and feedback are written; rename the folder to record it)")]
            except Exception as exc:  # noqa: BLE001 - one student's failure must not stop the class
                problems = [_("not recorded, the gradebook refused it: {kind}: {reason}").format(
                    kind=type(exc).__name__, reason=exc)]
            if problems:
                report[student] = problems
    return report


def outsiders(*, submitted: Path, db_url: str | None = None) -> list[str]:
    """Students of the gradebook at ``db_url`` with no folder in the class ``submitted``: another
    class's (the sample class's, say), or added by hand. They stay in grades.csv: a TA decides."""
    from graders.collect.results import submissions

    db_url = db_url or default_db_url()
    nbgrader_ready(db_url)
    in_class = {student for student, _ in submissions(submitted)}
    with Gradebook(db_url, course_id()) as gb:
        return sorted(s.id for s in gb.students if s.id not in in_class)
