"""What a batch writes and shows: bounded results and pages without the machine's paths, totals that
count missing work, summary.csv's reasons, a log-friendly progress line, and a clear stop on a
folder in no known layout."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders import ROOT
from graders.collect.feedback import render
from graders.collect.results import Collected, sum_parts
from graders.engine import batch
from graders.engine.limits import known_roots
from graders.engine.progress import LogLines
from graders.engine.summary import table, write_summary

HOSTILE = Path(__file__).parent / "submissions" / "hostile"
CASES = ["raises_100mb_message", "warns_10000_distinct", "leaks_paths"]
REFERENCE = ROOT / "reference" / "activations" / "activations.py"
LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The three cases graded in one batch; returns (submitted, results folder, {case: result})."""
    tmp = tmp_path_factory.mktemp("out")
    submitted = tmp / "submitted"
    for case in CASES + ["missing_classes"]:
        shutil.copytree(HOSTILE / case, submitted / case / "activations")
    # Twins with a short message: the size of what a submission raises must not change its score.
    (submitted / "short_message" / "activations").mkdir(parents=True)
    huge = (HOSTILE / "raises_100mb_message" / "activations.py").read_text()
    (submitted / "short_message" / "activations" / "activations.py").write_text(
        huge.replace('HUGE = "m" * (100 * 2**20)', 'HUGE = "m"'))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GRADERS_LOAD_TIMEOUT", "5")
        mp.setenv("GRADERS_CALL_TIMEOUT", "2")
        results = batch.run_batch(submitted, tmp / "results", jobs=2, progress=False, assignments=["activations"])
    return submitted, tmp / "results", {r["student"]: r for r in results}


def _page(submitted: Path, results: Path, result: dict) -> str:
    entry = Collected(result["assignment"], result["student"], result, parts=sum_parts(result))
    return render(entry, known_roots({"<submissions>": submitted, "<results>": results}))


@pytest.mark.parametrize("case", CASES)
def test_result_and_page_stay_small(hostile, case):
    """Do a 100 MB message and 10,000 distinct warnings give a result file and a page under 64 KB?"""
    submitted, results, graded = hostile
    on_disk = (results / "activations" / f"{case}.json").read_bytes()
    page = _page(submitted, results, graded[case])
    assert len(on_disk) < LIMIT and len(page.encode()) < LIMIT, (len(on_disk), len(page))
    # What the same code with a short message earns; for the others, what the relu-only control earns.
    twin = "short_message" if case == "raises_100mb_message" else "missing_classes"
    assert graded[case]["score"] == graded[twin]["score"]


def test_messages_survive_the_cut(hostile):
    """Is the student still told what was raised, and what was warned, after the cut?"""
    _, _, graded = hostile
    assert "ValueError: mmmm" in graded["raises_100mb_message"]["tests"][0]["output"]
    assert any("distinct warning number" in w for w in graded["warns_10000_distinct"]["warnings"])


def test_no_machine_path_or_command_line_in_result_or_page(hostile):
    """Does what the submission saw of the machine (kit root, class and results folders, home, the
    fork server's command line and hidden-folder list) stay out of its JSON and its page?"""
    submitted, results, graded = hostile
    leak = graded["leaks_paths"]
    texts = {"json": json.dumps(leak), "page": _page(submitted, results, leak)}
    assert "ValueError" in texts["page"]
    for where, text in texts.items():
        for secret in (str(ROOT), str(submitted.resolve()), str(results.resolve()), str(Path.home()) + "/",
                       "graders.student.zygote", '"<kit>/reference"'):
            assert secret not in text, (where, secret)


def _result(student, name, score, top, **fields):
    tests = [{"name": f"p: t{i}", "part": "p", "score": 0.0 if score < top else 1.0, "max_score": 1.0,
              "status": "failed" if score < top else "passed", "output": "wrong\nsecond line"} for i in range(int(top))]
    return {"assignment": name, "student": student, "score": score, "max_score": top, "tests": tests, **fields}


RESULTS = [
    _result("amy", "activations", 9, 9),  # no softmax_loss at all
    _result("amy\x1b[2J", "activations", 9, 9, submission_status="ok"),
    _result("bob", "activations", 9, 9), _result("bob", "softmax_loss", 10, 10),
    _result("cy", "activations", 0, 9, submission_status="missing", submission_file=None,
            submission_reason="no activations.ipynb or activations.py, and no other notebook or module"),
    _result("cy", "softmax_loss", 0, 10),
    _result("dee", "activations", 8, 9, over_budget=True), _result("dee", "softmax_loss", 7, 10, submission_status="renamed",
                                                  submission_file="softmax_loss (1).ipynb",
                                                  submission_reason="graded softmax_loss (1).ipynb"),
    {"assignment": "softmax_loss", "student": "eve", "score": 0.0, "max_score": None, "tests": [],
     "error": "could not grade: RuntimeError: boom"},
]


def test_table_counts_missing_work_as_zero_of_its_points():
    """Does every total count each assignment's points, missing ones as 0, with -, MISSING, ERROR and a
    footnote for a file graded under another name?"""
    shown = table(RESULTS)
    lines = {line.split()[0]: line for line in shown.splitlines()[2:] if line.strip() and not line.startswith("*")}
    assert lines["amy"].split()[-3:] == ["9", "/", "19"] and " - " in lines["amy"]
    assert lines["bob"].rstrip().endswith("19 / 19")
    assert "MISSING" in lines["cy"] and lines["cy"].rstrip().endswith("0 / 19")
    assert "7 / 10*" in lines["dee"] and lines["dee"].rstrip().endswith("15 / 19")
    assert "ERROR" in lines["eve"] and lines["eve"].rstrip().endswith("0 / 19")
    assert "* dee / softmax_loss: graded softmax_loss (1).ipynb" in shown
    assert "\x1b" not in shown


