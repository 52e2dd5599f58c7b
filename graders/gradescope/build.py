"""``make gradescope``: dist/gradescope/NAME.zip, one Gradescope autograder per assignment.

    python -m graders.gradescope.build [--out dist/gradescope] [--hidden-visibility V] [NAME ...]

Each zip, which Gradescope unpacks into /autograder/source: setup.sh and run_autograder
(templates/), config.json (the assignment, the visibility of hidden tests, the base seed) and
backprop_lab-*.whl, the kit built as a wheel from this checkout: grading code, grader suites and
reference, no staff tools.
Needs a checkout (pyproject.toml beside graders/) and pip, which builds the wheel.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from graders import ASSIGNMENTS, ROOT
from graders.gradescope.results import DEFAULT_HIDDEN, VISIBILITIES
from graders.plugin import DEFAULT_SEED
from graders.messages import LANGS

TEMPLATES = Path(__file__).resolve().parent / "templates"
# A fixed date for every entry: the same checkout gives the same zip bytes.
_STAMP = (2026, 1, 1, 0, 0, 0)


def build_wheel(into: Path) -> Path:
    """The kit's wheel, built by pip from a copy of the checkout (the build leaves no files there)."""
    if not (ROOT / "pyproject.toml").is_file():
        raise SystemExit(f"no pyproject.toml in {ROOT}: build the zips from a checkout of the kit")
    with tempfile.TemporaryDirectory(prefix="backprop-wheel-") as tmp:
        src = Path(tmp) / "src"
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.ipynb", "build", "*.egg-info")
        for part in ("graders", "reference"):
            shutil.copytree(ROOT / part, src / part, ignore=ignore)
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / name, src / name)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
                        "-w", str(into), str(src)], check=True)
    wheels = sorted(into.glob("backprop_lab-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel in {into}, found {[w.name for w in wheels]}")
    return wheels[0]


def _add(zf: zipfile.ZipFile, arcname: str, data: bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(arcname, date_time=_STAMP)
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def build_zip(name: str, wheel: Path, out: Path, *, hidden_visibility: str = DEFAULT_HIDDEN,
              base_seed: int = DEFAULT_SEED, lang: str | None = None) -> Path:
    """out/NAME.zip for assignment ``name``; ``lang``: the language of what students read (default English)."""
    config = {"assignment": name, "hidden_visibility": hidden_visibility, "base_seed": base_seed}
    if lang:
        config["lang"] = lang
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{name}.zip"
    with zipfile.ZipFile(target, "w") as zf:
        _add(zf, "setup.sh", (TEMPLATES / "setup.sh").read_bytes(), executable=True)
        _add(zf, "run_autograder", (TEMPLATES / "run_autograder").read_bytes(), executable=True)
        _add(zf, "config.json", (json.dumps(config, indent=1) + "\n").encode())
        _add(zf, wheel.name, wheel.read_bytes())
    return target


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m graders.gradescope.build", description=__doc__.splitlines()[0])
    p.add_argument("assignments", nargs="*", metavar="NAME", help=f"default: all ({', '.join(ASSIGNMENTS)})")
    p.add_argument("--out", type=Path, default=Path("dist/gradescope"))
    p.add_argument("--hidden-visibility", choices=VISIBILITIES, default=DEFAULT_HIDDEN,
                   help=f"when students see hidden tests' results (default {DEFAULT_HIDDEN})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="base seed; each submission's is derived from its id")
    p.add_argument("--lang", choices=LANGS, help="language of the feedback students read (default en)")
    args = p.parse_args(argv)
    unknown = sorted(set(args.assignments) - set(ASSIGNMENTS))
    if unknown:
        p.error(f"unknown assignment(s) {', '.join(unknown)} (choose from {', '.join(ASSIGNMENTS)})")
    with tempfile.TemporaryDirectory(prefix="backprop-dist-") as tmp:
        wheel = build_wheel(Path(tmp))
        for name in args.assignments or ASSIGNMENTS:
            path = build_zip(name, wheel, args.out, hidden_visibility=args.hidden_visibility, base_seed=args.seed,
                             lang=args.lang)
            print(f"{path}  (hidden tests: {args.hidden_visibility})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
