"""A result as plain text for a terminal: each test's mark, then what to fix, each diagnosis
once with the tests where it showed (graders.diagnoses).

Messages quote the student's code and names: every line goes through graders.names.shown, so no
control character (a terminal escape) reaches the screen.
"""
from __future__ import annotations

from typing import Any

from graders.diagnoses import group, text_lines
from graders.names import shown
from graders.messages import _

MARKS = {"passed": "ok  ", "failed": "FAIL", "error": "ERR ", "timeout": "TIME"}


def render(result: dict[str, Any]) -> str:
    lines = [_("{assignment}: {score} / {max_score} points").format(
        assignment=result["assignment"], score=f"{result['score']:g}", max_score=f"{result.get('max_score') or 0:g}")]
    if result.get("submission_status") in ("renamed", "missing", "refused") and result.get("submission_reason"):
        lines.append(f"  {result['submission_reason']}")
    if result.get("error"):
        lines.append(f"  {result['error']}")
    for problem in result.get("load_errors", []):
        lines.append("  " + _("while loading your code: {problem}").format(problem=problem))
    for t in result.get("tests", []):
        lines.append(f"  {MARKS.get(t['status'], t['status'])}  {t['name']}  ({t['score']:g}/{t['max_score']:g})")
    diagnoses = group(result.get("tests", []))
    if diagnoses:
        lines.append("What to fix:")
        lines.extend(text_lines(diagnoses))
    for w in result.get("warnings", []):
        lines.append("  " + _("note: your code warned '{warning}' (warnings cost no points)").format(warning=w))
    return "\n".join(shown(line) for line in lines)
