"""Part `relu_layer`: the Relu layer's forward and backward."""
import numpy as np
import pytest

from graders.activations import hints
from graders.activations.layer_checks import (check_backward, check_forward, check_instances_apart,
                                              check_latest_cache, check_left_alone)
from graders.checks import call, expect_close, fail, floats, signature
from graders.messages import _


def away_from_zero(rng, shape):
    """Inputs at least 0.1 away from the kink at 0, so the numerical gradient is exact there, half
    of them negative (shuffled): every draw has entries Relu must block and entries it must pass."""
    x = rng.uniform(0.1, 2.0, shape)
    signs = np.where(np.arange(x.size) % 2 == 0, -1.0, 1.0)
    return x * rng.permutation(signs).reshape(shape)


def backward_mistakes(x, dout):
    return [(hints.RELU_BACKWARD, dout),
            (hints.RELU_MASK, dout * (dout > 0)),
            (hints.RELU_MASK_INVERTED, dout * (x <= 0)),
            (hints.BACKWARD_NO_DOUT, (x > 0).astype(float))]


@pytest.mark.public
@pytest.mark.points(0.75, part="relu_layer")
def test_relu_layer_forward_matches_on_shapes(student, ref, rng):
    check_forward(student, "Relu", ref.relu, [away_from_zero(rng, s) for s in ((5,), (4, 3), (2, 3, 2))],
                  lambda x: [], reduce_hint=hints.RELU)


@pytest.mark.public
@pytest.mark.points(0.75, part="relu_layer")
def test_relu_layer_backward_matches_numerical_gradient(student, ref, rng):
    for shape in ((6,), (4, 3), (2, 3, 2)):
        # dout has its own signs, independent of x: a mask taken from dout shows up here.
        check_backward(student, "Relu", ref.relu, away_from_zero(rng, shape), rng.normal(0, 1, shape), backward_mistakes)


@pytest.mark.points(0.25, part="relu_layer")
def test_relu_layer_backward_uses_the_latest_forward(student, ref, rng):
    x1, x2, dout = away_from_zero(rng, (3, 4)), away_from_zero(rng, (3, 4)), rng.normal(0, 1, (3, 4))
    # A mask kept from forward(x1) zeroes x2 where x1 was blocked.
    check_latest_cache(student, "Relu", ref.relu, x1, x2, dout,
                       lambda x1, x2: [ref.relu(x1), np.where(x1 <= 0, 0.0, x2)])


@pytest.mark.points(0.25, part="relu_layer")
def test_relu_layers_used_interleaved_keep_their_own_mask(student, ref, rng):
    xa, xb, dout = away_from_zero(rng, (3, 4)), away_from_zero(rng, (3, 4)), rng.normal(0, 1, (3, 4))
    check_instances_apart(student, "Relu", ref.relu, xa, xb, dout)


@pytest.mark.points(0.5, part="relu_layer")
def test_relu_layer_leaves_its_input_alone(student, rng):
    # Only x: the contract lets Relu.backward write into dout (the book's does).
    check_left_alone(student, "Relu", away_from_zero(rng, (3, 4)))


@pytest.mark.points(0.5, part="relu_layer")
def test_relu_layer_handles_exact_zeros(student):
    x = np.array([[0.0, -1.0, 2.0]])
    layer = student.Relu()
    what = _("Relu.forward on {x}").format(x="[[0, -1, 2]]")
    expect_close(call(what, layer.forward, x.copy()), [[0.0, 0.0, 2.0]], what)
    # dout's signs differ from x's: a mask taken from dout, none, or an inverted one each give
    # their own values here.
    dout = np.array([[-5.0, 5.0, -5.0]])
    what = _("Relu.backward of dout {dout} at x {x}").format(dout="[[-5, 5, -5]]", x="[[0, -1, 2]]")
    dx = floats(call(what, layer.backward, dout.copy()))
    # At exactly 0 the derivative is undefined: 0 (mask x <= 0) and 1 (mask x < 0) are both right.
    if dx is None or dx.shape != (1, 3) or dx[0, 0] not in (0.0, -5.0) or dx[0, 1] != 0.0 or dx[0, 2] != -5.0:
        got = dx.tolist() if dx is not None else _("a value that is not an array")
        fail(what, _("got {got}, expected [[{zero} or {minus}, {zero}, {minus}]]").format(got=got, zero=0, minus=-5),
             signature(dx, backward_mistakes(x, dout)))
