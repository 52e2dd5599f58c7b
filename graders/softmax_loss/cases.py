"""Inputs, exact losses, checks and mistake signatures the softmax_loss graders share, all computed on
the grading side."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from graders.checks import RTOL, attempt, call, expect_finite, expect_scalar, expect_shape, fail, floats, matches
from graders.messages import _
from graders.softmax_loss import hints

__all__ = ["call"]  # re-exported: the suites' tests import it from here

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


def loss_factors(n: int, c: int | None = None) -> list[tuple[str, float, str]]:
    """(mistake, the factor it puts on the loss, the symptom): a sum over the batch, a mean taken
    twice, a mean over every entry of an (N, C) array instead of over the batch."""
    found = []
    if n > 1:
        found += [(hints.CE_SUM_NOT_MEAN, n, _("got {n} times the right loss (N = {n})").format(n=n)),
                  (hints.CE_DOUBLE_MEAN, 1 / n, _("got 1/{n} of the right loss (N = {n})").format(n=n))]
    if c is not None and c > 1:
        symptom = _("got 1/{c} of the right loss (C = {c} classes)").format(c=c)
        found.append((hints.CE_MEAN_OVER_CLASSES, 1 / c, symptom))
    return found


def loss_is(got: Any, want: float) -> bool:
    value = floats(got)
    return value is not None and value.size == 1 and bool(
        np.isfinite(value).all() and np.isclose(float(value.reshape(())), want, rtol=RTOL, atol=LOSS_ATOL))


def expect_loss(got: Any, want: float, what: str, factors: list = (), likely: str = "", *,
                atol: float = LOSS_ATOL, nonfinite: str = "") -> float:
    """A loss value: one finite number, close to want. A value off by one of ``factors`` names that
    factor's mistake; any other wrong value names ``likely`` (what the caller's control proved)."""
    value = expect_scalar(got, what)
    if not np.isfinite(value):
        fail(what, _("got {value}").format(value=value), nonfinite)
    if np.isclose(value, want, rtol=RTOL, atol=atol):
        return value
    for mistake, factor, symptom in factors:
        if np.isclose(value, factor * want, rtol=RTOL, atol=max(factor, 1) * atol):
            fail(what, symptom, mistake)
    fail(what, _("wrong value (off by {error}, relative {relative})").format(
        error=f"{abs(value - want):.3g}", relative=f"{abs(value - want) / max(abs(want), 1e-300):.2g}"), likely)
    return value


def dx_error(got: np.ndarray, want: np.ndarray) -> float:
    """Worst error of got against want, over want's largest entry."""
    return float(np.max(np.abs(got - want))) / float(np.max(np.abs(want)))


def dx_is(got: Any, want: np.ndarray) -> bool:
    array = floats(got)
    return bool(array is not None and array.shape == want.shape and np.all(np.isfinite(array))
                and dx_error(array, want) <= GRAD_TOL)


def expect_dx(got: Any, want: np.ndarray, n: int, what: str, candidates: list = (), likely: str = "", *,
              nonfinite: str = "") -> np.ndarray:
    """A gradient: shape, finiteness, then the worst error against the gradient's own scale. N times
    or 1/N of the right one, or a candidate's value ((mistake, value)), names that mistake."""
    want = np.asarray(want, dtype=np.float64)
    array = expect_shape(got, want.shape, what)
    array = expect_finite(array, what, nonfinite).astype(np.float64)
    if dx_error(array, want) <= GRAD_TOL:
        return array
    if n > 1 and dx_is(array, n * want):
        fail(what, _("dx is {n} times the right gradient (N = {n})").format(n=n), hints.SWL_BACKWARD_N)
    if n > 1 and dx_is(array, want / n):
        fail(what, _("dx is 1/{n} of the right gradient (N = {n})").format(n=n), hints.SWL_BACKWARD_DOUBLE_N)
    if dx_is(array, -want):
        fail(what, _("dx is minus the right gradient"), hints.SWL_BACKWARD_SIGN)
    for mistake, value in candidates:
        if dx_is(array, np.asarray(value, dtype=np.float64)):
            likely = mistake
            break
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(array - want))), want.shape))
    off = int(np.sum(np.abs(array - want) > GRAD_TOL * np.max(np.abs(want))))
    fail(what, _("gradient disagrees with the numerical gradient (worst error {error} of the gradient's size, at "
                 "index {index}, {off} of {size} entries off)").format(
        error=f"{dx_error(array, want):.2g}", index=index, off=off, size=want.size), likely)
    return array


def quietly(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args), or None if the student's code raises: for diagnosis only, never for grading."""
    ok, value = attempt(fn, *args)
    return value if ok else None


# -- what softmax mistakes give, computed on the grading side --------------------------------------

def softmax_over(x: np.ndarray, axis) -> np.ndarray:
    """Softmax over one axis (or over the whole array, axis=None), stable."""
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def unstable(make: Callable[[], np.ndarray]) -> np.ndarray | None:
    """What a mistaken formula gives, overflow and broadcasting failures included (None if it raises)."""
    with np.errstate(all="ignore"):
        try:
            return make()
        except ValueError:
            return None


def softmax_mistakes(x: np.ndarray) -> list[tuple[str, Any]]:
    """(mistake, what that softmax gives on x), in the order they are tried."""
    found = []
    if x.ndim >= 2:
        found.append((hints.SOFTMAX_AXIS0, softmax_over(x, 0)))
        found.append((hints.SOFTMAX_BATCH_WIDE, softmax_over(x, None)))
        if x.ndim >= 3:
            found.append((hints.SOFTMAX_ND, softmax_over(x, -2)))
        e = np.exp(x - np.max(x, axis=-1, keepdims=True))
        found.append((hints.SOFTMAX_KEEPDIMS, unstable(lambda: e / np.sum(e, axis=-1))))
        found.append((hints.SOFTMAX_MAX_KEEPDIMS, unstable(lambda: softmax_over(x - np.max(x, axis=-1), -1))))
        found.append((hints.SOFTMAX_ROW_MAX, unstable(lambda: np.exp(x - np.max(x)) / np.sum(np.exp(x - np.max(x)), axis=-1, keepdims=True))))
    found.append((hints.SOFTMAX_OVERFLOW, unstable(lambda: np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True))))
    return [(mistake, value) for mistake, value in found if value is not None]


def softmax_signature(got: Any, x: np.ndarray) -> str:
    """The softmax mistake whose value on x is the student's, NaNs in the same places included, or
    else the one a finite output's sums prove: its columns sum to 1, or the whole batch does, while
    its rows do not. '' when nothing matches."""
    for mistake, value in softmax_mistakes(x):
        if matches(got, value, equal_nan=True):
            return mistake
    y = floats(got)
    if y is None or y.shape != x.shape or x.ndim < 2 or not np.all(np.isfinite(y)) or np.allclose(y.sum(axis=-1), 1.0):
        return ""
    if x.ndim == 2 and x.shape[0] > 1 and np.allclose(y.sum(axis=0), 1.0):
        return hints.SOFTMAX_AXIS0
    if x.shape[-2] > 1 and np.isclose(y.sum(), 1.0):
        return hints.SOFTMAX_BATCH_WIDE
    return ""


# A square batch: where a (4, 5) batch makes a broadcasting mistake raise, this one shows its values.
SQUARE = np.random.default_rng(5).normal(0.0, 2.0, (5, 5))


def raised_signature(student: Any) -> str:
    """After softmax raised on a batch: the mistake its value on a square batch shows, or ''."""
    ok, got = attempt(student.softmax, SQUARE.copy())
    return softmax_signature(got, SQUARE) if ok else ""
