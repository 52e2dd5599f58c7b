"""A result -> what a GitHub Actions job shows: a job summary, annotations, a step output.

    summary     Markdown (graders.engine.feedback_md), appended to $GITHUB_STEP_SUMMARY
    annotations ``::notice`` with the total and ``::warning`` per failed check, on stdout
    result      the classroom-resources reporter's input, base64 JSON, in $GITHUB_OUTPUT:
                {"version": 1, "status": "pass"|"fail"|"error", "max_score": N,
                 "tests": [{"name", "status", "message", "score", "max_score", ...}]}
Workflow commands are escaped as the runner expects (% \\r \\n, and : , in properties), so no
message a student's code raised can start a command of its own.
"""
from __future__ import annotations

import base64
import json
from typing import Any

from graders.engine.feedback_md import render_md
from graders.messages import _

MAX_WARNINGS = 10  # GitHub shows at most 10 annotations of a kind per step


def _data(text: Any) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: Any) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: Any, **props: Any) -> str:
    """One workflow command line, e.g. ``::notice title=Public checks::3 / 5 points``."""
    given = ",".join(f"{k}={_prop(v)}" for k, v in props.items())
    return f"::{kind}{' ' + given if given else ''}::{_data(message)}"


def annotations(result: dict[str, Any], *, title: str | None = None) -> list[str]:
    heading = _("{assignment}: {score} / {max_score} points").format(
        assignment=result["assignment"], score=f"{result['score']:g}", max_score=f"{result.get('max_score') or 0:g}")
    lines = [command("notice", heading, title=_("Public checks") if title is None else title)]
    failed = [t for t in result.get("tests", []) if t["status"] != "passed"]
    for t in failed[:MAX_WARNINGS]:
        lines.append(command("warning", t.get("output", ""), title=t["name"]))
    if len(failed) > MAX_WARNINGS:
        lines.append(command("warning", _("{count} more failed checks: see the job summary").format(
            count=len(failed) - MAX_WARNINGS), title=_("More failures")))
    return lines


def reporter_result(result: dict[str, Any]) -> dict[str, Any]:
    """The classroom-resources reporter's JSON for ``result``."""
    tests = [{
        "name": t["name"],
        "status": {"passed": "pass", "failed": "fail"}.get(t["status"], "error"),
        "message": t.get("output", ""),
        "score": t["score"],
        "max_score": t["max_score"],
        "line_no": 0,
        "duration": round(1000 * float(t.get("duration_s", 0.0))),
    } for t in result.get("tests", [])]
    if not tests or result.get("error"):
        status = "error"
    else:
        status = "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    return {"version": 1, "status": status, "max_score": result.get("max_score") or 0, "tests": tests}


def encoded(result: dict[str, Any]) -> str:
    return base64.b64encode(json.dumps(reporter_result(result)).encode()).decode("ascii")


def summary(result: dict[str, Any]) -> str:
    return render_md(result, title=_("Public checks of {assignment}: {score} / {max_score} points").format(
        assignment=result["assignment"], score=f"{result['score']:g}", max_score=f"{result.get('max_score') or 0:g}"))
