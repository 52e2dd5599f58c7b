"""make mutation: how many machine-made mutants of reference/NAME/NAME.py the grader suites kill.

    python tests/mutation/run.py [--max-children N] [--fail-under PERCENT]

1. copies reference/ to a temporary folder and points BACKPROP_REFERENCE_DIR at it, so the
   graders' ``ref`` stays pristine while mutmut mutates its own copy (mutants/reference/);
2. runs ``mutmut run`` from a fresh mutants/ (setup.cfg [mutmut]: mutate reference/, test with
   tests/mutation/test_reference_graded.py, which grades the mutated file as the student);
3. reads ``mutmut results`` and prints, per assignment and overall, the share of non-equivalent
   mutants killed, then each survivor: listed as equivalent in tests/mutation/equivalent.txt
   (with its reason), or a gap in the graders (with ``mutmut show``'s diff).

mutants/ is always rebuilt: mutmut caches verdicts per function of reference/, and would not
notice that a grader suite changed.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EQUIVALENT_FILE = Path(__file__).resolve().parent / "equivalent.txt"
MUTMUT = Path(sys.executable).parent / "mutmut"
# mutmut's statuses (mutmut.stats.status_by_exit_code) that mean the suite caught the mutant: a
# failed grader test, a hang (every grader test has a time budget) or a crash of the process.
CAUGHT = {"killed", "timeout", "segfault"}


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    equivalent: int = 0

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def caught(self) -> int:
        return sum(n for status, n in self.statuses.items() if status in CAUGHT)

    @property
    def scored(self) -> int:
        """Mutants that count: all but the surviving ones judged equivalent."""
        return self.total - self.equivalent

    def percent(self) -> float | None:
        return 100.0 * self.caught / self.scored if self.scored else None


def read_equivalents(path: Path = EQUIVALENT_FILE) -> dict[str, str]:
    """{mutant name: reason} from lines ``NAME  reason``; blank lines and # comments skipped."""
    equivalents = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition(" ")
        if not reason.strip():
            raise SystemExit(f"{path}:{number}: {name} has no reason; write `NAME  why it cannot be told apart`")
        equivalents[name] = reason.strip()
    return equivalents


def parse_results(text: str) -> dict[str, str]:
    """{mutant name: status} from ``mutmut results --all true`` lines ``    NAME: status``."""
    statuses = {}
    for line in text.splitlines():
        name, sep, status = line.strip().partition(": ")
        if sep and ".x" in name and "__mutmut_" in name:
            statuses[name] = status.strip()
    return statuses


def assignment_of(mutant: str) -> str:
    """reference.NAME.NAME.x_fn__mutmut_3 -> NAME"""
    return mutant.split(".")[1]


def tally(statuses: dict[str, str], equivalents: dict[str, str]) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for mutant, status in statuses.items():
        t = tallies[assignment_of(mutant)]
        t.statuses[status] += 1
        if status not in CAUGHT and mutant in equivalents:
            t.equivalent += 1
    return dict(sorted(tallies.items()))


def _percent(t: Tally) -> str:
    p = t.percent()
    return "   n/a" if p is None else f"{p:5.1f}%"


def summary(tallies: dict[str, Tally]) -> list[str]:
    overall = Tally()
    lines = [f"{'assignment':<14} {'mutants':>7} {'equiv':>6} {'killed':>7} {'survived':>9} {'no tests':>9}  score",
             "-" * 66]
    for name, t in tallies.items():
        overall.statuses.update(t.statuses)
        overall.equivalent += t.equivalent
        others = t.total - t.caught - t.statuses["survived"] - t.statuses["no tests"]
        extra = f"  (+{others} other: {dict((s, n) for s, n in t.statuses.items() if s not in CAUGHT | {'survived', 'no tests'})})" if others else ""
        lines.append(f"{name:<14} {t.total:>7} {t.equivalent:>6} {t.caught:>7} {t.statuses['survived']:>9} "
                     f"{t.statuses['no tests']:>9}  {_percent(t)}  ({t.caught}/{t.scored}){extra}")
    lines.append("-" * 66)
    lines.append(f"{'overall':<14} {overall.total:>7} {overall.equivalent:>6} {overall.caught:>7} "
                 f"{overall.statuses['survived']:>9} {overall.statuses['no tests']:>9}  {_percent(overall)}  "
                 f"({overall.caught}/{overall.scored})")
    lines.append("score = mutants the graders kill / mutants not judged equivalent "
                 "(killed includes timeouts and crashes)")
    return lines


def mutmut(*args: str, env: dict[str, str] | None = None, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([str(MUTMUT), *args], cwd=ROOT, env=env, text=True,
                          stdout=subprocess.PIPE if capture else None, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2, help="mutants graded at once")
    parser.add_argument("--fail-under", type=float, default=None, help="exit 1 if the overall score is lower")
    args = parser.parse_args(argv)

    equivalents = read_equivalents()
    started = time.perf_counter()
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="backprop-pristine-") as tmp:
        pristine = Path(tmp) / "reference"
        shutil.copytree(ROOT / "reference", pristine, ignore=shutil.ignore_patterns("*.ipynb", "__pycache__"))
        env = dict(os.environ, BACKPROP_REFERENCE_DIR=str(pristine))
        env.pop("MUTANT_UNDER_TEST", None)
        run = mutmut("run", "--max-children", str(args.max_children), env=env)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        print(f"mutmut run failed (exit {run.returncode}); see its output above", file=sys.stderr)
        return run.returncode or 1

    statuses = parse_results(mutmut("results", "--all", "true", capture=True).stdout)
    if not statuses:
        print("mutmut reported no mutants", file=sys.stderr)
        return 1
    tallies = tally(statuses, equivalents)
    print()
    print(f"Mutation testing of reference/ by the grader suites ({len(statuses)} mutants, {elapsed:.0f} s, "
          f"{args.max_children} at once)")
    print()
    print("\n".join(summary(tallies)))

    survivors = sorted(m for m, s in statuses.items() if s not in CAUGHT)
    equivalent = [m for m in survivors if m in equivalents]
    gaps = [m for m in survivors if m not in equivalents]
    if equivalent:
        print(f"\nSurvivors judged equivalent ({EQUIVALENT_FILE.relative_to(ROOT)}):")
        for m in equivalent:
            print(f"  {m} [{statuses[m]}]: {equivalents[m]}")
    if gaps:
        print(f"\nSurvivors NOT judged equivalent: gaps in the graders, or add them with a reason to "
              f"{EQUIVALENT_FILE.relative_to(ROOT)}:")
        for m in gaps:
            print(f"\n  {m} [{statuses[m]}]")
            diff = mutmut("show", m, capture=True).stdout
            print("\n".join("    " + line for line in diff.splitlines()[1:]))
    stale = sorted(set(equivalents) - set(survivors))
    if stale:
        print(f"\nListed as equivalent but not surviving any more (killed, or renamed by a change of "
              f"reference/): {', '.join(stale)}")

    overall = Tally()
    for t in tallies.values():
        overall.statuses.update(t.statuses)
        overall.equivalent += t.equivalent
    percent = overall.percent() or 0.0
    if args.fail_under is not None and percent < args.fail_under:
        print(f"\nmutation score {percent:.1f}% is under --fail-under {args.fail_under}%", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
