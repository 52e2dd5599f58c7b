"""The bundled sample class: what `make grade` grades by default."""
from __future__ import annotations

import csv
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders import ASSIGNMENTS, ROOT
from graders.engine.batch import run_batch

SAMPLE = ROOT / "examples" / "submitted"


def load_maker():
    spec = importlib.util.spec_from_file_location("make_sample_class", ROOT / "examples" / "make_sample_class.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.ipynb"))}


def test_sample_class_is_what_the_maker_makes(tmp_path):
    """Is examples/submitted exactly what examples/make_sample_class.py makes from assignments/ and reference/?"""
    load_maker().main(["--out", str(tmp_path)])
    made, committed = files(tmp_path), files(SAMPLE)
    assert made, "the maker wrote nothing: are the released notebooks in assignments/?"
    stale = sorted(set(made) ^ set(committed)) + sorted(k for k in made.keys() & committed.keys() if made[k] != committed[k])
    assert not stale, f"examples/submitted is stale, run `python examples/make_sample_class.py`: {stale}"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    results = run_batch(SAMPLE, tmp_path_factory.mktemp("results"), jobs=0, progress=False)
    return {(r["student"], r["assignment"]): r for r in results}


def test_correct_student_gets_full_marks_and_blank_student_zero(graded):
    """Does ada_correct get full marks and ben_blank zero, in every assignment?"""
    for name in ASSIGNMENTS:
        if (SAMPLE / "ada_correct" / name).is_dir():
            ada, ben = graded[("ada_correct", name)], graded[("ben_blank", name)]
            assert ada["score"] == ada["max_score"] > 0, [t["output"] for t in ada["tests"] if t["status"] != "passed"]
            assert ben["score"] == 0 and all("NotImplementedError" in t["output"] for t in ben["tests"])


def test_buggy_students_land_in_between(graded):
    """Does each buggy student lose some points, but not all, in every assignment?"""
    maker = load_maker()
    for student, bugs in maker.BUGS.items():
        for name in bugs:
            result = graded[(student, name)]
            assert 0 < result["score"] < result["max_score"], (student, name, result["score"])


def _make_grade(cwd: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "grade", f"VENV={ROOT / '.venv'}",
                           "JOBS=2", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done


def _gradebook_students(db: Path) -> set[str]:
    from nbgrader.api import Gradebook

    from graders.collect import course_id

    with Gradebook(f"sqlite:///{db}", course_id()) as gb:
        return {s.id for s in gb.students}


def test_make_grade_keeps_the_sample_class_apart_from_a_course(tmp_path):
    """Does `make grade` put the sample class in sample/ (and say so), leave no sample student in a
    course's gradebook, grades.csv or feedback, and warn, naming them, when a gradebook holds them?"""
    kit = tmp_path / "kit"  # a working folder laid out as the kit's root: the Makefile's paths are relative
    for student in sorted(p.name for p in SAMPLE.iterdir()):
        shutil.copytree(SAMPLE / student / "activations", kit / "examples" / "submitted" / student / "activations")
    (kit / "requirements.txt").symlink_to(ROOT / "requirements.txt")
    course = tmp_path / "course"
    for student in ("zoe", "yan"):
        (course / student / "activations").mkdir(parents=True)
        shutil.copy(ROOT / "reference" / "activations" / "activations.py", course / student / "activations")
    env = dict(os.environ, BACKPROP_GRADEBOOK=str(kit / "gradebook" / "gradebook.db"), GRADERS_LOAD_TIMEOUT="5")
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"

    sample = _make_grade(kit, env)
    assert "grading the bundled sample class" in sample.stdout and "sample/gradebook.db" in sample.stdout
    sample_students = {p.name for p in (kit / "examples" / "submitted").iterdir()}
    assert _gradebook_students(kit / "sample" / "gradebook.db") == sample_students
    assert {p.name for p in (kit / "sample" / "feedback").iterdir()} == sample_students
    assert (kit / "sample" / "results" / "summary.csv").is_file()

    other = _make_grade(kit, env, f"SUBMISSIONS={course}")
    assert "sample class" not in other.stdout
    assert _gradebook_students(kit / "gradebook" / "gradebook.db") == {"zoe", "yan"}
    with (kit / "results" / "grades.csv").open(newline="") as f:
        assert {row["student_id"] for row in csv.DictReader(f)} == {"zoe", "yan"}
    assert {p.name for p in (kit / "feedback").iterdir()} == {"zoe", "yan"}

    mixed = subprocess.run([sys.executable, "-m", "graders.collect", str(kit / "results"), "--submitted", str(course),
                            "--gradebook", f"sqlite:///{kit / 'sample' / 'gradebook.db'}", "--feedback",
                            str(tmp_path / "fb")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert mixed.returncode == 0, mixed.stderr
    assert f"the gradebook also holds {len(sample_students)} student(s) who are not in" in mixed.stderr
    assert all(s in mixed.stderr for s in sample_students)
