"""What run_autograder runs on Gradescope, once per submission: ``python -m graders.gradescope.run``.

Reads AUTOGRADER_ROOT (default /autograder): source/config.json (written by build.py),
submission/ (the student's files) and submission_metadata.json (the submission's id, when
Gradescope wrote one); writes results/results.json. Whatever happens (no notebook, a grader
that cannot start, isolation refused) it writes a results.json saying why and exits 0: a
traceback in Gradescope's log with no results.json tells the student nothing.
"""
from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
import time
import traceback
import zlib
from pathlib import Path
from typing import Any

from graders.gradescope.results import DEFAULT_HIDDEN, failure, to_gradescope
from graders.messages import _, use

MAX_SUBMISSION_BYTES = 8 * 2**20  # a filled-in notebook is well under 1 MB; outputs can add some
DEFAULT_BASE_SEED = 2026


class NoSubmission(Exception):
    """Nothing gradable in the submission folder; the message says what was found."""


def autograder_root() -> Path:
    return Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))


def _regular(path: Path) -> bool:
    """A regular file, not reached through a symbolic link (the student controls the folder)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def find_file(folder: Path, name: str) -> tuple[Path, str]:
    """(the file to grade, a note for the student or ""): NAME.ipynb, NAME.py, else a lone notebook."""
    for candidate in (folder / f"{name}.ipynb", folder / f"{name}.py"):
        if _regular(candidate):
            return candidate, ""
    try:
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError:
        entries = []
    notebooks = [p for p in entries if p.suffix == ".ipynb" and _regular(p)]
    if len(notebooks) == 1:
        return notebooks[0], _("No {notebook} was submitted, so the only notebook, {file}, was graded.").format(
            notebook=f"{name}.ipynb", file=notebooks[0].name)
    seen = ", ".join(p.name for p in entries[:20]) or _("nothing")
    if len(notebooks) > 1:
        raise NoSubmission(_("No {notebook} was submitted and there are {count} notebooks ({found}): submit one file "
                             "named {notebook}.").format(notebook=f"{name}.ipynb", count=len(notebooks), found=seen))
    raise NoSubmission(_("No {notebook} or {module} was submitted (found: {found}).").format(
        notebook=f"{name}.ipynb", module=f"{name}.py", found=seen))


def copy_submission(source: Path, name: str, into: Path) -> Path:
    """The submission copied to ``into/NAME/NAME.<ext>``: read without following links, size capped."""
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise NoSubmission(_("{file} is not a regular file.").format(file=source.name))
        data = f.read(MAX_SUBMISSION_BYTES + 1)
    if len(data) > MAX_SUBMISSION_BYTES:
        raise NoSubmission(_("{file} is over {size} MB; clear the notebook's outputs and resubmit.").format(
            file=source.name, size=MAX_SUBMISSION_BYTES // 2**20))
    folder = into / name
    folder.mkdir(parents=True)
    target = folder / f"{name}{source.suffix}"
    target.write_bytes(data)
    return target


def submission_id(root: Path) -> str | None:
    """The submission's id from submission_metadata.json, or None (absent, unreadable)."""
    try:
        meta = json.loads((root / "submission_metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = meta.get("id") if isinstance(meta, dict) else None
    return str(value) if isinstance(value, (int, str)) and str(value).strip() else None


def seed_for(base: int, sub_id: str | None, name: str) -> int:
    """As a batch derives a student's seed (graders.engine.batch), the submission id standing for
    the student; the base seed itself when there is no id."""
    return zlib.crc32(f"{base}:{sub_id}:{name}".encode()) if sub_id else base


def grade_here(root: Path, config: dict[str, Any]) -> dict[str, Any]:
    """Grade the submission under ``root``; results.json's content."""
    from graders.engine.grade import grade
    from graders.student.remote import hide_also

    # Besides the kit's own folders: the zip (its wheel holds the reference), the results and
    # the submission as uploaded are none of the student code's business either.
    hide_also(*(root / part for part in ("source", "results", "submission")))
    name = config["assignment"]
    sub_id = submission_id(root)
    seed = seed_for(int(config.get("base_seed", DEFAULT_BASE_SEED)), sub_id, name)
    extra = {"submission_id": sub_id, "seed": seed}
    started = time.monotonic()
    try:
        source, note = find_file(root / "submission", name)
        with tempfile.TemporaryDirectory(prefix="gradescope-") as tmp:
            path = copy_submission(source, name, Path(tmp))
            result = grade(name, path.parent, seed=seed, student_id=f"submission-{sub_id or 'unknown'}")
    except NoSubmission as exc:
        return failure(str(exc), duration_s=time.monotonic() - started, extra=extra)
    graded = to_gradescope(result, hidden_visibility=config.get("hidden_visibility", DEFAULT_HIDDEN),
                           duration_s=time.monotonic() - started, extra=extra)
    if note:
        graded["output"] = f"{note}\n\n{graded['output']}"
    return graded


def write_results(root: Path, results: dict[str, Any]) -> Path:
    out = root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(".results.json.tmp")
    tmp.write_text(json.dumps(results, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    os.replace(tmp, out)
    return out


def main() -> int:
    root = autograder_root()
    started = time.monotonic()
    try:
        config = json.loads((root / "source" / "config.json").read_text(encoding="utf-8"))
        use(config.get("lang") or "en")  # the course's choice at build time, not the container's locale
        results = grade_here(root, config)
    except BaseException as exc:  # noqa: BLE001 - any failure becomes a results.json that says so
        if isinstance(exc, KeyboardInterrupt):
            raise
        traceback.print_exc()  # for the instructor: Gradescope keeps stdout/stderr apart from the student
        why = f"{type(exc).__name__}: {exc}".strip()
        if type(exc).__name__ == "IsolationUnavailable":
            message = _("This autograder cannot wall off student code in its container, so it graded nothing (not a "
                        "problem with your code; your instructor has the details). ({reason})").format(reason=why[:500])
        else:
            message = _("The grader itself failed, not your code; your instructor can see the details in the "
                        "autograder's log. ({reason})").format(reason=why[:500])
        results = failure(message, duration_s=time.monotonic() - started)
    out = write_results(root, results)
    print(f"score {results['score']:g}; wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
