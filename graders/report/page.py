"""The class report as one self-contained HTML page: inline style, figures as base64 PNG data URIs,
no script and no link to any other file, so it can be mailed or archived as it is.

Every piece of text goes through :func:`_e` (HTML escaping, quotes included): student names,
messages and reasons are written by students. Each table has an ``id`` (``hist-NAME``,
``parts-NAME``, ``tests-NAME``, ``mistakes-NAME``, ``ungraded-NAME``) so tools and tests can find it.
"""
from __future__ import annotations

import base64
import html
from collections.abc import Callable

from graders.report.data import AssignmentReport, ClassReport
from graders.messages import _, language

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 1.5rem auto; padding: 0 1rem; color: #222;
       line-height: 1.4; }
h1 { margin-bottom: 0.3rem; } h2 { border-bottom: 2px solid #3b6ea8; padding-bottom: 0.2rem; margin-top: 2.5rem; }
h3 { margin: 1.5rem 0 0.4rem; }
.staff { background: #fdecea; border-left: 4px solid #c62828; padding: 0.5rem 0.8rem; font-weight: 600; }
table { border-collapse: collapse; margin: 0.4rem 0 1rem; font-size: 0.92rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.55rem; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #f2f4f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
img { max-width: 100%; height: auto; display: block; margin: 0.4rem 0; }
pre { background: #f6f8fa; padding: 0.4rem; margin: 0.3rem 0 0; white-space: pre-wrap; font-size: 0.82rem;
      max-height: 9rem; overflow: auto; }
.who { font-size: 0.85rem; color: #444; }
.muted { color: #666; } nav a { margin-right: 1rem; }
details summary { cursor: pointer; color: #3b6ea8; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _img(png: bytes, alt: str) -> str:
    return f'<img alt="{_e(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'


def _table(table_id: str, head: list[str], body: list[list[str]], numeric: set[int] = frozenset()) -> str:
    """``body`` cells are HTML already; ``head`` is plain text."""
    rows = [f'<table id="{_e(table_id)}">', "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"]
    for row in body:
        cells = (f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(rows + ["</table>"])


def _run_facts(report: ClassReport, base_seed: str) -> str:
    isolation = ", ".join((_("{level} (1 submission)") if n == 1 else _("{level} ({count} submissions)"))
                          .format(level=_e(level), count=n) for level, n in sorted(report.isolation.items())) or "-"
    rows = [(_("students"), str(len(report.students))), (_("isolation of student code"), isolation),
            (_("seed"), _e(base_seed))]
    return '<table id="run">' + "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"


def _overview(report: ClassReport) -> str:
    body = []
    for a in report.assignments:
        full = sum(1 for s in a.graded if s.score >= a.top > 0)
        body.append([f'<a href="#{_e(a.name)}">{_e(a.name)}</a>', str(len(a.submissions)), str(len(a.graded)),
                     str(len(a.not_graded)), str(len(a.renamed)), str(a.class_size - len(a.submissions)),
                     f"{a.mean:.2f} / {a.top:g}", f"{full} ({_pct(full, len(a.graded))})"])
    head = [_("assignment"), _("submitted"), _("graded"), _("not graded"), _("under another name"),
            _("no submission"), _("mean score"), _("full marks")]
    return _table("overview", head, body, numeric={1, 2, 3, 4, 5, 6, 7})


def _histogram(a: AssignmentReport) -> str:
    return _table(f"hist-{a.name}", [_("score"), _("students")],
                  [[_e(b.label), str(b.students)] for b in a.bins], numeric={1})


def _parts(a: AssignmentReport) -> str:
    body = [[_e(p.part), f"{p.passed} / {p.graded}", _pct(p.passed, p.graded), f"{p.mean_score:.2f} / {p.points:g}"]
            for p in a.parts]
    return _table(f"parts-{a.name}", [_("part"), _("full marks"), _("pass rate"), _("mean score")], body,
                  numeric={1, 2, 3})


def _tests(a: AssignmentReport) -> str:
    body = [[_e(t.part), _e(t.name), f"{t.passed} / {t.graded}", _pct(t.passed, t.graded)] for t in a.tests]
    return _table(f"tests-{a.name}", [_("part"), _("test"), _("passed"), _("pass rate")], body, numeric={2, 3})


def _mistakes(a: AssignmentReport) -> str:
    body = []
    for rank, m in enumerate(a.mistakes, start=1):
        hint = _e(m.hint) if m.hint else f'<span class="muted">{_e(_("(no hint text: the graders no longer name it)"))}</span>'
        body.append([str(rank), f"<code>{_e(m.id)}</code><br>{hint}", str(len(m.students)), str(m.failed_tests),
                     f'<span class="muted">{_e(m.example_student)}:</span><pre>{_e(m.example)}</pre>',
                     f'<span class="who">{_e(", ".join(m.students))}</span>'])
    body.append(["", _e(_("{undiagnosed}: failed tests whose message names no known mistake")).format(
                     undiagnosed=f"<b>{_e(_('undiagnosed'))}</b>"),
                 str(len(a.undiagnosed_students)), str(a.undiagnosed_tests), "",
                 f'<span class="who">{_e(", ".join(a.undiagnosed_students))}</span>'])
    body.append(["", _e(_("{not_attempted}: failed tests on code still raising {error} (a stub left as released); "
                          "not counted as any mistake")).format(not_attempted=f"<b>{_e(_('not attempted'))}</b>",
                                                                error="NotImplementedError"),
                 str(len(a.not_done_students)), str(a.not_done_tests), "",
                 f'<span class="who">{_e(", ".join(a.not_done_students))}</span>'])
    head = ["#", _("mistake and its hint"), _("students"), _("failed tests"), _("one example message"),
            _("students concerned")]
    return _table(f"mistakes-{a.name}", head, body, numeric={0, 2, 3})


def _ungraded(a: AssignmentReport) -> str:
    rows = [s for s in a.submissions if s.status != "ok"]
    missing = a.class_size - len(a.submissions)
    note = (f'<p class="muted">{_e(_("{count} student(s) of the class have no folder for {assignment}.").format(count=missing, assignment=a.name))}</p>'
            if missing else "")
    if not rows:
        return f'<p class="muted">{_e(_("Every submission was found under its expected name and graded."))}</p>' + note
    body = [[_e(s.student), _e(_("graded, found under another name") if s.status == "renamed"
                               else _("not graded: {status}").format(status=s.status)),
             _e(s.reason)] for s in rows]
    return _table(f"ungraded-{a.name}", [_("student"), _("status"), _("reason")], body) + note


def _assignment(a: AssignmentReport, figures: dict[str, bytes]) -> list[str]:
    graded = len(a.graded)
    return [
        f'<h2 id="{_e(a.name)}">{_e(a.name)}</h2>',
        "<p>" + _e(_("{graded} graded submission(s) of {submitted}; mean {mean} of {points} points. Submissions "
                     "that could not be graded are left out of every count below and listed at the end.").format(
            graded=graded, submitted=len(a.submissions), mean=f"{a.mean:.2f}", points=f"{a.top:g}")) + "</p>",
        f"<h3>{_e(_('Score distribution'))}</h3>",
        _img(figures["scores"], _("{assignment}: score histogram").format(assignment=a.name)),
        f"<details><summary>{_e(_('the counts'))}</summary>", _histogram(a), "</details>",
        f"<h3>{_e(_('Pass rate per part'))}</h3>", _parts(a),
        f"<h3>{_e(_('Pass rate per test'))}</h3>",
        _img(figures["tests"], _("{assignment}: pass rate per test").format(assignment=a.name)),
        f"<details><summary>{_e(_('the counts'))}</summary>", _tests(a), "</details>",
        f"<h3>{_e(_('Mistakes, by number of students'))}</h3>",
        _img(figures["mistakes"], _("{assignment}: mistakes").format(assignment=a.name)), _mistakes(a),
        f"<h3>{_e(_('Not graded, or found under another name'))}</h3>", _ungraded(a),
    ]


def render(report: ClassReport, figures: Callable[[AssignmentReport], dict[str, bytes]], base_seed: str) -> str:
    """The whole page; ``figures`` draws the PNGs of one assignment."""
    nav = " ".join(f'<a href="#{_e(a.name)}">{_e(a.name)}</a>' for a in report.assignments)
    parts = [
        "<!DOCTYPE html>", f'<html lang="{language()}"><head><meta charset="utf-8">',
        f"<title>{_e(_('Backprop Lab: class report'))}</title>", f"<style>{STYLE}</style></head><body>",
        f"<h1>{_e(_('Class report'))}</h1>",
        f'<p class="staff">{_e(_("For course staff only: this page names students beside the mistakes they made. Do not publish it or send it to students."))}</p>',
        _run_facts(report, base_seed), _overview(report), f"<nav>{nav}</nav>",
    ]
    if not report.assignments:
        parts.append("<p>" + _e(_("No results to report: run {command} first.")).format(command="<code>make grade</code>") + "</p>")
    for a in report.assignments:
        parts += _assignment(a, figures(a))
    return "\n".join(parts + ["</body></html>", ""])
