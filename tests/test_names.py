"""Student ids are data: a class whose folder names are hostile is graded whole and written safely."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders import ASSIGNMENTS, ROOT
from graders.collect import nbgrader_ready
from graders.engine.batch import result_path, run_batch, table
from graders.names import csv_cell, file_stem, shown

REFERENCE = ROOT / "reference" / "activations" / "activations.py"
NAMES = [
    "long_" + "x" * 235,  # 240 bytes: today's ENAMETOOLONG
    "é" * 120,  # 240 bytes of unicode
    "ann lee", "-2+3", "+x", "=1+1", "@SUM(A1)", ".dotted", "-rf",
    "ada\nbob,0.0,9\nzed",  # a newline that would forge rows
    "esc\x1b[31mred\x1b[0m", "tab\there", "rtl\u202eevil",
]
NOT_UTF8 = os.fsdecode(b"caf\xe9 latin-1")  # a folder name whose bytes are not UTF-8
ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")


def test_file_stem_is_short_safe_and_distinct():
    """Is every id's file name short, free of separators and controls, and distinct from every other's?"""
    stems = [file_stem(n) for n in NAMES + ["ada", "Ada", "a" * 300]]
    assert len(set(stems)) == len(stems)
    for stem in stems:
        assert len(stem.encode()) + len(".json") < 200 and "/" not in stem and not ESCAPE.search(stem)
        assert not stem.startswith(("-", "."))
    assert file_stem("ada") == "ada" and file_stem("jo.smith") == "jo.smith"


def test_csv_cell_neutralises_formulas_and_keeps_numbers():
    """Does a formula-like cell get a leading quote, a control character go, and a number stay a number?"""
    assert [csv_cell(v) for v in ("=1+1", "+x", "-2+3", "@SUM(A1)", "\tx", "ada")] == \
        ["'=1+1", "'+x", "'-2+3", "'@SUM(A1)", "'\N{REPLACEMENT CHARACTER}x", "ada"]
    assert csv_cell(-2.5) == -2.5 and csv_cell(None) == "" and "\n" not in csv_cell("a\nb")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class of hostile names (each handing in the reference), plus a link to a student folder,
    graded and collected; returns (tmp, results, stdout of collect)."""
    tmp = tmp_path_factory.mktemp("names")
    submitted = tmp / "submitted"
    for name in NAMES + [NOT_UTF8]:
        (submitted / name / "activations").mkdir(parents=True)
        shutil.copy(REFERENCE, submitted / name / "activations")
    (submitted / "linked").symlink_to(submitted / "ann lee")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GRADERS_LOAD_TIMEOUT", "5")
        mp.setenv("GRADERS_CALL_TIMEOUT", "2")
        results = run_batch(submitted, tmp / "results", jobs=2, progress=False, assignments=["activations"])
    db = f"sqlite:///{tmp / 'gradebook.db'}"
    env = dict(nbgrader_ready(db))
    done = subprocess.run([sys.executable, "-m", "graders.collect", str(tmp / "results"), "--submitted", str(submitted),
                           "--gradebook", db, "--feedback", str(tmp / "feedback")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return tmp, results, done.stdout + done.stderr


def test_every_name_is_graded_and_keeps_its_id(graded):
    """Is every student graded to full marks, the real id inside a safely named result, the link skipped?"""
    tmp, results, _ = graded
    assert sorted(r["student"] for r in results) == sorted(NAMES + [NOT_UTF8])
    for r in results:
        assert r["score"] == r["max_score"] > 0, (r["student"], r.get("error"))
        on_disk = json.loads(result_path(tmp / "results", "activations", r["student"]).read_text())
        assert on_disk["student"] == r["student"]


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize("name", ["summary.csv", "grades.csv"])
def test_csv_has_one_quoted_neutral_row_per_student(graded, name):
    """Does each CSV hold exactly one line per student, every cell quoted, formulas neutralised?"""
    tmp, _, _ = graded
    path = tmp / "results" / name
    # summary.csv: one row per result; grades.csv (nbgrader's export): one per assignment and
    # gradebook student, which cannot hold a name that is not UTF-8
    expected = len(NAMES) + 2 if name == "summary.csv" else len(NAMES) * len(ASSIGNMENTS) + 1
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == expected  # no name forged or split a line
    assert all(line.startswith('"') and line.endswith('"') for line in lines)
    rows = [r for r in _rows(path) if r[0] in ("student", "assignment", "activations") or name == "summary.csv"]
    column = rows[0].index("student" if name == "summary.csv" else "student_id")
    extra = [csv_cell(NOT_UTF8)] if name == "summary.csv" else []
    assert sorted(r[column] for r in rows[1:]) == sorted([csv_cell(n) for n in NAMES] + extra)
    assert not any(r[column].startswith(("=", "+", "-", "@")) for r in rows[1:])
    score = rows[0].index("score")
    assert all(float(r[score]) == 9 for r in rows[1:])


def test_feedback_pages_hold_no_control_character(graded):
    """Has every student a feedback page in their own folder, with their name shown harmlessly?"""
    tmp, _, _ = graded
    for name in NAMES + [NOT_UTF8]:
        page = (tmp / "feedback" / name / "activations" / "activations.html").read_text(encoding="utf-8")
        assert not ESCAPE.search(page)
        assert "9 / 9" in page


def test_table_and_collect_output_hold_no_control_character(graded):
    """Do the score table and collect's messages reach the terminal without an escape or a newline in a name?"""
    _, results, printed = graded
    shown_table = table(results)
    assert not ESCAPE.search(shown_table) and not ESCAPE.search(printed)
    rows = [line for line in shown_table.splitlines() if not line.startswith("isolation: ")]
    assert len(rows) == len(NAMES) + 3
    assert shown("esc\x1b[31mred", 40) in shown_table
    assert "not valid UTF-8, which the gradebook cannot hold" in printed


def test_batch_names_a_skipped_link(tmp_path):
    """Is a student folder that is a link skipped with a message, not followed, and is progress in a pipe plain lines?"""
    submitted = tmp_path / "submitted"
    (submitted / "amy" / "activations").mkdir(parents=True)
    shutil.copy(REFERENCE, submitted / "amy" / "activations")
    (submitted / "mallory").symlink_to(submitted / "amy")
    done = subprocess.run([sys.executable, "-m", "graders", "batch", str(submitted), "--out", str(tmp_path / "r"),
                           "--assignment", "activations"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "skipped mallory: a link" in done.stderr
    assert "\r" not in done.stderr and "grading: 1/1 done" in done.stderr  # a pipe gets whole lines
    assert not (tmp_path / "r" / "activations" / "mallory.json").exists()
