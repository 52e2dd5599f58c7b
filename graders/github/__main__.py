"""``python -m graders.github RESULT.json``: the job summary, annotations and reporter output of
a graded result, in a GitHub Actions step (ci/github/public-checks.yml). Outside Actions (no
GITHUB_STEP_SUMMARY / GITHUB_OUTPUT), the summary is printed instead and no output is written."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from graders.github.report import annotations, encoded, summary
from graders.messages import ENV as LANG_ENV, LANGS, _, use


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m graders.github", description=__doc__.splitlines()[0])
    p.add_argument("result", type=Path, help="the JSON of python -m graders grade ... --json")
    p.add_argument("--output-name", default="result", help="name of the step output (default: result)")
    p.add_argument("--lang", choices=LANGS, help=f"language of the summary (default: env {LANG_ENV}, else the locale, else en)")
    args = p.parse_args(argv)
    use(args.lang)
    try:
        result = json.loads(args.result.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(_("::error title=Public checks::no readable result at {path} ({reason})").format(path=args.result, reason=exc))
        return 1
    text = summary(result)
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        print(text)
    print("\n".join(annotations(result)))
    outputs = os.environ.get("GITHUB_OUTPUT")
    if outputs:
        with open(outputs, "a", encoding="utf-8") as f:
            f.write(f"{args.output_name}={encoded(result)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
