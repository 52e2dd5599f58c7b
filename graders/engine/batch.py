"""Grade a class: every submitted/<student>/<assignment>/ in parallel, one JSON per submission.

Each submission is graded in a pool process by :func:`graders.engine.grade.grade`; its student
code runs in that pool process's sandboxed workers. Results are written atomically as they
arrive, so an interrupted run keeps everything finished so far; a submission whose file, suite
and seed have not changed since its last result is skipped (``force`` regrades). One
submission's failure, whatever it is, becomes that submission's recorded result.
"""
from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import time
import zlib
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from tqdm import tqdm

from graders import ASSIGNMENTS
from graders.engine.files import file_sha256, suite_fingerprint, write_json_atomic
from graders.engine.grade import grade
from graders.plugin import DEFAULT_SEED
from graders.student.extract import SubmissionNotFound, find_submission


@dataclass(frozen=True)
class Job:
    assignment: str
    student: str
    path: Path
    out: Path
    seed: int


def student_seed(base: int, student: str, assignment: str) -> int:
    """One reproducible seed per student and assignment, from the run's base seed."""
    return zlib.crc32(f"{base}:{student}:{assignment}".encode())


def discover(submitted: Path, assignments: Iterable[str]) -> list[tuple[str, str, Path]]:
    """(assignment, student, folder) for every submitted/<student>/<assignment>/ folder."""
    found = []
    for student_dir in sorted(p for p in Path(submitted).iterdir() if p.is_dir() and not p.name.startswith(".")):
        for name in assignments:
            if (student_dir / name).is_dir():
                found.append((name, student_dir.name, student_dir / name))
    return found


def _up_to_date(job: Job, fingerprint: str) -> bool:
    try:
        old = json.loads(job.out.read_text())
        current = file_sha256(find_submission(job.assignment, job.path))
    except (OSError, ValueError, SubmissionNotFound):
        return False
    return (old.get("submission_sha256"), old.get("suite"), old.get("seed")) == (current, fingerprint, job.seed)


def _grade_job(job: Job) -> dict[str, Any]:
    try:
        return grade(job.assignment, job.path, seed=job.seed, student_id=job.student)
    except Exception as exc:  # noqa: BLE001 - one submission's failure must not stop the class
        return {"assignment": job.assignment, "student": job.student, "score": 0.0, "max_score": None,
                "tests": [], "seed": job.seed, "error": f"could not grade: {type(exc).__name__}: {exc}"}


def run_batch(submitted: Path, out: Path, *, jobs: int = 0, force: bool = False, seed: int = DEFAULT_SEED,
              assignments: Iterable[str] = ASSIGNMENTS, progress: bool = True) -> list[dict[str, Any]]:
    """Grade the class in ``submitted`` into ``out``; returns every submission's result, new or kept."""
    from graders.student.levels import check_available
    from graders.student.remote import hide_also

    check_available()  # refuse the whole class up front, not student by student
    out = Path(out)
    hide_also(Path(submitted).resolve(), out.resolve())
    todo, results = [], []
    fingerprints = {name: suite_fingerprint(name) for name in assignments}
    for name, student, folder in discover(submitted, assignments):
        job = Job(name, student, folder, out / name / f"{student}.json", student_seed(seed, student, name))
        if not force and _up_to_date(job, fingerprints[name]):
            results.append(json.loads(job.out.read_text()))
        else:
            todo.append(job)
    jobs = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    bar = tqdm(total=len(todo), unit="sub", disable=not progress or not todo, desc="grading", dynamic_ncols=True)
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(todo) or 1)),
                             mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {pool.submit(_grade_job, job): job for job in todo}
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - the pool process itself died
                result = {"assignment": job.assignment, "student": job.student, "score": 0.0, "max_score": None,
                          "tests": [], "seed": job.seed, "error": f"the grading process failed: {exc}"}
            write_json_atomic(job.out, result)
            results.append(result)
            bar.set_postfix_str(f"{job.student}/{job.assignment}", refresh=False)
            bar.update()
    bar.close()
    elapsed = time.perf_counter() - started
    results.sort(key=lambda r: (r["student"], ASSIGNMENTS.index(r["assignment"]) if r["assignment"] in ASSIGNMENTS else 99))
    write_summary(out / "summary.csv", results)
    if progress:
        print(f"graded {len(todo)} submission(s) in {elapsed:.1f} s, kept {len(results) - len(todo)} unchanged; results in {out}/")
    return results


def write_summary(path: Path, results: list[dict[str, Any]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["student", "assignment", "score", "max_score", "failed_tests", "error"])
    for r in results:
        failed = sum(t["status"] != "passed" for t in r.get("tests", []))
        writer.writerow([r["student"], r["assignment"], r["score"], r.get("max_score"), failed, r.get("error", "")])
    tmp = path.with_suffix(".csv.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(buf.getvalue())
    os.replace(tmp, path)


def table(results: list[dict[str, Any]]) -> str:
    """A score table: one row per student, one column per assignment, and the total."""
    names = [a for a in ASSIGNMENTS if any(r["assignment"] == a for r in results)]
    students = sorted({r["student"] for r in results})
    cell = {(r["student"], r["assignment"]): r for r in results}
    width = max([len("student")] + [len(s) for s in students])
    columns = {n: max(len(n), 11) for n in names}
    head = f"{'student':<{width}}  " + "  ".join(f"{n:>{columns[n]}}" for n in names) + f"  {'total':>13}"
    lines = [head, "-" * len(head)]
    for s in students:
        row, got, top = [], 0.0, 0.0
        for n in names:
            r = cell.get((s, n))
            if r is None:
                text = "-"
            elif r.get("max_score") is None:
                text = "ERROR"
            else:
                text = f"{r['score']:g} / {r['max_score']:g}"
                got, top = got + r["score"], top + r["max_score"]
            row.append(f"{text:>{columns[n]}}")
        lines.append(f"{s:<{width}}  " + "  ".join(row) + f"  {f'{got:g} / {top:g}':>13}")
    return "\n".join(lines)
