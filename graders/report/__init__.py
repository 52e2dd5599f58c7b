"""The class report for course staff: results/report.html plus its figures (PNG) and numbers (CSV).

    python -m graders.report RESULTS [--out RESULTS/report.html] [--figures RESULTS/report]

Reads the results of `python -m graders batch` and shows, per assignment, the score distribution,
the pass rate per part and per test, the diagnosed mistakes ranked by how many students made
them (each with its hint, one example message and the students concerned), the undiagnosed
failures, the submissions that could not be graded or were found under another name, and the
isolation level and seed of the run. One module per job: data (counting), hints (mistake texts),
plots (matplotlib), tables (CSV), page (HTML).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from graders import ASSIGNMENTS
from graders.report import data
from graders.report.hints import hint_texts
from graders.messages import _

__all__ = ["build_report", "summary_lines", "write_report"]


def build_report(results: Iterable[dict[str, Any]] | Path) -> data.ClassReport:
    """The counted report of a results folder, or of result dicts (what ``run_batch`` returns)."""
    if isinstance(results, (str, Path)):
        submissions = data.load(Path(results))
    else:
        submissions = [data.read_result(r) for r in results if isinstance(r, dict)]
    return data.build(submissions, hint_texts())


def base_seed(report: data.ClassReport) -> str:
    """The run's seed in words: each submission's seed is derived from a base seed (batch.student_seed)."""
    from graders.engine.batch import student_seed
    from graders.plugin import DEFAULT_SEED

    seeds = {key: s for key, s in report.seeds.items() if s is not None}
    if not seeds:
        return _("not recorded")
    if all(student_seed(DEFAULT_SEED, student, name) == s for (student, name), s in seeds.items()):
        return _("base seed {seed} (the default); each submission's own seed, derived from it, is in its JSON "
                 "and in submissions.csv").format(seed=DEFAULT_SEED)
    return _("a base seed other than the default; each submission's own seed is in its JSON and in submissions.csv")


def write_report(results: Path, out: Path | None = None, figures: Path | None = None) -> data.ClassReport:
    """Write the HTML page (``out``, default RESULTS/report.html), and the PNG figures and CSV numbers
    (``figures``, default RESULTS/report/); returns the counted report."""
    from graders.report import page, plots, tables

    results = Path(results)
    out = out or results / "report.html"
    figures = figures or results / "report"
    report = build_report(results)
    tables.write(report, figures)
    drawn: dict[str, dict[str, bytes]] = {}

    def draw(a: data.AssignmentReport) -> dict[str, bytes]:
        drawn[a.name] = plots.figures(a)
        for kind, png in drawn[a.name].items():
            (figures / f"{a.name}_{kind}.png").write_bytes(png)
        return drawn[a.name]

    text = page.render(report, draw, base_seed(report))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    return report


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def summary_lines(results: Iterable[dict[str, Any]] | Path | data.ClassReport,
                  report_path: Path | str | None = None, count: int = 3) -> list[str]:
    """Lines for the end of the score table: where the report is, and the ``count`` mistakes made by
    the most students (with their hint, cut to one line)."""
    report = results if isinstance(results, data.ClassReport) else build_report(results)
    lines = [_("class report (staff only): {path}").format(path=report_path)] if report_path else []
    top = report.top_mistakes(count)
    if not top:
        lines.append(_("no diagnosed mistakes in this class"))
        return lines
    lines.append(_("the {count} most common mistake(s):").format(count=len(top)))
    for name, m in top:
        who = (_("1 student") if len(m.students) == 1 else _("{count} students").format(count=len(m.students)))
        lines.append(_short(f"  {who:>11}  {m.id}: {m.hint or _('(no hint text)')}", 110))
    return lines
