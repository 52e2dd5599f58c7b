"""Assertions grader tests use on a student's values, each failing with a message a student can act on.

Every message has the same four parts, in this order: what was called and on which input (``what``,
e.g. "Sigmoid.backward on a (4, 5) batch"), the symptom (wrong shape, NaN, max error and where), and
the likely mistake (``likely``), which the grader test knows best. Expected values of hidden tests
are never printed, only where and by how much the student's differ.
"""
from __future__ import annotations

from typing import Any

import numpy as np

# float64 inputs, vectorised or looped maths: correct answers agree to ~1e-12; 1e-7 relative still
# accepts the book's 1e-7 epsilon inside a log (it shifts a loss by ~1e-7 / p) where graders allow it.
RTOL = 1e-6
ATOL = 1e-8


def as_array(value: Any, what: str) -> np.ndarray:
    """The student's value as a numeric array; a clear failure for None, strings, objects."""
    if value is None:
        fail(what, "returned None", "a missing `return` statement")
    try:
        array = np.asarray(value)
    except Exception:  # ragged lists and the like
        fail(what, f"returned a {type(value).__name__} that is not an array", "return a numpy array")
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        fail(what, f"returned a {type(value).__name__} of dtype {array.dtype}, not numbers", "return a numpy array of floats")
    return array


class Mistake(str):
    """A likely mistake's text with a stable identifier (``assignment.name``), which the result JSON
    carries so a class report (or any outside tool) can count who made which mistake."""

    id: str

    def __new__(cls, text: str, id: str) -> "Mistake":
        made = super().__new__(cls, text)
        made.id = id
        return made


def name_mistakes(namespace: dict, assignment: str) -> None:
    """Turn every upper-case string constant of a hints module into a :class:`Mistake` whose
    identifier is ``assignment.constant_name`` (``softmax_loss.swl_backward_n``)."""
    for name, value in list(namespace.items()):
        if name.isupper() and isinstance(value, str) and not isinstance(value, Mistake):
            namespace[name] = Mistake(value, f"{assignment}.{name.lower()}")


class Diagnosed(AssertionError):
    """A failed check; ``mistake`` is the identifier of the likely mistake it names, or None."""

    def __init__(self, message: str, mistake: str | None = None):
        super().__init__(message)
        self.mistake = mistake


def fail(what: str, symptom: str, likely: str = "") -> None:
    message = f"{what}: {symptom}."
    if likely:
        message += f" Likely mistake: {likely}."
    raise Diagnosed(message, likely.id if isinstance(likely, Mistake) else None)


def expect_shape(got: Any, shape: tuple[int, ...], what: str, likely: str = "") -> np.ndarray:
    array = as_array(got, what)
    if array.shape != tuple(shape):
        fail(what, f"expected shape {tuple(shape)}, got {array.shape}", likely or "an axis summed away or a missing keepdims/reshape")
    return array


def expect_finite(got: Any, what: str, likely: str = "") -> np.ndarray:
    array = as_array(got, what)
    bad = ~np.isfinite(array)
    if bad.any():
        kind = "NaN" if np.isnan(array).any() else "inf"
        where = tuple(int(i) for i in np.argwhere(bad)[0]) if array.ndim else ()
        fail(what, f"{kind} in the result ({int(bad.sum())} of {array.size} entries, first at {where})",
             likely or "exp overflow: subtract the maximum before exponentiating")
    return array


def expect_scalar(got: Any, what: str) -> float:
    array = as_array(got, what)
    if array.size != 1:
        fail(what, f"expected a single number, got shape {array.shape}", "a missing sum/mean over the batch")
    return float(array.reshape(()))


def worst(got: np.ndarray, want: np.ndarray) -> str:
    """'max error 0.25 at (1, 3)' for two arrays of one shape."""
    err = np.abs(got.astype(np.float64) - want)
    index = np.unravel_index(int(np.nanargmax(np.where(np.isnan(err), np.inf, err))), err.shape) if err.size else ()
    at = f" at index {tuple(int(i) for i in index)}" if err.ndim else ""
    return f"max error {float(np.max(np.where(np.isnan(err), np.inf, err))):.3g}{at}"


def expect_close(got: Any, want: np.ndarray, what: str, likely: str = "", *,
                 rtol: float = RTOL, atol: float = ATOL, finite: bool = True) -> np.ndarray:
    """Shape, then finiteness, then values: each a separate symptom."""
    want = np.asarray(want, dtype=np.float64)
    array = expect_shape(got, want.shape, what)
    if finite:
        expect_finite(array, what)
    if not np.allclose(array, want, rtol=rtol, atol=atol, equal_nan=not finite):
        fail(what, f"wrong values ({worst(array, want)})", likely)
    return array


def expect_number_close(got: Any, want: float, what: str, likely: str = "", *,
                        rtol: float = RTOL, atol: float = ATOL) -> float:
    value = expect_scalar(got, what)
    if not np.isfinite(value):
        fail(what, f"got {value}", likely or "log of 0 or exp overflow")
    if not np.isclose(value, want, rtol=rtol, atol=atol):
        fail(what, f"wrong value (off by {abs(value - want):.3g}, relative {abs(value - want) / max(abs(want), 1e-300):.2g})", likely)
    return value


def shape_text(shape: tuple[int, ...]) -> str:
    return "a scalar" if shape == () else f"a {tuple(shape)} input"
