"""Hostile submission *files*, graded as a class by the real engine, then collected.

Cases with content live in tests/submissions/hostile/<case>/, named after what they do; links,
FIFOs, a 50 MB file and a deeply nested notebook are made at test time (git holds no FIFO, and
links must point into this machine's class). The control is the lead's ``missing_classes``
(relu only); a correct module of our own must score full marks beside them all.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from graders import ROOT
from graders.collect.__main__ import main as collect_main
from graders.engine.batch import run_batch

HOSTILE = Path(__file__).parent / "submissions" / "hostile"
REFERENCE = ROOT / "reference" / "activations" / "activations.py"
CONTROL = "missing_classes"

# case -> (expected score: "full" | "zero" | "control", submission_status, text of the reason or error)
CASES = {
    "bom_module": ("full", "ok", ""),
    "latin1_coding_cookie": ("full", "ok", ""),
    "nbformat3_notebook": ("full", "ok", ""),
    "renamed_notebook": ("full", "renamed", "graded activations (1).ipynb: there was no activations.ipynb"),
    "py_marker_jupytext_rejects": ("full", "ok", ""),
    "notebook_odd_cells": ("control", "ok", ""),
    "notebook_cells_not_a_list": ("zero", "refused", "activations.ipynb is not a notebook: it has no list of cells"),
    "broken_notebook": ("zero", "refused", "activations.ipynb is not valid JSON"),
    "binary_junk": ("zero", "refused", "activations.py is not Python text"),
    "nul_bytes": ("zero", "refused", "activations.py contains NUL bytes"),
    "notebook_deeply_nested": ("zero", "refused", "nested too deeply"),
    "symlink_to_reference": ("zero", "refused", "activations.py is a symbolic link, not a regular file; submit the file itself"),
    "symlink_to_classmate": ("zero", "refused", "activations.py is a symbolic link, not a regular file; submit the file itself"),
    "folder_symlink": ("zero", "refused", "the folder activations is a symbolic link; submit the files themselves"),
    "fifo_named_module": ("zero", "refused", "activations.py is a named pipe (FIFO), not a regular file"),
    "file_50mb": ("zero", "refused", "activations.py is 50.0 MB, over the 5.0 MB limit"),
    "no_code_file": ("zero", "missing", "no activations.ipynb or activations.py in the folder (found: notes.txt)"),
}
TIMESTAMP_ATTACKS = ("timestamp_fifo", "timestamp_symlink", "timestamp_huge")


def correct_module() -> str:
    """The correct code of every case that must score full: the bom_module case without its BOM."""
    return (HOSTILE / "bom_module" / "activations.py").read_bytes().decode("utf-8-sig")


def build_class(submitted: Path) -> None:
    def folder(student: str) -> Path:
        path = submitted / student / "activations"
        path.mkdir(parents=True)
        return path

    for case in CASES:
        if (HOSTILE / case).is_dir():
            shutil.copytree(HOSTILE / case, submitted / case / "activations")
    shutil.copytree(HOSTILE / CONTROL, submitted / CONTROL / "activations")
    (folder("correct") / "activations.py").write_text(correct_module())
    os.symlink(REFERENCE, folder("symlink_to_reference") / "activations.py")
    os.symlink(submitted / "correct" / "activations" / "activations.py", folder("symlink_to_classmate") / "activations.py")
    (submitted / "folder_symlink").mkdir()
    os.symlink(submitted / "correct" / "activations", submitted / "folder_symlink" / "activations")
    os.mkfifo(folder("fifo_named_module") / "activations.py")
    with open(folder("file_50mb") / "activations.py", "w") as f:
        f.write(correct_module())
        f.truncate(50 * 2**20)  # correct code, then zeros (sparse): refused for its size alone
    (folder("notebook_deeply_nested") / "activations.ipynb").write_text(
        '{"cells": [], "metadata": ' + "[" * 100_000 + "]" * 100_000 + "}")
    (folder("no_code_file") / "notes.txt").write_text("I will submit tomorrow\n")
    for student in TIMESTAMP_ATTACKS:  # correct code; the attack is on collect's copying
        path = folder(student)
        (path / "activations.py").write_text(correct_module())
        for name in ("timestamp.txt", "submission_secret.txt"):
            if student == "timestamp_fifo":
                os.mkfifo(path / name)
            elif student == "timestamp_symlink":
                os.symlink(REFERENCE, path / name)
            else:
                with open(path / name, "wb") as f:
                    f.truncate(40 * 2**20)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class graded in one batch (short time limits), then collected; returns
    (results by student, collect's stdout+stderr, the feedback folder)."""
    root = tmp_path_factory.mktemp("hostile_files")
    submitted, out, feedback = root / "submitted", root / "results", root / "feedback"
    build_class(submitted)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GRADERS_LOAD_TIMEOUT", "5")
        mp.setenv("GRADERS_CALL_TIMEOUT", "1")
        run_batch(submitted, out, jobs=2, progress=False, assignments=["activations"])
    results = {p.stem: json.loads(p.read_text()) for p in (out / "activations").glob("*.json")}
    return results, root, feedback


