"""Run a command under one of the conditions a grader meets in the wild (for tests; needs root).

    python tests/conditions.py CONDITION COMMAND...

Conditions:
    root                  as is: root with every capability
    user                  an unprivileged account (USER_NAME, created if missing): user namespaces work
    root_no_sys_admin     root with CAP_SYS_ADMIN dropped from the bounding set (capsh)
    container             root without CAP_SYS_ADMIN and without user namespaces: Docker's default
    user_no_userns        an unprivileged account where user namespaces are unavailable

The last two take user namespaces away without touching the machine: the command runs in a user
namespace mapping every id to itself whose own limit of nested user namespaces is 0 (the limits in
/proc/sys/user are per user namespace), then drops CAP_SYS_ADMIN (container) or becomes the
unprivileged account (user_no_userns).
"""
from __future__ import annotations

import ctypes
import os
import pwd
import subprocess
import sys

USER_NAME = "backprop-ta"
CONDITIONS = ("root", "user", "root_no_sys_admin", "container", "user_no_userns")
CLONE_NEWUSER = 0x10000000


def account() -> pwd.struct_passwd:
    """The unprivileged account the tests grade as, created on first use."""
    try:
        return pwd.getpwnam(USER_NAME)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER_NAME],
                       check=True, capture_output=True)
        return pwd.getpwnam(USER_NAME)


def as_user(command: list[str]) -> list[str]:
    who = account()
    return ["setpriv", f"--reuid={who.pw_uid}", f"--regid={who.pw_gid}", "--clear-groups",
            "--reset-env", "--", "env", *_env(), *command]


def _env() -> list[str]:
    keep = ("PATH", "LANG", "GRADERS_LOAD_TIMEOUT", "GRADERS_CALL_TIMEOUT", "GRADERS_ISOLATION",
            "GRADERS_SUBMISSION_BUDGET", "PYTHONDONTWRITEBYTECODE")
    return [f"{k}={os.environ[k]}" for k in keep if k in os.environ] + ["HOME=/tmp", "PYTHONDONTWRITEBYTECODE=1"]


def _without_user_namespaces(then: list[str]) -> int:
    """Run ``then`` in an identity-mapped user namespace whose nested user namespaces are capped at 0."""
    libc = ctypes.CDLL(None, use_errno=True)
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready_r)
        os.close(go_w)
        if libc.unshare(CLONE_NEWUSER) != 0:
            os._exit(125)
        os.write(ready_w, b"1")
        os.read(go_r, 1)
        with open("/proc/sys/user/max_user_namespaces", "w") as f:
            f.write("0")
        os.execvp(then[0], then)
    os.close(ready_w)
    os.close(go_r)
    os.read(ready_r, 1)
    for name in ("uid_map", "gid_map"):
        with open(f"/proc/{pid}/{name}", "w") as f:
            f.write("0 0 4294967295")
    os.write(go_w, b"1")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def wrap(condition: str, command: list[str]) -> list[str]:
    """The command line that runs ``command`` under ``condition``."""
    drop = ["capsh", "--drop=cap_sys_admin", "--", "-c", 'exec "$0" "$@"']
    if condition == "root":
        return command
    if condition == "user":
        return as_user(command)
    if condition == "root_no_sys_admin":
        return drop + command
    if condition in ("container", "user_no_userns"):
        inner = drop + command if condition == "container" else as_user(command)
        return [sys.executable, os.path.abspath(__file__), "--no-userns", *inner]
    raise SystemExit(f"unknown condition {condition!r} (choose from {', '.join(CONDITIONS)})")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--no-userns"]:
        return _without_user_namespaces(argv[1:])
    condition, command = argv[0], argv[1:]
    return subprocess.call(wrap(condition, command))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
