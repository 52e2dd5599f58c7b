"""A grading process collects each suite once and runs it for every submission it grades
(graders.engine.suite): nothing of one submission may reach the next one's result."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graders import ROOT
from graders.engine import suite
from graders.engine.grade import grade

CATALOG = ROOT / "tests" / "submissions"
NAME = "activations"
CORRECT = CATALOG / NAME / "correct" / "book_style_naive_sigmoid"
BUGGY = CATALOG / NAME / "buggy" / "relu_backward_no_mask"
# Before the submission under test, the same process grades these: each leaves its mark on a run
# (a crash, a huge message, a patched numpy in its worker, objects that equal anything, failures).
BEFORE = [CATALOG / "hostile" / "sys_exit_in_method", CATALOG / "hostile" / "raises_100mb_message",
          CATALOG / "hostile" / "patches_numpy", CATALOG / "hostile" / "eq_always_true", BUGGY]
SEED = 7


def comparable(result: dict) -> dict:
    """A result without its timings, the one thing that may differ between two gradings."""
    kept = {k: v for k, v in result.items() if k != "duration_s"}
    kept["tests"] = [{k: v for k, v in t.items() if k != "duration_s"} for t in result["tests"]]
    return kept


def alone(folder: Path, tmp_path: Path) -> dict:
    """The result of ``folder`` graded by a fresh process that grades nothing else."""
    out = tmp_path / f"{folder.name}.json"
    subprocess.run([sys.executable, "-m", "graders", "grade", NAME, str(folder), "--json", str(out),
                    "--seed", str(SEED)], cwd=ROOT, check=True, capture_output=True)
    return json.loads(out.read_text())


@pytest.mark.parametrize("folder", [CORRECT, BUGGY], ids=["correct", "buggy"])
def test_a_submission_graded_after_hostile_and_buggy_ones_scores_as_graded_alone(folder, tmp_path):
    """Does a submission graded in a process that just graded hostile and buggy ones get exactly
    the result a fresh process gives it (scores, statuses, messages, mistakes)?"""
    for other in BEFORE:
        if other != folder:
            grade(NAME, other, seed=SEED)
    after = grade(NAME, folder, seed=SEED)
    expected = alone(folder, tmp_path)
    assert comparable(after) == comparable(expected)


def test_the_suite_is_collected_once_and_run_again():
    """Is the collected suite really reused (else the test above would prove nothing)?"""
    grade(NAME, BUGGY, seed=SEED)
    first = suite._suites[(NAME, None, False)]
    result = grade(NAME, CORRECT, seed=SEED)
    assert suite._suites[(NAME, None, False)] is first
    assert result["score"] == result["max_score"] > 0


def test_a_failed_test_passes_when_run_again_on_a_correct_submission():
    """Does a test that failed (message, status and mistake stashed on it) leave nothing for the
    same test's next run: passed, no message, no mistake?"""
    buggy = grade(NAME, BUGGY, seed=SEED)
    failed = {t["name"] for t in buggy["tests"] if t["status"] != "passed"}
    assert failed and any(t["mistake"] for t in buggy["tests"])
    correct = grade(NAME, CORRECT, seed=SEED)
    again = [t for t in correct["tests"] if t["name"] in failed]
    assert len(again) == len(failed)
    assert all(t["status"] == "passed" and t["output"] == "" and t["mistake"] is None for t in again)


def test_a_seed_and_a_budget_apply_to_their_run_only():
    """Do the seed and the per-test budget of one run stay out of the next one?"""
    dead = _DeadStudent()
    tight = suite.run_suite(NAME, dead, seed=SEED, test_budget_s=0.01)
    assert dead.budget == 0.01 and tight["score"] == 0
    config = suite._suites[(NAME, None, False)].config
    normal = grade(NAME, CORRECT, seed=SEED + 1)
    assert normal["seed"] == SEED + 1 and normal["score"] == normal["max_score"]
    assert config.getoption("--test-budget") == suite.TEST_BUDGET_S
    assert suite.STUDENT_KEY not in config.stash  # the student is handed over for its run only


def test_a_run_broken_off_leaves_nothing_to_the_next():
    """After a run that an interrupt broke off mid-suite (the student's fixture still set up),
    does the next submission get a fresh suite and exactly its own result?"""
    grade(NAME, CORRECT, seed=SEED)
    before = suite._suites[(NAME, None, False)]
    with pytest.raises(KeyboardInterrupt):
        suite.run_suite(NAME, _InterruptedStudent(), seed=SEED)
    assert (NAME, None, False) not in suite._suites
    buggy = grade(NAME, BUGGY, seed=SEED)
    assert suite._suites[(NAME, None, False)] is not before
    assert comparable(buggy) == comparable(grade(NAME, BUGGY, seed=SEED))
    assert buggy["score"] < buggy["max_score"]


class _InterruptedStudent:
    """A student whose first request is interrupted (Ctrl-C in a notebook's kernel)."""

    def begin_test(self, budget_s: float) -> None:
        pass

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        raise KeyboardInterrupt


class _DeadStudent:
    """A student whose every request fails at once (a submission that did not load)."""

    def begin_test(self, budget_s: float) -> None:
        self.budget = budget_s

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        from graders.student.errors import StudentCrashed

        raise StudentCrashed("did not load")
