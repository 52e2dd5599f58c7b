"""Small checks the backprop graders share: gradients measured against their own scale, dicts of
gradients, and writing into an array held on the student's side."""
from __future__ import annotations

import contextlib
from typing import Any, Iterator

import numpy as np

from graders.checks import REFUSALS, expect_shape, fail
from graders.messages import _
from graders.student.errors import MissingName, StudentError

# Scale-aware comparison: the error of the worst entry divided by the largest entry of the expected
# gradient. A grading-side central difference (h = 1e-5) of these smooth float64 losses is off by
# ~1e-9 of that scale; every real bug (a transpose, a missing sum, a /N too many) is off by > 1e-1.
# Entry-wise relative errors would flag the rounding noise of entries that happen to be near 0.
SCALED_TOL = 1e-6
# Below this, an expected gradient counts as zero and errors are measured absolutely.
ZERO_SCALE = 1e-12


def scaled_error(got: np.ndarray, want: np.ndarray) -> float:
    return float(np.max(np.abs(got - want)) / max(float(np.max(np.abs(want))), ZERO_SCALE)) if want.size else 0.0


def expect_gradient_scaled(got: Any, want: np.ndarray, what: str, likely: str = "", *,
                           tol: float = SCALED_TOL, shape_likely: str = "", scaled_likely: str = "") -> np.ndarray:
    """Shape first, then finiteness, then the worst entry against the gradient's own scale.

    A gradient that is a constant multiple of the right one (a /N missing or doubled) says so,
    with ``scaled_likely`` (if given) as the likely mistake."""
    want = np.asarray(want, dtype=np.float64)
    array = expect_shape(got, want.shape, what,
                         shape_likely or _("a gradient has the shape of what it is taken for"))
    array = finite(array, what).astype(np.float64)
    err = scaled_error(array, want)
    if err <= tol:
        return array
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(array - want))), want.shape))
    symptom = (_("gradient disagrees with the numerical gradient (worst error {error} of the gradient's size at index {index})")
               if want.ndim else _("gradient disagrees with the numerical gradient (worst error {error} of the gradient's size)")
               ).format(error=f"{err:.2g}", index=index)
    norm = float(np.sum(want * want))
    if norm > 0 and np.any(array):
        factor = float(np.sum(array * want)) / norm
        if abs(factor - 1) > 1e-3 and scaled_error(array, factor * want) <= tol:
            symptom = _("gradient is {factor} times the right one").format(factor=f"{factor:.4g}")
            likely = scaled_likely or likely
    if not np.any(array) and np.any(want):
        symptom = _("gradient is all zeros")
    fail(what, symptom, likely)
    return array


def finite(array: np.ndarray, what: str, likely: str = "") -> np.ndarray:
    """The array if every entry is finite; else a failure naming how many are not and the first,
    with a likely mistake only if the caller knows one."""
    bad = ~np.isfinite(array.astype(np.float64))
    if bad.any():
        kind = "NaN" if np.isnan(array.astype(np.float64)).any() else "inf"
        text = (_("{kind} in the result ({bad} of {size} entries, first at {where})") if array.ndim else
                _("{kind} in the result ({bad} of {size} entries)"))
        where = tuple(int(i) for i in np.argwhere(bad)[0]) if array.ndim else ()
        fail(what, text.format(kind=kind, bad=int(bad.sum()), size=array.size, where=where), likely)
    return array


def expect_dict_with_keys(got: Any, keys: tuple[str, ...], what: str, likely: str) -> dict:
    """A dict holding (at least) these keys (a dict of gradients, or a net's params)."""
    if not isinstance(got, dict):
        fail(what, _("returned a {type}, not a dict").format(type=type(got).__name__), likely)
    missing = [k for k in keys if k not in got]
    if missing:
        fail(what, _("the dict has no key {missing} (its keys: {keys})").format(
            missing=", ".join(map(repr, missing)), keys=sorted(got)), likely)
    return got


def overwrite_held(handle: Any, value: np.ndarray) -> None:
    """Write ``value`` into an array held on the student's side (``student.put``), in place.

    ``set_item(attr, key, v)`` does ``getattr(obj, attr)[key][...] = v``; for a real array, ``.real``
    is the array itself and ``[()]`` a view of all of it, so this overwrites every entry in place."""
    handle.set_item("real", (), value)


@contextlib.contextmanager
def naming_the_case(what: str, likely: str = "") -> Iterator[None]:
    """An exception raised by student code fails the test with a message naming the case it was
    called on (a missing name still reads as itself)."""
    try:
        yield
    except MissingName:
        raise
    except StudentError as exc:
        fail(what, _("raised {error}").format(error=exc), likely)


def unless_unwritten(exc: StudentError) -> None:
    """A test of a secondary property passes over a call that raised (the test of that call charges
    it), except a refusal to compute (graders.checks.REFUSALS: the released stub's
    NotImplementedError, sys.exit()): code that does not compute earns no points."""
    if exc.kind in REFUSALS:
        raise exc
