"""Part `softmax_dim`: the Softmax(dim) layer, forward and backward, along any axis."""
import numpy as np
import pytest

from graders.checks import expect_close, expect_finite, fail
from graders.gradcheck import expect_gradient, numerical_gradient
from graders.softmax_dim import hints
from graders.softmax_dim.cases import CASES_2D, CASES_3D, call, case, same


def forward_hint(ref, x, dim, got) -> str:
    """The likely mistake behind a wrong forward, told apart by what the student's value equals."""
    if dim not in (-1, x.ndim - 1) and same(got, ref.Softmax(dim=-1).forward(x)):
        return hints.DIM_IGNORED
    return hints.KEEPDIMS


@pytest.mark.public
@pytest.mark.points(1, part="softmax_dim")
def test_softmax_forward_matches_along_every_dim(student, ref, rng):
    for shape, dim in CASES_2D + CASES_3D:
        x = rng.normal(0, 3, shape)
        what = f"Softmax(dim={dim}).forward on {case(shape, dim)}"
        got = call(what, student.Softmax(dim=dim).forward, x)
        want = ref.Softmax(dim=dim).forward(x)
        expect_close(got, want, what, forward_hint(ref, x, dim, got))


@pytest.mark.points(0.5, part="softmax_dim")
def test_softmax_forward_large_logits_stay_finite(student, ref):
    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0], [0.0, 1.0, 2.0]])
    for dim, xs in ((-1, x), (0, x.T.copy())):
        what = f"Softmax(dim={dim}).forward on rows of [1000, 1001, 1002], [-1000, -1001, -1002] and [0, 1, 2]"
        got = call(what, student.Softmax(dim=dim).forward, xs)
        expect_finite(got, what, hints.NO_MAX_SHIFT)
        expect_close(got, ref.Softmax(dim=dim).forward(xs), what, hints.NO_MAX_SHIFT)


def check_backward(student, ref, x, dim, dout, likely=hints.SOFTMAX_BACKWARD):
    what = f"Softmax(dim={dim}).backward on {case(x.shape, dim)}"
    layer = student.Softmax(dim=dim)
    call(what, layer.forward, x.copy())
    got = call(what, layer.backward, dout.copy())
    want = numerical_gradient(lambda z: np.sum(dout * ref.Softmax(dim=dim).forward(z)), x)
    y = ref.Softmax(dim=dim).forward(x)
    if same(got, dout * y * (1 - y)):
        likely = hints.DIAGONAL_JACOBIAN
    expect_gradient(got, want, what, likely)


@pytest.mark.public
@pytest.mark.points(1, part="softmax_dim")
def test_softmax_backward_matches_numerical_gradient(student, ref, rng):
    for shape, dim in CASES_2D:
        check_backward(student, ref, rng.normal(0, 2, shape), dim, rng.normal(0, 1, shape))


@pytest.mark.points(0.5, part="softmax_dim")
def test_softmax_backward_on_3d_input_along_each_axis(student, ref, rng):
    for shape, dim in CASES_3D:
        check_backward(student, ref, rng.normal(0, 2, shape), dim, rng.normal(0, 1, shape))


@pytest.mark.points(0.5, part="softmax_dim")
def test_softmax_backward_uses_the_latest_forward(student, ref, rng):
    x1, x2, dout = rng.normal(0, 2, (3, 4)), rng.normal(0, 2, (3, 4)), rng.normal(0, 1, (3, 4))
    what = "Softmax(dim=-1).backward after forward(x1) then forward(x2) (expected the gradient at x2)"
    layer = student.Softmax(dim=-1)
    call(what, layer.forward, x1)
    call(what, layer.forward, x2)
    want = numerical_gradient(lambda z: np.sum(dout * ref.Softmax(dim=-1).forward(z)), x2)
    expect_gradient(call(what, layer.backward, dout.copy()), want, what, hints.STALE_CACHE)


@pytest.mark.points(0.5, part="softmax_dim")
def test_softmax_forward_leaves_its_input_alone(student, rng):
    x = rng.normal(0, 3, (4, 5))
    held = student.put(x.copy())
    what = "Softmax(dim=-1).forward on a (4, 5) input"
    call(what, student.Softmax(dim=-1).forward, held)
    if not np.array_equal(np.asarray(student.fetch(held)), x):
        fail(what, "changed its input array x", hints.IN_PLACE)
