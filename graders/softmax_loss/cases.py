"""Inputs, exact losses and checks the softmax_loss graders share, all computed on the grading side."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from graders.checks import RTOL, expect_finite, expect_scalar, expect_shape, fail
from graders.softmax_loss import hints
from graders.student.errors import StudentError

# Batches (N, C): non-square both ways, N == C and N == 1.
BATCHES = [(4, 5), (6, 3), (5, 5), (1, 6)]

# Graded labels have a probability of at least MIN_P. The book's 1e-7 inside the log then shifts a
# sample's loss by log(1 + 1e-7 / p) <= 1e-7 / MIN_P = 5e-6, and LOSS_ATOL accepts that shift; every
# real bug (a sum instead of a mean, a wrong class, a wrong axis) is off by more than 1e-2.
MIN_P = 0.02
LOSS_ATOL = 1e-5
# dx against the numerical gradient, worst error over the largest entry: central differences of these
# smooth float64 losses are off by ~1e-9 of that scale, a bug (a /N missing or doubled) by > 1e-1.
# Entry-wise relative errors would flag rounding noise in entries that happen to be near 0.
GRAD_TOL = 1e-6


def call(what: str, fn: Callable[..., Any], *args: Any, likely: str = "") -> Any:
    """fn(*args); if the student's code raises, a failure naming the call and the case."""
    try:
        return fn(*args)
    except StudentError as exc:
        fail(what, f"raised {exc}", likely)


def labels_for(rng: np.random.Generator, y: np.ndarray) -> np.ndarray:
    """One label per row of probabilities y (N, C), drawn among the classes with y >= MIN_P."""
    return np.array([rng.choice(np.flatnonzero(row >= MIN_P)) for row in y], dtype=np.int64)


def one_hot(labels: np.ndarray, c: int) -> np.ndarray:
    return np.eye(c)[labels]


def exact_loss(x: np.ndarray, labels: np.ndarray) -> float:
    """Mean over rows of log(sum_j exp(x_j)) - x_label (log-sum-exp): exact for any logits."""
    m = np.max(x, axis=1)
    lse = m + np.log(np.sum(np.exp(x - m[:, None]), axis=1))
    return float(np.mean(lse - x[np.arange(x.shape[0]), labels]))


def expect_loss(got: Any, want: float, n: int, what: str, likely: str, *, atol: float = LOSS_ATOL) -> float:
    """A loss value: one finite number, close to want; a sum or a double mean over N says so."""
    value = expect_scalar(got, what)
    if not np.isfinite(value):
        fail(what, f"got {value}", hints.LOG_ZERO)
    if np.isclose(value, want, rtol=RTOL, atol=atol):
        return value
    if n > 1 and np.isclose(value, n * want, rtol=RTOL, atol=n * atol):
        fail(what, f"got {n} times the right loss (N = {n})", hints.CE_SUM_NOT_MEAN)
    if n > 1 and np.isclose(value, want / n, rtol=RTOL, atol=atol):
        fail(what, f"got 1/{n} of the right loss (N = {n})", hints.CE_DOUBLE_MEAN)
    fail(what, f"wrong value (off by {abs(value - want):.3g})", likely)
    return value


def expect_dx(got: Any, want: np.ndarray, n: int, what: str, likely: str) -> np.ndarray:
    """A gradient: shape, finiteness, then the worst error against the gradient's own scale;
    a gradient N times or 1/N of the right one says so."""
    want = np.asarray(want, dtype=np.float64)
    array = expect_shape(got, want.shape, what, hints.SWL_DX_SHAPE)
    array = expect_finite(array, what, hints.SWL_DX_FINITE).astype(np.float64)
    scale = float(np.max(np.abs(want)))

    def error(candidate: np.ndarray) -> float:
        return float(np.max(np.abs(array - candidate))) / scale

    if error(want) <= GRAD_TOL:
        return array
    if n > 1 and error(n * want) <= GRAD_TOL:
        fail(what, f"dx is {n} times the right gradient (N = {n})", hints.SWL_BACKWARD_N)
    if n > 1 and error(want / n) <= GRAD_TOL:
        fail(what, f"dx is 1/{n} of the right gradient (N = {n})", hints.SWL_BACKWARD_DOUBLE_N)
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(array - want))), want.shape))
    fail(what, f"gradient disagrees with the numerical gradient (worst error {error(want):.2g} of the "
               f"gradient's size, at index {index})", likely)
    return array


def quietly(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args), or None if the student's code raises: for diagnosis only, never for grading."""
    try:
        return fn(*args)
    except StudentError:
        return None


def loss_is_right(got: Any, want: float) -> bool:
    try:
        value = float(np.asarray(got, dtype=np.float64).reshape(()))
    except (TypeError, ValueError):
        return False
    return bool(np.isfinite(value) and np.isclose(value, want, rtol=RTOL, atol=LOSS_ATOL))


def dx_is_right(got: Any, want: np.ndarray) -> bool:
    try:
        array = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return bool(array.shape == want.shape and np.all(np.isfinite(array))
                and np.max(np.abs(array - want)) <= GRAD_TOL * np.max(np.abs(want)))


def softmax_likely(got: Any, x: np.ndarray, default: str) -> str:
    """The likely mistake behind a wrong softmax of a batch x (N, C), from what its output sums to."""
    try:
        y = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return default
    if y.shape != x.shape or x.ndim < 2 or not np.all(np.isfinite(y)):
        return default
    if not np.allclose(y.sum(axis=-1), 1.0) and np.allclose(y.sum(axis=-2), 1.0):
        return hints.SOFTMAX_AXIS0
    if x.shape[-2] > 1 and np.isclose(y.sum(), 1.0):
        return hints.SOFTMAX_BATCH_WIDE
    return default


def expect_untouched(student: Any, held: Any, original: np.ndarray, what: str, likely: str) -> None:
    after = np.asarray(student.fetch(held))
    if after.shape != original.shape or not np.array_equal(after, original):
        fail(what, "changed its input array", likely)
