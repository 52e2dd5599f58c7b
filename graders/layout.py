"""The class folder: nbgrader's layout, submitted/<student>/<assignment>/, read without following links.

Every stage that walks a class (batch, collect) reads it here, so they agree on who is in it. A
student folder that is a symbolic link is skipped with a note (it names no student of its own);
an assignment folder that is one is the student's submission, and grading refuses it with a
reason in that student's result: a link could name another student's work or the reference, and
the grading side follows none. Any other folder name is a student id, hidden (leading dot) ones included: a tool's
folder such as .ipynb_checkpoints holds no assignment folder, so it is never taken for a student.
A folder in which no submission is found at all is not a class: :class:`LayoutError` says what
was expected and what was found.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from graders import ASSIGNMENTS
from graders.names import shown
from graders.messages import _

EXPECTED = "SUBMISSIONS/<student>/<assignment>/<assignment>.ipynb (or <assignment>.py)"
_SHOW = 8  # entries named in a layout message


class LayoutError(ValueError):
    """The folder holds no submitted/<student>/<assignment>/ at all."""


@dataclass
class ClassFolder:
    submissions: list[tuple[str, str, Path]] = field(default_factory=list)  # (assignment, student, folder)
    notes: list[str] = field(default_factory=list)  # what was skipped, and why


def _entries(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as it:
        return sorted(it, key=lambda e: e.name)


def scan(submitted: Path, assignments: Iterable[str] = ASSIGNMENTS) -> ClassFolder:
    """Every (assignment, student, folder) of the class in ``submitted``, sorted by student;
    raises LayoutError when there is none."""
    wanted = list(assignments)
    found = ClassFolder()
    top = _entries(Path(submitted))
    for entry in top:
        if entry.is_symlink():
            found.notes.append(_("skipped {name}: a link, not a student's folder").format(name=shown(entry.name, 80)))
            continue
        if not entry.is_dir(follow_symlinks=False):
            continue
        for name in wanted:
            folder = Path(entry.path) / name
            if folder.is_symlink():  # the student's own entry: graded, and refused with a reason (no silent zero)
                found.submissions.append((name, entry.name, folder))
            elif folder.is_dir():
                found.submissions.append((name, entry.name, folder))
    if not found.submissions:
        raise LayoutError(describe(Path(submitted), top, wanted))
    return found


def _kind(entry: os.DirEntry) -> str:
    if entry.is_symlink():
        return " " + _("(a link)")
    return "/" if entry.is_dir(follow_symlinks=False) else ""


def describe(submitted: Path, top: list[os.DirEntry], wanted: list[str]) -> str:
    """Why ``submitted`` is not a class: the layout expected, what is there, and a likely cause."""
    lines = [_("no submission found in {folder}").format(folder=submitted),
             "  " + _("expected: {layout}").format(layout=EXPECTED),
             "  " + _("(assignments: {names})").format(names=", ".join(wanted))]
    if not top:
        lines.append("  " + _("found: an empty folder"))
        return "\n".join(lines)
    lines.append("  " + _("found:"))
    lines += [f"    {shown(e.name, 60)}{_kind(e)}" for e in top[:_SHOW]]
    if len(top) > _SHOW:
        lines.append("    " + _("... and {count} more").format(count=len(top) - _SHOW))
    names = {e.name for e in top}
    if "submitted" in names:
        lines.append("  " + _("There is a submitted/ folder here: pass {folder} itself.").format(
            folder=submitted / "submitted"))
    elif names & set(ASSIGNMENTS):
        lines.append("  " + _("This looks like <assignment>/<student>/ (folders named after assignments at the top): "
                              "swap the two levels, one folder per student holding one folder per assignment."))
    elif any(e.is_file(follow_symlinks=False) for e in top) and not any(e.is_dir(follow_symlinks=False) for e in top):
        lines.append("  " + _("These are files directly inside: put each student's files in <student>/<assignment>/."))
    else:
        lines.append("  " + _("No student folder holds a folder named after an assignment."))
    return "\n".join(lines)
