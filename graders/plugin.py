"""The pytest plugin every grader suite runs under (``-p graders.plugin``).

Markers:
    points(value, *, part)  the test's points and the graded part (nbgrader grade id) it belongs to
    public                  the test is one of the public checks (``make check``); others are hidden
Fixtures:
    student   the submission (:class:`graders.student.api.Student`), with a fresh time budget per test
    ref       the reference solution's names (trusted, grading side)
    rng       a numpy Generator seeded from the run's seed and the test's node id
Each test's points, part, visibility and a student-facing message land in pytest-json-report's
per-test ``metadata`` (its optional ``pytest_json_runtest_metadata`` hook), with the identifier of
the mistake a failure's message names (:class:`graders.checks.Mistake`), or None when it names none.
"""
from __future__ import annotations

import builtins
import zlib
from typing import Any

import numpy as np
import pytest

from graders.student.errors import StudentCrashed, StudentError, StudentTimeout
from graders.messages import _

STUDENT_KEY = pytest.StashKey[Any]()  # the Student the caller grades (graders.engine.suite sets it)
MESSAGE_KEY = pytest.StashKey[str]()
MISTAKE_KEY = pytest.StashKey["str | None"]()
STATUS_KEY = pytest.StashKey[str]()
DEFAULT_SEED = 2026
# Each test may spend this long in student code in all; a correct solution needs well under 1 s.
TEST_BUDGET_S = 10.0


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("backprop-lab")
    group.addoption("--submission", help="grade this submission (folder or NAME.ipynb / NAME.py)")
    group.addoption("--grading-seed", type=int, default=DEFAULT_SEED, help="seed of the random inputs")
    group.addoption("--test-budget", type=float, default=TEST_BUDGET_S, help="seconds of student code per test")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(value, *, part): points of the test and its graded part (grade id)")
    config.addinivalue_line("markers", "public: a public check, run by make check; unmarked tests are hidden")


def points_of(item: pytest.Item) -> tuple[float, str]:
    mark = item.get_closest_marker("points")
    if mark is None or not mark.args or "part" not in mark.kwargs:
        raise pytest.UsageError(f"{item.nodeid} has no @pytest.mark.points(value, part=...)")
    return float(mark.args[0]), str(mark.kwargs["part"])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        points_of(item)  # every grader test carries points: fail loudly at collection otherwise


@pytest.fixture(scope="session")
def _session_student(request: pytest.FixtureRequest):
    config = request.config
    made = config.stash.get(STUDENT_KEY, None)
    if made is None:
        path = config.getoption("--submission")
        if not path:
            pytest.exit("grader suites need --submission PATH (or python -m graders grade)", returncode=2)
        from graders.student.remote import RemoteStudent

        name = request.node.items[0].path.parent.name if request.node.items else ""
        made = RemoteStudent.start(name, path)
        yield made
        made.close()
    else:
        yield made


@pytest.fixture
def student(_session_student, request: pytest.FixtureRequest):
    _session_student.begin_test(request.config.getoption("--test-budget"))
    return _session_student


@pytest.fixture
def ref(request: pytest.FixtureRequest):
    from graders.reference import load_reference

    return load_reference(request.path.parent.name)


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> np.random.Generator:
    seed = request.config.getoption("--grading-seed")
    return np.random.default_rng([seed, zlib.crc32(request.node.nodeid.encode())])


def student_message(exc: BaseException) -> tuple[str, str]:
    """(status, message a student can read) for the exception that ended a test.

    Only the message is shown, never the grader's source lines (hidden tests stay hidden)."""
    if isinstance(exc, StudentTimeout):
        return "timeout", _("your code ran too long: {reason}").format(reason=exc)
    if isinstance(exc, StudentCrashed):
        return "error", _("your code's process ended: {reason}").format(reason=exc)
    if isinstance(exc, StudentError):
        return "error", _("your code raised {error}").format(error=exc)
    if isinstance(exc, AssertionError):
        text = str(exc.args[0]) if exc.args else _("a check failed")
        return "failed", text
    return "error", _("the grader could not check this ({kind}: {reason})").format(kind=type(exc).__name__, reason=exc)


def forget_outcome(item: pytest.Item) -> None:
    """Clear what a run of ``item`` left on it: the next run of the same collected test (the
    engine collects a suite once per process) starts as if it had never run."""
    for key in (MESSAGE_KEY, STATUS_KEY, MISTAKE_KEY):
        if key in item.stash:
            del item.stash[key]
    item._report_sections = []  # type: ignore[attr-defined]
    item.user_properties = []


# A skip, or a group of exceptions that may all be skips (no builtin group before Python 3.11).
_LEFT_TO_PYTEST = (pytest.skip.Exception, getattr(builtins, "BaseExceptionGroup", ()))


@pytest.hookimpl(tryfirst=True, specname="pytest_runtest_makereport")
def pytest_runtest_makereport_without_traceback(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport | None:
    """A failed test's report, as pytest makes it but for its long representation: the message a
    student reads (student_message) instead of pytest's filtered and formatted traceback, which
    the engine never shows (it runs with --tb=no) and which cost about 0.4 ms of CPU per failed
    test. With tracebacks asked for (a grader's author running pytest), skips, and anything but a
    plain exception, pytest makes the report."""
    excinfo = call.excinfo
    if (item.config.option.tbstyle != "no" or not isinstance(excinfo, pytest.ExceptionInfo)
            or isinstance(excinfo.value, _LEFT_TO_PYTEST)):
        return None
    sections = [(f"Captured {key} {when}", content) for when, key, content in item._report_sections]
    return pytest.TestReport(item.nodeid, item.location, dict.fromkeys(item.keywords, 1), "failed",
                             student_message(excinfo.value)[1], call.when, sections, call.duration,
                             call.start, call.stop, user_properties=item.user_properties)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if call.excinfo is not None and report.failed:
        status, message = student_message(call.excinfo.value)
        item.stash[STATUS_KEY] = status
        item.stash[MESSAGE_KEY] = message
        item.stash[MISTAKE_KEY] = getattr(call.excinfo.value, "mistake", None)
    return report


@pytest.hookimpl(optionalhook=True)
def pytest_json_runtest_metadata(item: pytest.Item, call: pytest.CallInfo) -> dict:
    value, part = points_of(item)
    meta = {"points": value, "part": part, "public": item.get_closest_marker("public") is not None}
    if MESSAGE_KEY in item.stash:
        meta["message"] = item.stash[MESSAGE_KEY]
        meta["status"] = item.stash[STATUS_KEY]
        meta["mistake"] = item.stash.get(MISTAKE_KEY, None)
    return meta
