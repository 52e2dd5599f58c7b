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
from graders.messages import _

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
        return " " + _("(the folder is empty)")
    names = ", ".join(shown(n, 60) for n in visible[:SHOWN_NAMES])
    if len(visible) > SHOWN_NAMES:
        return " " + _("(found: {names}, and {more} more)").format(names=names, more=len(visible) - SHOWN_NAMES)
    return " " + _("(found: {names})").format(names=names)


def _choose(name: str, names: list[str]) -> tuple[str | None, str, str]:
    """(file, status, reason) for a folder holding ``names``."""
    for exact in (f"{name}.ipynb", f"{name}.py"):
        if exact in names:
            return exact, OK, ""
    visible = [n for n in names if not n.startswith(".")]
    for suffix in (".ipynb", ".py"):
        candidates = sorted(n for n in visible if n.lower().endswith(suffix))
        if len(candidates) == 1:
            return candidates[0], RENAMED, _("graded {file}: there was no {expected}").format(
                file=shown(candidates[0]), expected=f"{name}{suffix}")
        if len(candidates) > 1:
            several = (_("no {notebook} or {module} in the folder, and more than one other notebook to choose from")
                       if suffix == ".ipynb" else
                       _("no {notebook} or {module} in the folder, and more than one other module to choose from"))
            return None, MISSING, several.format(notebook=f"{name}.ipynb", module=f"{name}.py") + _listing(names)
    return None, MISSING, _("no {notebook} or {module} in the folder").format(
        notebook=f"{name}.ipynb", module=f"{name}.py") + _listing(names)


def _read(submission: Submission, name: str, dir_fd: int | None, label: str) -> Submission:
    try:
        submission.data = read_untrusted(name, MAX_SUBMISSION_BYTES, dir_fd=dir_fd, label=label)
    except FileNotFoundError:
        submission.refuse(_("{file} disappeared while it was being read").format(file=label))
    except TooLarge as exc:
        advice = (_("clear the notebook's outputs (Kernel > Restart & Clear Output) and submit again")
                  if label.endswith(".ipynb") else _("remove what is not code and submit again"))
        submission.refuse(f"{exc}; {advice}")
    except IsLink as exc:
        submission.refuse(_("{reason}; submit the file itself").format(reason=exc))
    except Refused as exc:
        submission.refuse(str(exc))
    return submission


def _from_folder(name: str, folder: Path) -> Submission:
    layout = folder.name == name  # nbgrader's submitted/<student>/<assignment>: a class's name
    if layout and os.path.islink(folder):
        return Submission(None, REFUSED, _("the folder {folder} is a symbolic link; submit the files themselves")
                          .format(folder=shown(folder.name)))
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC | (os.O_NOFOLLOW if layout else 0)
    try:
        fd = os.open(folder, flags)
    except OSError as exc:
        return Submission(None, REFUSED, _("the folder {folder} cannot be opened ({reason})").format(
            folder=shown(folder.name), reason=os.strerror(exc.errno or 0).lower()))
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
        return Submission(None, MISSING, _("no such file or folder: {path}").format(path=shown(path.name)))
    except OSError as exc:
        return Submission(None, REFUSED, _("{file} cannot be read ({reason})").format(
            file=shown(path.name), reason=os.strerror(exc.errno or 0).lower()))


def find_submission(name: str, path: Path) -> Path:
    """The path of the file that would be graded (for callers that only need to know which)."""
    submission = read_submission(name, path)
    if submission.file is None:
        raise SubmissionNotFound(submission.reason)
    return Path(path) / submission.file if Path(path).is_dir() else Path(path)

