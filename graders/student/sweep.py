"""The uid level's cleanup: whatever a worker's user started or left behind goes when it ends.

At the namespace levels the kernel does this (a PID namespace dies with its first process, a
mount and IPC namespace with their last); at the uid level each worker has a user id of its own
(:func:`graders.student.sandbox.worker_uid`), so the fork server (root) can end every process of
that user, however it was started (double fork, setsid), and remove its files in the shared
temporary folders and its System V IPC objects.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import signal

from graders.student.sandbox import worker_uid

TEMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm")
_IPC_RMID = 0
_IPC = (("/proc/sysvipc/shm", "shmctl"), ("/proc/sysvipc/sem", "semctl"), ("/proc/sysvipc/msg", "msgctl"))


def _kill_user() -> None:
    """kill(-1) reaches every process of this process's user but itself. Twice, for a process
    forked while the first sweep ran."""
    for _ in range(2):
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            break


def _remove_files(uid: int) -> None:
    for folder in TEMP_DIRS:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
            except OSError:
                pass


def _remove_ipc(uid: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for table, call in _IPC:
        try:
            header, *lines = open(table).read().splitlines()
        except (OSError, ValueError):
            continue
        names = header.split()  # key shmid perms ... uid gid cuid cgid ...: owner and creator
        for line in lines:
            row = dict(zip(names, line.split()))
            try:
                ident, owners = int(row[names[1]]), {int(row["uid"]), int(row["cuid"])}
            except (KeyError, ValueError):
                continue
            if uid in owners:
                getattr(libc, call)(ident, *((0, _IPC_RMID) if call == "semctl" else (_IPC_RMID,)), None)


def end_worker_user(pid: int) -> None:
    """Everything of the worker that was forked as ``pid``, at the uid level: done by a child
    running as the worker's user, which may remove what the user owns whatever namespace the
    fork server is in (root in a container's user namespace may not remove IPC objects)."""
    uid = worker_uid(pid)
    child = os.fork()
    if child == 0:
        try:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            _kill_user()
            _remove_files(uid)
            _remove_ipc(uid)
        finally:
            os._exit(0)
    try:
        os.waitpid(child, 0)
    except ChildProcessError:
        pass
