"""Files: results written so that a crash never leaves half a file, a student's files read as
hostile data, and fingerprints for skipping work."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from graders import ROOT, __version__
from graders.messages import N_, _, translate


def write_json_atomic(path: Path, data: Any) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path`` (atomic on POSIX)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, allow_nan=True)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class Refused(Exception):
    """A student's file that is not read: a link, not a regular file, or too large. The message is
    a sentence for the student that names the file by its base name only."""


class TooLarge(Refused):
    """A student's file over the size limit."""


class IsLink(Refused):
    """A student's file that is a symbolic link."""


_KINDS = {stat.S_IFIFO: N_("a named pipe (FIFO)"), stat.S_IFCHR: N_("a device"), stat.S_IFBLK: N_("a device"),
          stat.S_IFSOCK: N_("a socket"), stat.S_IFDIR: N_("a folder"), stat.S_IFLNK: N_("a symbolic link")}


def _refuse_kind(label: str, mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = translate(_KINDS.get(stat.S_IFMT(mode), N_("not a regular file")))
        raise (IsLink if stat.S_ISLNK(mode) else Refused)(
            _("{file} is {kind}, not a regular file").format(file=label, kind=kind))


def size_text(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 2**10:.1f} KB" if n >= 2**10 else f"{n} bytes"


def read_untrusted(name: str | os.PathLike, cap: int, *, dir_fd: int | None = None, label: str | None = None) -> bytes:
    """The bytes of a student-controlled file, read once and never through a link.

    ``name`` is opened relative to ``dir_fd`` when given. The file is checked with lstat, then
    opened with O_NOFOLLOW (a link is refused, not followed) and O_NONBLOCK (a FIFO cannot make
    the open wait for a writer), and fstat must say the opened file is regular (the lstat could
    be raced) and at most ``cap`` bytes, before anything is read; at most ``cap + 1`` bytes are
    read, so a file that grows meanwhile is caught too. Raises :class:`Refused` (a sentence that
    names only ``label``, default the base name) or FileNotFoundError."""
    label = label or os.path.basename(os.fspath(name))
    try:
        _refuse_kind(label, os.lstat(name, dir_fd=dir_fd).st_mode)
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC, dir_fd=dir_fd)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise IsLink(_("{file} is a symbolic link, not a regular file").format(file=label)) from None
        raise Refused(_("{file} cannot be opened ({reason})").format(
            file=label, reason=os.strerror(exc.errno or 0).lower())) from None
    try:
        info = os.fstat(fd)
        _refuse_kind(label, info.st_mode)
        if info.st_size > cap:
            raise TooLarge(_("{file} is {size}, over the {limit} limit").format(
                file=label, size=size_text(info.st_size), limit=size_text(cap)))
        chunks, left = [], cap + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > cap:
            raise TooLarge(_("{file} grew over the {limit} limit while it was read").format(
                file=label, limit=size_text(cap)))
        return data
    except OSError as exc:
        raise Refused(_("{file} cannot be read ({reason})").format(
            file=label, reason=os.strerror(exc.errno or 0).lower())) from None
    finally:
        os.close(fd)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def suite_fingerprint(name: str) -> str:
    """Changes whenever the grader of ``name`` could grade differently: the engine's version, the
    suite's files and the reference."""
    from graders.reference import reference_dir

    h = hashlib.sha256(__version__.encode())
    graders, reference = ROOT / "graders", reference_dir()
    files = [(ROOT, f) for f in sorted((graders / name).rglob("*.py"))]
    files.append((reference.parent, reference / name / f"{name}.py"))
    files += [(ROOT, f) for f in sorted(graders.glob("*.py"))]
    for base, f in files:
        if f.is_file():
            h.update(f.relative_to(base).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]