def test_batch_records_every_student_with_the_full_scale(graded):
    """Did the batch finish and record every student, each on the full point scale?"""
    results, _, _ = graded
    assert set(results) == set(CASES) | {CONTROL, "correct", *TIMESTAMP_ATTACKS}
    assert {r["max_score"] for r in results.values()} == {results["correct"]["max_score"]}
    assert results["correct"]["score"] == results["correct"]["max_score"] > 0


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_file_is_graded_to_what_it_earned(graded, case):
    """Does each case score what its code earns (full, the control's, or 0 for what could not be
    read), with a status and a sentence saying what happened, and no path of this machine?"""
    results, root, _ = graded
    expected, status, reason = CASES[case]
    r = results[case]
    target = {"full": r["max_score"], "zero": 0.0, "control": results[CONTROL]["score"]}[expected]
    assert r["score"] == target, (r.get("error"), r.get("load_errors"))
    assert r["submission_status"] == status
    assert reason in r["submission_reason"]
    if status in ("missing", "refused"):
        assert r["error"] == r["submission_reason"]
        assert r["submission_sha256"] is None or status == "refused"  # refused after reading: the bytes' hash
        assert all(reason in t["output"] for t in r["tests"])
    else:
        assert not r.get("error") and r["submission_sha256"]
    assert str(root) not in json.dumps(r) and str(ROOT) not in json.dumps(r)


def test_submission_file_is_a_base_name(graded):
    """Is submission_file the graded file's base name, and null when nothing could be chosen?"""
    results, _, _ = graded
    assert results["renamed_notebook"]["submission_file"] == "activations (1).ipynb"
    assert results["bom_module"]["submission_file"] == "activations.py"
    assert results["folder_symlink"]["submission_file"] is None
    assert results["no_code_file"]["submission_file"] is None


def test_second_batch_skips_unchanged_and_regrades_refused(graded):
    """Does a second batch keep results of unchanged readable files, without blocking on the FIFO?"""
    results, root, _ = graded
    again = run_batch(root / "submitted", root / "results", jobs=2, progress=False, assignments=["activations"])
    kept = {r["student"]: r for r in again}
    assert kept["bom_module"]["duration_s"] == results["bom_module"]["duration_s"]  # the very same result
    assert kept["fifo_named_module"]["submission_status"] == "refused"


def test_collect_finishes_and_skips_hostile_nbgrader_files(graded, capsys):
    """Does collect finish with a FIFO, a link and a huge timestamp.txt, warning once per file
    and copying none of them (the link's target, the reference, never reaches feedback)?"""
    results, root, feedback = graded
    code = collect_main([str(root / "results"), "--submitted", str(root / "submitted"),
                         "--gradebook", f"sqlite:///{root / 'gradebook.db'}", "--feedback", str(feedback),
                         "--export", str(root / "grades.csv")])
    err = capsys.readouterr().err
    assert code == 0
    for student, what in [("timestamp_fifo", "named pipe"), ("timestamp_symlink", "symbolic link"),
                          ("timestamp_huge", "over the 4.0 KB limit")]:
        for name in ("timestamp.txt", "submission_secret.txt"):
            assert re.search(rf"^warning: {student}: {re.escape(name)} is .*{what}.*; not copied", err, re.M), err
            assert not (feedback / student / "activations" / name).exists()
        assert (feedback / student / "activations" / "activations.html").is_file()
    assert len(results) == len(list(feedback.glob("*/activations/activations.html")))
