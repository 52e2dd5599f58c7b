"""The command line as CI and TAs meet it: python -m graders grade / batch / check."""
import csv
import json
import os
import shutil
import subprocess
import sys

import pytest

from graders import ROOT

REFERENCE = ROOT / "reference" / "activations" / "activations.py"


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "graders", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_grade_writes_contract_json_and_exits_0(tmp_path):
    """Does `grade` write the contract's JSON fields and exit 0?"""
    out = tmp_path / "out.json"
    done = run("grade", "activations", REFERENCE, "--json", out, "--seed", 5)
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text())
    assert {"assignment", "student", "score", "max_score", "tests", "seed"} <= set(result)
    assert result["assignment"] == "activations" and result["seed"] == 5
    for t in result["tests"]:
        assert {"name", "score", "max_score", "status", "output"} <= set(t)
        assert t["status"] in {"passed", "failed", "error", "timeout"}


def test_grade_exits_0_for_a_zero_score(tmp_path):
    """Does a graded blank notebook still exit 0 (the score is in the JSON, not the exit code)?"""
    out = tmp_path / "out.json"
    done = run("grade", "activations", ROOT / "assignments" / "activations" / "activations.ipynb", "--json", out)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["score"] == 0


@pytest.mark.parametrize("args, says", [
    (["grade", "no_such", "x", "--json", "o.json"], "unknown assignment"),
    (["grade", "activations", "/no/such/path", "--json", "o.json"], "no such file or folder"),
    (["batch", "/no/such/class"], "no such file or folder"),
], ids=["unknown-assignment", "missing-submission", "missing-class"])
def test_misuse_exits_2_with_a_message(tmp_path, args, says):
    """Does misuse exit 2 and say what is wrong, writing nothing?"""
    done = run(*args, cwd=tmp_path)
    assert done.returncode == 2 and says in done.stderr
    assert not (tmp_path / "o.json").exists()


def test_batch_skips_unchanged_and_force_regrades(tmp_path):
    """Does a second batch keep unchanged results, regrade a changed file, and regrade all with --force?"""
    submitted = tmp_path / "submitted"
    for student in ("amy", "bob"):
        (submitted / student / "activations").mkdir(parents=True)
        shutil.copy(REFERENCE, submitted / student / "activations")
    out = tmp_path / "results"
    assert run("batch", submitted, "--out", out, "--quiet").returncode == 0
    amy, bob = out / "activations" / "amy.json", out / "activations" / "bob.json"
    first = {p: p.stat().st_mtime_ns for p in (amy, bob)}
    (submitted / "bob" / "activations" / "activations.py").write_text("def relu(x):\n    return x * (x > 0)\n")
    assert run("batch", submitted, "--out", out, "--quiet").returncode == 0
    assert amy.stat().st_mtime_ns == first[amy] and bob.stat().st_mtime_ns != first[bob]
    assert json.loads(bob.read_text())["score"] < json.loads(amy.read_text())["score"]
    assert run("batch", submitted, "--out", out, "--quiet", "--force").returncode == 0
    assert amy.stat().st_mtime_ns != first[amy]
    with (out / "summary.csv").open(newline="") as f:
        summary = list(csv.reader(f))
    assert summary[0][:3] == ["student", "assignment", "score"] and len(summary) == 3


def test_batch_prints_a_score_table(tmp_path):
    """Does a batch end with a table naming each student and their score?"""
    submitted = tmp_path / "submitted"
    (submitted / "cleo" / "activations").mkdir(parents=True)
    shutil.copy(REFERENCE, submitted / "cleo" / "activations")
    done = run("batch", submitted, "--out", tmp_path / "r")
    assert done.returncode == 0
    assert "cleo" in done.stdout and "activations" in done.stdout and "/" in done.stdout


def test_check_runs_public_checks_only(tmp_path):
    """Does `check` grade only public tests and exit 1 on a blank notebook, 0 on a correct one?"""
    blank = run("check", "activations", ROOT / "assignments" / "activations" / "activations.ipynb")
    good = run("check", "activations", REFERENCE)
    assert blank.returncode == 1 and "NotImplementedError" in blank.stdout
    assert good.returncode == 0, good.stdout


def test_check_says_how_many_points_wait_in_hidden_tests():
    """Does `check` end by saying the public points and how many more the hidden tests grade, adding
    up to the notebook's points (so full public marks never read as full marks)?"""
    from graders.engine.grade import max_points

    last = run("check", "activations", REFERENCE).stdout.strip().splitlines()[-1]
    public, hidden = last.split("public checks: ")[1].split(" points; ")
    got, top = (float(v) for v in public.split(" / "))
    more = float(hidden.split(" more points")[0])
    assert got == top > 0 and more > 0 and top + more == max_points("activations")


def test_check_and_grade_print_no_control_character(tmp_path):
    """Do `check` and `grade` keep a submission's terminal escapes (in its messages and its name) off the screen?"""
    folder = tmp_path / "esc\x1b[2Jname"
    folder.mkdir()
    (folder / "activations.py").write_text(
        "import numpy as np\n\ndef sigmoid(x):\n    raise ValueError('\\x1b[31mred\\x1b]0;title\\x07 \\u202eevil')\n")
    checked = run("check", "activations", folder / "activations.py")
    graded = run("grade", "activations", folder, "--json", tmp_path / "out.json")
    assert checked.returncode == 1 and graded.returncode == 0, graded.stderr
    assert "ValueError" in checked.stdout and "esc" in graded.stdout
    for out in (checked.stdout, graded.stdout):
        assert not any(c in out for c in "\x1b\x07\u202e"), out
