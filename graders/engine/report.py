"""pytest-json-report's report -> the contract's result JSON (Gradescope's field names).

Reads only the report: no student code, no student objects.
"""
from __future__ import annotations

from typing import Any
from graders.messages import N_, translate

_SETUP_FAILURE = N_("the grader could not set up this test")


def _test_entry(test: dict[str, Any]) -> dict[str, Any]:
    meta = test.get("metadata") or {}
    points = float(meta.get("points", 0.0))
    outcome = test.get("outcome")
    name = test["nodeid"].split("::", 1)[-1]
    mistake = None
    if outcome == "passed":
        status, output, score = "passed", "", points
    else:
        status = meta.get("status") or ("failed" if outcome == "failed" else "error")
        output = meta.get("message") or translate(_SETUP_FAILURE)
        score = 0.0
        mistake = meta.get("mistake")
    return {
        "name": f"{meta.get('part', '?')}: {name}",
        "part": meta.get("part", ""),
        "public": bool(meta.get("public", False)),
        "score": score,
        "max_score": points,
        "status": status,
        "output": output,
        # The diagnosed mistake's identifier (graders.checks.Mistake); None when the test passed or
        # its failure names no known mistake.
        "mistake": mistake,
        "duration_s": round(sum(float((test.get(p) or {}).get("duration", 0.0)) for p in ("setup", "call", "teardown")), 4),
    }


def to_result(report: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The result dict: contract fields first, then whatever ``fields`` add (seed, timings...)."""
    tests = [_test_entry(t) for t in report.get("tests", [])]
    result = {
        "assignment": fields.pop("assignment"),
        "student": fields.pop("student", None),
        "score": round(sum(t["score"] for t in tests), 6),
        "max_score": round(sum(t["max_score"] for t in tests), 6),
        "tests": tests,
    }
    result.update(fields)
    return result


def part_scores(result: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """{part: (score, max_score)} summed over the result's tests."""
    parts: dict[str, tuple[float, float]] = {}
    for t in result["tests"]:
        s, m = parts.get(t["part"], (0.0, 0.0))
        parts[t["part"]] = (s + t["score"], m + t["max_score"])
    return parts
