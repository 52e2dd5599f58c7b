"""The hidden part of a notebook's autograded cells: ``run_part(NAME, PART, globals())``.

When ``nbgrader autograde`` runs a notebook, nbgrader restores each grade cell's hidden tests and
runs them in the notebook's own kernel. There, :func:`run_part` grades one part of the assignment
with the same grader suite as ``make grade``, on the kernel's namespace (:mod:`graders.student.local`:
no isolation, so ``make grade`` stays the authoritative grade), prints what passed and what did
not, and returns the part's score as a plain float. As the cell's last expression that float is
the cell's output, which nbgrader reads as partial credit (``nbgrader.utils.determine_grade``).

nbgrader gives a cell 0 as soon as it wrote anything to stderr, so while the suite runs every
warning and every write to stderr (Python's or the C level's) is swallowed: a RuntimeWarning from
a naive sigmoid must cost nothing here either. A grader that cannot run prints why and scores 0;
nothing here raises into the kernel.
"""
from __future__ import annotations

import contextlib
import io
import os
import warnings
from typing import Any, Iterator

from graders.engine.feedback_text import render
from graders.engine.report import part_scores
from graders.messages import _


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    """No warnings and nothing on stderr, at the Python level and on file descriptor 2."""
    saved = None
    try:
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:  # no fd 2 in this process: the Python-level redirect below is enough
        saved = None
    try:
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        if saved is not None:
            os.dup2(saved, 2)
            os.close(saved)


def part_score(result: dict[str, Any], part: str) -> tuple[float, float]:
    """(score, points) of ``part`` in a result, the score clamped to [0, points]."""
    score, points = part_scores(result).get(part, (0.0, 0.0))
    return round(min(max(score, 0.0), points), 6), points


def run_part(name: str, part: str, namespace: dict[str, Any]) -> float:
    """Grade ``part`` of assignment ``name`` on the code in ``namespace``; print a report and
    return the score (a float in [0, the part's points])."""
    try:
        from graders.engine.suite import run_suite
        from graders.student.local import LocalStudent

        with _stderr_silenced():
            result = run_suite(name, LocalStudent(namespace), parts=[part])
    except Exception as exc:  # noqa: BLE001 - a grader that cannot run scores 0, the kernel lives on
        why = " ".join(str(exc).split())[:300]
        print(_("{assignment} / {part}: the grader could not run in this kernel ({kind}: {reason}); scored 0 here, "
                "`make grade` gives the real score.").format(assignment=name, part=part, kind=type(exc).__name__,
                                                              reason=why))
        return 0.0
    score, points = part_score(result, part)
    if not result["tests"]:
        print(_("{assignment} / {part}: no grader tests for this part; scored 0.").format(assignment=name, part=part))
        return 0.0
    text = render(result).splitlines()
    print("\n".join([_("{assignment} / {part}: {score} / {points} points").format(
        assignment=name, part=part, score=f"{score:g}", points=f"{points:g}")] + text[1:]))
    return float(score)
