"""A failed grader test's pytest report, as the engine runs suites (--tb=no): the student's
message, never pytest's rendering of the grader's source; with tracebacks asked for, pytest's."""
import json

import pytest

from graders import ROOT

HIDDEN_TEST = """
import pytest

@pytest.mark.points(1, part="p")
def test_hidden():
    expected = 12345
    assert expected == 0, "your value is wrong"
"""


def longrepr(pytester, monkeypatch, tb: str) -> str:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_x=HIDDEN_TEST)
    result = pytester.runpytest_subprocess("-p", "graders.plugin", "--assert=plain", f"--tb={tb}", "--json-report",
                                           "--json-report-file", "report.json")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    (test,) = json.loads((pytester.path / "report.json").read_text())["tests"]
    assert test["metadata"]["message"] == "your value is wrong"
    return test["call"]["longrepr"]


def test_the_engines_report_of_a_failure_is_the_message_alone(pytester, monkeypatch):
    """With --tb=no, is a failure's long representation the message, with no grader line in it?"""
    assert longrepr(pytester, monkeypatch, "no") == "your value is wrong"


def test_a_grader_author_still_gets_pytests_traceback(pytester, monkeypatch):
    """With tracebacks on, does pytest still show where the grader failed?"""
    assert "expected = 12345" in longrepr(pytester, monkeypatch, "long")
