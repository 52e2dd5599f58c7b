"""A result as plain text for a terminal: each test's mark, then what to fix, each diagnosis
once with the tests where it showed (graders.diagnoses).

Messages quote the student's code and names: every line goes through graders.names.shown, so no
control character (a terminal escape) reaches the screen.
"""
from __future__ import annotations

from typing import Any

from graders.diagnoses import group, text_lines
from graders.names import shown

MARKS = {"passed": "ok  ", "failed": "FAIL", "error": "ERR ", "timeout": "TIME"}


def render(result: dict[str, Any]) -> str:
    lines = [f"{result['assignment']}: {result['score']:g} / {result.get('max_score') or 0:g} points"]
    if result.get("submission_status") in ("renamed", "missing", "refused") and result.get("submission_reason"):
        lines.append(f"  {result['submission_reason']}")
    if result.get("error"):
        lines.append(f"  {result['error']}")
    for problem in result.get("load_errors", []):
        lines.append(f"  while loading your code: {problem}")
    for t in result.get("tests", []):
        lines.append(f"  {MARKS.get(t['status'], t['status'])}  {t['name']}  ({t['score']:g}/{t['max_score']:g})")
    diagnoses = group(result.get("tests", []))
    if diagnoses:
        lines.append("What to fix:")
        lines.extend(text_lines(diagnoses))
    for w in result.get("warnings", []):
        lines.append(f"  note: your code warned '{w}' (warnings cost no points)")
    return "\n".join(shown(line) for line in lines)
