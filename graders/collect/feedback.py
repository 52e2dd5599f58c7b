"""One feedback page per student and assignment: feedback/<student>/<assignment>/<assignment>.html.

Self-contained (inline style, no script, no external file) and deterministic. It shows the score
per part, every test with its public/hidden label, and for each test that did not pass the
grader's message (a test's ``output``: written for the student, it never holds hidden expected
values). Every piece of text is HTML-escaped and loses its control characters: messages quote the
student's own code. The grading machine's folders (the kit, the class, the results, the home
folder) are replaced by labels in every text shown, and the result is bounded again
(graders.engine.limits), so a page stays small and says nothing of where it was made.
"""
from __future__ import annotations

import copy
import html
import sys
from pathlib import Path

from graders import ROOT
from graders.collect.results import Collected, collect
from graders.diagnoses import case_line, group, headline, listed, seen_in
from graders.engine.files import Refused, read_untrusted
from graders.engine.limits import bounded, known_roots, scrub, without_paths
from graders.names import shown
from graders.messages import N_, _, language, translate

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; }
td:first-child { overflow-wrap: anywhere; } th, td:not(:first-child) { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; }
.passed { color: #1a7f37; } .failed, .error, .timeout { color: #b3261e; }
pre { background: #f6f8fa; padding: 0.6rem; white-space: pre-wrap; border-left: 3px solid #b3261e; }
.small { color: #666; font-size: 0.85rem; margin-top: 2rem; }
.note { background: #fff8e1; padding: 0.5rem 0.8rem; border-left: 3px solid #e0a800; }
ul.seen { margin-top: 0; } ul.seen li { overflow-wrap: anywhere; }
"""
STATUS_TEXT = {"passed": N_("passed"), "failed": N_("failed"), "error": N_("error"), "timeout": N_("timed out")}


def _e(value: object) -> str:
    return html.escape(shown(value, lines=True), quote=True)


def _num(value: float) -> str:
    return f"{value:g}"


def _test_name(test: dict) -> str:
    name = str(test.get("name", "?"))
    part = str(test.get("part", ""))
    return name[len(part) + 2:] if part and name.startswith(f"{part}: ") else name


def _parts_table(entry: Collected) -> list[str]:
    rows = ["<table>", f"<tr><th>{_e(_('Part'))}</th><th>{_e(_('Score'))}</th><th>{_e(_('Points'))}</th></tr>"]
    got = top = 0.0
    for part, (score, points) in entry.parts.items():
        rows.append(f"<tr><td>{_e(part)}</td><td class=\"num\">{_num(score)}</td><td class=\"num\">{_num(points)}</td></tr>")
        got, top = got + score, top + points
    rows.append(f"<tr class=\"total\"><td>{_e(_('total'))}</td><td class=\"num\">{_num(got)}</td><td class=\"num\">{_num(top)}</td></tr>")
    return rows + ["</table>"]


def _tests_table(tests: list[dict]) -> list[str]:
    rows = ["<table>", f"<tr><th>{_e(_('Test'))}</th><th>{_e(_('Part'))}</th><th>{_e(_('Kind'))}</th>"
                       f"<th>{_e(_('Result'))}</th><th>{_e(_('Score'))}</th></tr>"]
    for t in tests:
        status = str(t.get("status", "error"))
        kind = _e(_("public") if t.get("public") else _("hidden"))
        rows.append(
            f"<tr><td>{_e(_test_name(t))}</td><td>{_e(t.get('part', ''))}</td><td>{kind}</td>"
            f"<td class=\"{_e(status)}\">{_e(translate(STATUS_TEXT[status]) if status in STATUS_TEXT else status)}</td>"
            f"<td class=\"num\">{_num(float(t.get('score', 0)))} / {_num(float(t.get('max_score', 0)))}</td></tr>")
    return rows + ["</table>"]


def _what_went_wrong(tests: list[dict]) -> list[str]:
    """Each diagnosis once (graders.diagnoses), then the tests where it showed, public or hidden."""
    found = group([{**t, "name": f"{_test_name(t)} ({t.get('part', '')}, {_('public') if t.get('public') else _('hidden')})"}
                   for t in tests])
    if not found:
        return []
    rows = [f"<h2>{_e(_('What went wrong'))}</h2>"]
    for d in found:
        rows.append(f"<pre>{_e(headline(d) or _('no message'))}</pre>")
        if listed(d):
            rows += [f"<p>{_e(seen_in(d))}</p>", "<ul class=\"seen\">",
                     *(f"<li>{_e(case_line(name, case))}</li>" for name, case in d.cases), "</ul>"]
        elif d.kind == "failure":
            rows.append(f"<ul class=\"seen\"><li>{_e(case_line(d.cases[0][0], ''))}</li></ul>")
    return rows


def _shown_result(entry: Collected, roots: dict[str, str]) -> dict:
    """A copy of the entry's result fit to show: tests that are dicts, no known folder, bounded."""
    result = copy.deepcopy(entry.result) if isinstance(entry.result, dict) else {}
    for key in ("load_errors", "warnings"):
        if not isinstance(result.get(key), list):
            result[key] = []
    result["tests"] = [t for t in result.get("tests") or [] if isinstance(t, dict)]
    return bounded(without_paths(result, roots))


def render(entry: Collected, roots: dict[str, str] | None = None) -> str:
    """The page of one submission; ``roots`` are the folders never to show (default: the kit's and home)."""
    roots = known_roots() if roots is None else roots
    result = _shown_result(entry, roots)
    tests = result["tests"]
    got = sum(score for score, _ in entry.parts.values())
    top = sum(points for _, points in entry.parts.values())
    title = _("{assignment}: feedback for {student}").format(assignment=entry.assignment, student=entry.student)
    status = result.get("submission_status")
    score = _e(_("MISSING")) if status == "missing" else f"{_num(got)} / {_num(top)}"
    body = [f"<h1>{_e(entry.assignment)}</h1>",
            "<p>" + _("Student: {student}. Score: {score}.").format(student=f"<b>{_e(entry.student)}</b>",
                                                                    score=f"<b>{score}</b>") + "</p>"]
    if status == "renamed":
        graded = result.get("submission_file") or _("a file of another name")
        body.append("<p class=\"note\">" + _("Graded from {file}: {reason}").format(
            file=f"<code>{_e(scrub(str(graded), roots))}</code>",
            reason=_e(result.get("submission_reason") or _("no file of the expected name was found"))) + "</p>")
    if entry.problem:
        body.append(f"<p class=\"note\">{_e(scrub(entry.problem, roots))}</p>")
    for problem in result.get("load_errors") or []:
        body.append(f"<p class=\"note\">{_e(_('While loading your code: {problem}').format(problem=problem))}</p>")
    if entry.parts:
        body += [f"<h2>{_e(_('Score per part'))}</h2>", *_parts_table(entry)]
    if tests:
        body += [f"<h2>{_e(_('Tests'))}</h2>", *_tests_table(tests)]
    body += _what_went_wrong(tests)
    for warning in result.get("warnings") or []:
        body.append("<p>" + _e(_("Note: your code warned {warning} (warnings cost no points).")).format(
            warning=f"<code>{_e(warning)}</code>") + "</p>")
    if result.get("isolation_level"):
        body.append("<p class=\"small\">" + _e(_("Graded in isolation: {isolation}. Seed {seed}.").format(
            isolation=result.get("isolation", ""), seed=result.get("seed", ""))) + "</p>")
    return "\n".join([
        "<!DOCTYPE html>", f"<html lang=\"{language()}\">", "<head>", "<meta charset=\"utf-8\">",
        f"<title>{_e(title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
        *body, "</body>", "</html>", ""])


# nbgrader writes a timestamp (about 30 bytes) and a secret (a hex digest): 4 KB is plenty.
NBGRADER_FILE_CAP = 4096


def _copy_small(source_dir: Path, name: str, folder: Path, student: str) -> None:
    """Copy nbgrader's small file ``name`` beside the page, read as the student's data: a link,
    FIFO, device or oversized file is skipped with a one-line warning, and never waited on."""
    try:
        data = read_untrusted(source_dir / name, NBGRADER_FILE_CAP)
    except FileNotFoundError:
        return  # a class gathered without nbgrader's submit has none
    except Refused as exc:
        print(_("warning: {student}: {reason}; not copied beside the feedback").format(
            student=shown(student, 80), reason=exc), file=sys.stderr)
        return
    (folder / name).write_bytes(data)


def main(*, results: Path, submitted: Path, out: Path = ROOT / "feedback") -> list[Path]:
    """Write every submission's page under ``out``; returns the pages written. A page that cannot
    be written is named on stderr and the others are still written."""
    written = []
    roots = known_roots({"<submissions>": submitted, "<results>": results, "<feedback>": out})
    for entry in collect(results, submitted):
        try:
            written.append(_write_one(entry, Path(submitted), Path(out), roots))
        except OSError as exc:
            print(_("feedback for {student}/{assignment} not written: {reason}").format(
                student=shown(entry.student, 80), assignment=entry.assignment, reason=exc.strerror), file=sys.stderr)
    return written


def _write_one(entry: Collected, submitted: Path, out: Path, roots: dict[str, str]) -> Path:
    # nbgrader's layout, so `nbgrader release_feedback` hands the page back: NOTEBOOK_ID.html
    # beside the submission's timestamp.txt and submission_secret.txt (which nbgrader's own
    # submit/collect put in the submitted folder; a class gathered otherwise has none).
    folder = Path(out) / entry.student / entry.assignment
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / f"{entry.assignment}.html"
    page.write_text(render(entry, roots), encoding="utf-8")
    for name in ("timestamp.txt", "submission_secret.txt"):
        _copy_small(Path(submitted) / entry.student / entry.assignment, name, folder, entry.student)
    return page
