"""Part `log_softmax`: log_softmax(x, dim), stable by log-sum-exp."""
import numpy as np
import pytest

from graders.checks import expect_close, expect_finite, fail, shape_text
from graders.messages import _
from graders.softmax_dim import hints
from graders.softmax_dim.cases import (CASES_1D, CASES_2D, CASES_3D, attempt, call, case, differs, numbers,
                                       report_changes, same)


@pytest.mark.public
@pytest.mark.points(0.75, part="log_softmax")
def test_log_softmax_matches_along_every_dim(student, ref, rng):
    for shape, dim in CASES_1D + CASES_2D + CASES_3D[:2]:
        x = rng.normal(0, 3, shape)
        what = _("log_softmax on {case}").format(case=case(shape, dim))
        got = call(what, student.log_softmax, x, dim=dim)
        expect_close(got, ref.log_softmax(x, dim=dim), what, values_hint(ref, x, dim, got))


def values_hint(ref, x, dim, got) -> str:
    """Wrong values that are the last axis's log-softmax, or log(softmax + 1e-7)."""
    if dim not in (-1, x.ndim - 1) and same(got, ref.log_softmax(x, dim=-1)):
        return hints.DIM_IGNORED
    if same(got, np.log(np.exp(ref.log_softmax(x, dim=dim)) + 1e-7)):
        return hints.LOG_EPSILON
    return ""


@pytest.mark.points(0.25, part="log_softmax")
def test_log_softmax_default_dim_is_the_last_axis(student, ref, rng):
    """log_softmax(x) must equal log_softmax(x, dim=-1); charged only where the two differ."""
    for shape in ((5,), (2, 3, 4)):
        x = rng.normal(0, 3, shape)
        want = ref.log_softmax(x, dim=-1)
        if not same(attempt(student.log_softmax, x, dim=-1), want):
            continue  # wrong with dim=-1 given: the test above charges that
        what = _("log_softmax(x) (no dim given) on {case}").format(case=shape_text(shape))
        got = call(what, student.log_softmax, x, likely=hints.DEFAULT_DIM)
        if not same(got, want):
            axes = [k for k in range(x.ndim) if same(got, ref.log_softmax(x, dim=k))]
            text = (_("differs from log_softmax(x, dim=-1), {gap} (it normalised along axis {axis})") if axes else
                    _("differs from log_softmax(x, dim=-1), {gap}"))
            fail(what, text.format(gap=differs(got, want), axis=axes[0] if axes else None), hints.DEFAULT_DIM)


@pytest.mark.points(0.5, part="log_softmax")
def test_log_softmax_of_extreme_logits_is_finite_and_exact(student, ref, rng):
    """Charged only if log_softmax is right on ordinary rows of the same shape."""
    x = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1001.0, -1002.0]])
    ordinary = rng.normal(0, 3, x.shape)
    if not same(attempt(student.log_softmax, ordinary, dim=-1), ref.log_softmax(ordinary, dim=-1)):
        return
    what = _("log_softmax of the rows [1000, 0, -1000] and [-1000, -1001, -1002] along dim=-1")
    got = call(what, student.log_softmax, x, dim=-1)
    expect_finite(got, what, overflow_hint(got))
    expect_close(got, ref.log_softmax(x, dim=-1), what)


def overflow_hint(got) -> str:
    """-inf is the log of a probability rounded to 0; NaN or +inf is exp overflowing."""
    values = numbers(got)
    if values is None:
        return ""
    if np.isneginf(values).any() and not (np.isnan(values).any() or np.isposinf(values).any()):
        return hints.LOG_OF_SOFTMAX
    return hints.NO_MAX_SHIFT if (np.isnan(values).any() or np.isposinf(values).any()) else ""


@pytest.mark.points(0.5, part="log_softmax")
def test_log_softmax_leaves_its_input_alone(student, rng):
    x = rng.normal(0, 3, (4, 5))
    held = student.put(x.copy())
    if attempt(student.log_softmax, held, dim=-1) is None:
        return  # it raised: the tests of its values charge that
    report_changes(student, held, x, _("log_softmax on {case}").format(case=shape_text((4, 5))), "x", hints.IN_PLACE)
