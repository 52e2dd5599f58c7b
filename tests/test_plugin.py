"""The pytest plugin graders run under, tested the way a grader author meets it (pytester)."""
import json

import pytest

from graders import ROOT

SUBMISSION = "def double(x):\n    return 2 * x\n"


@pytest.fixture
def grader_dir(pytester, monkeypatch):
    """A grader suite folder named like an assignment, and a submission for it."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makefile(".py", activations=SUBMISSION)
    return pytester


def run(pytester, *args):
    return pytester.runpytest_subprocess("-p", "graders.plugin", "--assert=plain", "--submission", "activations.py", "--json-report",
                                         "--json-report-file", "report.json", *args)


def test_markers_are_documented(pytester, monkeypatch):
    """Does `pytest --markers` document points(value, *, part) and public?"""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    result = pytester.runpytest_subprocess("-p", "graders.plugin", "--markers")
    result.stdout.fnmatch_lines(["*points(value, [*], part)*", "*public:*"])


def test_a_test_without_points_is_a_usage_error(grader_dir):
    """Is a grader test with no points marker refused at collection?"""
    grader_dir.makepyfile(test_x="def test_nothing(student):\n    pass\n")
    result = run(grader_dir)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*has no @pytest.mark.points*"])


def test_metadata_carries_points_part_and_student_message(grader_dir):
    """Does each test's JSON metadata hold its points, part, visibility and a message without grader source?"""
    grader_dir.makepyfile(test_x='''
import numpy as np, pytest

@pytest.mark.points(2, part="functions")
@pytest.mark.public
def test_double(student):
    assert student.double(np.array([1.0]))[0] == 2.0, "double is wrong"

@pytest.mark.points(1.5, part="functions")
def test_secret_expectation(student):
    hidden_expected_value = 3.0
    assert student.double(np.array([1.0]))[0] == hidden_expected_value, "double([1]) should be 3 here"

@pytest.mark.points(1, part="layer")
def test_missing(student):
    student.Missing()
''')
    run(grader_dir)
    tests = {t["nodeid"].split("::")[1]: t for t in json.loads((grader_dir.path / "report.json").read_text())["tests"]}
    assert tests["test_double"]["metadata"] == {"points": 2.0, "part": "functions", "public": True}
    secret = tests["test_secret_expectation"]["metadata"]
    assert secret["message"] == "double([1]) should be 3 here" and secret["status"] == "failed"
    assert "hidden_expected_value" not in json.dumps(secret)
    missing = tests["test_missing"]["metadata"]
    assert missing["status"] == "error" and "defines no 'Missing'" in missing["message"]


def test_rng_is_reproducible_per_test_and_seed(grader_dir):
    """Does rng give the same numbers for the same seed and test, and others for another seed?"""
    grader_dir.makepyfile(test_x='''
import pytest

@pytest.mark.points(1, part="p")
def test_draw(rng, record_property):
    print("DRAW", rng.integers(1 << 30))
''')
    draws = []
    for seed in (1, 1, 2):
        out = run(grader_dir, "-s", "--grading-seed", str(seed)).stdout.str()
        draws.append([line for line in out.splitlines() if "DRAW" in line][0])
    assert draws[0] == draws[1] != draws[2]
