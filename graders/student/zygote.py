"""The fork server: a warm Python with numpy loaded, forking one sandboxed worker per request.

Starting Python and numpy costs about 0.3 s; a fork a few milliseconds. The fork server is started
before any grader or reference code is loaded, so a worker's memory holds nothing secret, and it
learns the kit's root and the hidden folders over its socket, never on its command line (which
every process on the machine can read).

It first establishes the strongest isolation level allowed (:mod:`graders.student.levels`) and
says which. Then requests come over a Unix socket, one byte each:
  ``F`` with, as SCM_RIGHTS, the worker's end of a fresh socket pair: fork a worker; reply its pid
        (8 bytes; at the namespace levels the pid of the first process of its own PID namespace,
        whose death ends every process in it);
  ``K`` with a worker's pid (8 bytes): at the uid level, end every process of that worker's user
        and remove what it left in /tmp, /dev/shm and System V IPC; reply 8 bytes.
"""
from __future__ import annotations

import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
from pathlib import Path

from graders.student.levels import IsolationUnavailable

# One BLAS thread per worker: workers run side by side on all cores already.
_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
_PID = struct.Struct(">q")


def hidden_paths(root: Path, extra: list[str]) -> list[str]:
    """Every folder of the kit except the one holding this Python's packages, the grader package
    and the reference wherever they are installed, plus ``extra``."""
    from graders.reference import reference_dir

    prefix = os.path.realpath(sys.prefix)
    paths = []
    # A checkout (it has reference/): every folder in it. An installed package's root is
    # site-packages, whose other packages (numpy...) the workers need: the two folders below suffice.
    entries = Path(root).iterdir() if (Path(root) / "reference").is_dir() else []
    for entry in entries:
        real = os.path.realpath(entry)
        if entry.is_dir() and not (prefix == real or prefix.startswith(real + os.sep)):
            paths.append(real)
    paths += [os.path.realpath(Path(__file__).parents[1]), os.path.realpath(reference_dir())]
    return sorted(set(paths + [os.path.realpath(p) for p in extra]))


def _send_json(sock: socket.socket, data: dict) -> None:
    raw = json.dumps(data).encode()
    sock.sendall(struct.pack(">I", len(raw)) + raw)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("the other side closed the socket")
        data += chunk
    return data


def _recv_json(sock: socket.socket) -> dict:
    (size,) = struct.unpack(">I", _recv_exact(sock, 4))
    return json.loads(_recv_exact(sock, size))


def _spawn(level: str, hidden: list[str], conn_fd: int, control: socket.socket) -> int:
    """Fork a worker; the pid the grading side must kill to end it, or -1."""
    from graders.student import caps, worker

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        control.close()
        os.close(r)
        try:
            if level in ("namespaces", "userns"):
                caps.unshare(caps.CLONE_NEWPID, "a PID namespace")
                child = os.fork()
                if child:
                    os.write(w, _PID.pack(child))
                    os._exit(0)
            else:
                os.write(w, _PID.pack(os.getpid()))
            os.close(w)
            worker.serve(socket.socket(fileno=conn_fd), level, hidden)
        except BaseException:  # noqa: BLE001 - the grading side sees the socket close
            pass
        os._exit(0)
    os.close(w)
    data = b""
    while len(data) < _PID.size:
        chunk = os.read(r, _PID.size - len(data))
        if not chunk:
            break
        data += chunk
    os.close(r)
    return _PID.unpack(data)[0] if len(data) == _PID.size else -1


def _serve(control: socket.socket, level: str, hidden: list[str]) -> None:
    from graders.student import sweep

    while True:
        try:
            msg, fds, _, _ = socket.recv_fds(control, 16, 1)
        except OSError:
            return
        if not msg:
            return
        if msg[:1] == b"F" and fds:
            pid = _spawn(level, hidden, fds[0], control)
            os.close(fds[0])
            control.sendall(_PID.pack(pid))
        elif msg[:1] == b"K" and len(msg) >= 1 + _PID.size:
            (pid,) = _PID.unpack(msg[1 : 1 + _PID.size])
            sweep.end_worker_user(pid)
            control.sendall(_PID.pack(0))
        else:
            for fd in fds:
                os.close(fd)
            return


