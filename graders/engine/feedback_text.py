"""A result as plain text for a terminal: what passed, and for what failed, why."""
from __future__ import annotations

from typing import Any

MARKS = {"passed": "ok  ", "failed": "FAIL", "error": "ERR ", "timeout": "TIME"}


def render(result: dict[str, Any]) -> str:
    lines = [f"{result['assignment']}: {result['score']:g} / {result.get('max_score') or 0:g} points"]
    if result.get("error"):
        lines.append(f"  {result['error']}")
    for problem in result.get("load_errors", []):
        lines.append(f"  while loading your code: {problem}")
    for t in result.get("tests", []):
        lines.append(f"  {MARKS.get(t['status'], t['status'])}  {t['name']}  ({t['score']:g}/{t['max_score']:g})")
        if t["status"] != "passed":
            lines.extend(f"        {line}" for line in t["output"].splitlines()[:6])
    for w in result.get("warnings", []):
        lines.append(f"  note: your code warned '{w}' (warnings cost no points)")
    return "\n".join(lines)
