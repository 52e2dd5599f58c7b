"""graders.notebook.run_part, as the hidden part of an autograded cell calls it in a kernel."""
from __future__ import annotations

import math

from graders import ROOT
from graders.notebook import run_part
from graders.student.extract import read_cells
from graders.student.loader import run_cells

SUBMISSIONS = ROOT / "tests" / "submissions" / "activations"


def namespace_of(path):
    namespace, problems = run_cells(read_cells(path), "kernel")
    assert not problems, problems
    return namespace


def test_run_part_returns_full_points_silently_for_a_warning_solution(capfd, recwarn):
    """Does a correct sigmoid that warns on overflow get the part's points, with nothing on stderr
    (nbgrader zeroes a grade cell that wrote to stderr)?"""
    ns = namespace_of(SUBMISSIONS / "correct" / "book_style_naive_sigmoid" / "activations.py")
    score = run_part("activations", "functions", ns)
    out, err = capfd.readouterr()
    assert type(score) is float and score == 3.0
    assert err == "" and "activations / functions: 3 / 3 points" in out
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)], "a warning escaped run_part"


def test_run_part_gives_partial_credit_and_the_message(capfd):
    """Does a bug cost only its tests' points, with the grader's message printed?"""
    ns = namespace_of(SUBMISSIONS / "buggy" / "sigmoid_grad_x_times_one_minus_x" / "activations.py")
    score = run_part("activations", "functions", ns)
    out, err = capfd.readouterr()
    assert 0 < score < 3 and math.isfinite(score)
    assert "FAIL" in out and "sigmoid_grad" in out and err == ""


def test_run_part_scores_0_without_raising_when_the_grader_cannot_run(capfd):
    """Does an unknown part score 0 with a printed reason instead of raising into the kernel?"""
    assert run_part("activations", "no_such_part", {}) == 0.0
    out, err = capfd.readouterr()
    assert "could not run" in out and err == ""
