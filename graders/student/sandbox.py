"""The walls around a worker process, set up in the child right after the fork server forks it.

Always: resource limits (memory, CPU time, processes, file size, open files, no core dumps), a
session of its own (so a timeout kills every process it started), not ptrace-able.
As root, also: a mount namespace whose root (entered with chroot) holds only the system's
folders (/usr, /etc, /dev...), Python's installation and virtual environment and an empty /tmp,
so no submission, result, reference or grader file exists inside, wherever it lies on the
machine; no network (a network namespace with no interfaces, entered by the fork server); then
the unprivileged user ``nobody``.
"""
from __future__ import annotations

import ctypes
import os
import pwd
import resource
import signal
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
    """The folders this Python imports from: its installation and its virtual environment, each
    under the path sys.path names it by and under its real path (they differ through symlinks)."""
    dirs = {sys.base_prefix, sys.prefix}
    return sorted(dirs | {os.path.realpath(d) for d in dirs})


# What the sandbox's root holds besides Python's own folders: the system's programs, libraries and
# settings, devices and kernel views. Everything else (home folders, other checkouts of the kit,
# the class's submissions and results) does not exist inside.
SYSTEM_DIRS = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "dev", "proc", "sys")
NEW_ROOT = b"/tmp"  # mount point of the new root's tmpfs: covering /tmp is wanted anyway


def _bind(source_fd: int, target: str) -> None:
    _check(_libc.mount(f"/proc/self/fd/{source_fd}".encode(), target.encode(), None, MS_BIND | MS_REC, None),
           f"show {target}")


def _hide(paths: Iterable[str], keep: Iterable[str] = ()) -> None:
    """A root file system made of a few folders only, entered with chroot.

    In a mount namespace of its own, ``paths`` are first covered by empty tmpfs mounts (in case
    one lies inside a system folder); then a fresh tmpfs gets the SYSTEM_DIRS and each folder of
    ``keep`` (Python's installation and venv, wherever they are: a 0700 /root, /tmp...) bind-mounted
    at their usual paths, plus an empty /tmp, and becomes the root. Sources are held by
    descriptors opened in the new namespace before anything is covered (a bind mount's source
    must belong to the caller's namespace)."""
    _check(_libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    _check(_libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    for path in sorted(set(paths)):
        if os.path.isdir(path):
            flags = MS_RDONLY | MS_NOSUID | MS_NODEV
            _check(_libc.mount(b"tmpfs", path.encode(), b"tmpfs", flags, b"size=4k,mode=0555"), f"hide {path}")
    links = {d: os.readlink("/" + d) for d in SYSTEM_DIRS if os.path.islink("/" + d)}
    sources = [("/" + d) for d in SYSTEM_DIRS if d not in links and os.path.isdir("/" + d)]
    sources += [k for k in keep if os.path.isdir(k)]
    # Opening follows symlinks: a venv reached through a symlinked folder is shown at both paths.
    held = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in sources}
    try:
        _check(_libc.mount(b"tmpfs", NEW_ROOT, b"tmpfs", MS_NOSUID | MS_NODEV, b"size=64m,mode=0755"), "new root")
        root = NEW_ROOT.decode()
        for name, target in links.items():
            os.symlink(target, f"{root}/{name}")
        for path, fd in sorted(held.items()):  # parents before children
            os.makedirs(root + path, mode=0o755, exist_ok=True)
            _bind(fd, root + path)
        os.makedirs(f"{root}/tmp", exist_ok=True)
        os.chmod(f"{root}/tmp", 0o1777)
    finally:
        for fd in held.values():
            os.close(fd)
    os.chroot(root)
    os.chdir("/")


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
