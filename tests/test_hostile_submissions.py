"""Hostile and broken submissions, graded as a class by the real sandboxed engine.

Every case is a real file under tests/submissions/hostile/<case>/, named after what it does. The
control case, ``missing_classes``, implements only ``relu``: no attack may score more than it.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from graders import ROOT
from graders.engine.batch import run_batch
from graders.engine.grade import grade

HOSTILE = Path(__file__).parent / "submissions" / "hostile"
CONTROL = "missing_classes"

# case -> (how its score compares with the control's, text one of its messages must contain)
CASES = {
    "missing_classes": ("equal", "defines no 'Sigmoid'"),
    "syntax_error": ("equal", "SyntaxError at line 1"),
    "broken_notebook": ("zero", "not valid JSON"),
    "wrong_shape": ("at most", "shape"),
    "nan_output": ("at most", "nan"),
    "hang_in_forward": ("at most", "ran too long"),
    "hang_at_import": ("zero", "loading your code took over"),
    "exit_at_import": ("zero", "ended its process while loading"),
    "sys_exit_in_method": ("at most", "SystemExit"),
    "atexit_rewrites_json": ("equal", None),
    "ships_conftest": ("equal", None),
    "patches_numpy": ("equal", None),
    "eq_always_true": ("equal", None),
    "allocates_20gb": ("at most", "MemoryError"),
    "prints_50mb": ("equal", None),
    "reads_reference": ("equal", "could not read the reference"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The hostile class plus a correct student (the reference itself) and a blank one, graded
    in one batch with short time limits; returns {student: result}."""
    submitted = tmp_path_factory.mktemp("class") / "submitted"
    for case in CASES:
        shutil.copytree(HOSTILE / case, submitted / case / "activations")
    (submitted / "correct" / "activations").mkdir(parents=True)
    shutil.copy(ROOT / "reference" / "activations" / "activations.py", submitted / "correct" / "activations")
    (submitted / "blank" / "activations").mkdir(parents=True)
    shutil.copy(ROOT / "assignments" / "activations" / "activations.ipynb", submitted / "blank" / "activations")
    out = submitted.parent / "results"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GRADERS_LOAD_TIMEOUT", "2")
        mp.setenv("GRADERS_CALL_TIMEOUT", "0.5")
        run_batch(submitted, out, jobs=2, progress=False, assignments=["activations"])
    return {p.stem: json.loads(p.read_text()) for p in (out / "activations").glob("*.json")}


def messages(result: dict) -> str:
    return "\n".join([t["output"] for t in result["tests"]] + result.get("load_errors", []) + [result.get("error", "")])


def test_every_submission_got_a_recorded_result(graded):
    """Did the batch finish and record every student, hostile or not, with the full point scale?"""
    assert set(graded) == set(CASES) | {"correct", "blank"}
    full = graded["correct"]["max_score"]
    assert all(r["max_score"] == full for r in graded.values()), {s: r["max_score"] for s, r in graded.items()}


def test_correct_student_gets_full_marks_beside_hostile_ones(graded):
    """Does a correct submission keep full marks when graded beside every attack?"""
    r = graded["correct"]
    assert r["score"] == r["max_score"] > 0, messages(r)


def test_blank_student_gets_zero(graded):
    """Does the untouched released stub score zero, each test saying NotImplementedError?"""
    r = graded["blank"]
    assert r["score"] == 0
    assert all("NotImplementedError" in t["output"] for t in r["tests"]), messages(r)


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_case_earns_no_more_than_it_implements(graded, case):
    """Does each attack score no more than the honest relu-only control, with a clear message?"""
    if case == "reads_reference" and graded[case].get("isolation_level") in ("uid", "none"):
        pytest.skip("at the uid level other copies of the kit on this machine stay readable; only the grading "
                    "kit's own folders are hidden (tests/test_isolation.py aims at those)")
    how, text = CASES[case]
    score, control = graded[case]["score"], graded[CONTROL]["score"]
    assert 0 < control < graded["correct"]["max_score"]
    if how == "equal":
        assert score == control, messages(graded[case])
    elif how == "at most":
        assert score <= control, messages(graded[case])
    else:
        assert score == 0, messages(graded[case])
    if text:
        assert text.lower() in messages(graded[case]).lower()


def test_hang_is_reported_as_timeout(graded):
    """Is a hang in forward a 'timeout' status on the tests that call it, not a batch stop?"""
    statuses = {t["status"] for t in graded["hang_in_forward"]["tests"] if t["part"] == "sigmoid_layer"}
    assert "timeout" in statuses


def test_printing_is_capped(graded):
    """Is 50 MB of printing kept to a few kilobytes in the result?"""
    r = graded["prints_50mb"]
    assert len(json.dumps(r)) < 100_000
    assert "characters of output dropped" in r["output"]


def test_forged_files_do_not_change_results(graded):
    """Do the results on disk still say what the grader computed after the forging attempts?"""
    assert all(r.get("tests") for r in graded.values())
    assert all(r["score"] <= r["max_score"] for r in graded.values())


def test_correct_student_alone_scores_the_same(graded, tmp_path):
    """Is a student's result the same graded alone as graded beside hostile submissions?"""
    alone = grade("activations", ROOT / "reference" / "activations" / "activations.py",
                  seed=graded["correct"]["seed"], student_id="correct")
    strip = lambda r: [(t["name"], t["score"], t["status"]) for t in r["tests"]]  # noqa: E731
    assert strip(alone) == strip(graded["correct"])
