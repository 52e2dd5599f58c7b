"""The contract's result -> Gradescope's results.json (its autograder specification).

Per test: name, number ("part.test", parts numbered in order), score, max_score, status ("passed"
or "failed": an error or a timeout is a failure whose output says which), output (Markdown),
tags (the part) and visibility: public checks "visible", hidden tests ``hidden_visibility``
("after_published" by default, so a student sees them once grades are published).
"""
from __future__ import annotations

import math
from typing import Any

from graders.engine.feedback_md import escape, render_md
from graders.messages import N_, _, translate

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
DEFAULT_HIDDEN = "after_published"
_PREFIX = {"error": N_("Error: {message}"), "timeout": N_("Timed out: {message}")}


def seconds(duration: float) -> int:
    """Gradescope's execution_time: whole seconds, at least 1."""
    return max(1, math.ceil(duration))


def _tests(result: dict[str, Any], hidden_visibility: str) -> list[dict[str, Any]]:
    parts: dict[str, int] = {}
    counts: dict[str, int] = {}
    tests = []
    for t in result.get("tests", []):
        part = t.get("part", "")
        parts.setdefault(part, len(parts) + 1)
        counts[part] = counts.get(part, 0) + 1
        status = "passed" if t["status"] == "passed" else "failed"
        message = t.get("output") or ""
        output = ("" if status == "passed" else
                  translate(_PREFIX[t["status"]]).format(message=message) if t["status"] in _PREFIX else message)
        tests.append({
            "name": t["name"],
            "number": f"{parts[part]}.{counts[part]}",
            "score": t["score"],
            "max_score": t["max_score"],
            "status": status,
            "output": escape(output),
            "output_format": "md",
            "tags": [part],
            "visibility": "visible" if t.get("public") else hidden_visibility,
        })
    return tests


def to_gradescope(result: dict[str, Any], *, hidden_visibility: str = DEFAULT_HIDDEN,
                  duration_s: float | None = None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """results.json for a contract result. ``extra`` lands in extra_data (seed, submission id...)."""
    if hidden_visibility not in VISIBILITIES:
        raise ValueError(f"hidden_visibility must be one of {VISIBILITIES}, not {hidden_visibility!r}")
    public = {k: result.get(k) for k in ("assignment", "seed", "suite", "isolation", "grader_version")}
    return {
        "score": result["score"],
        "execution_time": seconds(result.get("duration_s", 0.0) if duration_s is None else duration_s),
        "output": summary(result, hidden_visibility),
        "output_format": "md",
        "stdout_visibility": "hidden",
        "tests": _tests(result, hidden_visibility),
        "extra_data": {**public, **(extra or {})},
    }


def summary(result: dict[str, Any], hidden_visibility: str) -> str:
    """The submission's output box: with hidden tests not yet visible, only the public checks
    (their table, total and diagnoses); hidden results appear under their own tests when their
    visibility allows, never early through the summary."""
    if hidden_visibility == "visible":
        return render_md(result)
    public = [t for t in result.get("tests", []) if t.get("public")]
    view = {**result, "tests": public, "score": sum(t["score"] for t in public),
            "max_score": sum(t["max_score"] for t in public)}
    title = _("Public checks of {assignment}: {score} / {max_score} points").format(
        assignment=result["assignment"], score=f"{view['score']:g}", max_score=f"{view['max_score']:g}")
    return render_md(view, title=title) + "\n" + _("Hidden tests are graded too; their results appear with the grades.") + "\n"


def failure(message: str, *, duration_s: float, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """results.json when the submission could not be graded at all: 0 points and why."""
    return {
        "score": 0.0,
        "execution_time": seconds(duration_s),
        "output": "### " + _("The autograder could not grade this submission") + f"\n\n{escape(message)}\n",
        "output_format": "md",
        "stdout_visibility": "hidden",
        "tests": [],
        "extra_data": {"error": message, **(extra or {})},
    }
