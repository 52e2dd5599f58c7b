"""Grade one submission in isolation: the submission's code runs only in a sandboxed worker."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from graders.engine.files import file_sha256, suite_fingerprint
from graders.engine.limits import bounded
from graders.engine.suite import run_suite
from graders.plugin import DEFAULT_SEED
from graders.student.extract import SubmissionNotFound, find_submission
from graders.student.remote import RemoteStudent


def student_id_of(name: str, path: Path) -> str:
    """nbgrader's layout submitted/<student>/<assignment>/: the folder above the assignment's;
    otherwise the submission folder's (or file's folder's) own name."""
    folder = path if path.is_dir() else path.parent
    folder = folder.resolve()
    return folder.parent.name if folder.name == name else folder.name


OUTPUT_CAP = 8192  # characters of the submission's printing kept in its result


def capped(text: str, cap: int = OUTPUT_CAP) -> str:
    """``text`` cut to ``cap`` characters, saying how much was dropped."""
    if len(text) <= cap:
        return text
    return text[:cap] + f"\n[... {len(text) - cap} more characters of output dropped]"


def grade(name: str, path: Path, *, seed: int = DEFAULT_SEED, student_id: str | None = None,
          public_only: bool = False) -> dict[str, Any]:
    """The contract's result for the submission at ``path`` (folder or file) of assignment ``name``."""
    path = Path(path)
    started = time.perf_counter()
    student = RemoteStudent.start(name, path)
    try:
        result = run_suite(name, student, student_id=student_id or student_id_of(name, path),
                           seed=seed, public_only=public_only)
    finally:
        student.close()
    try:
        result["submission_sha256"] = file_sha256(find_submission(name, path))
    except SubmissionNotFound:
        result["submission_sha256"] = None
    result["suite"] = suite_fingerprint(name)
    result["isolation"] = student.isolation or "none (the submission did not load)"
    result["isolation_level"] = student.level or None
    if student.over_budget:
        result["over_budget"] = True
    result["load_errors"] = student.problems + ([str(student.dead)] if student.dead else [])
    result["warnings"] = sorted(student.warnings)
    result["output"] = capped("".join(student.output))
    result["duration_s"] = round(time.perf_counter() - started, 3)
    return bounded(result)
