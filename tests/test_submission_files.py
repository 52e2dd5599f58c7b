"""Which file of a submission folder is read, and how: once, never through a link, never waiting."""
from __future__ import annotations

import hashlib
import json
import os
import stat
import threading

import pytest

from graders import ROOT
from graders.engine.batch import Job, _up_to_date
from graders.engine.seal import key_for, sealed
from graders.engine.files import IsLink, Refused, TooLarge, read_untrusted
from graders.student.submission import MAX_SUBMISSION_BYTES, read_submission

REFERENCE = ROOT / "reference" / "activations" / "activations.py"


def within(seconds, call, *args, **kwargs):
    """``call(...)``'s return value, failing (not hanging) if it takes longer than ``seconds``."""
    box = {}

    def run():
        try:
            box["value"] = call(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test's thread
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"{call.__name__} blocked for over {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


@pytest.fixture
def folder(tmp_path):
    """submitted/<student>/activations, nbgrader's layout."""
    path = tmp_path / "submitted" / "eve" / "activations"
    path.mkdir(parents=True)
    return path


def test_regular_file_is_read_and_hashed_once(folder):
    """Is NAME.py read as its bytes, with their hash, and a status saying all is well?"""
    (folder / "activations.py").write_bytes(b"x = 1\n")
    sub = read_submission("activations", folder)
    assert (sub.file, sub.status, sub.reason, sub.data) == ("activations.py", "ok", "", b"x = 1\n")
    assert sub.sha256 == hashlib.sha256(b"x = 1\n").hexdigest()


@pytest.mark.parametrize("target", ["reference", "classmate"])
def test_symlinked_file_is_refused_not_followed(folder, target):
    """Is NAME.py linking to the reference or to a classmate's file refused, its target never read?"""
    mate = folder.parent.parent / "alice" / "activations"
    mate.mkdir(parents=True)
    (mate / "activations.py").write_text("from classmate import everything\n")
    os.symlink(REFERENCE if target == "reference" else mate / "activations.py", folder / "activations.py")
    sub = read_submission("activations", folder)
    assert (sub.status, sub.data, sub.file) == ("refused", None, "activations.py")
    assert sub.reason == "activations.py is a symbolic link, not a regular file; submit the file itself"


def test_assignment_folder_that_is_a_link_is_refused(folder):
    """Is submitted/<student>/NAME linking to a classmate's folder refused (batch passes such paths)?"""
    (folder / "activations.py").write_text("x = 1\n")
    (folder.parent.parent / "mallory").mkdir()
    os.symlink(folder, folder.parent.parent / "mallory" / "activations")
    sub = read_submission("activations", folder.parent.parent / "mallory" / "activations")
    assert (sub.status, sub.file, sub.data) == ("refused", None, None)
    assert "the folder activations is a symbolic link" in sub.reason


def test_folder_link_given_by_the_ta_outside_the_layout_is_followed(folder, tmp_path):
    """Is a linked folder the TA names directly (not submitted/<student>/NAME) still graded?"""
    (folder / "activations.py").write_text("x = 1\n")
    os.symlink(folder, tmp_path / "my_copy")
    assert read_submission("activations", tmp_path / "my_copy").status == "ok"


def test_fifo_is_refused_without_blocking(folder):
    """Does a FIFO named NAME.py get refused at once, not wait forever for a writer?"""
    os.mkfifo(folder / "activations.py")
    sub = within(10, read_submission, "activations", folder)
    assert (sub.status, sub.reason) == ("refused", "activations.py is a named pipe (FIFO), not a regular file")


def test_device_is_refused_without_reading():
    """Is a device (here /dev/zero, which never ends) refused instead of read?"""
    with pytest.raises(Refused, match="is a device"):
        within(10, read_untrusted, "/dev/zero", 100)


def test_oversized_file_is_refused_before_reading(folder):
    """Is a 50 MB notebook refused from its size alone, with a sentence saying how to fix it?"""
    with open(folder / "activations.ipynb", "wb") as f:
        f.truncate(50 * 2**20)  # sparse: the size is what is checked, before any byte is read
    sub = read_submission("activations", folder)
    assert sub.status == "refused" and sub.data is None
    assert sub.reason.startswith("activations.ipynb is 50.0 MB, over the 5.0 MB limit; clear the notebook's outputs")


def test_cap_is_exact(tmp_path):
    """Is a file of exactly the cap read, and one byte more refused?"""
    (tmp_path / "a").write_bytes(b"x" * 10)
    assert read_untrusted(tmp_path / "a", 10) == b"x" * 10
    with pytest.raises(TooLarge):
        read_untrusted(tmp_path / "a", 9)
    assert MAX_SUBMISSION_BYTES == 5 * 2**20


def test_link_given_directly_is_refused(tmp_path):
    """Is a submission file given as a path that is itself a link refused too?"""
    os.symlink(REFERENCE, tmp_path / "activations.py")
    with pytest.raises(IsLink):
        read_untrusted(tmp_path / "activations.py", 2**20)


@pytest.mark.parametrize("files, chosen, status", [
    (["softmax_loss (1).ipynb", "notes.txt"], "softmax_loss (1).ipynb", "renamed"),
    (["my_softmax.py", ".hidden.ipynb"], "my_softmax.py", "renamed"),
    (["a.ipynb", "helper.py"], "a.ipynb", "renamed"),
    (["softmax_loss.py", "other.ipynb"], "softmax_loss.py", "ok"),
    (["a.ipynb", "b.ipynb"], None, "missing"),
    (["notes.txt"], None, "missing"),
], ids=["browser_copy", "module", "notebook_first", "exact_wins", "two_notebooks", "no_code"])
def test_which_file_is_graded(tmp_path, files, chosen, status):
    """Is a lone differently named notebook (else module) graded, and a guess never made between two?"""
    for name in files:
        (tmp_path / name).write_text("{}")
    sub = read_submission("softmax_loss", tmp_path)
    assert (sub.file, sub.status) == (chosen, status)
    if status == "renamed":
        assert sub.reason == f"graded {chosen}: there was no softmax_loss{os.path.splitext(chosen)[1]}"


def test_missing_file_message_lists_names_not_paths(folder):
    """Does 'missing' name what the folder holds, by base name, never by the grading machine's path?"""
    (folder / "notes.txt").write_text("")
    (folder / "a\x1b[31mred.txt").write_text("")
    sub = read_submission("activations", folder)
    assert sub.status == "missing"
    assert sub.reason.startswith("no activations.ipynb or activations.py in the folder (found: ")
    assert "notes.txt" in sub.reason and "\x1b" not in sub.reason and str(folder.parent) not in sub.reason
    gone = read_submission("activations", folder / "nope")
    assert (gone.status, gone.reason) == ("missing", "no such file or folder: nope")


def test_up_to_date_hashes_safely(folder, tmp_path):
    """Does the batch's skip check read the file as grading does: a link is never up to date?"""
    (folder / "activations.py").write_text("x = 1\n")
    out = tmp_path / "result.json"
    job = Job("activations", "eve", folder, out, seed=7)
    sha = read_submission("activations", folder).sha256
    key = key_for(tmp_path)
    out.write_text(json.dumps(sealed({"submission_sha256": sha, "suite": "f", "seed": 7}, key)))
    assert _up_to_date(job, "f", key)
    (folder / "activations.py").unlink()
    os.symlink(REFERENCE, folder / "activations.py")
    assert not _up_to_date(job, "f", key)
    os.unlink(folder / "activations.py")
    os.mkfifo(folder / "activations.py")
    assert not within(10, _up_to_date, job, "f", key)


def test_a_forged_up_to_date_result_is_regraded(folder, tmp_path):
    """Is a result the batch did not write (no seal, or a seal made with another key) regraded,
    however well it matches the submission?"""
    (folder / "activations.py").write_text("x = 1\n")
    out = tmp_path / "result.json"
    job = Job("activations", "eve", folder, out, seed=7)
    forged = {"submission_sha256": read_submission("activations", folder).sha256, "suite": "f", "seed": 7,
              "score": 9.0}
    out.write_text(json.dumps(forged))
    assert not _up_to_date(job, "f", key_for(tmp_path))
    out.write_text(json.dumps(sealed(forged, os.urandom(32))))
    assert not _up_to_date(job, "f", key_for(tmp_path))


def test_device_in_the_folder_is_refused(folder):
    """Is a device node named NAME.py (here a copy of /dev/zero) refused without being opened?"""
    try:
        os.mknod(folder / "activations.py", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD (root); /dev/zero itself is tested above")
    sub = within(10, read_submission, "activations", folder)
    assert (sub.status, sub.reason) == ("refused", "activations.py is a device, not a regular file")


def test_grading_failure_is_a_result_without_paths(folder, monkeypatch):
    """If the grader suite itself fails, does grade() still return the contract's result, with the
    full point scale and a message holding no path of this machine?"""
    from graders.engine import grade as grading

    def broken_suite(*args, **kwargs):
        raise RuntimeError(f"pytest could not collect {ROOT}/graders/activations/test_x.py")

    monkeypatch.setattr(grading, "run_suite", broken_suite)
    (folder / "notes.txt").write_text("")
    result = grading.grade("activations", folder)
    assert (result["student"], result["score"], result["max_score"], result["tests"]) == ("eve", 0.0, 9.0, [])
    assert result["error"] == "no activations.ipynb or activations.py in the folder (found: notes.txt)"
    (folder / "activations.py").write_text("x = 1\n")
    monkeypatch.setattr(grading.RemoteStudent, "_boot", lambda self: None)
    result = grading.grade("activations", folder)
    assert result["error"] == "could not grade: RuntimeError: pytest could not collect test_x.py"
    assert result["submission_status"] == "ok" and str(ROOT) not in json.dumps(result)


@pytest.mark.parametrize("make", ["fifo", "deep", "junk"])
def test_cli_grade_exits_0_with_a_json_whatever_the_file(folder, tmp_path, make):
    """Does `python -m graders grade` exit 0 and write a JSON saying what was wrong, for a FIFO,
    a notebook nested past the JSON reader's depth, and binary junk?"""
    from graders.cli import main

    if make == "fifo":
        os.mkfifo(folder / "activations.py")
    elif make == "deep":
        (folder / "activations.ipynb").write_text('{"cells": [], "m": ' + "[" * 100_000 + "]" * 100_000 + "}")
    else:
        (folder / "activations.py").write_bytes(bytes(range(256)) * 4)
    out = tmp_path / "result.json"
    assert within(60, main, ["grade", "activations", str(folder), "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    assert (result["score"], result["max_score"], result["submission_status"]) == (0.0, 9.0, "refused")
    assert result["error"] == result["submission_reason"] and result["error"].startswith("activations.")
