"""Numerical gradients on the grading side (after CS231n's gradient_check.py), in pure numpy.

The grader computes the expected gradient of a loss it knows in closed form by central
differences over float64, so a student's backward is checked against calculus, not against
another implementation of the same formula.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from graders.checks import expect_finite, expect_shape, fail
from graders.messages import _

# Central differences of smooth float64 functions: truncation ~h**2, cancellation ~eps/h; h = 1e-5
# keeps both near 1e-10. Gradients agreeing to 1e-6 relative are right; a real bug is off by >1e-2.
H = 1e-5
REL_TOL = 1e-6


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = H) -> np.ndarray:
    """df/dx by central differences; x is perturbed in a float64 copy, which f receives."""
    x = np.array(x, dtype=np.float64)  # a copy: the caller's array is never touched
    grad = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        old = x[index]
        try:
            x[index] = old + h
            plus = float(f(x))
            x[index] = old - h
            minus = float(f(x))
        finally:
            x[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|a - b| / max(|a| + |b|, floor), entry by entry: scale-free where entries are large. The
    floor, a thousandth of the largest entry of b (at least 1e-8), keeps an entry that is nearly 0
    from turning the central difference's rounding noise (~1e-10) into a large relative error."""
    floor = max(1e-3 * float(np.max(np.abs(b))) if np.size(b) else 0.0, 1e-8)
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)


def expect_gradient(got, want: np.ndarray, what: str, likely: str = "", *, tol: float = REL_TOL) -> np.ndarray:
    """The student's gradient against a numerical one: shape, finiteness, then the worst entry."""
    want = np.asarray(want, dtype=np.float64)
    array = expect_shape(got, want.shape, what)
    expect_finite(array, what)
    err = relative_error(array.astype(np.float64), want)
    if err.size and float(err.max()) > tol:
        index = tuple(int(i) for i in np.unravel_index(int(err.argmax()), err.shape))
        if err.ndim:
            symptom = _("gradient disagrees with the numerical gradient (relative error {error} at index {index}, "
                        "{off} of {size} entries off)").format(error=f"{float(err.max()):.2g}", index=index,
                                                               off=int(np.sum(err > tol)), size=err.size)
        else:
            symptom = _("gradient disagrees with the numerical gradient (relative error {error})").format(
                error=f"{float(err.max()):.2g}")
        fail(what, symptom, likely)
    return array


def gradient_is(got, want: np.ndarray, *, tol: float = REL_TOL) -> bool:
    """Does the student's value agree with the gradient want, as expect_gradient would accept? Never
    raises: for signatures (is this the gradient at another input?) and for controls."""
    try:
        array = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    want = np.asarray(want, dtype=np.float64)
    if array.shape != want.shape or not np.all(np.isfinite(array)):
        return False
    return bool(not array.size or float(relative_error(array, want).max()) <= tol)
