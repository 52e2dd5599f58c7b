"""Which walls this machine allows, strongest first, and the choice of one (never a silent fallback).

    namespaces  root with CAP_SYS_ADMIN: namespaces, a private read-only root, user nobody
    userns      an unprivileged user namespace (a normal user, or root without CAP_SYS_ADMIN):
                the same namespaces and root, no capabilities
    uid         root without namespaces (a default container): a user id per worker, the kit's
                and the class's folders made unreadable to other users
    none        no walls but resource limits: only when asked for (``--isolation none``)

:func:`establish` runs in the fork server: it prepares the process for a level (a network
namespace; for userns also the user namespace) and proves the level works by forking a trial
worker that builds every wall. :func:`survey` does the same for each level in throw-away child
processes, for ``python -m graders doctor`` and for a batch that wants to refuse early.
"""
from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass

from graders.messages import N_  # shown translated where a result is written (engine.grade)
from graders.student import caps, sandbox

ORDER = ("namespaces", "userns", "uid")
CHOICES = ("auto",) + ORDER + ("none",)
DESCRIPTION = {
    "namespaces": N_("namespaces as root: private read-only file system, no network, own PID and IPC namespaces, user nobody"),
    "userns": N_("user namespace: private read-only file system, no network, own PID and IPC namespaces, no capabilities"),
    "uid": N_("a user id per worker, the kit's and the class's folders unreadable to it (no namespaces here: "
              "network and other processes' command lines are not walled off)"),
    "none": N_("NONE: student code runs with resource limits only (--isolation none); scores are not trustworthy"),
}
EXIT_REFUSED = 3  # the exit status of a command that refuses to grade without isolation
HOW_TO_FIX = (
    "Grade as root (sudo make grade), or enable unprivileged user namespaces "
    "(sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0, or an AppArmor profile "
    "that allows them), or in a container run as root; run `python -m graders doctor` to see what this "
    "machine allows. To check your own code with public data only, add --isolation none."
)


class IsolationUnavailable(Exception):
    """No level of walls the caller accepts can be built on this machine."""


@dataclass(frozen=True)
class Level:
    name: str
    description: str


def requested_level() -> str:
    """The caller's choice: GRADERS_ISOLATION, or ``auto``."""
    value = os.environ.get("GRADERS_ISOLATION", "auto").strip().lower() or "auto"
    if value not in CHOICES:
        raise IsolationUnavailable(f"GRADERS_ISOLATION={value!r} is not one of {', '.join(CHOICES)}")
    return value


# -- preparing the fork server ----------------------------------------------------------------
# Inside the fork server's user namespace: 0 is its own user (root there, the caller's user outside);
# when the caller is root, NOBODY_INSIDE is also mapped, to the real ``nobody``, for the workers.
NOBODY_INSIDE = 1


def _enter_user_namespace() -> None:
    """Unshare a user namespace (and a network namespace) and have its id maps written by a
    helper child left in the parent namespace: a process inside may not map the root user of
    the parent (Linux 5.12+), and only a process outside can map more than its own id."""
    uid, gid = os.geteuid(), os.getegid()
    go_r, go_w = os.pipe()
    done_r, done_w = os.pipe()
    me = os.getpid()
    helper = os.fork()
    if helper == 0:
        os.close(go_w)
        os.close(done_r)
        answer = b"ok"
        try:
            if os.read(go_r, 1) == b"u":
                extra = ""
                if uid == 0:
                    import pwd

                    nobody = pwd.getpwnam("nobody")
                    extra = (f"\n{NOBODY_INSIDE} {nobody.pw_uid} 1", f"\n{NOBODY_INSIDE} {nobody.pw_gid} 1")
                else:
                    with open(f"/proc/{me}/setgroups", "w") as f:
                        f.write("deny")
                    extra = ("", "")
                with open(f"/proc/{me}/uid_map", "w") as f:
                    f.write(f"0 {uid} 1{extra[0]}")
                with open(f"/proc/{me}/gid_map", "w") as f:
                    f.write(f"0 {gid} 1{extra[1]}")
        except BaseException as exc:  # noqa: BLE001
            answer = (getattr(exc, "strerror", None) or str(exc)).encode()[:200] or b"failed"
        os.write(done_w, answer)
        os._exit(0)
    os.close(go_r)
    os.close(done_w)
    try:
        caps.unshare(caps.CLONE_NEWUSER | caps.CLONE_NEWNET, "a user namespace")
        os.write(go_w, b"u")
    except OSError:
        os.write(go_w, b"x")
        raise
    finally:
        os.close(go_w)
        answer = os.read(done_r, 256)
        os.close(done_r)
        try:
            os.waitpid(helper, 0)
        except ChildProcessError:
            pass
    if answer != b"ok":
        raise OSError(f"cannot map the user namespace's ids: {answer.decode(errors='replace')}")


