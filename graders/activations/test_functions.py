"""Part `functions`: sigmoid, sigmoid_grad and relu as plain functions."""
import numpy as np
import pytest

from graders.activations import hints
from graders.checks import expect_close, shape_text
from graders.gradcheck import expect_gradient, numerical_gradient

SHAPES = [(7,), (4, 5), (1, 6), (2, 3, 4)]
IDS = ["1d", "batch", "one_row", "3d"]


@pytest.mark.public
@pytest.mark.points(1, part="functions")
def test_sigmoid_matches_on_random_inputs(student, ref, rng):
    for shape in SHAPES:
        x = rng.normal(0, 3, shape)
        expect_close(student.sigmoid(x), ref.sigmoid(x), f"sigmoid on {shape_text(shape)}", hints.SIGMOID_FORMULA)


@pytest.mark.points(0.5, part="functions")
def test_sigmoid_extreme_inputs_stay_finite_and_right(student, ref):
    x = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    # exp(40) ~ 2e17: sigmoid(-40) ~ 4e-18, below ATOL, so absolute closeness is the right test here.
    expect_close(student.sigmoid(x), ref.sigmoid(x), "sigmoid at [-1000, -40, 0, 40, 1000]", hints.SIGMOID_OVERFLOW)


@pytest.mark.public
@pytest.mark.points(1, part="functions")
def test_sigmoid_grad_is_the_derivative_of_sigmoid(student, ref, rng):
    for shape in ((6,), (3, 4)):
        x = rng.normal(0, 2, shape)
        w = np.ones(shape)
        # sum(sigmoid(x)) has gradient sigmoid'(x) entry by entry: calculus, not a second formula.
        want = numerical_gradient(lambda z: np.sum(w * ref.sigmoid(z)), x)
        expect_gradient(student.sigmoid_grad(x), want, f"sigmoid_grad on {shape_text(shape)}", hints.SIGMOID_GRAD)


@pytest.mark.public
@pytest.mark.points(0.5, part="functions")
def test_relu_matches_on_random_inputs_with_zeros(student, ref, rng):
    for shape in SHAPES:
        x = rng.normal(0, 1, shape)
        x.flat[:: 3] = 0.0
        expect_close(student.relu(x), ref.relu(x), f"relu on {shape_text(shape)}", hints.RELU)
