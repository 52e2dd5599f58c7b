"""Part `affine`: the Affine layer's forward, its three gradients, and the W and b it keeps."""
import numpy as np
import pytest

from graders.backprop import hints
from graders.backprop.gradient_checks import expect_gradient_scaled, naming_the_case, overwrite_held
from graders.checks import expect_close, fail, shape_text
from graders.gradcheck import numerical_gradient

# (x shape, M): a non-square batch, N == D == M (square, so a transpose keeps its shape), one sample.
FLAT_CASES = [((4, 3), 5), ((3, 3), 3), ((1, 4), 2)]
# Samples with several axes, flattened by forward: dx must come back in x's shape.
ND_CASES = [((2, 2, 3), 4), ((3, 2, 2, 2), 3)]


def draw(rng, shape, m):
    """x, W (D, M), b (M,), dout (N, M) for one case."""
    d = int(np.prod(shape[1:]))
    return rng.normal(0, 1, shape), rng.normal(0, 1, (d, m)), rng.normal(0, 1, m), rng.normal(0, 1, (shape[0], m))


def affine_case(x_shape, W):
    return f"x of shape {tuple(x_shape)} and W of shape {W.shape}"


def expected_gradients(ref, x, W, b, dout):
    """dx, dW, db of sum(dout * affine(x, W, b)), whose gradients are exactly backward's."""
    f = lambda x_, W_, b_: np.sum(dout * ref.Affine(W_, b_).forward(x_))
    return (numerical_gradient(lambda z: f(z, W, b), x), numerical_gradient(lambda z: f(x, z, b), W),
            numerical_gradient(lambda z: f(x, W, z), b))


@pytest.mark.public
@pytest.mark.points(0.75, part="affine")
def test_affine_forward_matches_x_at_W_plus_b(student, ref, rng):
    for shape, m in FLAT_CASES:
        x, W, b, _ = draw(rng, shape, m)
        got = student.Affine(W, b).forward(x.copy())
        expect_close(got, ref.Affine(W, b).forward(x), f"Affine.forward with {affine_case(shape, W)}", hints.AFFINE_FORWARD)


@pytest.mark.public
@pytest.mark.points(1, part="affine")
def test_affine_backward_dx_matches_numerical_gradient(student, ref, rng):
    for shape, m in FLAT_CASES:
        x, W, b, dout = draw(rng, shape, m)
        layer = student.Affine(W, b)
        layer.forward(x.copy())
        dx, _, _ = expected_gradients(ref, x, W, b, dout)
        expect_gradient_scaled(layer.backward(dout.copy()), dx, f"Affine.backward (dx) with {affine_case(shape, W)}",
                               hints.AFFINE_DX, shape_likely=hints.AFFINE_DX_SHAPE)


@pytest.mark.points(1, part="affine")
def test_affine_backward_sets_dW_and_db_to_numerical_gradients(student, ref, rng):
    for shape, m in FLAT_CASES:
        x, W, b, dout = draw(rng, shape, m)
        layer = student.Affine(W, b)
        layer.forward(x.copy())
        layer.backward(dout.copy())
        _, dW, db = expected_gradients(ref, x, W, b, dout)
        case = affine_case(shape, W)
        expect_gradient_scaled(layer.get("dW"), dW, f"Affine.dW with {case}", hints.AFFINE_DW, shape_likely=hints.AFFINE_DW)
        expect_gradient_scaled(layer.get("db"), db, f"Affine.db with {case}", hints.AFFINE_DB, shape_likely=hints.AFFINE_DB)


@pytest.mark.points(0.5, part="affine")
def test_affine_flattens_samples_and_gives_dx_back_in_their_shape(student, ref, rng):
    for shape, m in ND_CASES:
        x, W, b, dout = draw(rng, shape, m)
        case = affine_case(shape, W)
        layer = student.Affine(W, b)
        with naming_the_case(f"Affine.forward with {case}", hints.AFFINE_FLATTEN):
            out = layer.forward(x.copy())
        expect_close(out, ref.Affine(W, b).forward(x), f"Affine.forward with {case}", hints.AFFINE_FLATTEN)
        dx, dW, _ = expected_gradients(ref, x, W, b, dout)
        expect_gradient_scaled(layer.backward(dout.copy()), dx, f"Affine.backward (dx) with {case}",
                               hints.AFFINE_DX, shape_likely=hints.AFFINE_DX_SHAPE)
        expect_gradient_scaled(layer.get("dW"), dW, f"Affine.dW with {case}", hints.AFFINE_DW, shape_likely=hints.AFFINE_DW)


@pytest.mark.points(0.25, part="affine")
def test_affine_keeps_the_W_and_b_it_was_given(student, ref, rng):
    x, W, b, dout = draw(rng, (4, 3), 2)
    W_new, b_new = rng.normal(0, 1, W.shape), rng.normal(0, 1, b.shape)
    W_held, b_held = student.put(W), student.put(b)
    layer = student.Affine(W_held, b_held)
    layer.forward(x.copy())
    # Training changes a network's parameters in place; the layer must see the new values.
    overwrite_held(W_held, W_new)
    overwrite_held(b_held, b_new)
    what = "Affine.forward after its W and b arrays were changed in place"
    got = np.asarray(layer.forward(x.copy()))
    if got.shape == (4, 2) and np.allclose(got, x @ W + b) and not np.allclose(got, x @ W_new + b_new):
        fail(what, "still gave x @ W + b with the old values of W and b", hints.AFFINE_KEEPS)
    expect_close(got, ref.Affine(W_new, b_new).forward(x), what, hints.AFFINE_KEEPS)
    dx, _, _ = expected_gradients(ref, x, W_new, b_new, dout)
    expect_gradient_scaled(layer.backward(dout.copy()), dx, "Affine.backward (dx) after W was changed in place",
                           hints.AFFINE_KEEPS)


@pytest.mark.points(0.25, part="affine")
def test_affine_backward_uses_the_latest_forward(student, ref, rng):
    x1, W, b, dout = draw(rng, (4, 3), 5)
    x2 = rng.normal(0, 1, x1.shape)
    layer = student.Affine(W, b)
    layer.forward(x1.copy())
    layer.forward(x2.copy())
    layer.backward(dout.copy())
    _, dW, _ = expected_gradients(ref, x2, W, b, dout)
    expect_gradient_scaled(layer.get("dW"), dW, "Affine.dW after forward(x1) then forward(x2) (expected the gradient at x2)",
                           hints.STALE_CACHE)


@pytest.mark.points(0.25, part="affine")
def test_affine_forward_leaves_its_input_alone(student, rng):
    x, W, b, dout = draw(rng, (3, 2, 2), 3)
    held = student.put(x.copy())
    layer = student.Affine(W, b)
    layer.forward(held)
    layer.backward(dout.copy())
    after = np.asarray(student.fetch(held))
    if after.shape != x.shape or not np.array_equal(after, x):
        fail(f"Affine.forward then backward on {shape_text(x.shape)}", "changed the input array x", hints.IN_PLACE)
