"""The GitHub Actions template (ci/github/public-checks.yml) as a runner would run it: its `run:`
steps in order, read from the YAML, in a temporary repository holding a student's notebook, with
GITHUB_STEP_SUMMARY and GITHUB_OUTPUT as files."""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import slim_env

from graders import ROOT

yaml = pytest.importorskip("yaml", reason="the workflow is read with PyYAML (requirements-dev.txt)")

WORKFLOW = ROOT / "ci" / "github" / "public-checks.yml"
NOTEBOOK = ROOT / "examples" / "submitted" / "dee_buggy" / "softmax_loss" / "softmax_loss.ipynb"


def job() -> dict:
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    assert len(jobs) == 1
    return next(iter(jobs.values()))


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """The run: steps executed in a repository holding a buggy softmax_loss notebook."""
    if slim_env.pyenv_python("3.12") is None:
        pytest.skip("no python3.12 (the workflow's setup-python version) on this machine")
    base = slim_env.venv("3.12").parent  # stands in for actions/setup-python
    repo, temp = tmp_path_factory.mktemp("repo"), tmp_path_factory.mktemp("runner_temp")
    shutil.copy(NOTEBOOK, repo / "softmax_loss.ipynb")
    summary, output = temp / "summary.md", temp / "output.txt"
    spec = job()
    env = {**os.environ, **{k: str(v) for k, v in spec.get("env", {}).items()},
           "PATH": f"{base}:{os.environ['PATH']}", "RUNNER_TEMP": str(temp),
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output), "GITHUB_WORKSPACE": str(repo),
           # The workflow's own install line, pointed at this checkout's wheel instead of an index.
           "GRADER_PACKAGE": str(slim_env.wheel())}
    logs = []
    for step in spec["steps"]:
        if "run" not in step:
            continue
        assert "${{" not in step["run"], f"step {step.get('name')}: expressions are not testable here"
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env={**env, **step.get("env", {})},
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"step {step.get('name')} failed:\n{done.stdout}\n{done.stderr}"
        logs.append(done.stdout)
    return {"log": "\n".join(logs), "summary": summary.read_text(), "output": output.read_text(), "steps": spec["steps"]}


def test_summary_has_a_table_of_parts_and_the_diagnoses(ran):
    """Does the job summary show each part's score and say what the failed checks found?"""
    summary = ran["summary"]
    assert "| part | score | tests passed |" in summary
    for part in ("softmax", "cross\\_entropy", "softmax\\_with\\_loss"):
        assert f"| {part} | " in summary
    assert "What to fix:" in summary and "Likely mistake" in summary


def test_total_is_an_annotation(ran):
    """Is the total a ::notice annotation line in the log?"""
    notices = [line for line in ran["log"].splitlines() if line.startswith("::notice ")]
    assert len(notices) == 1 and "softmax_loss: " in notices[0] and " points" in notices[0]


def test_reporter_output_decodes_to_the_classroom_format(ran):
    """Does GITHUB_OUTPUT hold result=<base64> the classroom-resources reporter reads, scores included?"""
    line = [l for l in ran["output"].splitlines() if l.startswith("result=")]
    assert len(line) == 1
    payload = json.loads(base64.b64decode(line[0].split("=", 1)[1]))
    assert payload["version"] == 1 and payload["status"] in ("pass", "fail")
    assert payload["tests"] and {"name", "status", "message", "score"} <= set(payload["tests"][0])
    assert payload["max_score"] == pytest.approx(sum(t["max_score"] for t in payload["tests"]))
    assert payload["status"] == ("pass" if all(t["status"] == "pass" for t in payload["tests"]) else "fail")


def test_only_public_checks_run_and_the_reporter_gets_the_output(ran):
    """Does the workflow grade with --public-only and hand its output to the reporter step?"""
    runs = " ".join(s.get("run", "") for s in ran["steps"])
    assert "--public-only" in runs
    reporter = [s for s in ran["steps"] if "autograding-grading-reporter" in s.get("uses", "")]
    assert reporter and "steps.checks.outputs.result" in reporter[0]["env"]["CHECKS_RESULTS"]
    assert reporter[0]["with"]["runners"] == "checks"


def test_annotations_cannot_be_forged_by_a_message():
    """Can a message with newlines start a workflow command of its own?"""
    from graders.github.report import annotations

    result = {"assignment": "a", "score": 0, "max_score": 1, "tests": [
        {"name": "p: t", "part": "p", "status": "failed", "score": 0, "max_score": 1,
         "output": "boom\n::error::forged\r\n::add-mask::x"}]}
    lines = "\n".join(annotations(result)).splitlines()
    assert len(lines) == 2 and not any(l.startswith("::error") or l.startswith("::add-mask") for l in lines)