def _waiting(sock: socket.socket) -> bool:
    """Whether a worker that was never sent anything still waits for its first request: it sends
    nothing before one, so anything to read is its socket closing (the worker ended)."""
    try:
        return not select.select([sock], [], [], 0)[0]
    except (OSError, ValueError):
        return False


class ForkServer:
    """Grading-side handle on a running fork server; ``level`` is the isolation it established."""

    def __init__(self, root: Path, hide: list[str] = (), requested: str = "auto"):
        self._spare: tuple[int, socket.socket] | None = None
        self._spawned = 0
        ours, theirs = socket.socketpair()
        code = "import sys; sys.path.insert(0, sys.argv[1]); from graders.student.zygote import main; main()"
        hidden = hidden_paths(root, list(hide))
        # The kit's folder is on the command line only as the place to import the engine from; the
        # hidden folders and the requested level come over the socket.
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", code, str(Path(__file__).parents[2]), str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            env={**_ENV, "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        theirs.close()
        self.control = ours
        try:
            _send_json(ours, {"hidden": hidden, "requested": requested})
            answer = _recv_json(ours)
        except (OSError, ValueError) as exc:
            self.close()
            raise IsolationUnavailable(f"the sandbox's fork server did not start ({exc})") from None
        if answer.get("error"):
            self.close()
            raise IsolationUnavailable(str(answer["error"]))
        self.level, self.description = str(answer["level"]), str(answer["description"])

    def spawn(self) -> tuple[int, socket.socket]:
        """A new worker: its pid and the grading side's end of its socket.

        From the second call on (a process that grades one submission, a cold start, needs no
        more), each call also forks the worker the next call will hand out: that one walls itself
        in (namespaces, mounts: some 20 ms, mostly waiting on the kernel) while this one works. A
        worker holds nothing of any student until it is sent a submission, so which worker a
        submission gets changes nothing; one that ended meanwhile is replaced, never handed out."""
        got, self._spare = self._spare, None
        if got is not None and not _waiting(got[1]):
            self._discard(got)
            got = None
        got = got or self._fork()
        self._spawned += 1
        if self._spawned >= 2:
            try:
                self._spare = self._fork()
            except RuntimeError:  # the next call says so, if it still holds
                self._spare = None
        return got

    def _fork(self) -> tuple[int, socket.socket]:
        mine, its = socket.socketpair()
        try:
            socket.send_fds(self.control, [b"F"], [its.fileno()])
            (pid,) = _PID.unpack(_recv_exact(self.control, _PID.size))
        except OSError:
            mine.close()
            raise RuntimeError("the fork server stopped") from None
        finally:
            its.close()
        if pid < 0:
            mine.close()
            raise RuntimeError("the fork server could not fork a worker")
        return pid, mine

    def _discard(self, worker: tuple[int, socket.socket]) -> None:
        """End a worker that was never handed out (as the grading side ends one, see remote._kill)."""
        pid, sock = worker
        for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
            try:
                kill()
            except (ProcessLookupError, PermissionError):
                pass
        if self.level == "uid":
            try:
                self.end_user_of(pid)
            except OSError:
                pass
        sock.close()

    def end_user_of(self, pid: int) -> None:
        """The uid level's cleanup of a worker: its user's processes, files and IPC objects."""
        self.control.sendall(b"K" + _PID.pack(pid))
        _recv_exact(self.control, _PID.size)

    def close(self) -> None:
        spare, self._spare = self._spare, None
        if spare is not None:
            try:
                self._discard(spare)
            except (OSError, AttributeError):  # a server that failed to start has no level
                spare[1].close()
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
    from graders.student import caps, levels, sweep, worker  # noqa: F401 - loaded before anything is hidden

    control = socket.socket(fileno=int(sys.argv[2]))
    config = _recv_json(control)
    hidden = [str(p) for p in config.get("hidden", [])]
    caps.become_subreaper()  # a worker's first process outlives its parent: reparent it here
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # and let the kernel reap every worker
    try:
        level = levels.establish(str(config.get("requested", "auto")), hidden)
    except levels.IsolationUnavailable as exc:
        _send_json(control, {"error": str(exc)})
        return
    _send_json(control, {"level": level.name, "description": level.description})
    _serve(control, level.name, hidden)
