"""The walls around a worker process, built in the worker right after it is forked.

Three kinds of wall, one per isolation level (:mod:`graders.student.levels` chooses):

``namespaces`` (root with CAP_SYS_ADMIN) and ``userns`` (a user namespace: a normal user, or root
without CAP_SYS_ADMIN) build the same private world, after bubblewrap: the worker is alone in a PID
namespace (it sees and can signal only its own processes, and they all die with it), an IPC
namespace and a mount namespace whose root, entered with chroot, is a read-only tmpfs holding only
the system's folders and Python's own, bound read-only; a fresh /tmp, /dev/shm and /proc and five
device nodes. No submission, result, reference or grader file exists inside, wherever it lies on
the machine. The network namespace (no interface) is the fork server's. Then ``namespaces`` becomes
the user ``nobody``; ``userns`` drops every capability (and, started by root, becomes the id that
maps to the real ``nobody``).

``uid`` (root without namespaces: a default container) runs each worker under a user id of its own
(so workers cannot signal each other), after the fork server made the kit's and the class's folders
unreadable to other users; the worker checks that it cannot read any of them before it runs a line
of student code. Network and /proc are not walled at this level.

Always: resource limits, a session of its own, no new privileges, not dumpable.
"""
from __future__ import annotations

import os
import pwd
import resource
import signal
import sys
from typing import Iterable

from graders.student import caps
from graders.student.caps import CLONE_NEWIPC, CLONE_NEWNS, MS_BIND, MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_RDONLY

LIMITS = {
    "RLIMIT_AS": 2 * 2**30,  # bytes of address space: a 20 GB allocation fails with MemoryError
    "RLIMIT_CPU": 120,  # seconds of CPU for the whole submission; wall-clock timeouts come first
    "RLIMIT_NPROC": 64,  # processes of the sandbox user: no fork bomb
    "RLIMIT_FSIZE": 16 * 2**20,  # bytes per written file
    "RLIMIT_NOFILE": 64,
    "RLIMIT_CORE": 0,
}
# User ids of workers at the ``uid`` level: UID_BASE + the worker's pid, unique among live workers.
UID_BASE = 1_000_000


class WallsFailed(Exception):
    """The walls of a level could not be built (or, at the uid level, a hidden folder is readable)."""


def python_dirs() -> list[str]:
    """The folders this Python imports from: its installation and its virtual environment, each
    under the path sys.path names it by and under its real path (they differ through symlinks)."""
    dirs = {sys.base_prefix, sys.prefix}
    return sorted(dirs | {os.path.realpath(d) for d in dirs})


# What the private root holds besides Python's folders: the system's programs, libraries and
# settings. Everything else (home folders, other checkouts of the kit, the class's submissions and
# results, /sys, the host's /proc and /dev) does not exist inside.
SYSTEM_DIRS = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc")
DEVICES = ("null", "zero", "full", "random", "urandom")
NEW_ROOT = "/tmp"  # mount point of the new root's tmpfs, inside the worker's own mount namespace


def _inside(path: str, folders: Iterable[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)


def _private_root(hidden: Iterable[str], keep: Iterable[str]) -> None:
    """Enter a new root made of a few read-only folders. Hidden folders that lie inside a kept
    one (a grader package installed in the venv) are first covered by empty tmpfs mounts, which
    the recursive bind mounts carry along. Sources are held by descriptors opened in the new
    namespace before anything is covered (a bind mount's source must belong to it)."""
    caps.mount(None, "/", None, caps.MS_REC | caps.MS_PRIVATE)
    links = {d: os.readlink("/" + d) for d in SYSTEM_DIRS if os.path.islink("/" + d)}
    sources = [("/" + d) for d in SYSTEM_DIRS if d not in links and os.path.isdir("/" + d)]
    sources += [k for k in keep if os.path.isdir(k)]
    for path in sorted(set(hidden)):
        if os.path.isdir(path) and _inside(path, sources):
            caps.mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=0555")
    held = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in sources}
    held_dev = {d: os.open(f"/dev/{d}", os.O_PATH) for d in DEVICES if os.path.exists(f"/dev/{d}")}
    root = NEW_ROOT
    try:
        caps.mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
        for name, target in links.items():
            os.symlink(target, f"{root}/{name}")
        for path, fd in sorted(held.items()):  # parents before children
            os.makedirs(root + path, mode=0o755, exist_ok=True)
            caps.mount(f"/proc/self/fd/{fd}", root + path, None, MS_BIND | caps.MS_REC)
            caps.make_read_only(root + path)
        for name, size in (("tmp", "64m"), ("dev", "64k"), ("dev/shm", "16m")):
            os.makedirs(f"{root}/{name}", exist_ok=True)
            mode = "0755" if name == "dev" else "1777"
            caps.mount("tmpfs", f"{root}/{name}", "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode={mode}")
        for name, fd in held_dev.items():
            open(f"{root}/dev/{name}", "w").close()
            caps.mount(f"/proc/self/fd/{fd}", f"{root}/dev/{name}", None, MS_BIND)
        os.makedirs(f"{root}/proc", exist_ok=True)
        try:  # this PID namespace's processes only; where /proc cannot be mounted, none at all
            caps.mount("proc", f"{root}/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        except OSError:
            pass
        caps.mount(None, root, None, caps.MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    finally:
        for fd in [*held.values(), *held_dev.values()]:
            os.close(fd)
    os.chroot(root)
    os.chdir("/")


def _become(uid: int, gid: int) -> None:
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)


def worker_uid(pid: int) -> int:
    return UID_BASE + pid


def _check_unreadable(hidden: Iterable[str]) -> None:
    readable = [p for p in hidden if os.path.exists(p) and os.access(p, os.R_OK | os.X_OK)]
    if readable:
        raise WallsFailed(f"{len(readable)} hidden folder(s) readable by the worker's user")


def enter(level: str, hidden: list[str]) -> None:
    """Wall in the current (freshly forked) process at ``level``; raises WallsFailed."""
    os.setsid()
    try:
        if level in ("namespaces", "userns"):
            # In a user namespace made by root, id 1 is the real nobody (levels.NOBODY_INSIDE).
            nobody_inside = level == "userns" and len(open("/proc/self/uid_map").read().splitlines()) > 1
            caps.unshare(CLONE_NEWNS | CLONE_NEWIPC)
            _private_root(hidden, keep=python_dirs())
            if level == "namespaces":
                nobody = pwd.getpwnam("nobody")
                _become(nobody.pw_uid, nobody.pw_gid)
            else:
                caps.drop_bounding_set()
                if nobody_inside:
                    _become(1, 1)
                caps.clear_capabilities()
            os.chdir("/tmp")
        elif level == "uid":
            uid = worker_uid(os.getpid())
            _become(uid, uid)
            _check_unreadable(hidden)
            os.chdir("/")
        elif level != "none":
            raise WallsFailed(f"unknown isolation level {level!r}")
        for name, value in LIMITS.items():
            resource.setrlimit(getattr(resource, name), (value, value))
        caps.no_new_privileges()
    except OSError as exc:
        raise WallsFailed(str(exc)) from None
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an over-long write fails instead of killing
