"""What grading costs where it is paid: a cold start, a pool process's first submission, a class.
Prints figures and ratios; asserts nothing.

  cold start   `python -m graders grade` of one filled-in submission, a fresh process each time:
               the slim install (a venv holding only `pip install .`, under bench/out/) against the
               full venv running this script, side by side, runs interleaved; peak memory too
  first        in one process, the first submission graded against the median of the next ones:
               what each pool process of a batch pays once (fork server start, first collection)
  class        200 filled-in submissions (correct and buggy ones of tests/submissions/, 50 students
               x 4 assignments) through `python -m graders batch` then `python -m graders.collect`,
               as make grade runs them; blank notebooks graded apart, as a class of their own
With --before REF (a git revision, e.g. main), the cold start and the class are also timed on
that revision's code (git archive into bench/out/before/, run by the full venv's Python).

    .venv/bin/python bench/bench_deploy.py [--runs 5] [--students 50] [--before main] [--only class]
--only picks some of the three (cold, first, class); --rounds N times the class N times, each
setup in turn, and prints the median and the ratio to the before revision's.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "deploy"
CATALOG = ROOT / "tests" / "submissions"
ASSIGNMENTS = ("activations", "softmax_loss", "backprop", "softmax_dim")
FIRST_OF = ("softmax_loss", "correct")  # the cold start's submission: the first correct softmax_loss


def timed(cmd: list[str], *, env: dict | None = None, cwd: Path = OUT) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB of the largest process it and its waited-for children ran,
    their CPU seconds: on a machine others share, CPU time moves less than wall time)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def slim_python() -> Path:
    """bin/python of bench/out/deploy/slim: a venv with only the kit's wheel, rebuilt every run."""
    sys.path.insert(0, str(ROOT))
    from graders.gradescope.build import build_wheel

    venv = OUT / "slim"
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(Path(tmp))
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        str(wheel)], check=True)
    return venv / "bin" / "python"


def before_tree(rev: str) -> Path:
    """The code of git revision ``rev``, exported to bench/out/deploy/before/."""
    where = OUT / "before"
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive, check=True)
    return where


def catalog(kind: str, name: str) -> list[Path]:
    return sorted((CATALOG / name / kind).glob("*/"))


def cold_start(setups: dict[str, tuple[str, dict]], runs: int) -> dict[str, list[tuple[float, float, float]]]:
    sub = catalog(FIRST_OF[1], FIRST_OF[0])[0]
    times: dict[str, list[tuple[float, float, float]]] = {k: [] for k in setups}
    for _ in range(runs):  # interleaved, so a busy moment of the machine hits every setup alike
        for label, (python, env) in setups.items():
            times[label].append(timed([python, "-m", "graders", "grade", FIRST_OF[0], str(sub),
                                       "--json", str(OUT / "cold.json")], env=env))
    return times


FIRST_SCRIPT = """
import json, sys, time
from graders.engine.grade import grade
took = []
for name, path in json.loads(sys.argv[1]):
    started = time.perf_counter()
    grade(name, path)
    took.append(time.perf_counter() - started)
print(json.dumps(took))
"""


def first_penalty(python: str, env: dict, count: int = 8) -> tuple[float, float]:
    """(first submission's seconds, median of the next ones) in one fresh process."""
    cases = [(name, str(p)) for name in ASSIGNMENTS for p in catalog("buggy", name)[:2]][:count]
    done = subprocess.run([python, "-c", FIRST_SCRIPT, json.dumps(cases)], env=env, cwd=OUT,
                          capture_output=True, text=True, check=True)
    took = json.loads(done.stdout.strip().splitlines()[-1])
    return took[0], statistics.median(took[1:])


def build_class(folder: Path, students: int, blank: bool) -> int:
    """nbgrader's submitted/ layout: each student one submission per assignment, catalog cases in turn."""
    shutil.rmtree(folder, ignore_errors=True)
    count = 0
    for name in ASSIGNMENTS:
        if blank:
            pool = [ROOT / "assignments" / name / f"{name}.ipynb"]
        else:
            pool = [p / f"{name}.py" for p in catalog("correct", name) + catalog("buggy", name)]
        for i in range(students):
            src = pool[i % len(pool)]
            target = folder / f"student{i:03d}" / name
            target.mkdir(parents=True)
            shutil.copy(src, target / src.name)
            count += 1
    return count


