"""Results into real nbgrader: gradebook auto scores, manual grades kept, export, feedback, and
`nbgrader autograde` giving the notebook the same score as our isolated grader."""
from __future__ import annotations

import csv
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from graders import ROOT
from graders.collect import course_id, export, feedback, gradebook, nbgrader_ready

NASTY = "Relu.forward on <b>x</b> & y: returned \"<script>alert(1)</script>\""
RUBRIC = {"functions": 3.0, "sigmoid_layer": 3.0, "relu_layer": 3.0}  # assignments/activations' grade cells


def result(student: str, scores: dict[str, float], failing: str = "") -> dict:
    """A result as `python -m graders batch` writes it: one test per part, scoring ``scores[part]``."""
    tests = []
    for part, score in scores.items():
        passed = score == RUBRIC[part]
        tests.append({"name": f"{part}: test_{part}", "part": part, "public": part == "functions", "score": score,
                      "max_score": RUBRIC[part], "status": "passed" if passed else "failed",
                      "output": "" if passed else (failing or f"{part} is wrong")})
    return {"assignment": "activations", "student": student, "score": sum(scores.values()),
            "max_score": 9.0, "tests": tests}


def write_class(tmp: Path, results: dict[str, dict | str | None]) -> tuple[Path, Path]:
    """submitted/<student>/activations/ for every student; a result file unless it is None."""
    submitted, out = tmp / "submitted", tmp / "results"
    for student, res in results.items():
        (submitted / student / "activations").mkdir(parents=True, exist_ok=True)
        path = out / "activations" / f"{student}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        if res is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(res if isinstance(res, str) else json.dumps(res))
    return submitted, out


def grades(db_url: str, student: str) -> dict[str, tuple[float | None, float | None]]:
    """{grade cell: (auto_score, manual_score)} of the student's activations submission."""
    with Gradebook(db_url, course_id()) as gb:
        sub = gb.find_submission("activations", student)
        return {g.name: (g.auto_score, g.manual_score) for g in sub.notebooks[0].grades}


@pytest.fixture
def db_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook' / 'gradebook.db'}"
    nbgrader_ready(url)
    return url


FIRST = {
    "amy": result("amy", {"functions": 3, "sigmoid_layer": 3, "relu_layer": 3}),
    "bob": result("bob", {"functions": 2.5, "sigmoid_layer": 3}, failing=NASTY),  # no relu_layer tests
    "cat": None,  # submitted, not graded
    "dan": "{ not json",
}


def test_collect_writes_each_grade_cells_auto_score(tmp_path, db_url):
    """Does a fresh gradebook get every grade cell's auto score, 0 (with a reason) for what is missing?"""
    submitted, results = write_class(tmp_path, FIRST)
    problems = gradebook.main(results=results, submitted=submitted, db_url=db_url)
    assert grades(db_url, "amy") == {"functions": (3, None), "sigmoid_layer": (3, None), "relu_layer": (3, None)}
    assert grades(db_url, "bob") == {"functions": (2.5, None), "sigmoid_layer": (3, None), "relu_layer": (0, None)}
    assert grades(db_url, "cat") == {"functions": (0, None), "sigmoid_layer": (0, None), "relu_layer": (0, None)}
    assert grades(db_url, "dan") == grades(db_url, "cat")
    assert sorted(problems) == ["bob", "cat", "dan"]
    assert any("relu_layer" in p for p in problems["bob"])
    assert any("make grade" in p for p in problems["cat"])
    assert any("cannot be read" in p for p in problems["dan"])


