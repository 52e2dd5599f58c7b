"""``python -m graders``: grade one submission, grade a class, or run the public checks.

    python -m graders grade NAME SUBMISSION --json OUT.json   (exit 0 whenever it could grade)
        [--format text|json|md|gradescope] [--public-only]     (what to print; the public checks only)
    python -m graders batch SUBMITTED_DIR --out RESULTS        (nbgrader's submitted/ layout; exit 2 if not)
    python -m graders check NAME NOTEBOOK                      (public checks, readable feedback)
    python -m graders doctor                                   (what isolation this machine allows)
Misuse (unknown assignment, no such path) exits 2 with a message; no isolation possible exits 3
(EXIT_REFUSED) with one message saying why and what to do, unless ``--isolation none``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from graders import ASSIGNMENTS, __version__
from graders.messages import ENV as LANG_ENV, LANGS, _, use
from graders.plugin import DEFAULT_SEED
from graders.student.levels import CHOICES, EXIT_REFUSED, IsolationUnavailable


def _assignment(value: str) -> str:
    if value not in ASSIGNMENTS:
        raise argparse.ArgumentTypeError(_("unknown assignment {name} (choose from {choices})").format(
            name=repr(value), choices=", ".join(ASSIGNMENTS)))
    return value


def _existing(value: str) -> Path:
    path = Path(value)
    if not path.exists():
        raise argparse.ArgumentTypeError(_("no such file or folder: {path}").format(path=value))
    return path


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m graders", description="Backprop Lab's isolated grader.")
    p.add_argument("--version", action="version", version=f"backprop-lab graders {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    walls = argparse.ArgumentParser(add_help=False)
    walls.add_argument("--isolation", choices=CHOICES, default=None,
                       help="walls around student code (default: auto, the strongest this machine allows, "
                            "refusing when there is none; 'none' only for your own code; env GRADERS_ISOLATION)")
    walls.add_argument("--lang", choices=LANGS, default=None,
                       help=f"language of every message (default: env {LANG_ENV}, else the locale, else en)")

    g = sub.add_parser("grade", parents=[walls], help="grade one submission, write its JSON result")
    g.add_argument("assignment", type=_assignment)
    g.add_argument("submission", type=_existing, help="a folder holding NAME.ipynb or NAME.py, or that file")
    g.add_argument("--json", type=Path, help="where to write the result (the contract's JSON)")
    g.add_argument("--format", choices=FORMATS, help="what to print: text (the default with no --json), json, "
                   "md (Markdown: parts and diagnoses), gradescope (results.json); with --json the default is one line")
    g.add_argument("--public-only", action="store_true", help="only the public checks (what a student's CI may run)")
    g.add_argument("--hidden-visibility", default="after_published",
                   choices=("hidden", "after_due_date", "after_published", "visible"),
                   help="--format gradescope: when students see hidden tests (default after_published)")
    g.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed of the random inputs (default {DEFAULT_SEED})")
    g.add_argument("--student", help="student id for the result (default: from the path)")

    b = sub.add_parser("batch", parents=[walls], help="grade every submitted/<student>/<assignment>/ of a class")
    b.add_argument("submitted", type=_existing, help="nbgrader's submitted folder")
    b.add_argument("--out", type=Path, default=Path("results"), help="results folder (default: results)")
    b.add_argument("--jobs", "-j", type=int, default=0, help="parallel graders (default: all cores)")
    b.add_argument("--force", action="store_true", help="regrade even unchanged submissions")
    b.add_argument("--seed", type=int, default=DEFAULT_SEED, help="base seed; each student gets one derived from it")
    b.add_argument("--assignment", type=_assignment, action="append", help="only this assignment (repeatable)")
    b.add_argument("--quiet", action="store_true", help="no progress bar or table")

    c = sub.add_parser("check", parents=[walls], help="run the public checks on your notebook")
    c.add_argument("assignment", type=_assignment)
    c.add_argument("submission", type=_existing)

    sub.add_parser("doctor", help="what isolation this machine allows, and what grading would use")
    return p


FORMATS = ("text", "json", "md", "gradescope")


def formatted(result: dict, fmt: str, *, hidden_visibility: str = "after_published") -> str:
    """The result as ``fmt`` (one of FORMATS), ready to print."""
    if fmt == "json":
        return json.dumps(result, indent=1)
    if fmt == "md":
        from graders.engine.feedback_md import render_md

        return render_md(result).rstrip("\n")
    if fmt == "gradescope":
        from graders.gradescope.results import to_gradescope

        return json.dumps(to_gradescope(result, hidden_visibility=hidden_visibility), indent=1)
    from graders.engine.feedback_text import render

    return render(result)


def _grade(args: argparse.Namespace) -> int:
    from graders.engine.grade import grade

    result = grade(args.assignment, args.submission, seed=args.seed, student_id=args.student,
                   public_only=args.public_only)
    if args.json is not None:
        from graders.engine.files import write_json_atomic

        write_json_atomic(args.json, result)
    fmt = args.format or ("text" if args.json is None else None)
    if fmt is None:  # the contract's one line after writing the JSON
        from graders.names import shown

        print(shown(_("{student} {assignment}: {score} / {max_score}  -> {path}").format(
            student=result["student"], assignment=args.assignment, score=f"{result['score']:g}",
            max_score=f"{result['max_score']:g}", path=args.json)))
    else:
        print(formatted(result, fmt, hidden_visibility=args.hidden_visibility))
    return 0


def main(argv: list[str] | None = None) -> int:
    use(None)  # argparse's own complaints come before --lang is known: the environment's language
    args = parser().parse_args(argv)
    if getattr(args, "lang", None):
        os.environ[LANG_ENV] = args.lang  # pool processes and anything they start inherit it
    use(getattr(args, "lang", None))  # messages are written while grading: chosen before any is
    if args.command == "doctor":
        from graders.student.levels import doctor

        return doctor()
    if getattr(args, "isolation", None):
        os.environ["GRADERS_ISOLATION"] = args.isolation  # pool processes and fork servers inherit it
    try:
        return _run(args)
    except IsolationUnavailable as exc:
        print(_("refusing to grade: {reason}").format(reason=exc), file=sys.stderr)
        return EXIT_REFUSED


def _run(args: argparse.Namespace) -> int:
    if args.command == "grade":
        return _grade(args)
    if args.command == "batch":
        from graders.engine.batch import run_batch, table
        from graders.layout import LayoutError

        try:
            results = run_batch(args.submitted, args.out, jobs=args.jobs, force=args.force, seed=args.seed,
                                assignments=args.assignment or ASSIGNMENTS, progress=not args.quiet)
        except LayoutError as exc:
            print(f"python -m graders batch: {exc}", file=sys.stderr)
            return 2
        if not args.quiet:
            print(table(results))
        return 0
    if args.command == "check":
        from graders.engine.grade import grade

        result = grade(args.assignment, args.submission, public_only=True)
        print(check_text(result))
        return 0 if result["score"] == result["max_score"] else 1
    return 2


def check_text(result: dict) -> str:
    """What `check` prints for a public-only result: each public test's mark, what to fix (each
    diagnosis once), then the public points and how many more the hidden tests grade."""
    from graders.engine.feedback_text import render
    from graders.engine.grade import max_points

    hidden = max(0.0, max_points(result["assignment"]) - float(result.get("max_score") or 0))
    return render(result) + "\n" + _("public checks: {score} / {max_score} points; {hidden} more points are graded by "
                                      "hidden tests after you submit").format(
        score=f"{result['score']:g}", max_score=f"{result.get('max_score') or 0:g}", hidden=f"{hidden:g}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
