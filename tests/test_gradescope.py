"""The Gradescope autograder as Gradescope runs it: the zip unpacked into a folder laid out as
/autograder (AUTOGRADER_ROOT), setup.sh into a fresh Python 3.10 venv, run_autograder per
submission, every results.json checked against Gradescope's specification."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import slim_env

from graders import ROOT
from graders.gradescope.build import build_zip
from graders.gradescope.results import to_gradescope
from graders.gradescope.run import seed_for

jsonschema = pytest.importorskip("jsonschema", reason="results.json is validated with jsonschema (requirements-dev.txt)")

SCHEMA = json.loads((Path(__file__).parent / "gradescope_results.schema.json").read_text())
NAME = "activations"
CATALOG = ROOT / "tests" / "submissions" / NAME
SUBMISSION_ID = 424242
HOSTILE = """
import glob, os, numpy as np
ROOT = {root!r}
def relu(x):
    return np.maximum(0, x)
_found = {{}}
for path in glob.glob(ROOT + "/venv/lib/python*/site-packages/graders/_reference/activations/activations.py"):
    exec(open(path).read(), _found)
sigmoid = _found.get("sigmoid")
try:
    os.makedirs(ROOT + "/results", exist_ok=True)
    open(ROOT + "/results/results.json", "w").write('{{"score": 1000, "tests": []}}')
except OSError:
    pass
"""


def valid(results: dict) -> dict:
    jsonschema.validate(results, SCHEMA)
    return results


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    """An /autograder folder after Gradescope's image build: zip in source/, setup.sh run."""
    python = slim_env.pyenv_python("3.10")
    if python is None:
        pytest.skip("no python3.10 (Gradescope's Ubuntu 22.04 python3) on this machine")
    root = tmp_path_factory.mktemp("autograder")
    zipped = build_zip(NAME, slim_env.wheel(), tmp_path_factory.mktemp("dist"))
    with zipfile.ZipFile(zipped) as zf:
        assert {"setup.sh", "run_autograder", "config.json"} <= set(zf.namelist())
        zf.extractall(root / "source")
    for script in ("setup.sh", "run_autograder"):
        os.chmod(root / "source" / script, 0o755)
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": python}
    subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, check=True, timeout=900,
                   cwd=root / "source", capture_output=True)
    return root


def run_autograder(root: Path, files: dict[str, Path | str], *, metadata: bool = True, prefix: list[str] = (),
                   env: dict | None = None) -> tuple[dict, str]:
    """Lay ``files`` out as the submission, run run_autograder, return (results.json, its stderr)."""
    shutil.rmtree(root / "submission", ignore_errors=True)
    shutil.rmtree(root / "results", ignore_errors=True)
    (root / "submission").mkdir()
    for name, content in files.items():
        target = root / "submission" / name
        if isinstance(content, Path):
            shutil.copy(content, target)
        else:
            target.write_text(content)
    meta = root / "submission_metadata.json"
    meta.unlink(missing_ok=True)
    if metadata:
        meta.write_text(json.dumps({"id": SUBMISSION_ID, "users": [{"name": "A Student"}], "previous_submissions": []}))
    done = subprocess.run([*prefix, str(root / "run_autograder")], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "AUTOGRADER_ROOT": str(root), **(env or {})}, timeout=600)
    assert done.returncode == 0, done.stderr
    return valid(json.loads((root / "results" / "results.json").read_text())), done.stderr


def first(kind: str) -> Path:
    folder = sorted((CATALOG / kind).glob("*/"))[0]
    return folder / f"{NAME}.py"


def test_setup_installs_only_the_grading_package(autograder):
    """Does setup.sh leave a venv with the kit and its three dependencies, nothing of nbgrader?"""
    have = slim_env.installed(autograder / "venv" / "bin" / "python")
    assert "backprop-lab" in have and not {"nbgrader", "jupytext", "tqdm"} & have


def test_correct_submission_scores_full_with_every_field(autograder):
    """Does a correct submission get full marks, numbered tests tagged with their part, hidden ones
    'after_published', and the seed derived from the submission's id recorded?"""
    results, _ = run_autograder(autograder, {f"{NAME}.py": first("correct")})
    tests = results["tests"]
    assert tests and results["score"] == sum(t["max_score"] for t in tests) > 0
    assert all(t["status"] == "passed" and t["tags"] and t["number"].count(".") == 1 for t in tests)
    assert {t["visibility"] for t in tests} == {"visible", "after_published"}
    hidden = [t for t in tests if t["visibility"] != "visible"]
    assert hidden and all(t["visibility"] == "after_published" for t in hidden)
    assert results["extra_data"]["seed"] == seed_for(2026, str(SUBMISSION_ID), NAME) != 2026
    assert results["extra_data"]["submission_id"] == str(SUBMISSION_ID)
    assert results["output_format"] == "md" and isinstance(results["execution_time"], (int, float))


def test_blank_notebook_scores_zero_with_failed_tests(autograder):
    """Does the released stub get 0, each test 'failed' (never 'error') with a message?"""
    results, _ = run_autograder(autograder, {f"{NAME}.ipynb": ROOT / "assignments" / NAME / f"{NAME}.ipynb"})
    assert results["score"] == 0 and results["tests"]
    assert all(t["status"] == "failed" and t["output"] for t in results["tests"])


