"""The submission in a sandboxed worker process, seen from the grading side.

:class:`RemoteStudent` sends each request to the worker and decodes the reply as plain data.
A call that runs past its time raises :class:`StudentTimeout`; the worker is then killed (with
every process it started) and a fresh one is forked and loaded for the next test. A submission that
cannot even load (it hangs or exits at import) is marked dead: later requests fail at once, so it
costs seconds, not minutes. A whole submission has a wall-clock budget (SUBMISSION_BUDGET_S): past
it, every remaining test fails at once and the result is marked, keeping the points earned so far.
"""
from __future__ import annotations

import atexit
import os
import re
import signal
import socket
import time
from pathlib import Path
from typing import Any

from graders import ROOT
from graders.diagnoses import cell_named
from graders.diagnoses import where as diagnoses_where
from graders.student import protocol
from graders.student.api import Student
from graders.student.errors import MissingName, StudentCrashed, StudentError, StudentTimeout
from graders.student.levels import requested_level
from graders.student.extract import Cell
from graders.student.wire import encode
from graders.student.zygote import ForkServer
from graders.messages import _

# Running the notebook's cells: definitions take milliseconds; a demo cell may train a small net.
LOAD_TIMEOUT_S = 10.0
# One call: graded inputs are small (CONTRACT: plain loops finish well inside), correct code ~1 ms.
CALL_TIMEOUT_S = 3.0


# All of a submission's tests: correct code needs about a second; a submission that stays just under
# every per-call limit would otherwise take minutes.
SUBMISSION_BUDGET_S = 30.0
MAX_RESTARTS = 5  # fresh workers after crashes or timeouts before the rest fails at once
MAX_WARNINGS = 20  # distinct warnings kept per submission
OUTPUT_CAP = 8192  # characters of printed output kept per submission

_fork_server: ForkServer | None = None
_hidden: list[str] = []


def _limit(name: str, default: float) -> float:
    """A time limit, overridable through the environment (GRADERS_LOAD_TIMEOUT, GRADERS_CALL_TIMEOUT,
    GRADERS_SUBMISSION_BUDGET)."""
    return float(os.environ.get(name, default))


def hide_also(*paths: str | os.PathLike) -> None:
    """Folders the workers must not see besides the kit's (results, a class elsewhere)."""
    _hidden.extend(str(p) for p in paths)


def fork_server() -> ForkServer:
    """This process's fork server, started on first use at the level GRADERS_ISOLATION asks for
    (raises levels.IsolationUnavailable when no acceptable level can be built here)."""
    global _fork_server
    if _fork_server is None or _fork_server.proc.poll() is not None:
        _fork_server = ForkServer(ROOT, _hidden, requested_level())
        atexit.register(_fork_server.close)
    return _fork_server


def _where(where: str) -> str:
    """Where the student's code raised, as the worker writes it (graders.diagnoses.where, in English
    where its process has no catalogue), in this process's language; the student's line stays as it is."""
    found = re.fullmatch(r"(?:in (?P<function>[A-Za-z_][\w.<>]*), )?line (?P<line>\d+)"
                         r"(?: of (?P<cell>cell In\[\d+\]|the cell starting `(?P<first>[^`]*)`))?(?P<rest>.*)",
                         where, re.DOTALL)
    if not found:
        return where
    cell = cell_named(found["first"]) if found["first"] is not None else (found["cell"] or "")
    return diagnoses_where(found["function"] or "", int(found["line"]), cell) + found["rest"]


def _problem(problem: str) -> str:
    """A load problem as the worker writes it in English ("the cell starting `x = (`: SyntaxError at
    line 3: '(' was never closed", graders.student.loader) in this process's language; the cell's
    code and Python's own message stay as they are. Any other problem is the exception as raised."""
    found = re.fullmatch(r"(?:the cell starting (`[^`]*`): )?SyntaxError at line (\w+): (.*)", problem, re.DOTALL)
    if not found:
        return problem
    code, line, error = found.groups()
    if code:
        return _("the cell starting {code}: SyntaxError at line {line}: {error}").format(code=code, line=line, error=error)
    return _("SyntaxError at line {line}: {error}").format(line=line, error=error)


