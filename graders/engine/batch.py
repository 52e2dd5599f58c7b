"""Grade a class: every submitted/<student>/<assignment>/ in parallel, one JSON per submission.

Each submission is graded in a pool process by :func:`graders.engine.grade.grade`; its student
code runs in that pool process's sandboxed workers. Results are written atomically as they
arrive, so an interrupted run keeps everything finished so far; a submission whose file, suite
and seed have not changed since its last result is skipped (``force`` regrades). One
submission's failure, whatever it is (its grading, or writing its result), becomes that
submission's recorded result. Student ids are data (graders.names): each result file is named
safely, the real id stays inside it, and what a terminal or a CSV shows of it is made harmless.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
import zlib
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from graders import ASSIGNMENTS
from graders.engine.files import suite_fingerprint, write_json_atomic
from graders.engine.grade import grade
from graders.engine.limits import known_roots, without_paths
from graders.engine.progress import reporter
from graders.engine.seal import is_sealed, key_for, sealed
from graders.engine.suite import warm
from graders.engine.summary import table, write_summary  # noqa: F401 - the batch's outputs, re-exported
from graders.layout import scan
from graders.messages import _, language
from graders.names import file_stem, shown
from graders.plugin import DEFAULT_SEED
from graders.student.submission import read_submission


@dataclass(frozen=True)
class Job:
    assignment: str
    student: str
    path: Path
    out: Path
    seed: int


def student_seed(base: int, student: str, assignment: str) -> int:
    """One reproducible seed per student and assignment, from the run's base seed."""
    return zlib.crc32(f"{base}:{student}:{assignment}".encode("utf-8", "surrogateescape"))


def result_path(out: Path, assignment: str, student: str) -> Path:
    """Where ``student``'s result of ``assignment`` is written (a safe file name, see graders.names)."""
    return Path(out) / assignment / f"{file_stem(student)}.json"


def discover(submitted: Path, assignments: Iterable[str]) -> list[tuple[str, str, Path]]:
    """(assignment, student, folder) for every submitted/<student>/<assignment>/ folder."""
    return scan(submitted, assignments).submissions


def _up_to_date(job: Job, fingerprint: str, key: bytes) -> bool:
    """Whether the last result still holds: written by this batch (its seal verifies: a forged
    result is regraded), same file bytes (read as grading reads them: the same file chosen, never
    through a link), suite, seed and language of its messages (English before results named it).
    A file that cannot be read is regraded."""
    try:
        old = json.loads(job.out.read_text())
    except (OSError, ValueError):
        return False
    if not is_sealed(old, key):
        return False
    current = read_submission(job.assignment, job.path).sha256
    return isinstance(old, dict) and current is not None and (  # messages in another language: regraded
        (old.get("submission_sha256"), old.get("suite"), old.get("seed"), old.get("language", "en"))
        == (current, fingerprint, job.seed, language()))


def _failure(job: Job, error: str) -> dict[str, Any]:
    return {"assignment": job.assignment, "student": job.student, "score": 0.0, "max_score": None,
            "tests": [], "seed": job.seed, "error": error}


def _command_lines() -> dict[str, str]:
    """{piece: label} for the long arguments of this process's and its fork server's command
    lines (the server's carries its code and the list of hidden folders): a submission that reads
    /proc must not get them into its feedback. Best effort: the sandbox's internals may change."""
    from graders.student import remote

    server = getattr(remote, "_fork_server", None)
    args = list(getattr(getattr(server, "proc", None), "args", None) or []) + list(sys.argv)
    return {str(a): "<grader command line>" for a in args if len(str(a)) >= 12}


def _grade_job(job: Job, roots: dict[str, str]) -> dict[str, Any]:
    try:
        result = grade(job.assignment, job.path, seed=job.seed, student_id=job.student)
    except Exception as exc:  # noqa: BLE001 - one submission's failure must not stop the class
        result = _failure(job, _("could not grade: {kind}: {reason}").format(kind=type(exc).__name__, reason=exc))
    return without_paths(result, {**_command_lines(), **roots})


def _record(job: Job, result: dict[str, Any], key: bytes) -> dict[str, Any]:
    """Write ``result``, sealed; a write that fails becomes the result's error (the batch goes on)."""
    try:
        result = sealed(result, key)
        write_json_atomic(job.out, result)
    except (OSError, ValueError, TypeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        result = dict(result, error=_("the result could not be written: {reason}").format(reason=reason))
    return result


def run_batch(submitted: Path, out: Path, *, jobs: int = 0, force: bool = False, seed: int = DEFAULT_SEED,
              assignments: Iterable[str] = ASSIGNMENTS, progress: bool = True) -> list[dict[str, Any]]:
    """Grade the class in ``submitted`` into ``out``; returns every submission's result, new or kept.
    Raises graders.layout.LayoutError when ``submitted`` holds no submission at all."""
    from graders.student.levels import check_available
    from graders.student.remote import hide_also

    out = Path(out)
    found = scan(submitted, assignments)  # a folder that is no class: misuse, said before anything else
    check_available()  # refuse the whole class up front, not student by student
    for note in found.notes:  # a warning, printed even when quiet
        print(note, file=sys.stderr)
    hide_also(Path(submitted).resolve(), out.resolve())
    roots = known_roots({"<submissions>": submitted, "<results>": out})
    key = key_for(out)
    todo, results = [], []
    fingerprints = {name: suite_fingerprint(name) for name in assignments}
    for name, student, folder in found.submissions:
        job = Job(name, student, folder, result_path(out, name, student), student_seed(seed, student, name))
        if not force and _up_to_date(job, fingerprints[name], key):
            results.append(json.loads(job.out.read_text()))
        else:
            todo.append(job)
    jobs = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    for name in sorted({job.assignment for job in todo}):  # loaded once here, inherited by every pool process
        warm(name)
    bar = reporter(len(todo), enabled=progress)
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(todo) or 1)),
                             mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {pool.submit(_grade_job, job, roots): job for job in todo}
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - the pool process itself died
                result = _failure(job, _("the grading process failed: {kind}").format(kind=type(exc).__name__))
            results.append(_record(job, result, key))
            bar.update(f"{job.student}/{job.assignment}")
    bar.close()
    elapsed = time.perf_counter() - started
    results.sort(key=lambda r: (r["student"], ASSIGNMENTS.index(r["assignment"]) if r["assignment"] in ASSIGNMENTS else 99))
    try:
        write_summary(out / "summary.csv", results)
    except OSError as exc:
        print(_("summary.csv could not be written: {reason}").format(reason=exc.strerror), file=sys.stderr)
    if progress:
        print(_("graded {count} submission(s) in {seconds} s, kept {kept} unchanged; results in {folder}/").format(
            count=len(todo), seconds=f"{elapsed:.1f}", kept=len(results) - len(todo), folder=shown(out)))
    return results
