"""Run an assignment's grader suite (graders/NAME/) over one student, in this process.

The ``student`` given here is only a proxy (:mod:`graders.student`); with the remote one, no
student code runs in this process. pytest's own output is silenced; outcomes come from
pytest-json-report's report, turned into the contract's JSON by :mod:`graders.engine.report`.
"""
from __future__ import annotations

import contextlib
import io
import os
import time
from collections import OrderedDict
from typing import Any, Iterable

import pytest
import pytest_jsonreport.plugin
from _pytest.config import _prepareconfig
from pytest_jsonreport.plugin import JSONReport

import graders.plugin
from graders import ROOT, __version__
from graders.engine.report import to_result
from graders.plugin import DEFAULT_SEED, STUDENT_KEY, TEST_BUDGET_S, forget_outcome, points_of

GRADERS_DIR = ROOT / "graders"
_UNUSED_PLUGINS = ("warnings", "unraisableexception", "threadexception", "faulthandler", "doctest",
                   "junitxml", "pastebin", "nose", "logging", "cacheprovider", "stepwise", "lfplugin",
                   # nor these: no grader uses their fixtures, markers or options
                   "debugging", "unittest", "tmpdir", "monkeypatch", "recwarn", "setuponly", "setupplan",
                   "subtests")


class _Select:
    """Keeps only the chosen parts / public tests (fixed for a suite's whole life)."""

    def __init__(self, parts: Iterable[str] | None, public_only: bool):
        self.parts, self.public_only = set(parts) if parts else None, public_only

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        keep, drop = [], []
        for item in items:
            _, part = points_of(item)
            wanted = (self.parts is None or part in self.parts) and (
                not self.public_only or item.get_closest_marker("public") is not None
            )
            (keep if wanted else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep


@contextlib.contextmanager
def _env(key: str, value: str):
    old = os.environ.get(key)
    os.environ[key] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = old


@contextlib.contextmanager
def _quiet():
    """pytest's and the grader code's printing kept in a buffer (shown only when a suite breaks)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), _env("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1"):
        yield out


class _Suite:
    """One assignment's grader suite, configured and collected once in this process, then run
    once per student. pytest.main per student paid again each time for the plugins' set-up, the
    fixtures' discovery and the collection (about 40% of the grading process's CPU for a filled-in
    submission).

    Nothing of a student outlives its run: the student is handed over for the run only, every
    fixture is torn down after the last test (the session-scoped one included), each test's
    request and the failure message the plugin stashes on it are cleared before it runs again,
    and the JSON report starts empty. What stays is what pytest.main also kept per process: the
    imported grader modules and the loaded reference."""

    def __init__(self, name: str, parts: frozenset[str] | None, public_only: bool):
        self.report = JSONReport()
        args = [
            str(GRADERS_DIR / name),
            "-c", str(GRADERS_DIR / "pytest.ini"),
            "--rootdir", str(GRADERS_DIR),
            "-q", "--no-header",
            "--tb=no",  # students never see pytest's tracebacks, and formatting one per failure is slow
            # No assertion rewriting: a failure's message is exactly the text the grader wrote, never
            # pytest's explanation of it (which would show hidden expected values).
            "--assert=plain",
            # Nothing is captured per test: the grader code prints nothing worth keeping, and what
            # it prints lands in the run's buffer (_quiet), never in a report.
            "--capture=no",
            "--json-report-file", "none",
            # Only outcomes and our metadata are read (graders.engine.report): skip the rest's cost.
            "--json-report-omit", "collectors", "log", "traceback", "streams", "warnings", "keywords",
        ]
        for plugin in _UNUSED_PLUGINS:  # unraisableexception alone costs two full gc passes a run
            args += ["-p", f"no:{plugin}"]
        with _quiet() as out:
            # Plugins are given, never discovered: no scan of every installed package's entry
            # points (PYTEST_DISABLE_PLUGIN_AUTOLOAD; a plugin named by `-p` is also looked up among
            # them), and nothing else installed can join in.
            self.config = _prepareconfig(args, [graders.plugin, pytest_jsonreport.plugin,
                                                _Select(parts, public_only), self.report])
            try:
                self.config._do_configure()
                self.session = pytest.Session.from_config(self.config)
                self.config.hook.pytest_sessionstart(session=self.session)
                self.config.hook.pytest_collection(session=self.session)
            except BaseException:
                self.config._ensure_unconfigure()
                raise
        if self.session.testsfailed or not self.session.items:
            self.config._ensure_unconfigure()
            code = "2: it did not collect" if self.session.testsfailed else "5: no test collected"
            raise RuntimeError(f"the grader suite of {name} did not run (pytest exit {code}):\n{out.getvalue()[-2000:]}")
        self.items: list[pytest.Item] = list(self.session.items)

    def run(self, student: Any, seed: int, test_budget_s: float | None) -> dict[str, Any]:
        """pytest-json-report's report of every test on ``student``."""
        config, session, report = self.config, self.session, self.report
        config.stash[STUDENT_KEY] = student
        config.option.grading_seed = seed
        config.option.test_budget = TEST_BUDGET_S if test_budget_s is None else test_budget_s
        # An empty report: no test of the run before (what collection counted stays).
        report._json_tests, report._json_warnings, report.report = OrderedDict(), [], None
        session.testsfailed = 0
        session.exitstatus = pytest.ExitCode.OK
        try:
            with _quiet():
                report.pytest_sessionstart(session)
                for i, item in enumerate(self.items):
                    forget_outcome(item)
                    nextitem = self.items[i + 1] if i + 1 < len(self.items) else None
                    item.ihook.pytest_runtest_protocol(item=item, nextitem=nextitem)
                    if session.shouldfail or session.shouldstop:
                        raise RuntimeError(f"the run stopped: {session.shouldfail or session.shouldstop}")
                session._setupstate.teardown_exact(None)  # already done by the last test's teardown
                session.exitstatus = pytest.ExitCode.TESTS_FAILED if session.testsfailed else pytest.ExitCode.OK
                report.pytest_sessionfinish(session)
        finally:
            del config.stash[STUDENT_KEY]
        return report.report

    def close(self) -> None:
        """Tear down whatever a broken-off run left set up, and end pytest's configuration."""
        with _quiet():
            try:
                self.session._setupstate.teardown_exact(None)
            except Exception:  # noqa: BLE001 - a fixture that fails to tear down: nothing to add
                pass
            self.config._ensure_unconfigure()