def test_summary_gives_file_status_and_a_reason_for_every_problem_zero(tmp_path):
    """Does summary.csv carry submission_file and status, and a non-empty reason for each 0 caused by a problem?"""
    write_summary(tmp_path / "summary.csv", RESULTS)
    rows = list(csv.DictReader((tmp_path / "summary.csv").open(newline="")))
    by = {(r["student"], r["assignment"]): r for r in rows}
    assert by[("cy", "activations")]["submission_status"] == "missing"
    assert "no activations.ipynb" in by[("cy", "activations")]["error"]
    assert by[("cy", "softmax_loss")]["error"].startswith("all 10 tests failed; first: wrong")
    assert by[("dee", "softmax_loss")]["submission_file"] == "softmax_loss (1).ipynb"
    assert "boom" in by[("eve", "softmax_loss")]["error"]
    assert "time budget" in by[("dee", "activations")]["error"]
    assert by[("bob", "activations")]["error"] == "" and float(by[("bob", "activations")]["score"]) == 9


def test_feedback_page_says_missing_and_renamed():
    """Does a page say MISSING with the reason, or name the file graded under another name?"""
    missing, renamed = RESULTS[4], RESULTS[7]
    entry = Collected("activations", "cy", missing, problem=missing["submission_reason"])
    page = render(entry)
    assert "Score: <b>MISSING</b>" in page and "no activations.ipynb" in page
    page = render(Collected("softmax_loss", "dee", renamed, parts=sum_parts(renamed)))
    assert "Graded from <code>softmax_loss (1).ipynb</code>" in page


def test_log_lines_every_interval_never_a_carriage_return():
    """Off a terminal, does progress come as whole lines (done / total, rate, time left), at most one per interval?"""
    now = [0.0]
    out = io.StringIO()
    log = LogLines(10, file=out, interval=5, clock=lambda: now[0])
    for _ in range(10):
        now[0] += 1.0
        log.update("amy\x1b[31m/activations")
    log.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and "\r" not in out.getvalue() and "\x1b" not in out.getvalue()
    assert lines[0].startswith("grading: 5/10 done, 1.0/s") and "about 5s left" in lines[0]
    assert lines[-1].startswith("grading: 10/10 done")


def test_a_failed_write_is_that_students_error(tmp_path, monkeypatch):
    """Does a result that cannot be written become that student's recorded error, the batch and summary going on?"""
    submitted = tmp_path / "submitted"
    for student in ("amy", "bob"):
        (submitted / student / "activations").mkdir(parents=True)
        shutil.copy(REFERENCE, submitted / student / "activations")
    real = batch.write_json_atomic

    def failing(path, data):
        if data["student"] == "bob":
            raise OSError(36, "File name too long")
        real(path, data)

    monkeypatch.setattr(batch, "write_json_atomic", failing)
    results = {r["student"]: r for r in batch.run_batch(submitted, tmp_path / "r", jobs=1, progress=False,
                                                          assignments=["activations"])}
    assert results["bob"]["error"] == "the result could not be written: File name too long"
    assert results["amy"]["score"] == 9 and "error" not in results["amy"]
    assert len((tmp_path / "r" / "summary.csv").read_text().splitlines()) == 3


def _batch(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graders", "batch", str(folder), "--out", str(folder.parent / "r")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("layout, says", [
    ({"activations.ipynb": "{}", "notes.txt": "x"}, "files directly inside"),
    ({"activations/amy/activations.py": "x", "softmax_loss/amy/softmax_loss.py": "x"}, "looks like <assignment>/<student>/"),
    ({"submitted/amy/activations/activations.py": "x"}, "There is a submitted/ folder here"),
    ({"amy/notes.txt": "x"}, "No student folder holds a folder named after an assignment"),
    ({}, "an empty folder"),
], ids=["files-inside", "assignment-first", "course-root", "no-assignment-folder", "empty"])
def test_unknown_layout_stops_with_what_was_expected_and_found(tmp_path, layout, says):
    """Does a SUBMISSIONS folder in no known layout exit 2, showing the layout expected and what is there?"""
    folder = tmp_path / "class"
    folder.mkdir()
    for name, text in layout.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    done = _batch(folder)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "expected: SUBMISSIONS/<student>/<assignment>/" in done.stderr and says in done.stderr
    for name in layout:
        assert name.split("/")[0] in done.stderr
    assert not (tmp_path / "r" / "summary.csv").exists()


def test_collect_stops_on_an_unknown_layout_too(tmp_path):
    """Does `python -m graders.collect` exit 2 with the expected layout for a folder holding no submission?"""
    (tmp_path / "class" / "activations").mkdir(parents=True)
    (tmp_path / "results").mkdir()
    done = subprocess.run([sys.executable, "-m", "graders.collect", str(tmp_path / "results"), "--submitted",
                           str(tmp_path / "class"), "--gradebook", f"sqlite:///{tmp_path / 'gb.db'}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "expected: SUBMISSIONS/<student>/<assignment>/" in done.stderr
    assert not (tmp_path / "gb.db").exists()