class RemoteStudent(Student):
    def __init__(self, cells: list[Cell], module: str):
        self.cells, self.module = cells, module
        self.pid: int | None = None
        self.sock: socket.socket | None = None
        self.dead: StudentCrashed | StudentTimeout | None = None
        self.restarts = 0
        self.budget = None
        self.problems: list[str] = []
        self.output: list[str] = []
        self.warnings: set[str] = set()
        self.output_size = 0
        self.isolation = ""
        self.level = ""
        self.deadline = float("inf")  # set once the code has loaded (loading has its own limit)
        self.over_budget = False

    @classmethod
    def start(cls, name: str, path: str | os.PathLike | None = None, *, submission: Any = None) -> "RemoteStudent":
        """A worker loaded with the submission at ``path``, or with ``submission`` (a
        graders.student.submission.Submission already read and parsed: grade() reads it once)."""
        from graders.student.extract import load_submission

        if submission is None:
            submission = load_submission(name, Path(path))
        if submission.problem:
            student = cls([], name)
            student.dead = StudentCrashed(f"could not read the submission: {submission.problem}")
            return student
        student = cls(list(submission.cells), name)
        try:
            student._boot()
        except (StudentCrashed, StudentTimeout):
            pass  # recorded in student.dead: every test reports it, and the grade is still written
        return student

    # -- the worker's life -----------------------------------------------------------------------
    def _boot(self) -> None:
        server = fork_server()
        self.level, self.isolation = server.level, server.description
        self.pid, self.sock = server.spawn()
        load_s = _limit("GRADERS_LOAD_TIMEOUT", LOAD_TIMEOUT_S)
        cells = [[c.index, c.source] for c in self.cells]
        try:
            reply, _arrays = self._exchange({"op": "load", "cells": cells, "module": self.module}, [], load_s)
        except StudentTimeout:
            self.dead = StudentTimeout(_("loading your code took over {seconds} s (a loop or a wait at the top level?)")
                                       .format(seconds=f"{load_s:g}"))
            raise self.dead from None
        except StudentCrashed as exc:
            self.dead = StudentCrashed(_("your code ended its process while loading ({reason}); is there an `exit()` "
                                         "or `os._exit()` at the top level?").format(reason=exc))
            raise self.dead from None
        if reply.get("walls_failed"):
            raise RuntimeError(f"the sandbox could not wall in a worker: {(reply.get('error') or {}).get('message')}")
        self.problems = [_problem(str(p)[:500]) for p in list(reply.get("problems", []))[:20]]
        if self.deadline == float("inf"):
            self.deadline = time.monotonic() + _limit("GRADERS_SUBMISSION_BUDGET", SUBMISSION_BUDGET_S)

    def _kill(self) -> None:
        """End the worker and everything it started: at the namespace levels its PID namespace
        dies with its first process; at the uid level the fork server ends its user's processes."""
        if self.pid:
            for kill in (lambda: os.killpg(self.pid, signal.SIGKILL), lambda: os.kill(self.pid, signal.SIGKILL)):
                try:
                    kill()
                except (ProcessLookupError, PermissionError):
                    pass
            if self.level == "uid" and _fork_server is not None:
                _fork_server.end_user_of(self.pid)
        if self.sock is not None:
            self.sock.close()
        self.pid, self.sock = None, None

    def _revive(self) -> None:
        """A fresh worker after a crash or timeout, while restarts remain."""
        self._kill()
        if self.dead is not None:
            raise self.dead
        if self.restarts >= MAX_RESTARTS:
            self.dead = StudentCrashed(_("stopped after {count} crashes or timeouts").format(count=MAX_RESTARTS))
            raise self.dead
        self.restarts += 1
        self._boot()

    def _exchange(self, header: dict, arrays: list, timeout: float) -> tuple[dict, list]:
        assert self.sock is not None
        try:
            protocol.send(self.sock, header, arrays)
            reply, out = protocol.recv(self.sock, timeout, limit=protocol.MAX_REPLY)
        except protocol.Timeout:
            self._kill()
            raise StudentTimeout(_("no answer within {seconds} s").format(seconds=f"{timeout:.1f}")) from None
        except protocol.TooLarge as exc:
            self._kill()
            raise StudentCrashed(_("sent back too much data ({reason})").format(reason=exc)) from None
        except (protocol.ProtocolError, OSError) as exc:
            self._kill()
            raise StudentCrashed(str(exc) if isinstance(exc, protocol.ProtocolError) and not isinstance(exc, protocol.PeerClosed) else _("the process exited")) from None
        if not isinstance(reply, dict):
            raise StudentCrashed(_("broke the protocol"))
        if reply.get("output") and self.output_size < OUTPUT_CAP:
            text = str(reply["output"])[: OUTPUT_CAP + 100]  # the worker's own cap, with its note
            self.output.append(text)
            self.output_size += len(text)
        for w in list(reply.get("warnings", []))[:5]:
            if len(self.warnings) < MAX_WARNINGS:
                self.warnings.add(str(w)[:500])
        return reply, out

    # -- the Student interface -----------------------------------------------------------------
    def begin_test(self, budget_s: float) -> None:
        self.budget = budget_s

    def _request(self, op: str, **fields: Any) -> Any:
        if self.dead is not None:
            raise self.dead
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.over_budget = True
            self._kill()
            self.dead = StudentTimeout(_("your submission used up its time for all tests ({seconds} s); the tests "
                                         "left were not run").format(
                seconds=f"{_limit('GRADERS_SUBMISSION_BUDGET', SUBMISSION_BUDGET_S):g}"))
            raise self.dead
        if self.sock is None:
            self._revive()
        call_s = min(_limit("GRADERS_CALL_TIMEOUT", CALL_TIMEOUT_S), left)
        timeout = call_s if self.budget is None else max(0.05, min(call_s, self.budget))
        tree, arrays = encode(fields)
        started = time.monotonic()
        try:
            reply, out = self._exchange({"op": op, "fields": tree}, arrays, timeout)
        finally:
            if self.budget is not None:
                self.budget -= time.monotonic() - started
        if not reply.get("ok"):
            err = reply.get("error") or {}
            kind, message, where = (str(err.get(k, ""))[:2000] for k in ("kind", "message", "where"))
            if kind == "NameError" and message.startswith("your code defines no"):
                missing = MissingName(message.split("'")[1] if "'" in message else "?")
                missing.message = _("your code defines no '{name}'").format(name=missing.name)  # the worker's English
                if self.problems:
                    missing.message += " " + _("(cells that failed to run: {problems})").format(
                        problems="; ".join(self.problems)[:500])
                missing.args = (f"{missing.kind}: {missing.message}",)
                raise missing
            raise StudentError(kind or "Exception", message, _where(where))
        try:
            return self._decode(reply.get("value"), out)
        except (ValueError, TypeError, KeyError) as exc:
            raise StudentCrashed(_("sent a malformed value ({reason})").format(reason=exc)) from None

    def close(self) -> None:
        self._kill()

    @property
    def load_report(self) -> str:
        return "; ".join(self.problems)
