"""How fast is a whole class graded? Prints figures; asserts nothing.

Builds a class of N submissions (default 200: 50 students x 4 assignments, correct, buggy and
blank in turn) from the sample class, the reference and the released stubs, then times, in
this one run:
  batch       python -m graders batch (fork server, all cores)    <- what make grade runs
  batch -j1   the same on one core
  baseline    one fresh `python -m graders grade` process per submission, one after another,
              on a sample of the class (the naive way: interpreter, numpy and pytest start per
              submission)
and prints submissions per second, the cost per submission, and the ratios.

    .venv/bin/python bench/bench_class.py [--students 50] [--baseline-sample 16]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graders import ASSIGNMENTS  # noqa: E402
from graders.engine.batch import run_batch  # noqa: E402

OUT = ROOT / "bench" / "out"


def sources(name: str) -> list[Path]:
    """Submissions of one assignment to copy from: correct, buggy and blank ones."""
    found = [ROOT / "reference" / name / f"{name}.py", ROOT / "assignments" / name / f"{name}.ipynb"]
    found += sorted((ROOT / "examples" / "submitted").glob(f"*/{name}/{name}.ipynb"))
    return [p for p in found if p.is_file()]


def build_class(students: int) -> Path:
    submitted = OUT / "submitted"
    shutil.rmtree(submitted, ignore_errors=True)
    for name in ASSIGNMENTS:
        pool = sources(name)
        if not pool:  # an assignment with no reference or release yet
            continue
        for i in range(students):
            src = pool[i % len(pool)]
            folder = submitted / f"student{i:03d}" / name
            folder.mkdir(parents=True)
            shutil.copy(src, folder / f"{name}{src.suffix}")
    return submitted


def time_batch(submitted: Path, jobs: int) -> float:
    out = OUT / f"results-j{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    run_batch(submitted, out, jobs=jobs, force=True, progress=False)
    return time.perf_counter() - started


def time_baseline(submitted: Path, sample: int) -> tuple[float, int]:
    folders = sorted(p for p in submitted.glob("*/*") if p.is_dir())
    step = max(1, len(folders) // sample)
    chosen = folders[::step][:sample]
    started = time.perf_counter()
    for folder in chosen:
        subprocess.run([sys.executable, "-m", "graders", "grade", folder.name, str(folder),
                        "--json", str(OUT / "baseline.json")], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started, len(chosen)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=50)
    ap.add_argument("--baseline-sample", type=int, default=16)
    args = ap.parse_args()
    submitted = build_class(args.students)
    n = sum(1 for p in submitted.glob("*/*") if p.is_dir())
    cores = os.cpu_count() or 1
    print(f"class: {n} submissions ({args.students} students x {len(ASSIGNMENTS)} assignments), {cores} cores")
    t_all = time_batch(submitted, cores)
    t_one = time_batch(submitted, 1)
    t_base, k = time_baseline(submitted, args.baseline_sample)
    rows = [
        (f"batch -j{cores} (make grade)", n, t_all),
        ("batch -j1", n, t_one),
        ("baseline: fresh process per submission", k, t_base),
    ]
    print(f"{'run':<42}{'subs':>6}{'seconds':>10}{'subs/s':>10}{'ms/sub':>10}")
    for label, count, secs in rows:
        print(f"{label:<42}{count:>6}{secs:>10.2f}{count / secs:>10.1f}{1000 * secs / count:>10.1f}")
    base_rate = k / t_base
    print(f"speed-up of make grade over the baseline: {n / t_all / base_rate:.1f}x; "
          f"of {cores} cores over one: {t_one / t_all:.2f}x")


if __name__ == "__main__":
    main()