def grade_class(python: str, env: dict, submitted: Path, label: str, jobs: int, collect: bool) -> dict:
    results = OUT / f"results-{label}"
    shutil.rmtree(results, ignore_errors=True)
    batch = timed([python, "-m", "graders", "batch", str(submitted), "--out", str(results), "--jobs", str(jobs),
                   "--force", "--quiet"], env=env)
    figures = {"batch": batch}
    durations = []
    for f in results.glob("*/*.json"):
        durations.append(json.loads(f.read_text()).get("duration_s") or 0.0)
    durations.sort(reverse=True)
    figures["slowest"] = durations[:jobs]
    figures["median"] = statistics.median(durations[jobs:]) if len(durations) > jobs else 0.0
    if collect:  # run from the code's own folder: `python -m` puts the working folder first on sys.path
        db = OUT / f"gradebook-{label}.db"
        db.unlink(missing_ok=True)
        figures["collect"] = timed([python, "-m", "graders.collect", str(results), "--submitted", str(submitted),
                                    "--gradebook", f"sqlite:///{db}", "--feedback", str(OUT / f"feedback-{label}")],
                                   env=env, cwd=Path(env.get("PYTHONPATH") or ROOT))
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="cold starts per setup")
    ap.add_argument("--students", type=int, default=50, help="students in the class (x 4 assignments)")
    ap.add_argument("--before", metavar="REV", help="also time this git revision's code (e.g. main)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only", action="append", choices=("cold", "first", "class"), help="only these figures (repeatable)")
    ap.add_argument("--rounds", type=int, default=1, help="times the class is graded per setup (interleaved)")
    args = ap.parse_args()
    parts = set(args.only or ("cold", "first", "class"))
    OUT.mkdir(parents=True, exist_ok=True)
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    setups = {"slim": (str(slim_python()) if "cold" in parts else sys.executable, clean), "full": (sys.executable, clean)}
    if args.before:
        setups[f"full @ {args.before}"] = (sys.executable, {**clean, "PYTHONPATH": str(before_tree(args.before))})
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; {args.runs} cold starts per setup")

    if "cold" in parts:
        cold_figures(setups, args.runs)
    if "first" in parts:
        first_figures(setups, args.runs)
    if "class" in parts:
        class_figures(setups, args)


def cold_figures(setups: dict[str, tuple[str, dict]], runs: int) -> None:
    cold = cold_start(setups, runs)
    print(f"\ncold `python -m graders grade` of one filled-in submission ({FIRST_OF[0]})")
    print(f"{'setup':<22}{'median s':>10}{'min s':>8}{'max s':>8}{'cpu s':>8}{'peak MB':>9}")
    for label, runs in cold.items():
        walls = [w for w, _, _ in runs]
        print(f"{label:<22}{statistics.median(walls):>10.2f}{min(walls):>8.2f}{max(walls):>8.2f}"
              f"{statistics.median(c for _, _, c in runs):>8.2f}{max(m for _, m, _ in runs):>9.0f}")
    slim_wall = statistics.median(w for w, _, _ in cold["slim"])
    slim_cpu = statistics.median(c for _, _, c in cold["slim"])
    for label in cold:
        if label != "slim":
            print(f"  {label} / slim: {statistics.median(w for w, _, _ in cold[label]) / slim_wall:.2f}x wall, "
                  f"{statistics.median(c for _, _, c in cold[label]) / slim_cpu:.2f}x cpu")



def first_figures(setups: dict[str, tuple[str, dict]], runs: int) -> None:
    print(f"\nfirst submission of a fresh grading process against the median of the next ones ({runs} processes "
          "per setup, interleaved; medians)")
    penalties: dict[str, list[tuple[float, float]]] = {label: [] for label in setups}
    for _ in range(runs):
        for label in setups:
            penalties[label].append(first_penalty(*setups[label]))
    for label, runs in penalties.items():
        first, rest = statistics.median(f for f, _ in runs), statistics.median(r for _, r in runs)
        worst = max(f - r for f, r in runs)
        print(f"{label:<22}first {first:.2f} s, then {rest:.2f} s: penalty {first - rest:.2f} s (worst {worst:.2f} s)")


def class_figures(setups: dict[str, tuple[str, dict]], args: argparse.Namespace) -> None:
    submitted = OUT / "submitted"
    n = build_class(submitted, args.students, blank=False)
    print(f"\nclass of {n} filled-in submissions (correct and buggy), batch --jobs {args.jobs} then collect"
          f"{f'; {args.rounds} rounds, setups in turn' if args.rounds > 1 else ''}")
    print(f"{'code':<22}{'batch s':>9}{'collect s':>11}{'total s':>9}{'subs/s':>8}{'cpu s':>8}{'peak MB':>9}"
          "  first per process / median")
    totals: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for label in [k for k in setups if k != "slim"]:
            f = grade_class(*setups[label], submitted, label.split()[-1], args.jobs, collect=True)
            total = f["batch"][0] + f["collect"][0]
            totals.setdefault(label, []).append(total)
            slow = ", ".join(f"{s:.2f}" for s in f["slowest"])
            print(f"{label:<22}{f['batch'][0]:>9.2f}{f['collect'][0]:>11.2f}{total:>9.2f}{n / total:>8.1f}"
                  f"{f['batch'][2] + f['collect'][2]:>8.1f}{max(f['batch'][1], f['collect'][1]):>9.0f}  {slow} / {f['median']:.2f} s")
    if len(totals) > 1:
        mine = statistics.median(totals["full"])
        for label, runs in totals.items():
            if label != "full":
                print(f"  median total: this code {mine:.2f} s, {label} {statistics.median(runs):.2f} s: "
                      f"{mine / statistics.median(runs):.2f}x the time")
    blanks = OUT / "submitted-blank"
    nb = build_class(blanks, args.students, blank=True)
    f = grade_class(*setups["full"], blanks, "blank", args.jobs, collect=False)
    print(f"blank notebooks apart: {nb} graded in {f['batch'][0]:.2f} s ({nb / f['batch'][0]:.1f}/s), "
          f"peak {f['batch'][1]:.0f} MB")


if __name__ == "__main__":
    main()
