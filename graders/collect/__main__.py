"""python -m graders.collect RESULTS_DIR --submitted SUBMITTED_DIR [--gradebook URL] [--feedback DIR] [--export CSV]

After `python -m graders batch`: fills nbgrader's gradebook from the results, exports grades.csv
with nbgrader's rows and rules, and writes a feedback page per student and assignment. Exits 0
when all three are done (a submission without a usable result is recorded as 0 and listed), 2 on
misuse or a SUBMITTED_DIR in no known layout. Warns, naming them, about gradebook students who are
not in SUBMITTED_DIR (another class's, such as the sample class's).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

# nbgrader's import pulls in nbformat's validator, and with it jsonschema, which builds 39 parsers of
# rfc3987_syntax (an optional package that checks "iri" formats; ~2.5 s) when it is installed.
# Nothing here validates an IRI: this process imports jsonschema as if the package were absent.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from graders import ROOT  # noqa: E402
from graders.collect import default_db_url, export, feedback, gradebook  # noqa: E402
from graders.layout import LayoutError  # noqa: E402
from graders.messages import ENV as LANG_ENV, LANGS, _, use  # noqa: E402
from graders.names import shown  # noqa: E402

SHOW_OUTSIDERS = 10


def _folder(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(_("no such folder: {path}").format(path=value))
    return path


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m graders.collect", description=__doc__.splitlines()[2])
    p.add_argument("results", type=_folder, help="the results folder of `python -m graders batch`")
    p.add_argument("--submitted", type=_folder, required=True, help="the class, nbgrader's submitted/ layout")
    p.add_argument("--gradebook", metavar="URL", help="nbgrader database URL (default: the course's, nbgrader_config.py)")
    p.add_argument("--feedback", type=Path, default=ROOT / "feedback", help="feedback folder (default: feedback/)")
    p.add_argument("--export", type=Path, metavar="CSV", help="grades file (default: RESULTS/grades.csv)")
    p.add_argument("--lang", choices=LANGS, help=f"language of the feedback pages (default: env {LANG_ENV}, else the locale, else en)")
    return p


def main(argv: list[str] | None = None) -> int:
    use(None)
    args = parser().parse_args(argv)
    use(args.lang)
    db_url = args.gradebook or default_db_url()
    try:
        problems = gradebook.main(results=args.results, submitted=args.submitted, db_url=db_url)
    except LayoutError as exc:
        print(f"python -m graders.collect: {exc}", file=sys.stderr)
        return 2
    print(_("gradebook: {url}").format(url=db_url))
    for student, messages in sorted(problems.items()):
        for message in messages:
            print(shown(f"  {shown(student, 60)}: {message}"))
    others = gradebook.outsiders(submitted=args.submitted, db_url=db_url)
    if others:
        named = ", ".join(shown(s, 60) for s in others[:SHOW_OUTSIDERS])
        if len(others) > SHOW_OUTSIDERS:
            named = _("{names} and {more} more").format(names=named, more=len(others) - SHOW_OUTSIDERS)
        print(_("warning: the gradebook also holds {count} student(s) who are not in {folder}: {names}. They "
                "appear in grades.csv (another class's gradebook? use another `--gradebook`, or `make clean`).")
              .format(count=len(others), folder=args.submitted, names=named), file=sys.stderr)
    csv = export.main(to=args.export or args.results / "grades.csv", db_url=db_url)
    print(_("grades: {path}").format(path=csv))
    pages = feedback.main(results=args.results, submitted=args.submitted, out=args.feedback)
    print(_("feedback: {count} page(s) in {folder}/").format(count=len(pages), folder=args.feedback))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
