"""python -m graders.report RESULTS [--out HTML] [--figures DIR]: write the class report and print
where it is and the class's most common mistakes. Exits 0 once written, 2 on misuse."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graders.messages import ENV as LANG_ENV, LANGS, _, use
from graders.report import summary_lines, write_report


def _folder(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(_("no such folder: {path}").format(path=value))
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m graders.report", description="the class report for course staff")
    p.add_argument("results", type=_folder, help="the results folder of `python -m graders batch`")
    p.add_argument("--out", type=Path, help="the HTML page (default: RESULTS/report.html)")
    p.add_argument("--figures", type=Path, help="folder of the PNG figures and CSV numbers (default: RESULTS/report/)")
    p.add_argument("--lang", choices=LANGS, help=f"language of the report (default: env {LANG_ENV}, else the locale, else en)")
    use(None)
    args = p.parse_args(argv)
    use(args.lang)
    out = args.out or args.results / "report.html"
    report = write_report(args.results, out, args.figures)
    for line in summary_lines(report, out):
        print(line)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
