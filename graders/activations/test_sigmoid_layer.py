"""Part `sigmoid_layer`: the Sigmoid layer's forward and backward."""
import numpy as np
import pytest

from graders.activations import hints
from graders.activations.layer_checks import check_backward, check_forward, check_input_untouched, check_latest_cache
from graders.checks import expect_finite


@pytest.mark.public
@pytest.mark.points(1, part="sigmoid_layer")
def test_sigmoid_layer_forward_matches_on_shapes(student, ref, rng):
    check_forward(student, "Sigmoid", ref.sigmoid, [rng.normal(0, 3, s) for s in ((5,), (4, 3), (2, 3, 2))], hints.SIGMOID_FORMULA)


@pytest.mark.public
@pytest.mark.points(1, part="sigmoid_layer")
def test_sigmoid_layer_backward_matches_numerical_gradient(student, ref, rng):
    for shape in ((6,), (4, 3), (2, 3, 2)):
        check_backward(student, "Sigmoid", ref.sigmoid, rng.normal(0, 2, shape), rng.normal(0, 1, shape), hints.SIGMOID_BACKWARD)


@pytest.mark.points(0.5, part="sigmoid_layer")
def test_sigmoid_layer_backward_uses_the_latest_forward(student, ref, rng):
    x1, x2, dout = rng.normal(0, 2, (3, 4)), rng.normal(0, 2, (3, 4)), rng.normal(0, 1, (3, 4))
    check_latest_cache(student, "Sigmoid", ref.sigmoid, x1, x2, dout, hints.STALE_CACHE)


@pytest.mark.points(0.5, part="sigmoid_layer")
def test_sigmoid_layer_extreme_inputs_and_untouched_input(student, rng):
    x = np.array([[-1000.0, 1000.0], [0.0, -30.0]])
    layer = student.Sigmoid()
    expect_finite(layer.forward(x.copy()), "Sigmoid.forward at [[-1000, 1000], [0, -30]]", hints.SIGMOID_OVERFLOW)
    expect_finite(layer.backward(np.ones((2, 2))), "Sigmoid.backward at [[-1000, 1000], [0, -30]]", hints.SIGMOID_OVERFLOW)
    check_input_untouched(student, "Sigmoid", rng.normal(0, 2, (3, 4)), hints.IN_PLACE)
