"""The report's figures as PNG bytes, drawn by matplotlib's Agg canvas (no display, no pyplot state).

Each figure draws numbers computed in :mod:`graders.report.data`, the same numbers the tables and
CSV files hold, and nothing a student wrote (names of tests, parts and mistakes are the graders').
The PNG metadata carries no software version or date, so one class gives the same bytes each time.
"""
from __future__ import annotations

import io
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib import rc_context
from matplotlib.figure import Figure

from graders.report.data import AssignmentReport
from graders.messages import _, language, use

PASS, FAIL, BAR = "#2e7d32", "#c62828", "#3b6ea8"
PART_COLOURS = ("#3b6ea8", "#d08c1f", "#6a4c93", "#2a9d8f", "#b5485d", "#5c677d")
WIDTH_IN, DPI = 9.0, 100


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _tidy(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def score_histogram(report: AssignmentReport) -> bytes:
    """Students per score bin, the full-marks bin drawn in green."""
    fig = Figure(figsize=(WIDTH_IN, 3.2), layout="constrained")
    ax = fig.add_subplot()
    bins = report.bins
    colours = [PASS if b.low == b.high else BAR for b in bins]
    bars = ax.bar(range(len(bins)), [b.students for b in bins], color=colours, width=0.85)
    ax.bar_label(bars, labels=[str(b.students) if b.students else "" for b in bins], fontsize=9)
    ax.set_xticks(range(len(bins)), [b.label for b in bins], fontsize=8)
    ax.set_xlabel(_("score out of {points} (a bin a-b holds a <= score < b; green: full marks)").format(
        points=f"{report.top:g}"))
    ax.set_ylabel(_("students"))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(_("{assignment}: score distribution of {count} graded submissions").format(
        assignment=report.name, count=len(report.graded)), loc="left")
    _tidy(ax)
    return _png(fig)


def pass_rates(report: AssignmentReport) -> bytes:
    """One horizontal bar per test (share of graded submissions that passed it), coloured by part."""
    tests = report.tests
    fig = Figure(figsize=(WIDTH_IN, 1.2 + 0.24 * max(len(tests), 1)), layout="constrained")
    ax = fig.add_subplot()
    parts = list(dict.fromkeys(t.part for t in tests))
    colour = {p: PART_COLOURS[i % len(PART_COLOURS)] for i, p in enumerate(parts)}
    y = range(len(tests))[::-1]
    ax.barh(list(y), [100 * t.rate for t in tests], color=[colour[t.part] for t in tests], height=0.7)
    ax.set_yticks(list(y), [t.name.removeprefix("test_") for t in tests], fontsize=7.5)
    for yi, t in zip(y, tests):
        ax.text(100 * t.rate + 1, yi, f"{t.passed}/{t.graded}", va="center", fontsize=7)
    ax.set_xlim(0, 115)
    ax.set_xlabel(_("% of graded submissions that passed"))
    handles = [ax.bar(0, 0, color=colour[p], label=p) for p in parts]
    if handles:
        ax.legend(title=_("part"), fontsize=8, title_fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(_("{assignment}: pass rate per test").format(assignment=report.name), loc="left")
    _tidy(ax)
    return _png(fig)


def mistake_counts(report: AssignmentReport, shown: int = 12) -> bytes:
    """Students per diagnosed mistake (the most common first), then the undiagnosed failures and the
    stubs left unfilled."""
    rows = [(m.id.split(".", 1)[-1], len(m.students), FAIL) for m in report.mistakes[:shown]]
    rows.append((_("(undiagnosed failures)"), len(report.undiagnosed_students), "#888888"))
    rows.append((_("(not attempted: {error})").format(error="NotImplementedError"), len(report.not_done_students), "#bbbbbb"))
    fig = Figure(figsize=(WIDTH_IN, 1.0 + 0.3 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    y = range(len(rows))[::-1]
    bars = ax.barh(list(y), [row[1] for row in rows], color=[row[2] for row in rows], height=0.7)
    ax.bar_label(bars, fontsize=8, padding=2)
    ax.set_yticks(list(y), [row[0] for row in rows], fontsize=8)
    ax.set_xlabel(_("students"))
    ax.xaxis.get_major_locator().set_params(integer=True)
    if len(report.mistakes) > shown:
        title = _("{assignment}: diagnosed mistakes by number of students (top {shown} of {count})").format(
            assignment=report.name, shown=shown, count=len(report.mistakes))
    else:
        title = _("{assignment}: diagnosed mistakes by number of students").format(assignment=report.name)
    ax.set_title(title, loc="left")
    _tidy(ax)
    return _png(fig)


FIGURES = {"scores": score_histogram, "tests": pass_rates, "mistakes": mistake_counts}


# Fonts with Hangul, the first installed one draws a Korean report's figures (DejaVu Sans, the default, has none).
HANGUL_FONTS = ("NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR", "Noto Sans CJK JP",
                "Malgun Gothic", "AppleGothic", "UnDotum", "Baekmuk Gulim")


def hangul_font() -> str | None:
    """The name of an installed font that has Korean glyphs, or None. matplotlib's font list is
    cached when it is first built: a font installed later is looked for on the system and added."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in HANGUL_FONTS if name in installed), None)
    if found is None:
        wanted = {name.replace(" ", "").lower() for name in HANGUL_FONTS}
        for path in font_manager.findSystemFonts():
            stem = Path(path).stem.replace("-Regular", "").replace(" ", "").lower()
            if stem in wanted or stem.startswith("notosanscjk"):
                font_manager.fontManager.addfont(path)
        installed = {f.name for f in font_manager.fontManager.ttflist}
        found = next((name for name in HANGUL_FONTS if name in installed), None)
    return found


def figures(report: AssignmentReport) -> dict[str, bytes]:
    """{kind: PNG bytes} of one assignment: scores, tests, mistakes. In Korean, drawn with a Hangul
    font; with none installed, the figures' words stay English rather than show empty boxes."""
    lang = language()
    font = hangul_font() if lang == "ko" else None
    if lang == "ko" and font is None:
        use("en")
    try:
        with rc_context({"font.family": [font, "DejaVu Sans"]} if font else {}):
            return {kind: draw(report) for kind, draw in FIGURES.items()}
    finally:
        use(lang)
