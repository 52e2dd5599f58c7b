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
from typing import Any, Iterable

import pytest
import pytest_jsonreport.plugin
from pytest_jsonreport.plugin import JSONReport

import graders.plugin
from graders import ROOT, __version__
from graders.engine.report import to_result
from graders.plugin import DEFAULT_SEED, STUDENT_KEY, points_of

GRADERS_DIR = ROOT / "graders"
_UNUSED_PLUGINS = ("warnings", "unraisableexception", "threadexception", "faulthandler", "doctest",
                   "junitxml", "pastebin", "nose", "logging", "cacheprovider", "stepwise", "lfplugin",
                   # nor these: no grader uses their fixtures, markers or options
                   "debugging", "unittest", "tmpdir", "monkeypatch", "recwarn", "setuponly", "setupplan",
                   "subtests")


class _Select:
    """Hands the student to the fixtures and keeps only the chosen parts / public tests."""

    def __init__(self, student: Any, parts: Iterable[str] | None, public_only: bool):
        self.student, self.parts, self.public_only = student, set(parts) if parts else None, public_only

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[STUDENT_KEY] = self.student

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


def warm(name: str) -> None:
    """Collect assignment ``name``'s suite once in this process, running none of its tests: its
    modules, and the references and cases they load, are then imported here, and every process
    forked afterwards (a batch's pool) starts with them instead of paying for them on its first
    submission. Nothing of a student is involved; a suite that does not collect is left as it is
    (grading it says why)."""
    args = [str(GRADERS_DIR / name), "-c", str(GRADERS_DIR / "pytest.ini"), "--rootdir", str(GRADERS_DIR),
            "-q", "--no-header", "--collect-only", "--assert=plain"]
    for plugin in _UNUSED_PLUGINS:
        args += ["-p", f"no:{plugin}"]
    with contextlib.redirect_stdout(io.StringIO()), _env("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1"):
        pytest.main(args, plugins=[graders.plugin, pytest_jsonreport.plugin])
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
    """Grade ``student`` (a Student, or a factory of one) on assignment ``name``; the result dict."""
    report = JSONReport()
    args = [
        str(GRADERS_DIR / name),
        "-c", str(GRADERS_DIR / "pytest.ini"),
        "--rootdir", str(GRADERS_DIR),
        "-q", "--no-header",
        "--tb=no",  # students never see pytest's tracebacks, and formatting one per failure is slow
        # No assertion rewriting: a failure's message is exactly the text the grader wrote, never
        # pytest's explanation of it (which would show hidden expected values).
        "--assert=plain",
        "--json-report-file", "none",
        # Only outcomes and our metadata are read (graders.engine.report): skip the rest's cost.
        "--json-report-omit", "collectors", "log", "traceback", "streams", "warnings", "keywords",
        "--grading-seed", str(seed),
    ]
    for plugin in _UNUSED_PLUGINS:  # unraisableexception alone costs two full gc passes a run
        args += ["-p", f"no:{plugin}"]
    if test_budget_s is not None:
        args += ["--test-budget", str(test_budget_s)]
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as out, _env("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1"):
        # Plugins are given, never discovered: no scan of every installed package's entry points
        # per run (PYTEST_DISABLE_PLUGIN_AUTOLOAD; a plugin named by `-p` is also looked up among
        # them), and nothing else installed can join in.
        code = pytest.main(args, plugins=[graders.plugin, pytest_jsonreport.plugin,
                                          _Select(student, parts, public_only), report])
    if report.report is None or code not in (0, 1):
        raise RuntimeError(f"the grader suite of {name} did not run (pytest exit {int(code)}):\n{out.getvalue()[-2000:]}")
    return to_result(
        report.report,
        assignment=name,
        student=student_id,
        seed=seed,
        grader_version=__version__,
        duration_s=round(time.perf_counter() - started, 3),
    )