def test_buggy_submission_loses_points_with_its_diagnosis(autograder):
    """Does a buggy submission lose points, its failed tests saying what went wrong?"""
    folder = sorted((CATALOG / "buggy").glob("*/"))[0]
    expect = json.loads((folder / "expect.json").read_text())
    results, _ = run_autograder(autograder, {f"{NAME}.py": folder / f"{NAME}.py"})
    top = sum(t["max_score"] for t in results["tests"])
    assert 0 <= results["score"] < top
    said = " ".join(t["output"] for t in results["tests"] if t["status"] == "failed").lower().replace("\\", "")
    assert all(text.lower() in said for text in expect["says"]), said[:500]


@pytest.mark.parametrize("level", ["auto", "uid"])
def test_hostile_submission_neither_reads_the_reference_nor_forges_results(autograder, level):
    """Does code that looks for the installed reference and writes its own results.json get
    nothing from either, with the strongest walls here and at the uid level of a default
    container (no namespaces)?"""
    if level == "uid" and os.geteuid() != 0:
        pytest.skip("the uid level needs root")
    env = {} if level == "auto" else {"GRADERS_ISOLATION": level}
    results, _ = run_autograder(autograder, {f"{NAME}.py": HOSTILE.format(root=str(autograder))}, env=env)
    assert level == "auto" or "user id" in results["extra_data"]["isolation"], results["extra_data"]
    sigmoid_tests = [t for t in results["tests"] if "sigmoid" in t["name"].lower()]
    assert sigmoid_tests and all(t["score"] == 0 for t in sigmoid_tests)
    assert results["score"] < 1000 and "extra_data" in results


def test_lone_notebook_with_another_name_is_graded_and_said(autograder):
    """Is a single notebook under another name graded, with a note saying so?"""
    results, _ = run_autograder(autograder, {"my work.ipynb": ROOT / "assignments" / NAME / f"{NAME}.ipynb"})
    assert results["tests"] and "my work.ipynb" in results["output"].replace("\\", "")


@pytest.mark.parametrize("files, says", [
    ({}, "No activations.ipynb or activations.py was submitted"),
    ({"notes.txt": "hello"}, "found: notes.txt"),
    ({"a.ipynb": "{}", "b.ipynb": "{}"}, "2 notebooks"),
])
def test_nothing_gradable_gives_zero_and_says_why(autograder, files, says):
    """With no notebook to grade, is results.json a 0 whose output says what was missing?"""
    results, _ = run_autograder(autograder, files, metadata=False)
    assert results["score"] == 0 and results["tests"] == []
    assert says in results["output"].replace("\\", "")


def test_symlinked_submission_is_not_followed(autograder):
    """Is a submission that links to the reference refused rather than graded as the student's?"""
    (autograder / "submission").mkdir(exist_ok=True)
    shutil.rmtree(autograder / "submission")
    (autograder / "submission").mkdir()
    target = next((autograder / "venv").glob("lib/python*/site-packages/graders/_reference/activations/activations.py"))
    os.symlink(target, autograder / "submission" / f"{NAME}.py")
    done = subprocess.run([str(autograder / "run_autograder")], cwd=autograder, capture_output=True, text=True,
                          env={**os.environ, "AUTOGRADER_ROOT": str(autograder)}, timeout=600)
    results = valid(json.loads((autograder / "results" / "results.json").read_text()))
    assert done.returncode == 0 and results["score"] == 0 and results["tests"] == []


def test_as_root_without_cap_sys_admin_grades_or_says_why(autograder):
    """As root without CAP_SYS_ADMIN (a default Docker container), is there always a valid
    results.json: graded, or 0 with a message, never only a traceback?"""
    if os.geteuid() != 0 or shutil.which("capsh") is None:
        pytest.skip("needs root and capsh to drop CAP_SYS_ADMIN")
    results, _ = run_autograder(autograder, {f"{NAME}.py": first("correct")},
                                prefix=["capsh", "--drop=cap_sys_admin", "--"])
    if results["tests"]:
        assert results["score"] == sum(t["max_score"] for t in results["tests"]), "graded, yet a correct submission lost points"
        assert results["extra_data"]["isolation"]
    else:
        assert results["score"] == 0 and "could not grade" in results["output"]


@pytest.mark.parametrize("visibility", ["after_due_date", "hidden"])
def test_hidden_visibility_is_a_build_option(tmp_path, visibility):
    """Does the build option reach config.json, and does it set every hidden test's visibility?"""
    zipped = build_zip(NAME, slim_env.wheel(), tmp_path, hidden_visibility=visibility)
    with zipfile.ZipFile(zipped) as zf:
        assert json.loads(zf.read("config.json"))["hidden_visibility"] == visibility
    result = {"assignment": NAME, "score": 1.0, "max_score": 3.0, "duration_s": 0.2, "tests": [
        {"name": "p: a", "part": "p", "public": True, "score": 1.0, "max_score": 1.0, "status": "passed", "output": ""},
        {"name": "p: b", "part": "p", "public": False, "score": 0.0, "max_score": 1.0, "status": "timeout", "output": "ran 3 s"},
        {"name": "q: c", "part": "q", "public": False, "score": 0.0, "max_score": 1.0, "status": "error", "output": "raised"},
    ]}
    graded = valid(to_gradescope(result, hidden_visibility=visibility))
    assert [t["visibility"] for t in graded["tests"]] == ["visible", visibility, visibility]
    assert [t["status"] for t in graded["tests"]] == ["passed", "failed", "failed"]
    assert [t["number"] for t in graded["tests"]] == ["1.1", "1.2", "2.1"]
    assert graded["tests"][1]["output"].startswith("Timed out") and graded["tests"][2]["output"].startswith("Error")
    assert "ran 3 s" not in graded["output"], "a hidden test's message leaked into the summary"
