"""Submissions that attack the grader's memory and time rather than its walls."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from graders import ROOT

HOSTILE = Path(__file__).parent / "submissions" / "hostile"

# Grades one submission in a fresh process and prints its result and that process's peak memory.
_GRADE = """
import json, resource, sys
sys.path.insert(0, sys.argv[1])
from graders.engine.grade import grade
result = grade("activations", sys.argv[2])
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"result": result, "peak_mib": peak_mib}))
"""


def grade_apart(case: str, **env: str) -> tuple[dict, float]:
    done = subprocess.run([sys.executable, "-c", _GRADE, str(ROOT), str(HOSTILE / case)], capture_output=True,
                          text=True, timeout=300, env={**_base_env(), **env})
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout.splitlines()[-1])
    return answer["result"], answer["peak_mib"]


def _base_env() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("GRADERS_")}


def test_an_oversized_reply_breaks_only_its_own_tests():
    """Does an 80 MB answer cost the submission its tests, with the grader staying under 500 MB?"""
    result, peak = grade_apart("oversized_reply")
    sigmoid = [t for t in result["tests"] if t["part"] == "functions" and "sigmoid" in t["name"]
               and "grad" not in t["name"]]
    assert sigmoid and all(t["score"] == 0 for t in sigmoid)
    assert any("too much data" in t["output"] for t in sigmoid), [t["output"] for t in sigmoid]
    assert any(t["score"] > 0 for t in result["tests"] if "relu" in t["name"])  # its honest relu still counts
    assert peak < 500, f"the grading process peaked at {peak:.0f} MiB"


def test_a_submission_slow_under_every_limit_is_stopped_by_its_budget():
    """Does a submission that waits just under each per-call limit stop at its budget, keep what it
    earned before, and get marked?"""
    result, _ = grade_apart("slow_under_every_limit", GRADERS_CALL_TIMEOUT="0.5", GRADERS_SUBMISSION_BUDGET="8")
    assert result["over_budget"] is True
    assert 0 < result["score"] < result["max_score"]
    stopped = [t for t in result["tests"] if "used up its time" in t["output"]]
    assert stopped and all(t["score"] == 0 for t in stopped)
