"""A result as Markdown: a table of parts, then what each failed test says.

Read where Markdown is rendered: a GitHub job summary, Gradescope's output boxes, a CI log.
Messages can hold text the student wrote (an exception's message), so every piece of a result
is escaped before it lands in Markdown: no link, image, HTML tag or table cell can be forged.
"""
from __future__ import annotations

import re
from typing import Any

from graders.diagnoses import case_line, group, headline, listed, seen_in
from graders.engine.report import part_scores
from graders.messages import _

# Backslash escapes for every character that starts inline markup (emphasis, code, links, images,
# table cells, strikethrough, entities); < and > become entities, as raw HTML cannot be escaped.
_INLINE = {ord(c): "\\" + c for c in "\\`*_[]|~!&"}
_INLINE.update({ord("<"): "&lt;", ord(">"): "&gt;"})
# At a line's start: headings, block quotes, list items (-, +, "1." or "1)"), thematic breaks.
_LINE_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))")
# GitHub links bare addresses: "http\:\/\/" and "www\." are not links.
_AUTOLINK = {"://": "\\:\\/\\/", "www.": "www\\."}


def _escape_line(line: str) -> str:
    line = line.strip().translate(_INLINE)
    for text, escaped in _AUTOLINK.items():
        line = line.replace(text, escaped).replace(text.upper(), escaped.upper())
    return _LINE_START.sub(lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"), line)


def escape(text: Any) -> str:
    """``text`` as literal Markdown, its newlines kept as line breaks."""
    return "  \n".join(_escape_line(line) for line in str(text).splitlines())


def _cell(text: Any) -> str:
    """One table cell: escaped and on one line."""
    return escape(text).replace("  \n", " ")


def parts_table(result: dict[str, Any]) -> str:
    """| part | score | max | tests passed | as a Markdown table."""
    counts: dict[str, list[int]] = {}
    for t in result.get("tests", []):
        seen = counts.setdefault(t["part"], [0, 0])
        seen[0] += t["status"] == "passed"
        seen[1] += 1
    lines = [_("| part | score | tests passed |"), "| --- | ---: | ---: |"]
    for part, (score, top) in part_scores(result).items():
        passed, total = counts[part]
        lines.append(f"| {_cell(part)} | {score:g} / {top:g} | {passed} / {total} |")
    return "\n".join(lines)


def diagnoses(result: dict[str, Any]) -> list[str]:
    """One Markdown list item per diagnosis (graders.diagnoses): said once, then the tests where
    it showed."""
    found = []
    for d in group(result.get("tests", [])):
        item = f"- {escape(headline(d)).replace(chr(10), chr(10) + '  ')}"
        if listed(d):
            item += f"  \n  {escape(seen_in(d))}" + "".join(
                f"\n  - {_cell(case_line(name, case))}" for name, case in d.cases)
        elif d.kind == "failure":
            item += f"  \n  {_cell(case_line(d.cases[0][0], ''))}"
        found.append(item)
    return found


def render_md(result: dict[str, Any], *, title: str | None = None) -> str:
    """The whole result as Markdown: total, parts, load problems, diagnoses, warnings."""
    heading = title or _("{assignment}: {score} / {max_score} points").format(
        assignment=result["assignment"], score=f"{result['score']:g}", max_score=f"{result.get('max_score') or 0:g}")
    lines = [f"### {escape(heading)}", ""]
    if result.get("error"):
        lines += [escape(result["error"]), ""]
    problems = list(result.get("load_errors") or [])
    if problems:
        lines += [_("While loading your code:"), ""] + [f"- {_cell(p)}" for p in problems] + [""]
    if result.get("tests"):
        lines += [parts_table(result), ""]
    failed = diagnoses(result)
    lines += ([_("What to fix:"), ""] + failed + [""]) if failed else ([_("Every test passed."), ""] if result.get("tests") else [])
    for w in result.get("warnings") or []:
        lines.append("- " + _("note: your code warned {warning} (warnings cost no points)").format(warning=_cell(w)))
    return "\n".join(lines).rstrip() + "\n"
