"""The class report (graders/report/), on a class built from the catalogs and graded by the real engine.

Every number the report shows is checked against the result JSON it was made from: each histogram
bin, each pass rate, each mistake count. The expectations here are computed from the JSON by the
rules the report states (graded = found under its name or another; a failure on NotImplementedError
is "not attempted", not a mistake), never copied from the report.
"""
from __future__ import annotations

import base64
import csv
import json
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from graders import ASSIGNMENTS, ROOT
from graders.engine.batch import run_batch
from graders.report import summary_lines, write_report

CATALOG = Path(__file__).parent / "submissions"
SAMPLE = ROOT / "examples" / "submitted"
STUDENTS = [f"s{i:02d}" for i in range(1, 21)]
HOSTILE_NAME = "eve<img src=x onerror=alert(1)>\x1b[31m"
BLANK, MISNAMED, EMPTY = "blank", "misnamed", "empty"


def catalog_cases(name: str) -> list[Path]:
    """A few correct and buggy cases, fewer than students, so several students share a mistake."""
    correct = sorted((CATALOG / name / "correct").glob("*/"))[:2]
    buggy = sorted((CATALOG / name / "buggy").glob("*/"))[:4]
    return correct + buggy


def build_class(submitted: Path) -> None:
    """20 catalog students, each skipping some assignments, plus a blank notebook, a misnamed
    notebook, an empty folder and a student whose name is markup."""
    for i, student in enumerate(STUDENTS):
        for j, name in enumerate(ASSIGNMENTS):
            if (i + j) % 2 == 0:
                continue  # each student submits two of the four assignments: enough for every count, fast
            cases = catalog_cases(name)
            shutil.copytree(cases[(i // 2 + j) % len(cases)], submitted / student / name,
                            ignore=shutil.ignore_patterns("expect.json"))
    (submitted / BLANK / "softmax_loss").mkdir(parents=True)
    shutil.copy(ROOT / "assignments" / "softmax_loss" / "softmax_loss.ipynb", submitted / BLANK / "softmax_loss")
    (submitted / MISNAMED / "softmax_loss").mkdir(parents=True)
    shutil.copy(SAMPLE / "ada_correct" / "softmax_loss" / "softmax_loss.ipynb",
                submitted / MISNAMED / "softmax_loss" / "softmax_loss (1).ipynb")
    (submitted / EMPTY / "activations").mkdir(parents=True)
    shutil.copytree(sorted((CATALOG / "activations" / "buggy").glob("*/"))[0], submitted / HOSTILE_NAME / "activations",
                    ignore=shutil.ignore_patterns("expect.json"))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """(results folder, {(student, assignment): result JSON}, the report's path) of the class."""
    submitted = tmp_path_factory.mktemp("class") / "submitted"
    build_class(submitted)
    out = submitted.parent / "results"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GRADERS_LOAD_TIMEOUT", "5")
        mp.setenv("GRADERS_CALL_TIMEOUT", "2")
        run_batch(submitted, out, jobs=2, progress=False)
    write_report(out)
    results = {}
    for path in out.glob("*/*.json"):
        r = json.loads(path.read_text())
        results[(r["student"], r["assignment"])] = r
    return out, results, out / "report.html"


# -- the rules the report states, applied to the JSON ----------------------------------------------
def is_graded(r: dict) -> bool:
    if r.get("submission_status"):
        return r["submission_status"] in ("ok", "renamed")
    return not r.get("error") and r.get("max_score") is not None and r.get("submission_sha256") is not None


def graded_of(results: dict, name: str) -> dict[str, dict]:
    return {s: r for (s, a), r in results.items() if a == name and is_graded(r)}


def csv_rows(out: Path, file: str, name: str) -> list[dict]:
    with open(out / "report" / file, newline="") as f:
        return [row for row in csv.DictReader(f) if row["assignment"] == name]


def shown(student: str) -> str:
    """A student's name as the report prints it: without control characters."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", "", student)


def failed(r: dict) -> list[dict]:
    return [t for t in r["tests"] if t["status"] != "passed"]


def not_attempted(t: dict) -> bool:
    return "NotImplementedError" in t["output"]


class Tables(HTMLParser):
    """{table id: [[cell text, ...], ...]} and every <img> src of a page."""

    def __init__(self):
        super().__init__()
        self.tables, self.images, self.tags = {}, [], set()
        self._table = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("id"), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "img":
            self.images.append(attrs.get("src", ""))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page(path: Path) -> Tables:
    parser = Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


# -- the class is what the test meant ----------------------------------------------------------------
def test_the_class_has_what_the_report_must_show(graded):
    """Does the graded class hold 20+ students, every assignment, a blank, a misnamed and an empty submission?"""
    _, results, _ = graded
    assert len({s for s, _ in results}) >= 20
    assert {a for _, a in results} == set(ASSIGNMENTS)
    assert all(not_attempted(t) for t in results[(BLANK, "softmax_loss")]["tests"])
    assert not is_graded(results[(EMPTY, "activations")])
    assert any(len(failed(r)) for r in results.values() if is_graded(r))


# -- every number against the JSON -------------------------------------------------------------------
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_histogram_count_matches_the_results(graded, name):
    """Does each score bin hold exactly the graded submissions whose score falls in it?"""
    out, results, html = graded
    scores = [r["score"] for r in graded_of(results, name).values()]
    bins = csv_rows(out, "histogram.csv", name)
    for row in bins:
        low, high = float(row["low"]), float(row["high"])
        want = sum(low <= s < high or low == high == s for s in scores)
        assert int(row["students"]) == want, (row, sorted(scores))
    assert sum(int(row["students"]) for row in bins) == len(scores), "a score fell in no bin"
    on_page = page(html).tables[f"hist-{name}"][1:]
    assert [int(cells[1]) for cells in on_page] == [int(row["students"]) for row in bins]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_pass_rate_matches_the_results(graded, name):
    """Does each part's and each test's pass rate count the graded submissions that passed it?"""
    out, results, html = graded
    subs = graded_of(results, name)
    full, tried, passed, ran = defaultdict(int), defaultdict(int), defaultdict(int), defaultdict(int)
    for r in subs.values():
        parts = defaultdict(lambda: [0.0, 0.0])
        for t in r["tests"]:
            parts[t["part"]][0] += t["score"]
            parts[t["part"]][1] += t["max_score"]
            test = t["name"].split(": ", 1)[1]
            ran[test] += 1
            passed[test] += t["status"] == "passed"
        for part, (score, top) in parts.items():
            tried[part] += 1
            full[part] += score >= top
    part_rows = csv_rows(out, "parts.csv", name)
    assert {row["part"] for row in part_rows} == set(tried)
    for row in part_rows:
        assert (int(row["full_marks"]), int(row["graded"])) == (full[row["part"]], tried[row["part"]]), row
        assert float(row["pass_rate"]) == pytest.approx(full[row["part"]] / tried[row["part"]], abs=1e-4)
    test_rows = csv_rows(out, "tests.csv", name)
    assert {row["test"] for row in test_rows} == set(ran)
    for row in test_rows:
        assert (int(row["passed"]), int(row["graded"])) == (passed[row["test"]], ran[row["test"]]), row
    tables = page(html).tables
    assert {(c[0], c[1]) for c in tables[f"parts-{name}"][1:]} == {(p, f"{full[p]} / {tried[p]}") for p in tried}
    assert {(c[1], c[2]) for c in tables[f"tests-{name}"][1:]} == {(t, f"{passed[t]} / {ran[t]}") for t in ran}


def expected_mistakes(results: dict, name: str) -> tuple[dict[str, set], set, set]:
    """({mistake id: students}, undiagnosed students, not-attempted students) from the JSON."""
    made, undiagnosed, not_done = defaultdict(set), set(), set()
    for student, r in graded_of(results, name).items():
        for t in failed(r):
            if not_attempted(t):
                not_done.add(student)
            elif t["mistake"]:
                made[t["mistake"]].add(student)
            else:
                undiagnosed.add(student)
    return made, undiagnosed, not_done


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_mistake_count_matches_the_results(graded, name):
    """Is each diagnosed mistake counted once per student who made it, ranked, with its students named?"""
    out, results, html = graded
    made, undiagnosed, not_done = expected_mistakes(results, name)
    rows = csv_rows(out, "mistakes.csv", name)
    ranked = [row for row in rows if row["rank"]]
    assert {row["mistake"] for row in ranked} == set(made)
    for row in ranked:
        assert int(row["students"]) == len(made[row["mistake"]]), row
        assert set(row["who"].split("; ")) == {shown(s) for s in made[row["mistake"]]}
        assert row["hint"], f"{row['mistake']} has no hint text"
        assert row["hint"] in row["example"], "the example message should name the mistake it is an example of"
    counts = [int(row["students"]) for row in ranked]
    assert counts == sorted(counts, reverse=True), "mistakes are not ranked by number of students"
    special = {row["mistake"]: int(row["students"]) for row in rows if not row["rank"]}
    assert special == {"(undiagnosed)": len(undiagnosed), "(not attempted)": len(not_done)}
    table = page(html).tables[f"mistakes-{name}"][1:]
    assert [int(cells[2]) for cells in table] == counts + [len(undiagnosed), len(not_done)]


def test_ungraded_and_renamed_submissions_are_listed(graded):
    """Are the empty folder and the misnamed notebook listed with their status, not hidden in a zero?"""
    _, results, html = graded
    tables = page(html).tables
    empty = {cells[0]: cells[1] for cells in tables["ungraded-activations"][1:]}
    assert empty[EMPTY].startswith("not graded")
    misnamed = {cells[0]: cells[1] for cells in tables["ungraded-softmax_loss"][1:]}
    # Graded from the file of another name where the engine finds it, else listed as not graded.
    want = "graded, found under another name" if is_graded(results[(MISNAMED, "softmax_loss")]) else "not graded"
    assert misnamed[MISNAMED].startswith(want)


def test_summary_lines_name_the_report_and_the_three_commonest_mistakes(graded):
    """Does `python -m graders.report` print the report's path and the three mistakes most students made?"""
    out, results, html = graded
    every = {}
    for name in ASSIGNMENTS:
        every.update({m: len(who) for m, who in expected_mistakes(results, name)[0].items()})
    top = sorted(every.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    lines = subprocess.run([sys.executable, "-m", "graders.report", str(out), "--out", str(out / "again.html")],
                           capture_output=True, text=True, check=True, cwd=ROOT).stdout.splitlines()
    assert lines == summary_lines(list(results.values()), out / "again.html")
    assert str(out / "again.html") in lines[0]
    shown = [line.split() for line in lines[2:]]
    assert [(words[2].rstrip(":"), int(words[0])) for words in shown] == top


# -- the page itself -------------------------------------------------------------------------------
def test_the_page_is_self_contained_and_escapes_student_text(graded):
    """Are its figures embedded PNGs, is there no script or outside file, and is a name made of markup shown as text?"""
    _, _, html = graded
    parsed = page(html)
    assert len(parsed.images) == 3 * len(ASSIGNMENTS)
    for src in parsed.images:
        assert src.startswith("data:image/png;base64,"), src[:80]
        assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")
    assert not parsed.tags & {"script", "link", "iframe", "object", "embed"}
    text = html.read_text(encoding="utf-8")
    assert "eve&lt;img src=x onerror=alert(1)&gt;" in text and "\x1b" not in text
    assert "staff only" in text.lower()


def test_figures_and_numbers_are_also_files(graded):
    """Does the report leave each figure as a PNG and each table as a CSV beside the page?"""
    out, _, _ = graded
    for name in ASSIGNMENTS:
        for kind in ("scores", "tests", "mistakes"):
            assert (out / "report" / f"{name}_{kind}.png").read_bytes().startswith(b"\x89PNG")
    for table in ("histogram", "parts", "tests", "mistakes", "submissions"):
        assert (out / "report" / f"{table}.csv").stat().st_size > 0


def test_the_page_renders_in_headless_chromium(graded, chromium, tmp_path):
    """Does the report open in a headless browser and show something (not a single colour)?"""
    from PIL import Image

    _, _, html = graded
    shot = tmp_path / "report.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1200,2000",
                    html.resolve().as_uri()], capture_output=True, timeout=120, check=True)
    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 1, "the screenshot is a single colour"
