"""The walls around a worker process, set up in the child right after the fork server forks it.

Always: resource limits (memory, CPU time, processes, file size, open files, no core dumps), a
session of its own (so a timeout kills every process it started), not ptrace-able.
As root, also: a mount namespace where the kit's folder (reference/, graders/, results...) and
any other named folder are hidden under empty read-only tmpfs mounts and /tmp is private, no
network (a network namespace with no interfaces, entered by the fork server), then the
unprivileged user ``nobody``.
"""
from __future__ import annotations

import ctypes
import os
import pwd
import resource
import signal
import stat
import sys
from typing import Iterable

CLONE_NEWNS, CLONE_NEWNET = 0x00020000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_BIND, MS_REC, MS_PRIVATE = 0x1, 0x2, 0x4, 0x1000, 0x4000, 0x40000
PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS = 4, 38

LIMITS = {
    "RLIMIT_AS": 2 * 2**30,  # bytes of address space: a 20 GB allocation fails with MemoryError
    "RLIMIT_CPU": 120,  # seconds of CPU for the whole submission; wall-clock timeouts come first
    "RLIMIT_NPROC": 64,  # processes of the sandbox user: no fork bomb
    "RLIMIT_FSIZE": 16 * 2**20,  # bytes per written file
    "RLIMIT_NOFILE": 64,
    "RLIMIT_CORE": 0,
}

_libc = ctypes.CDLL(None, use_errno=True)


def _check(rc: int, what: str) -> None:
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def can_isolate() -> bool:
    """Namespaces and a user switch need root."""
    return os.geteuid() == 0


def leave_network() -> None:
    """Enter a new network namespace: only a loopback that is down, so no network at all."""
    _check(_libc.unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)")


def python_dirs() -> list[str]:
    """The folders this Python imports from: its installation and its virtual environment."""
    return sorted({os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix)})


def _closed_ancestor(path: str) -> str | None:
    """The topmost folder above ``path`` that other users may not enter (/root is 0700), if any."""
    parts = path.strip(os.sep).split(os.sep)
    for i in range(1, len(parts)):
        folder = os.sep + os.sep.join(parts[:i])
        if not os.stat(folder).st_mode & stat.S_IXOTH:
            return folder
    return None


def _hide(paths: Iterable[str], keep: Iterable[str] = ()) -> None:
    """Cover ``paths`` and /tmp with empty tmpfs mounts; then make each folder of ``keep`` (Python's
    own) visible to the sandbox user at its usual path, even under /tmp or a 0700 /root: it is
    bind-mounted back on top, from a descriptor opened before anything was covered."""
    _check(_libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    _check(_libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    # Opened in the new namespace: a bind mount's source must belong to the caller's namespace.
    held = {k: os.open(k, os.O_PATH | os.O_DIRECTORY) for k in keep if os.path.isdir(k)}
    closed_above = {k: _closed_ancestor(k) for k in held}  # looked up before /tmp is covered
    try:
        for path in sorted(set(paths)):
            if os.path.isdir(path):
                flags = MS_RDONLY | MS_NOSUID | MS_NODEV
                _check(_libc.mount(b"tmpfs", path.encode(), b"tmpfs", flags, b"size=4k,mode=0555"), f"hide {path}")
        _check(_libc.mount(b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV, b"size=64m,mode=1777"), "private /tmp")
        opened: set[str] = set()
        for path, fd in held.items():
            closed = closed_above[path]
            if closed and closed not in opened:  # an empty, enterable stand-in for /root
                _check(_libc.mount(b"tmpfs", closed.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"size=64k,mode=0755"),
                       f"open {closed}")
                opened.add(closed)
            if closed or path == "/tmp" or path.startswith("/tmp/"):
                os.makedirs(path, mode=0o755, exist_ok=True)
                _check(_libc.mount(f"/proc/self/fd/{fd}".encode(), path.encode(), None, MS_BIND | MS_REC, None),
                       f"show {path}")
    finally:
        for fd in held.values():
            os.close(fd)


def enter(hidden: Iterable[str]) -> str:
    """Wall in the current (freshly forked) process; returns a word for the JSON: the isolation."""
    os.setsid()
    level = "limits"
    if can_isolate():
        _hide(hidden, keep=python_dirs())
        user = pwd.getpwnam("nobody")
        os.setgroups([])
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)
        level = "namespaces+nobody"
    for name, value in LIMITS.items():
        resource.setrlimit(getattr(resource, name), (value, value))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an over-long write fails instead of killing
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    os.chdir("/tmp")
    return level
