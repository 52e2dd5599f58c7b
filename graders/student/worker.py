"""The worker: the only process that runs student code. Forked by the fork server.

It walls itself in (:mod:`graders.student.sandbox`), then answers messages:
``{"op": "load", "cells": [[index, source], ...]}`` runs the submission's cells, and every other
op is a :class:`graders.student.server.Server` request. Student output goes to a capped buffer
that comes back with each reply; warnings are collected the same way.
"""
from __future__ import annotations

import io
import os
import socket
import sys
import warnings
from typing import Any

from graders import messages
from graders.student import protocol, sandbox
from graders.student.errors import StudentError
from graders.student.extract import Cell
from graders.student.loader import run_cells
from graders.student.server import Server, student_line

OUTPUT_CAP = 8192  # characters of student output kept per reply


class CappedText(io.TextIOBase):
    """A write-only text stream keeping the first OUTPUT_CAP characters, dropping the rest."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        s = str(s)
        room = OUTPUT_CAP - self.size
        if room > 0:
            self.parts.append(s[:room])
            self.size += min(room, len(s))
        self.dropped += max(0, len(s) - max(room, 0))
        return len(s)

    def take(self) -> str:
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped} more characters of output dropped]"
        self.parts, self.size, self.dropped = [], 0, 0
        return text


def _error(exc: BaseException) -> dict[str, str]:
    if isinstance(exc, StudentError):
        return {"kind": exc.kind[:100], "message": exc.message[:2000], "where": exc.where[:500]}
    return {"kind": type(exc).__name__[:100], "message": str(exc)[:2000], "where": student_line(exc)[:500]}


def serve(conn: socket.socket, level: str, hidden: list[str]) -> None:
    # The worker writes its texts (places, load problems) in English whatever the level lets it read;
    # the grading side puts them into the chosen language (graders.student.remote).
    messages.use("en")
    try:
        sandbox.enter(level, hidden)
    except sandbox.WallsFailed as exc:
        protocol.recv(conn)
        protocol.send(conn, {"ok": False, "walls_failed": True, "output": "", "warnings": [],
                             "error": {"kind": "IsolationError", "message": str(exc)[:500], "where": ""}})
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    out = CappedText()
    sys.stdout = sys.stderr = out
    server: Server | None = None
    while True:
        try:
            header, arrays = protocol.recv(conn)
        except protocol.ProtocolError:
            return
        caught: list[str] = []
        reply: dict[str, Any]
        out_arrays: list = []
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            try:
                if header.get("op") == "load":
                    cells = [Cell(int(i), str(src)) for i, src in header["cells"]]
                    namespace, problems = run_cells(cells, str(header.get("module", "submission")))
                    server = Server(namespace)
                    reply = {"ok": True, "problems": [p[:500] for p in problems[:20]]}
                else:
                    assert server is not None, "load first"
                    fields = server.incoming(header["fields"], arrays)
                    value = server.handle(header["op"], fields)
                    tree, out_arrays = server.outgoing(value)
                    reply = {"ok": True, "value": tree}
            except BaseException as exc:  # noqa: BLE001 - SystemExit from student code included
                reply, out_arrays = {"ok": False, "error": _error(exc)}, []
            caught = sorted({f"{w.category.__name__}: {w.message}"[:500] for w in seen[:1000]})[:5]
        reply["output"] = out.take()
        reply["warnings"] = caught
        try:
            protocol.send(conn, reply, out_arrays)
        except (OSError, ValueError) as exc:
            protocol.send(conn, {"ok": False, "error": {"kind": "ValueError", "message": f"cannot send the result: {exc}", "where": ""}, "output": "", "warnings": []})
