"""Part `sigmoid_layer`: the Sigmoid layer's forward and backward."""
import numpy as np
import pytest

from graders.activations import hints
from graders.activations.layer_checks import (broken_only_where_exp_overflows, check_backward, check_forward,
                                              check_instances_apart, check_latest_cache, check_left_alone, gradient_at)
from graders.checks import call, expect_close, expect_finite, expect_shape, signature
from graders.gradcheck import expect_gradient
from graders.messages import _


def forward_mistakes(ref):
    return lambda x: [(hints.SIGMOID_FORMULA, ref.sigmoid(-x))]


def backward_mistakes(ref):
    def mistakes(x, dout):
        y = ref.sigmoid(x)
        return [(hints.SIGMOID_BACKWARD, dout * x * (1 - x)),
                (hints.SIGMOID_BACKWARD_TWICE, dout * ref.sigmoid(y) * (1 - ref.sigmoid(y))),
                (hints.BACKWARD_NO_DOUT, y * (1 - y))]
    return mistakes


@pytest.mark.public
@pytest.mark.points(0.75, part="sigmoid_layer")
def test_sigmoid_layer_forward_matches_on_shapes(student, ref, rng):
    check_forward(student, "Sigmoid", ref.sigmoid, [rng.normal(0, 3, s) for s in ((5,), (4, 3), (2, 3, 2))],
                  forward_mistakes(ref))


@pytest.mark.public
@pytest.mark.points(0.75, part="sigmoid_layer")
def test_sigmoid_layer_backward_matches_numerical_gradient(student, ref, rng):
    for shape in ((6,), (4, 3), (2, 3, 2)):
        # dout is not all ones: a backward that ignores dout shows up here.
        check_backward(student, "Sigmoid", ref.sigmoid, rng.normal(0, 2, shape), rng.normal(0, 1, shape),
                       backward_mistakes(ref))


@pytest.mark.points(0.5, part="sigmoid_layer")
def test_sigmoid_layer_extreme_inputs_stay_finite_and_right(student, ref, rng):
    x = np.array([[-1000.0, 1000.0, -710.0], [0.0, -30.0, 710.0], [-700.0, 50.0, -50.0]])
    dout = rng.normal(0, 1, x.shape)
    text = "[[-1000, 1000, -710], [0, -30, 710], [-700, 50, -50]]"
    layer = student.Sigmoid()
    what = _("Sigmoid.forward at {x}").format(x=text)
    got, want = call(what, layer.forward, x.copy()), ref.sigmoid(x)
    expect_shape(got, x.shape, what)
    expect_finite(got, what, hints.SIGMOID_OVERFLOW if broken_only_where_exp_overflows(got, want, x) else "")
    expect_close(got, want, what, signature(got, forward_mistakes(ref)(x)))
    what = _("Sigmoid.backward at {x}").format(x=text)
    got, want = call(what, layer.backward, dout.copy()), gradient_at(ref.sigmoid, x, dout)
    expect_shape(got, x.shape, what)
    expect_finite(got, what, hints.SIGMOID_GRAD_OVERFLOW if broken_only_where_exp_overflows(got, want, x) else "")
    expect_gradient(got, want, what, signature(got, backward_mistakes(ref)(x, dout)))


@pytest.mark.points(0.25, part="sigmoid_layer")
def test_sigmoid_layer_backward_uses_the_latest_forward(student, ref, rng):
    x1, x2, dout = rng.normal(0, 2, (3, 4)), rng.normal(0, 2, (3, 4)), rng.normal(0, 1, (3, 4))
    check_latest_cache(student, "Sigmoid", ref.sigmoid, x1, x2, dout)


@pytest.mark.points(0.25, part="sigmoid_layer")
def test_sigmoid_layers_used_interleaved_keep_their_own_cache(student, ref, rng):
    xa, xb, dout = rng.normal(0, 2, (3, 4)), rng.normal(0, 2, (3, 4)), rng.normal(0, 1, (3, 4))
    check_instances_apart(student, "Sigmoid", ref.sigmoid, xa, xb, dout)


@pytest.mark.points(0.5, part="sigmoid_layer")
def test_sigmoid_layer_leaves_x_and_dout_alone(student, rng):
    check_left_alone(student, "Sigmoid", rng.normal(0, 2, (3, 4)), rng.normal(0, 1, (3, 4)))
