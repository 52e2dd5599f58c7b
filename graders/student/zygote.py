"""The fork server: a warm Python with numpy loaded, forking one sandboxed worker per request.

Starting Python and numpy costs about 0.3 s; a fork about 2 ms. The fork server is started
before any grader or reference code is loaded, so a worker's memory holds nothing secret.

Requests come over a Unix socket: one byte and, as SCM_RIGHTS, the worker's end of a fresh
socket pair; the reply is the worker's pid (8 bytes). The worker walls itself in
(:func:`graders.student.sandbox.enter`) and serves requests (:func:`graders.student.worker.serve`).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import struct
import subprocess
import sys
from pathlib import Path

# One BLAS thread per worker: workers run side by side on all cores already.
_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}


def hidden_paths(root: Path, extra: list[str]) -> list[str]:
    """Every folder of the kit except the one holding this Python's packages, plus ``extra``."""
    prefix = os.path.realpath(sys.prefix)
    paths = []
    for entry in Path(root).iterdir():
        real = os.path.realpath(entry)
        if entry.is_dir() and not (prefix == real or prefix.startswith(real + os.sep)):
            paths.append(real)
    return paths + [os.path.realpath(p) for p in extra]


def _serve(control: socket.socket, hidden: list[str]) -> None:
    from graders.student import sandbox, worker  # noqa: F401 - loaded before anything is hidden

    if sandbox.can_isolate():
        sandbox.leave_network()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
    while True:
        try:
            msg, fds, _, _ = socket.recv_fds(control, 16, 1)
        except OSError:
            return
        if not msg or not fds:
            return
        pid = os.fork()
        if pid == 0:
            control.close()
            try:
                worker.serve(socket.socket(fileno=fds[0]), hidden)
            finally:
                os._exit(0)
        os.close(fds[0])
        control.sendall(struct.pack(">q", pid))


class ForkServer:
    """Grading-side handle on a running fork server."""

    def __init__(self, root: Path, hide: list[str] = ()):
        ours, theirs = socket.socketpair()
        code = (
            "import sys, json, socket; sys.path.insert(0, sys.argv[1]);"
            "from graders.student.zygote import main; main()"
        )
        hidden = hidden_paths(root, list(hide))
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", code, str(root), json.dumps(hidden), str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            env={**_ENV, "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        theirs.close()
        self.control = ours

    def spawn(self) -> tuple[int, socket.socket]:
        """A new worker: its pid and the grading side's end of its socket."""
        mine, its = socket.socketpair()
        try:
            socket.send_fds(self.control, [b"F"], [its.fileno()])
            data = b""
            while len(data) < 8:
                chunk = self.control.recv(8 - len(data))
                if not chunk:
                    raise RuntimeError("the fork server stopped")
                data += chunk
        finally:
            its.close()
        return struct.unpack(">q", data)[0], mine

    def close(self) -> None:
        self.control.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# Loaded before the sandbox hides anything: the sandbox user may not be able to read Python's
# own library folder later (under /root on these machines), so what students import is here.
PRELOAD = (
    "numpy numpy.linalg numpy.random numpy.lib.stride_tricks math cmath random functools itertools "
    "collections collections.abc copy operator typing dataclasses abc numbers warnings time re "
    "string statistics decimal fractions contextlib enum heapq bisect json traceback pprint "
    "encodings.idna socket"
).split()


def main() -> None:
    """Entry point in the fork server process (see ForkServer)."""
    import importlib

    for module in PRELOAD:
        importlib.import_module(module)

    root, hidden, fd = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
    _serve(socket.socket(fileno=fd), hidden)
