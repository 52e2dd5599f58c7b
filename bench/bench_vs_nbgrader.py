"""Our batch grader against `nbgrader autograde`, on the same class. Prints figures; asserts nothing.

Builds a class of N filled-in activations notebooks (default 50: the sample class's correct and
buggy notebooks in turn) in a scratch nbgrader course under bench/out/vs_nbgrader/, released from
the reference with its own gradebook, then times, in this one run:
  batch       python -m graders batch --force (sandboxed workers, all cores)   <- make grade
  batch -j1   the same on one core
  nbgrader    nbgrader autograde --force (one kernel per notebook, one after another; the hidden
              cells call graders.notebook.run_part in the kernel)
and prints wall times, the ratios, and whether both gave every student the same total.

    .venv/bin/python bench/bench_vs_nbgrader.py [--students 50]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nbgrader.api import Gradebook  # noqa: E402

from graders.collect import course_id, nbgrader_ready  # noqa: E402

OUT = ROOT / "bench" / "out" / "vs_nbgrader"
SAMPLES = ("ada_correct", "cy_buggy", "dee_buggy")  # filled in: correct, and two single mistakes


def load_release():
    spec = importlib.util.spec_from_file_location("release", ROOT / "reference" / "release.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_course(students: int) -> Path:
    shutil.rmtree(OUT, ignore_errors=True)
    load_release().release(["activations"], source_dir=OUT / "reference", release_dir=OUT / "assignments",
                           gradebook=OUT / "gradebook.db")
    for i in range(students):
        folder = OUT / "submitted" / f"student{i:03d}" / "activations"
        folder.mkdir(parents=True)
        shutil.copy(ROOT / "examples" / "submitted" / SAMPLES[i % len(SAMPLES)] / "activations" / "activations.ipynb", folder)
    return OUT


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} failed:\n{done.stderr[-3000:]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50)
    args = parser.parse_args(argv)
    course = build_course(args.students)
    db = course / "gradebook.db"
    results = course / "results"
    batch = [sys.executable, "-m", "graders", "batch", str(course / "submitted"), "--out", str(results),
             "--force", "--quiet", "--assignment", "activations"]
    t_batch = timed(batch)
    t_batch1 = timed(batch + ["--jobs", "1"])
    env = dict(nbgrader_ready(f"sqlite:///{db}"), BACKPROP_GRADEBOOK=str(db),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    t_nbgrader = timed([sys.executable, "-m", "nbgrader", "autograde", "activations", "--force",
                        f"--CourseDirectory.root={course}", "--CourseDirectory.submitted_directory=submitted",
                        "--log-level=ERROR"], env=env)

    ours = {p.stem: json.loads(p.read_text())["score"] for p in (results / "activations").glob("*.json")}
    with Gradebook(f"sqlite:///{db}", course_id()) as gb:
        theirs = {s.student.id: s.score for s in gb.find_assignment("activations").submissions}
    same = sum(abs(ours.get(s, -1) - score) < 1e-9 for s, score in theirs.items())

    n = args.students
    print(f"{n} filled-in activations notebooks ({', '.join(SAMPLES)} in turn), {os.cpu_count()} cores")
    print(f"  batch (all cores)    {t_batch:7.2f} s   {t_batch / n * 1000:7.1f} ms per notebook")
    print(f"  batch -j1            {t_batch1:7.2f} s   {t_batch1 / n * 1000:7.1f} ms per notebook")
    print(f"  nbgrader autograde   {t_nbgrader:7.2f} s   {t_nbgrader / n * 1000:7.1f} ms per notebook")
    print(f"  nbgrader / batch = {t_nbgrader / t_batch:.1f}x,  nbgrader / batch -j1 = {t_nbgrader / t_batch1:.1f}x")
    print(f"  same total for {same} of {len(theirs)} students "
          "(batch seeds each student's inputs; autograde uses the default seed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
