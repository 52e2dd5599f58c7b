"""Catalogs of correct and buggy submissions, graded by the real sandboxed engine.

tests/submissions/NAME/correct/<case>/NAME.py: a correct implementation in some reasonable style
(the book's, a loop, einsum...). It must get full marks under every grading seed in SEEDS.

tests/submissions/NAME/buggy/<case>/NAME.py plus expect.json:
    {"loses": ["part", ...], "says": ["text", ...], "why": "the bug, in words"}
The submission must lose points in every part of "loses", keep full marks in every other part,
and the failed tests of a lost part must say each "says" text (case-insensitive) somewhere: a
score means what it says, and its message names the layer, the case and the symptom.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from graders import ASSIGNMENTS
from graders.engine.grade import grade
from graders.engine.report import part_scores

CATALOG = Path(__file__).parent / "submissions"
# A correct submission must not depend on the random inputs one seed happens to draw.
SEEDS = (2026, 7, 123456)


def cases(kind: str) -> list:
    found = []
    for name in ASSIGNMENTS:
        for folder in sorted((CATALOG / name / kind).glob("*/")):
            found.append(pytest.param(name, folder, id=f"{name}-{folder.name}"))
    return found


def failures(result: dict, part: str) -> str:
    return "\n".join(t["output"] for t in result["tests"] if t["part"] == part and t["score"] < t["max_score"])


@pytest.mark.parametrize("name, folder", cases("correct"))
def test_correct_submission_gets_full_marks_under_every_seed(name, folder):
    """Does every correct style get full marks, whatever the seed?"""
    for seed in SEEDS:
        result = grade(name, folder, seed=seed)
        lost = [f"{t['name']}: {t['output']}" for t in result["tests"] if t["score"] < t["max_score"]]
        assert result["max_score"] > 0 and not lost, f"seed {seed}: {folder.name} lost points:\n" + "\n".join(lost)


@pytest.mark.parametrize("name, folder", cases("buggy"))
def test_buggy_submission_loses_points_where_it_breaks_with_a_telling_message(name, folder):
    """Does each bug lose points in exactly the parts it breaks, with a message naming it?"""
    expect = json.loads((folder / "expect.json").read_text())
    for seed in SEEDS:
        check_buggy(grade(name, folder, seed=seed), expect, f"{folder.name} (seed {seed})")


def check_buggy(result: dict, expect: dict, label: str) -> None:
    parts = part_scores(result)
    assert set(expect["loses"]) <= set(parts), f"unknown parts in expect.json: {expect['loses']} vs {sorted(parts)}"
    for part, (score, top) in parts.items():
        if part in expect["loses"]:
            assert score < top, f"{label} ({expect['why']}) kept full marks in {part}"
        else:
            assert score == top, f"{label} lost points in {part}, which it does not break:\n{failures(result, part)}"
    said = "\n".join(failures(result, part) for part in expect["loses"]).lower()
    for text in expect["says"]:
        assert text.lower() in said, f"{label}: no message says {text!r}:\n{said}"


def test_the_catalogs_cover_every_assignment():
    """Do the catalogs hold at least 10 correct and 30 buggy submissions, some for every assignment?"""
    correct = {name: len(list((CATALOG / name / "correct").glob("*/"))) for name in ASSIGNMENTS}
    buggy = {name: len(list((CATALOG / name / "buggy").glob("*/expect.json"))) for name in ASSIGNMENTS}
    assert sum(correct.values()) >= 10 and sum(buggy.values()) >= 30, (correct, buggy)
    assert min(correct.values()) >= 3 and min(buggy.values()) >= 6, (correct, buggy)
