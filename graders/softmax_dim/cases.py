"""Inputs and checks the softmax_dim graders share; expected values come from the reference or calculus."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from graders.checks import REFUSALS, expect_shape, fail, shape_text, worst
from graders.gradcheck import REL_TOL, relative_error
from graders.messages import _
from graders.student.errors import StudentError

# Shapes and dims of the forward and backward cases: non-square, N == C, N == 1, and 3-D along each axis.
CASES_1D = [((6,), 0), ((5,), -1)]
CASES_2D = [((4, 5), -1), ((6, 3), 1), ((4, 5), 0), ((5, 5), -1), ((1, 6), -1)]
CASES_3D = [((2, 3, 4), 0), ((2, 3, 4), 1), ((2, 3, 4), -1), ((2, 3, 4), -2)]
BATCHES = [(4, 5), (6, 3), (5, 5), (1, 6)]
REDUCTIONS = ("mean", "sum", "none")


def call(what: str, fn: Callable[..., Any], *args: Any, likely: str = "", **kwargs: Any) -> Any:
    """fn(*args); if the student's code raises, a failure naming the call and the case."""
    try:
        return fn(*args, **kwargs)
    except StudentError as exc:
        fail(what, _("raised {error}").format(error=exc), likely)


def case(shape: tuple[int, ...], dim: int) -> str:
    return _("{case} along dim={dim}").format(case=shape_text(shape), dim=dim)


def reduce(losses: np.ndarray, reduction: str):
    return {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[reduction](losses)


def one_hot(labels: np.ndarray, c: int) -> np.ndarray:
    return np.eye(c)[labels]


def distributions(rng: np.random.Generator, n: int, c: int) -> np.ndarray:
    """n probability rows over c classes (each sums to 1), none of them one-hot."""
    return rng.dirichlet(np.ones(c), size=n)


def same(got: Any, want: np.ndarray) -> bool:
    """Does the student's value equal ``want`` (shape and values)? For telling known mistakes apart."""
    array = numbers(got)
    return array is not None and array.shape == np.shape(want) and bool(np.allclose(array, want, rtol=1e-6, atol=1e-9))


def numbers(got: Any) -> np.ndarray | None:
    """The student's value as a float64 array, or None if it is not numbers."""
    try:
        return None if got is None else np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def attempt(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """fn(*args), or None if the student's code raised. For tests of a secondary property (inputs
    left alone, latest forward used, instances apart, defaults), which charge only a failure of that
    property they see: a call that raises is charged by the test of that call."""
    try:
        return fn(*args, **kwargs)
    except StudentError as exc:
        if exc.kind in REFUSALS:
            raise  # the stub or an exit earns no points, in secondary tests either
        return None


def report_changes(student: Any, held: Any, original: np.ndarray, what: str, name: str, likely: str) -> None:
    """Fail, naming the entries, if the array held on the student's side no longer equals ``original``."""
    after = np.asarray(student.fetch(held))
    if after.shape != original.shape:
        fail(what, _("changed the shape of its argument {name} from {was} to {now}").format(
            name=name, was=original.shape, now=after.shape), likely)
    changed = ~((after == original) | (np.isnan(after) & np.isnan(original)))
    if changed.any():
        first = tuple(int(i) for i in np.argwhere(changed)[0])
        fail(what, _("changed its argument {name}: {changed} of {size} entries differ afterwards "
                     "(first at index {index}, off by {off})").format(
            name=name, changed=int(changed.sum()), size=original.size, index=first,
            off=f"{abs(float(after[first]) - float(original[first])):.3g}"), likely)


def differs(got: Any, want: np.ndarray) -> str:
    """'max error 0.25 at index (1, 3)', or the shape that came back instead of ``want``'s."""
    array = numbers(got)
    if array is None or array.shape != np.shape(want):
        return _("gave shape {got} instead of {want}").format(got=None if array is None else array.shape, want=np.shape(want))
    return worst(array, np.asarray(want, dtype=np.float64))


def expect_gradient(got: Any, want: np.ndarray, what: str, likely: str = "") -> np.ndarray:
    """The student's gradient against a numerical one: shape, finiteness, then the worst entry's
    relative error (graders.gradcheck's measure and tolerance). Only ``likely``, which the caller
    chose from the value's signature, is named as a cause."""
    want = np.asarray(want, dtype=np.float64)
    array = expect_shape(got, want.shape, what, likely)
    bad = ~np.isfinite(array.astype(np.float64))
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0]) if array.ndim else ()
        fail(what, _("{kind} in the result ({bad} of {size} entries, first at {where})").format(
            kind="NaN" if np.isnan(array.astype(np.float64)).any() else "inf", bad=int(bad.sum()), size=array.size,
            where=first), likely)
    err = relative_error(array.astype(np.float64), want)
    if err.size and float(err.max()) > REL_TOL:
        index = tuple(int(i) for i in np.unravel_index(int(err.argmax()), err.shape))
        text = (_("gradient disagrees with the numerical gradient (relative error {error} at index {index}, "
                  "{off} of {size} entries off)") if err.ndim else
                _("gradient disagrees with the numerical gradient (relative error {error}, {off} of {size} entries off)"))
        fail(what, text.format(error=f"{float(err.max()):.2g}", index=index, off=int((err > REL_TOL).sum()), size=err.size),
             likely)
    return array
