"""Which file of a submission folder is graded, read once as hostile data.

The folder is the TA's (``python -m graders grade NAME FOLDER``, or batch's
``submitted/<student>/<assignment>``), but everything inside it is the student's: a link (to the
reference, to a classmate's file), a FIFO, a device or a huge file is refused with a sentence
saying so, never followed and never waited on (:func:`graders.engine.files.read_untrusted`).
In nbgrader's layout the assignment folder itself is a name in a class folder, so it is refused
too when it is a link. A folder without NAME.ipynb or NAME.py but with exactly one notebook (or,
failing that, exactly one ``.py``) of another name is graded from that file, and says so: a
``softmax_loss (1).ipynb`` costs no marks. Messages name files by their base names only.
"""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from graders.engine.files import IsLink, Refused, TooLarge, read_untrusted
from graders.engine.limits import clean

# A notebook with its outputs is tens of kilobytes, a few hundred with plots; 5 MB leaves room for
# dozens of inline images while keeping what one submission can make the grading side hold (the
# bytes, the decoded text, the parsed JSON, the cells sent to the worker) to tens of megabytes.
MAX_SUBMISSION_BYTES = 5 * 2**20

OK, RENAMED, MISSING, REFUSED = "ok", "renamed", "missing", "refused"
SHOWN_NAMES = 10  # names listed in a "found: ..." message


class SubmissionNotFound(Exception):
    """No NAME.ipynb or NAME.py where the submission should be."""


@dataclass
class Submission:
    """The file graded (``file``: a base name, or None), how it was found (``status``: ok,
    renamed, missing or refused), a sentence saying why when not ok, and what was read."""
    file: str | None
    status: str
    reason: str = ""
    data: bytes | None = None
    cells: list = field(default_factory=list)  # graders.student.extract.Cell, filled by load_submission
    notes: list[str] = field(default_factory=list)  # remarks on single cells (skipped, split)

    @property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.data).hexdigest() if self.data is not None else None

    @property
    def problem(self) -> str:
        """Why nothing of this submission can run ("" when its cells can)."""
        return self.reason if self.status in (MISSING, REFUSED) else ""

    def refuse(self, reason: str) -> None:
        self.status, self.reason, self.cells = REFUSED, reason, []


def shown(name: str, limit: int = 100) -> str:
    """A student's file name fit for a message: valid text, no control characters, bounded."""
    name = os.fsencode(name).decode("utf-8", "replace")
    return clean(name, limit)


def _listing(names: list[str]) -> str:
    visible = sorted(n for n in names if not n.startswith("."))
    if not visible:
        return " (the folder is empty)"
    more = f", and {len(visible) - SHOWN_NAMES} more" if len(visible) > SHOWN_NAMES else ""
    return f" (found: {', '.join(shown(n, 60) for n in visible[:SHOWN_NAMES])}{more})"


def _choose(name: str, names: list[str]) -> tuple[str | None, str, str]:
    """(file, status, reason) for a folder holding ``names``."""
    for exact in (f"{name}.ipynb", f"{name}.py"):
        if exact in names:
            return exact, OK, ""
    visible = [n for n in names if not n.startswith(".")]
    for suffix in (".ipynb", ".py"):
        candidates = sorted(n for n in visible if n.lower().endswith(suffix))
        if len(candidates) == 1:
            return candidates[0], RENAMED, f"graded {shown(candidates[0])}: there was no {name}{suffix}"
        if len(candidates) > 1:
            return None, MISSING, (f"no {name}.ipynb or {name}.py in the folder, and more than one other "
                                   f"{'notebook' if suffix == '.ipynb' else 'module'} to choose from{_listing(names)}")
    return None, MISSING, f"no {name}.ipynb or {name}.py in the folder{_listing(names)}"


def _read(submission: Submission, name: str, dir_fd: int | None, label: str) -> Submission:
    try:
        submission.data = read_untrusted(name, MAX_SUBMISSION_BYTES, dir_fd=dir_fd, label=label)
    except FileNotFoundError:
        submission.refuse(f"{label} disappeared while it was being read")
    except TooLarge as exc:
        advice = "clear the notebook's outputs (Kernel > Restart & Clear Output)" if label.endswith(".ipynb") else "remove what is not code"
        submission.refuse(f"{exc}; {advice} and submit again")
    except IsLink as exc:
        submission.refuse(f"{exc}; submit the file itself")
    except Refused as exc:
        submission.refuse(str(exc))
    return submission


def _from_folder(name: str, folder: Path) -> Submission:
    layout = folder.name == name  # nbgrader's submitted/<student>/<assignment>: a class's name
    if layout and os.path.islink(folder):
        return Submission(None, REFUSED, f"the folder {shown(folder.name)} is a symbolic link; submit the files themselves")
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC | (os.O_NOFOLLOW if layout else 0)
    try:
        fd = os.open(folder, flags)
    except OSError as exc:
        return Submission(None, REFUSED, f"the folder {shown(folder.name)} cannot be opened ({os.strerror(exc.errno or 0).lower()})")
    try:
        names = os.listdir(fd)
        file, status, reason = _choose(name, names)
        submission = Submission(shown(file) if file else None, status, reason)
        return _read(submission, file, fd, shown(file)) if file else submission
    finally:
        os.close(fd)


def read_submission(name: str, path: Path) -> Submission:
    """The submission of assignment ``name`` at ``path`` (a folder, or the file itself), its
    bytes read once; never raises. ``cells`` stay empty (parsing: graders.student.extract)."""
    path = Path(path)
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISDIR(mode) or (stat.S_ISLNK(mode) and path.is_dir()):
            return _from_folder(name, path)
        return _read(Submission(shown(path.name), OK), str(path), None, shown(path.name))
    except FileNotFoundError:
        return Submission(None, MISSING, f"no such file or folder: {shown(path.name)}")
    except OSError as exc:
        return Submission(None, REFUSED, f"{shown(path.name)} cannot be read ({os.strerror(exc.errno or 0).lower()})")


def find_submission(name: str, path: Path) -> Path:
    """The path of the file that would be graded (for callers that only need to know which)."""
    submission = read_submission(name, path)
    if submission.file is None:
        raise SubmissionNotFound(submission.reason)
    return Path(path) / submission.file if Path(path).is_dir() else Path(path)

