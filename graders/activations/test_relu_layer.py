"""Part `relu_layer`: the Relu layer's forward and backward."""
import numpy as np
import pytest

from graders.activations import hints
from graders.activations.layer_checks import check_backward, check_forward, check_input_untouched, check_latest_cache
from graders.checks import expect_close


def away_from_zero(rng, shape):
    """Inputs at least 0.1 away from the kink at 0, so the numerical gradient is exact there, half
    of them negative (shuffled): every draw has entries Relu must block and entries it must pass."""
    x = rng.uniform(0.1, 2.0, shape)
    signs = np.where(np.arange(x.size) % 2 == 0, -1.0, 1.0)
    return x * rng.permutation(signs).reshape(shape)


@pytest.mark.public
@pytest.mark.points(1, part="relu_layer")
def test_relu_layer_forward_matches_on_shapes(student, ref, rng):
    check_forward(student, "Relu", ref.relu, [away_from_zero(rng, s) for s in ((5,), (4, 3), (2, 3, 2))], hints.RELU)


@pytest.mark.public
@pytest.mark.points(1, part="relu_layer")
def test_relu_layer_backward_matches_numerical_gradient(student, ref, rng):
    for shape in ((6,), (4, 3), (2, 3, 2)):
        # dout has its own signs, independent of x: a mask taken from dout shows up here.
        check_backward(student, "Relu", ref.relu, away_from_zero(rng, shape), rng.normal(0, 1, shape), hints.RELU_BACKWARD)


@pytest.mark.points(0.5, part="relu_layer")
def test_relu_layer_backward_uses_the_latest_forward(student, ref, rng):
    x1, x2, dout = away_from_zero(rng, (3, 4)), away_from_zero(rng, (3, 4)), rng.normal(0, 1, (3, 4))
    check_latest_cache(student, "Relu", ref.relu, x1, x2, dout, hints.STALE_CACHE)


@pytest.mark.points(0.5, part="relu_layer")
def test_relu_layer_leaves_its_input_alone_and_handles_zeros(student, rng):
    check_input_untouched(student, "Relu", away_from_zero(rng, (3, 4)), hints.IN_PLACE)
    x = np.array([[0.0, -1.0, 2.0]])
    layer = student.Relu()
    expect_close(layer.forward(x.copy()), [[0.0, 0.0, 2.0]], "Relu.forward on [[0, -1, 2]]", hints.RELU)
    dx = np.asarray(layer.backward(np.array([[5.0, 5.0, 5.0]])))
    # At exactly 0 the derivative is undefined: 0 (mask x <= 0) and 1 (mask x < 0) are both right.
    if dx.shape != (1, 3) or dx[0, 0] not in (0.0, 5.0) or dx[0, 1] != 0.0 or dx[0, 2] != 5.0:
        from graders.checks import fail
        fail("Relu.backward of dout [[5, 5, 5]] at x [[0, -1, 2]]", f"got {dx.tolist()}, expected [[0 or 5, 0, 5]]", hints.RELU_BACKWARD)