_suites: dict[tuple[str, frozenset[str] | None, bool], _Suite] = {}


def _suite(name: str, parts: Iterable[str] | None, public_only: bool) -> _Suite:
    key = (name, frozenset(parts) if parts else None, public_only)
    if key not in _suites:
        _suites[key] = _Suite(*key)
    return _suites[key]


def warm(name: str) -> None:
    """Configure and collect assignment ``name``'s suite once in this process, running none of its
    tests: its modules, the references and cases they load, and the collected suite itself are then
    here, and every process forked afterwards (a batch's pool) starts with them instead of paying
    for them on its first submission. Nothing of a student is involved; a suite that does not
    collect is left as it is (grading it says why)."""
    try:
        _suite(name, None, False)
    except Exception:  # noqa: BLE001
        pass
    from graders.reference import load_reference

    try:  # the ``ref`` fixture's (kept per process); a reference that fails is reported by grading
        load_reference(name)
    except Exception:  # noqa: BLE001
        pass


def run_suite(
    name: str,
    student: Any,
    *,
    student_id: str | None = None,
    seed: int = DEFAULT_SEED,
    parts: Iterable[str] | None = None,
    public_only: bool = False,
    test_budget_s: float | None = None,
) -> dict[str, Any]:
    """Grade ``student`` (a Student) on assignment ``name``; the result dict."""
    started = time.perf_counter()
    suite = _suite(name, parts, public_only)
    try:
        report = suite.run(student, seed, test_budget_s)
    except BaseException as exc:
        # A run that broke off (an interrupt included) may leave fixtures set up, the student's
        # among them: that suite is never run again, the next student gets a fresh one.
        _suites.pop((name, frozenset(parts) if parts else None, public_only), None)
        suite.close()
        if not isinstance(exc, Exception):
            raise
        raise RuntimeError(f"the grader suite of {name} did not run ({type(exc).__name__}: {exc})") from exc
    return to_result(
        report,
        assignment=name,
        student=student_id,
        seed=seed,
        grader_version=__version__,
        duration_s=round(time.perf_counter() - started, 3),
    )