def hide_by_permissions(hidden: list[str]) -> list[str]:
    """For the uid level: take every permission of 'other' users off each hidden folder (the
    workers' user ids are 'other' to everything on disk); returns the folders changed."""
    changed = []
    for path in hidden:
        try:
            st = os.stat(path)
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode) and st.st_mode & 0o007:
            os.chmod(path, stat.S_IMODE(st.st_mode) & ~0o007)
            changed.append(path)
    return changed


def _prepare(name: str, hidden: list[str]) -> None:
    if name == "namespaces":
        if os.geteuid() != 0:
            raise OSError("not root")
        caps.unshare(caps.CLONE_NEWNET, "a network namespace")
    elif name == "userns":
        _enter_user_namespace()
    elif name == "uid":
        if os.geteuid() != 0:
            raise OSError("not root")
        hide_by_permissions(hidden)


def _trial(name: str, hidden: list[str]) -> str:
    """Fork a worker that builds every wall of ``name``; '' if it did, else why not."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            if name in ("namespaces", "userns"):
                caps.unshare(caps.CLONE_NEWPID, "a PID namespace")
                child = os.fork()
                if child:
                    os._exit(0)
            sandbox.enter(name, hidden)
            os.write(w, b"ok")
        except BaseException as exc:  # noqa: BLE001 - any failure is the answer
            os.write(w, str(exc).encode()[:500] or b"failed")
        finally:
            os._exit(0)
    os.close(w)
    answer = _answer_of(pid, r)
    return "" if answer == "ok" else (answer or "the trial worker died")


def _answer_of(pid: int, r: int) -> str:
    """What child ``pid`` wrote into pipe ``r`` until every writer closed it; the child reaped."""
    data = b""
    while chunk := os.read(r, 512):
        data += chunk
    os.close(r)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:  # already reaped (the fork server ignores SIGCHLD)
        pass
    return data.decode(errors="replace")


def _attempt(name: str, hidden: list[str]) -> str:
    """Prepare and try level ``name`` in a throw-away child process: '' if it works, else why not.
    (A failed preparation can leave a process unusable, e.g. in a user namespace with no id map.)"""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            _prepare(name, hidden)
            why = _trial(name, hidden)
        except BaseException as exc:  # noqa: BLE001 - any failure is the answer
            why = getattr(exc, "strerror", None) or str(exc) or "failed"
        os.write(w, why.encode()[:500])
        os._exit(0)
    os.close(w)
    return _answer_of(pid, r)


def establish(requested: str, hidden: list[str]) -> Level:
    """Make this process (the fork server) ready to fork workers at the strongest level allowed
    by ``requested``; raises IsolationUnavailable with every reason when none works."""
    if requested == "none":
        return Level("none", DESCRIPTION["none"])
    reasons = []
    for name in ORDER if requested == "auto" else (requested,):
        why = _attempt(name, hidden)
        if not why:
            try:
                _prepare(name, hidden)
                return Level(name, DESCRIPTION[name])
            except OSError as exc:
                why = exc.strerror or str(exc)
        reasons.append(f"{name}: {why}")
    raise IsolationUnavailable("cannot isolate student code on this machine (" + "; ".join(reasons) + "). " + HOW_TO_FIX)


def check_available(requested: str | None = None) -> str:
    """The level a fork server would establish here (tried in throw-away children, nothing on disk
    changed); raises IsolationUnavailable. For a batch, before it starts its pool."""
    requested = requested or requested_level()
    if requested == "none":
        return "none"
    reasons = []
    for name in ORDER if requested == "auto" else (requested,):
        why = _attempt(name, [])
        if not why:
            return name
        reasons.append(f"{name}: {why}")
    raise IsolationUnavailable("cannot isolate student code on this machine (" + "; ".join(reasons) + "). " + HOW_TO_FIX)


def survey() -> dict[str, str]:
    """{level: '' if it works here, else why not}; changes nothing on disk."""
    return {name: _attempt(name, []) for name in ORDER}


def doctor() -> int:
    """``python -m graders doctor``: what this machine allows, and what grading would use."""
    found = survey()
    print(f"Python {sys.version.split()[0]}, running as uid {os.geteuid()}")
    for name in ORDER:
        mark = "yes" if not found[name] else "no "
        print(f"  [{mark}] {name:<10} {DESCRIPTION[name]}")
        if found[name]:
            print(f"               not here: {found[name]}")
    best = next((n for n in ORDER if not found[n]), None)
    if best is None:
        print("Grading would refuse: no isolation is possible here.\n" + HOW_TO_FIX)
        return EXIT_REFUSED
    print(f"Grading will use: {best} ({DESCRIPTION[best]})")
    return 0

