"""Grade one submission in isolation: the submission's code runs only in a sandboxed worker.

The submission's file is found and read once (:mod:`graders.student.submission`): those bytes
are hashed, parsed into cells on this side and the cells handed to the worker. Whatever the
file holds, a result comes back: a file that cannot be read scores 0 with a sentence saying why,
and a failure of the grading itself becomes the result's ``error``.
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

from graders import ROOT
from graders.diagnoses import as_json, group
from graders.engine.files import suite_fingerprint
from graders.engine.limits import bounded
from graders.engine.suite import run_suite
from graders.messages import _, language, translate
from graders.plugin import DEFAULT_SEED
from graders.student.extract import load_submission
from graders.student.levels import IsolationUnavailable
from graders.student.remote import RemoteStudent
from graders.student.submission import REFUSED, Submission


def student_id_of(name: str, path: Path) -> str:
    """nbgrader's layout submitted/<student>/<assignment>/: the folder above the assignment's;
    otherwise the submission folder's (or file's folder's) own name. Links are not followed:
    a folder linked to a classmate's is not that classmate."""
    folder = path if path.is_dir() else path.parent
    folder = Path(os.path.abspath(folder))
    return folder.parent.name if folder.name == name else folder.name


OUTPUT_CAP = 8192  # characters of the submission's printing kept in its result


def capped(text: str, cap: int = OUTPUT_CAP) -> str:
    """``text`` cut to ``cap`` characters, saying how much was dropped."""
    if len(text) <= cap:
        return text
    return text[:cap] + "\n" + _("[... {count} more characters of output dropped]").format(count=len(text) - cap)


_ABSOLUTE = re.compile(r"(?<![\w.~-])/(?:[^\s/'\"<>:]+/)+")


def without_paths(text: str) -> str:
    """``text`` with the folders of every absolute path dropped (results never show the grading
    machine's paths): '/srv/kit/graders/x.py' becomes 'x.py'."""
    return _ABSOLUTE.sub("", text)


def max_points(name: str) -> float:
    """The points of the released notebook's grade cells (0.0 when it cannot be read)."""
    try:
        cells = json.loads((ROOT / "assignments" / name / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
        return float(sum(float(c["metadata"]["nbgrader"].get("points", 0)) for c in cells
                         if c.get("metadata", {}).get("nbgrader", {}).get("grade")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return 0.0


def _not_graded(name: str, student_id: str, seed: int, exc: BaseException) -> dict[str, Any]:
    return {"assignment": name, "student": student_id, "score": 0.0, "max_score": max_points(name), "tests": [],
            "seed": seed, "error": without_paths(_("could not grade: {kind}: {reason}").format(
                kind=type(exc).__name__, reason=exc))}


def _describe(result: dict[str, Any], submission: Submission) -> None:
    result["submission_file"] = submission.file
    result["submission_status"] = submission.status
    result["submission_reason"] = submission.reason
    result["submission_sha256"] = submission.sha256
    if submission.problem:
        result["error"] = submission.problem


def grade(name: str, path: Path, *, seed: int = DEFAULT_SEED, student_id: str | None = None,
          public_only: bool = False) -> dict[str, Any]:
    """The contract's result for the submission at ``path`` (folder or file) of assignment ``name``.
    Never raises for anything the submission holds; a grading failure is the result's ``error``."""
    path = Path(path)
    started = time.perf_counter()
    student_id = student_id or student_id_of(name, path)
    try:
        submission = load_submission(name, path)
    except Exception as exc:  # noqa: BLE001 - load_submission does not raise; if it ever did, still a result
        submission = Submission(None, REFUSED, _("the submission could not be read ({kind})").format(kind=type(exc).__name__))
    student = None
    try:
        student = RemoteStudent.start(name, path, submission=submission)
        result = run_suite(name, student, student_id=student_id, seed=seed, public_only=public_only)
    except IsolationUnavailable:
        raise  # no walls on this machine: the whole run is refused (cli exits 3), not this student
    except Exception as exc:  # noqa: BLE001 - the contract: a JSON whenever the arguments were readable
        result = _not_graded(name, student_id, seed, exc)
    finally:
        if student is not None:
            student.close()
    _describe(result, submission)
    try:
        result["suite"] = suite_fingerprint(name)
    except OSError:
        result["suite"] = None
    dead = [str(student.dead)] if student is not None and student.dead else []
    result["isolation"] = translate(student.isolation if student is not None else "") or _("none (the submission did not load)")
    result["isolation_level"] = (student.level if student is not None else "") or None
    if student is not None and student.over_budget:
        result["over_budget"] = True
    result["load_errors"] = submission.notes + (student.problems if student is not None else []) + dead
    result["warnings"] = sorted(student.warnings) if student is not None else []
    result["output"] = capped("".join(student.output)) if student is not None else ""
    result["language"] = language()  # of every message above; a batch regrades a result in another one
    result["duration_s"] = round(time.perf_counter() - started, 3)
    result = bounded(result)
    # Each mistake once, with its tests (graders.diagnoses); every test keeps its own output.
    result["diagnoses"] = as_json(group(result.get("tests") or []))
    return result
