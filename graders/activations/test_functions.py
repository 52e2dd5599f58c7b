"""Part `functions`: sigmoid, sigmoid_grad and relu as plain functions."""
import numpy as np
import pytest

from graders.activations import hints
from graders.activations.layer_checks import broken_only_where_exp_overflows, reduced
from graders.checks import (attempt, call, expect_close, expect_finite, expect_left_alone, expect_shape, floats, shape_text,
                            signature)
from graders.gradcheck import expect_gradient, numerical_gradient
from graders.messages import _

SHAPES = [(7,), (4, 5), (1, 6), (2, 3, 4)]
# Far in both tails: exp(50) is fine, exp(700) nearly the largest float, exp(710) and exp(1000) overflow.
EXTREMES = np.array([[-1000.0, -710.0, -700.0, -50.0, 0.0], [50.0, 700.0, 710.0, 1000.0, -3.0]])
EXTREMES_TEXT = "[[-1000, -710, -700, -50, 0], [50, 700, 710, 1000, -3]]"


def sign_flipped(ref, x):
    return ref.sigmoid(-x)


@pytest.mark.public
@pytest.mark.points(0.75, part="functions")
def test_sigmoid_matches_on_random_inputs(student, ref, rng):
    for shape in SHAPES:
        x = rng.normal(0, 3, shape)
        what = _("sigmoid on {case}").format(case=shape_text(shape))
        got = call(what, student.sigmoid, x)
        expect_close(got, ref.sigmoid(x), what,
                     signature(got, [(hints.SIGMOID_FORMULA, sign_flipped(ref, x))]))


@pytest.mark.points(0.25, part="functions")
def test_sigmoid_extreme_inputs_stay_finite_and_right(student, ref):
    x, what = EXTREMES, _("sigmoid at {x}").format(x=EXTREMES_TEXT)
    got = call(what, student.sigmoid, x.copy())
    want = ref.sigmoid(x)
    expect_shape(got, x.shape, what)
    expect_finite(got, what, hints.SIGMOID_OVERFLOW if broken_only_where_exp_overflows(got, want, x) else "")
    # sigmoid(-50) ~ 2e-22 is below ATOL: absolute closeness is the right test in the tails.
    expect_close(got, want, what, signature(got, [(hints.SIGMOID_FORMULA, sign_flipped(ref, x))]))


def overflow_hint(student, ref, got, want, x) -> str:
    """sigmoid_grad broken only where exp overflows: its own exp, or sigmoid's (NaN at the same entries)?"""
    if not broken_only_where_exp_overflows(got, want, x):
        return ""
    ok, s = attempt(student.sigmoid, x.copy())
    s = floats(s) if ok else None
    if s is not None and s.shape == x.shape and np.array_equal(~np.isfinite(s), ~np.isfinite(floats(got))):
        return hints.SIGMOID_OVERFLOW
    return hints.SIGMOID_GRAD_OVERFLOW


def grad_mistakes(ref, x):
    return [(hints.SIGMOID_GRAD, x * (1 - x))]


@pytest.mark.public
@pytest.mark.points(0.75, part="functions")
def test_sigmoid_grad_is_the_derivative_of_sigmoid(student, ref, rng):
    for shape in ((6,), (3, 4)):
        x = rng.normal(0, 2, shape)
        # sum(sigmoid(x)) has gradient sigmoid'(x) entry by entry: calculus, not a second formula.
        want = numerical_gradient(lambda z: np.sum(ref.sigmoid(z)), x)
        what = _("sigmoid_grad on {case}").format(case=shape_text(shape))
        got = call(what, student.sigmoid_grad, x)
        expect_gradient(got, want, what, signature(got, grad_mistakes(ref, x)))


@pytest.mark.points(0.25, part="functions")
def test_sigmoid_grad_extreme_inputs_stay_finite_and_right(student, ref):
    x, what = EXTREMES, _("sigmoid_grad at {x}").format(x=EXTREMES_TEXT)
    s = ref.sigmoid(x)
    want = s * (1 - s)  # never overflows; its tails (~1e-22 and below) are within ATOL of 0
    got = call(what, student.sigmoid_grad, x.copy())
    expect_shape(got, x.shape, what)
    expect_finite(got, what, overflow_hint(student, ref, got, want, x))
    expect_close(got, want, what, signature(got, grad_mistakes(ref, x)))


@pytest.mark.public
@pytest.mark.points(0.5, part="functions")
def test_relu_matches_on_random_inputs_with_zeros(student, ref, rng):
    for shape in SHAPES:
        x = rng.normal(0, 1, shape)
        x.flat[:: 3] = 0.0
        what = _("relu on {case}").format(case=shape_text(shape))
        got = call(what, student.relu, x)
        expect_shape(got, shape, what, hints.RELU if reduced(got, x) else "")
        expect_close(got, ref.relu(x), what)


@pytest.mark.points(0.5, part="functions")
def test_functions_leave_their_input_alone(student, rng):
    for function in ("sigmoid", "sigmoid_grad", "relu"):
        x = rng.normal(0, 3, (3, 4))
        what = _("{function} on {case}").format(function=function, case=shape_text(x.shape))
        expect_left_alone(student, what, getattr(student, function), [("x", x)], hints.IN_PLACE)
