"""The class report's counting and files on hand-made results: edge cases a graded class rarely shows."""
from __future__ import annotations

import csv
import json

import pytest

from graders.report import build_report, summary_lines, write_report
from graders.report.data import histogram
from graders.softmax_loss import hints


def result(student: str, score: float, tests: list[dict], **fields) -> dict:
    return {"assignment": "softmax_loss", "student": student, "score": score, "max_score": 10.0,
            "tests": tests, "seed": 1, "isolation": "namespaces", "submission_sha256": "x", **fields}


def case(part: str, name: str, status: str = "passed", mistake: str | None = None, output: str = "") -> dict:
    return {"name": f"{part}: {name}", "part": part, "public": False, "score": 1.0 if status == "passed" else 0.0,
            "max_score": 1.0, "status": status, "output": output, "mistake": mistake}


@pytest.mark.parametrize("top, scores, want", [
    (10.0, [0, 0.5, 9.99, 10], [("0-1", 2), ("9-10", 1), ("10", 1)]),
    (9.5, [9, 9.25, 9.5], [("9-9.5", 2), ("9.5", 1)]),
    (41.0, [0, 1.5, 2, 41], [("0-3", 3), ("39-41", 0), ("41", 1)]),
], ids=["one-point bins", "fractional top", "wide bins past 20 points"])
def test_histogram_bins_hold_each_score_once_and_full_marks_apart(top, scores, want):
    """Does every score land in exactly one bin, full marks in a bin of its own?"""
    bins = histogram(scores, top)
    assert sum(b.students for b in bins) == len(scores)
    assert bins[-1].low == bins[-1].high == top
    labels = {b.label: b.students for b in bins}
    for label, count in want:
        assert labels[label] == count, labels


def test_statuses_mistakes_and_hostile_text(tmp_path):
    """Are renamed, missing and refused submissions told apart, unknown mistakes kept, and student text cleaned?"""
    swl = hints.SWL_BACKWARD_N
    results = [
        result("=HYPERLINK(\"x\")", 9.0, [case("softmax", "a"), case("softmax", "b", "failed", swl.id, "msg " + swl)]),
        result("bob\x1b[2J", 9.0, [case("softmax", "a"), case("softmax", "b", "failed", swl.id, "msg")],
               submission_status="renamed", submission_file="softmax_loss (1).ipynb"),
        result("cy", 0.0, [case("softmax", "a", "failed", output="raised NotImplementedError"),
                           case("softmax", "b", "failed", "softmax_loss.gone", "old")]),
        result("dee", 0.0, [], submission_status="missing", submission_reason="nothing gradable in the folder"),
        result("eve", 0.0, [case("softmax", "a", "failed")], submission_status="refused", submission_reason="a symlink"),
    ]
    out = tmp_path / "results" / "softmax_loss"
    out.mkdir(parents=True)
    for r in results:
        (out / f"{len(list(out.iterdir()))}.json").write_text(json.dumps(r))
    report = write_report(tmp_path / "results").assignments[0]
    assert [s.student for s in report.graded] == ["=HYPERLINK(\"x\")", "bob[2J", "cy"]
    assert {s.student: s.status for s in report.not_graded} == {"dee": "missing", "eve": "refused"}
    assert report.renamed[0].reason == "graded from softmax_loss (1).ipynb"
    mistakes = {m.id: (m.students, m.hint) for m in report.mistakes}
    assert mistakes == {swl.id: (["=HYPERLINK(\"x\")", "bob[2J"], str(swl)), "softmax_loss.gone": (["cy"], "")}
    assert report.not_done_students == ["cy"] and report.undiagnosed_students == []
    page = (tmp_path / "results" / "report.html").read_text()
    assert "\x1b" not in page and "nothing gradable in the folder" in page and "a symlink" in page
    with open(tmp_path / "results" / "report" / "submissions.csv", newline="") as f:
        names = [row["student"] for row in csv.DictReader(f)]
    assert "'=HYPERLINK(\"x\")" in names, "a name a spreadsheet would run as a formula must be quoted"
    lines = summary_lines(results)
    assert lines[1].split()[:3] == ["2", "students", f"{swl.id}:"]


def test_an_empty_results_folder_gives_a_page_that_says_so(tmp_path):
    """Does a report of no results still write a page, saying there is nothing to report?"""
    write_report(tmp_path)
    assert "No results to report" in (tmp_path / "report.html").read_text()
    assert summary_lines(build_report(tmp_path)) == ["no diagnosed mistakes in this class"]
