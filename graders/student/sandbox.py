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
from typing import Iterable

CLONE_NEWNS, CLONE_NEWNET = 0x00020000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 0x1, 0x2, 0x4, 0x4000, 0x40000
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


def _hide(paths: Iterable[str]) -> None:
    _check(_libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    _check(_libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    for path in sorted(set(paths)):
        if os.path.isdir(path):
            flags = MS_RDONLY | MS_NOSUID | MS_NODEV
            _check(_libc.mount(b"tmpfs", path.encode(), b"tmpfs", flags, b"size=4k,mode=0555"), f"hide {path}")
    _check(_libc.mount(b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV, b"size=64m,mode=1777"), "private /tmp")


def enter(hidden: Iterable[str]) -> str:
    """Wall in the current (freshly forked) process; returns a word for the JSON: the isolation."""
    os.setsid()
    level = "limits"
    if can_isolate():
        _hide(hidden)
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