def test_manual_score_survives_a_regrade(tmp_path, db_url):
    """Is a TA's manual score kept (and still counted) when the class is collected again with new results?"""
    submitted, results = write_class(tmp_path, FIRST)
    gradebook.main(results=results, submitted=submitted, db_url=db_url)
    with Gradebook(db_url, course_id()) as gb:
        grade = gb.find_grade("functions", "activations", "activations", "bob")
        grade.manual_score = 3.0
        gb.db.commit()
    write_class(tmp_path, {"bob": result("bob", {"functions": 1, "sigmoid_layer": 3, "relu_layer": 0.5})})
    gradebook.main(results=results, submitted=submitted, db_url=db_url)
    assert grades(db_url, "bob") == {"functions": (1, 3.0), "sigmoid_layer": (3, None), "relu_layer": (0.5, None)}
    with Gradebook(db_url, course_id()) as gb:
        assert gb.find_submission("activations", "bob").score == pytest.approx(3 + 3 + 0.5)
        assert gb.find_grade("functions", "activations", "activations", "bob").needs_manual_grade


def test_cli_fills_gradebook_exports_totals_and_writes_escaped_feedback(tmp_path, db_url):
    """Does `python -m graders.collect` export nbgrader's grades.csv with the right totals, and write a
    feedback page with the failing message, HTML-escaped, and public/hidden labels?"""
    submitted, results = write_class(tmp_path, FIRST)
    csv_path, pages = tmp_path / "out" / "grades.csv", tmp_path / "feedback"
    done = subprocess.run([sys.executable, "-m", "graders.collect", str(results), "--submitted", str(submitted),
                           "--gradebook", db_url, "--feedback", str(pages), "--export", str(csv_path)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = {r["student_id"]: r for r in csv.DictReader(csv_path.open()) if r["assignment"] == "activations"}
    assert {s: (float(r["score"]), float(r["max_score"])) for s, r in rows.items()} == {
        "amy": (9, 9), "bob": (5.5, 9), "cat": (0, 9), "dan": (0, 9)}
    page = (pages / "bob" / "activations" / "activations.html").read_text()
    assert "Relu.forward on &lt;b&gt;x&lt;/b&gt; &amp; y: returned &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in page
    assert "<script>" not in page and "<b>x</b>" not in page
    assert ">hidden<" in page and ">public<" in page
    assert "make grade" in (pages / "cat" / "activations" / "activations.html").read_text()


def _kernel_or_skip() -> None:
    pytest.importorskip("ipykernel", reason="nbgrader autograde needs ipykernel to run a kernel")
    from jupyter_client.kernelspec import find_kernel_specs

    if "python3" not in find_kernel_specs():
        pytest.skip("no python3 Jupyter kernel here for nbgrader autograde")


def _load_release():
    spec = importlib.util.spec_from_file_location("release", ROOT / "reference" / "release.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STUDENTS = ("ada_correct", "dee_buggy")  # the sample class: full marks, and a half point off relu_layer


def test_nbgrader_autograde_gives_our_scores(tmp_path):
    """Does real `nbgrader autograde` (hidden cells calling run_part in the kernel) score each grade cell
    of a filled-in notebook as `python -m graders grade` does?"""
    _kernel_or_skip()
    db = tmp_path / "gradebook.db"
    _load_release().release(["activations"], source_dir=tmp_path / "reference", release_dir=tmp_path / "assignments",
                            gradebook=db)
    for student in STUDENTS:
        folder = tmp_path / "submitted" / student / "activations"
        folder.mkdir(parents=True)
        shutil.copy(ROOT / "examples" / "submitted" / student / "activations" / "activations.ipynb", folder)
    env = dict(nbgrader_ready(f"sqlite:///{db}"), BACKPROP_GRADEBOOK=str(db),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "activations", f"--CourseDirectory.root={tmp_path}",
                           "--CourseDirectory.submitted_directory=submitted", "--log-level=WARN"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if "No such kernel" in done.stderr or "Kernel died" in done.stderr:
        pytest.skip(f"nbgrader autograde cannot run a kernel here: {done.stderr[-500:]}")
    assert done.returncode == 0, done.stderr[-3000:]
    for student in STUDENTS:
        out = tmp_path / f"{student}.json"
        graded = subprocess.run([sys.executable, "-m", "graders", "grade", "activations",
                                 tmp_path / "submitted" / student / "activations", "--json", out],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert graded.returncode == 0, graded.stderr
        ours = {}
        for t in json.loads(out.read_text())["tests"]:
            ours[t["part"]] = ours.get(t["part"], 0.0) + t["score"]
        theirs = {part: auto for part, (auto, _) in grades(f"sqlite:///{db}", student).items()}
        assert theirs == pytest.approx(ours), f"{student}: nbgrader autograde (left) and graders grade (right) differ"
    assert sum(grades(f"sqlite:///{db}", "dee_buggy")[p][0] for p in RUBRIC) == pytest.approx(8.5)


def test_make_grade_pipeline_from_notebooks_to_released_feedback(tmp_path):
    """Do three real notebooks (correct, blank, buggy) go through make grade's two steps into the
    gradebook per cell, grades.csv and feedback, keep a manual score through a forced regrade, and
    come back to students through `nbgrader release_feedback`?"""
    submitted, results, pages = tmp_path / "submitted", tmp_path / "results", tmp_path / "feedback"
    db = tmp_path / "gradebook.db"
    for student in ("ada_correct", "ben_blank", "dee_buggy"):
        folder = submitted / student / "activations"
        folder.mkdir(parents=True)
        shutil.copy(ROOT / "examples" / "submitted" / student / "activations" / "activations.ipynb", folder)
        # what nbgrader's submit + collect leave beside a notebook; release_feedback needs both
        (folder / "timestamp.txt").write_text("2026-11-24 10:00:00.000000 UTC")
        (folder / "submission_secret.txt").write_text(f"secret-of-{student}")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               BACKPROP_GRADEBOOK=str(db))

    def make_grade(*extra: str) -> None:  # the Makefile's grade recipe, with this test's folders
        for cmd in (["-m", "graders", "batch", str(submitted), "--out", str(results), "--quiet", *extra],
                    ["-m", "graders.collect", str(results), "--submitted", str(submitted),
                     "--gradebook", f"sqlite:///{db}", "--feedback", str(pages)]):
            done = subprocess.run([sys.executable, *cmd], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr[-2000:]

    make_grade()
    graded = {s: json.loads((results / "activations" / f"{s}.json").read_text()) for s in ("ada_correct", "ben_blank", "dee_buggy")}
    url = f"sqlite:///{db}"
    for student, res in graded.items():
        per_part: dict[str, float] = {}
        for t in res["tests"]:
            per_part[t["part"]] = per_part.get(t["part"], 0.0) + t["score"]
        assert {cell: auto for cell, (auto, _) in grades(url, student).items()} == pytest.approx(per_part)
    assert graded["ada_correct"]["score"] == 9 and graded["ben_blank"]["score"] == 0 and 0 < graded["dee_buggy"]["score"] < 9
    rows = {r["student_id"]: float(r["score"]) for r in csv.DictReader((results / "grades.csv").open())
            if r["assignment"] == "activations"}
    assert rows == {s: pytest.approx(r["score"]) for s, r in graded.items()}
    assert "changed its input" in (pages / "dee_buggy" / "activations" / "activations.html").read_text()

    with Gradebook(url, course_id()) as gb:
        gb.find_grade("relu_layer", "activations", "activations", "dee_buggy").manual_score = 3.0
        gb.db.commit()
    make_grade("--force")
    assert grades(url, "dee_buggy")["relu_layer"][1] == 3.0

    exchange = tmp_path / "exchange"
    exchange.mkdir()
    done = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "release_feedback", "activations",
                           f"--CourseDirectory.feedback_directory={pages}", f"--CourseDirectory.submitted_directory={submitted}",
                           f"--Exchange.root={exchange}"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    released = list((exchange / course_id() / "feedback").glob("*.html"))
    assert len(released) == 3 and all("<!DOCTYPE html>" in p.read_text() for p in released)
