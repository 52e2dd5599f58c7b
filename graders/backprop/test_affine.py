"""Part `affine`: the Affine layer's forward, its three gradients, and the W and b it keeps."""
import numpy as np
import pytest

from graders.backprop import hints
from graders.backprop.affine_cases import (all_same, db_shape_hint, draw, dW_shape_hint, dx_shape_hint, exact,
                                           forward_hint, lone_gradients, same)
from graders.backprop.net_checks import attempt
from graders.backprop.gradient_checks import expect_gradient_scaled, naming_the_case, overwrite_held, unless_unwritten
from graders.checks import expect_close, fail, shape_text, worst
from graders.gradcheck import numerical_gradient
from graders.messages import _
from graders.student.errors import StudentError

# (x shape, M): a non-square batch, N == D == M (square, so a transpose keeps its shape), one sample.
FLAT_CASES = [((4, 3), 5), ((3, 3), 3), ((1, 4), 2)]
# Samples with several axes, flattened by forward: dx must come back in x's shape.
ND_CASES = [((2, 2, 3), 4), ((3, 2, 2, 2), 3)]


def affine_case(x_shape, W):
    return _("x of shape {x} and W of shape {W}").format(x=tuple(x_shape), W=W.shape)


def expected_gradients(ref, x, W, b, dout):
    """dx, dW, db of sum(dout * affine(x, W, b)), whose gradients are exactly backward's."""
    f = lambda x_, W_, b_: np.sum(dout * ref.Affine(W_, b_).forward(x_))
    return (numerical_gradient(lambda z: f(z, W, b), x), numerical_gradient(lambda z: f(x, z, b), W),
            numerical_gradient(lambda z: f(x, W, z), b))


def check_dW_db(layer, x, dW, db, dout, case):
    got_dW, got_db = layer.get("dW"), layer.get("db")
    expect_gradient_scaled(got_dW, dW, _("Affine.dW with {case}").format(case=case), shape_likely=dW_shape_hint(got_dW, dW),
                           scaled_likely=hints.AFFINE_DW_SUM)
    expect_gradient_scaled(got_db, db, _("Affine.db with {case}").format(case=case), shape_likely=db_shape_hint(got_db, db, dout),
                           scaled_likely=hints.AFFINE_DB)


@pytest.mark.public
@pytest.mark.points(0.75, part="affine")
def test_affine_forward_matches_x_at_W_plus_b(student, ref, rng):
    for shape, m in FLAT_CASES:
        x, W, b, _dout = draw(rng, shape, m)
        got = student.Affine(W, b).forward(x.copy())
        expect_close(got, ref.Affine(W, b).forward(x), _("Affine.forward with {case}").format(case=affine_case(shape, W)),
                     forward_hint(got, x, W))


@pytest.mark.public
@pytest.mark.points(1, part="affine")
def test_affine_backward_dx_matches_numerical_gradient(student, ref, rng):
    for shape, m in FLAT_CASES:
        x, W, b, dout = draw(rng, shape, m)
        layer = student.Affine(W, b)
        layer.forward(x.copy())
        dx, _dW, _db = expected_gradients(ref, x, W, b, dout)
        expect_gradient_scaled(layer.backward(dout.copy()), dx,
                               _("Affine.backward (dx) with {case}").format(case=affine_case(shape, W)))


@pytest.mark.points(0.75, part="affine")
def test_affine_backward_sets_dW_and_db_to_numerical_gradients(student, ref, rng):
    for shape, m in FLAT_CASES:
        x, W, b, dout = draw(rng, shape, m)
        layer = student.Affine(W, b)
        layer.forward(x.copy())
        layer.backward(dout.copy())
        _dx, dW, db = expected_gradients(ref, x, W, b, dout)
        check_dW_db(layer, x, dW, db, dout, affine_case(shape, W))


@pytest.mark.points(0.5, part="affine")
def test_affine_flattens_samples_and_gives_dx_back_in_their_shape(student, ref, rng):
    for shape, m in ND_CASES:
        x, W, b, dout = draw(rng, shape, m)
        case = affine_case(shape, W)
        layer = student.Affine(W, b)
        # Right on the same samples given flat, the layer's trouble here is the flattening.
        x2 = x.reshape(shape[0], -1)
        flat_works = same(attempt(lambda: student.Affine(W, b).forward(x2.copy())), x2 @ W + b)
        with naming_the_case(_("Affine.forward with {case}").format(case=case), hints.AFFINE_FLATTEN if flat_works else ""):
            out = layer.forward(x.copy())
        expect_close(out, ref.Affine(W, b).forward(x), _("Affine.forward with {case}").format(case=case),
                     hints.AFFINE_FLATTEN if flat_works else forward_hint(out, x, W))
        dx, dW, _db = expected_gradients(ref, x, W, b, dout)
        with naming_the_case(_("Affine.backward with {case}").format(case=case)):
            got = layer.backward(dout.copy())
        expect_gradient_scaled(got, dx, _("Affine.backward (dx) with {case}").format(case=case),
                               shape_likely=dx_shape_hint(got, x))
        got_dW = layer.get("dW")
        expect_gradient_scaled(got_dW, dW, _("Affine.dW with {case}").format(case=case), shape_likely=dW_shape_hint(got_dW, dW),
                               scaled_likely=hints.AFFINE_DW_SUM)


@pytest.mark.points(0.25, part="affine")
def test_affine_keeps_the_W_and_b_it_was_given(student, rng):
    """After W and b are changed in place, forward and backward use the new values. Charged only if a
    fresh layer is right on the same x."""
    x, W, b, dout = draw(rng, (4, 3), 2)
    W_new, b_new = rng.normal(0, 1, W.shape), rng.normal(0, 1, b.shape)
    fresh = attempt(lambda: student.Affine(W_new, b_new).forward(x.copy()))
    if not same(fresh, x @ W_new + b_new) or not all_same(lone_gradients(student, x, W_new, b_new, dout), exact(x, W_new, dout)):
        return
    W_held, b_held = student.put(W), student.put(b)
    layer = student.Affine(W_held, b_held)
    layer.forward(x.copy())
    # Training changes a network's parameters in place; the layer must see the new values.
    overwrite_held(W_held, W_new)
    overwrite_held(b_held, b_new)
    what = _("Affine.forward after its W and b arrays were changed in place")
    with naming_the_case(what):
        got = layer.forward(x.copy())
    if same(got, x @ W + b):
        fail(what, _("still gave x @ W + b with the old values of W and b"), hints.AFFINE_KEEPS)
    if not same(got, x @ W_new + b_new):
        fail(what, _("differs from a fresh layer built on the new W and b ({gap})").format(gap=gap(got, x @ W_new + b_new)))
    what = _("Affine.backward (dx) after W was changed in place")
    with naming_the_case(what):
        dx = layer.backward(dout.copy())
    if same(dx, dout @ W.T):
        fail(what, _("gave dout @ W.T with the old W"), hints.AFFINE_KEEPS)
    if not same(dx, dout @ W_new.T):
        fail(what, _("differs from a fresh layer built on the new W ({gap})").format(gap=gap(dx, dout @ W_new.T)))



@pytest.mark.points(0.25, part="affine")
def test_affine_backward_uses_the_latest_forward(student, ref, rng):
    """Charged only if a fresh layer gets the gradients at x2 right, and this one does not."""
    x1, W, b, dout = draw(rng, (4, 3), 5)
    x2 = rng.normal(0, 1, x1.shape)
    want = exact(x2, W, dout)
    if not all_same(lone_gradients(student, x2, W, b, dout), want):
        return
    what = _("Affine.backward after forward(x1) then forward(x2) (expected the gradient at x2)")
    layer = student.Affine(W, b)
    with naming_the_case(what):
        layer.forward(x1.copy())
        layer.forward(x2.copy())
        dx = layer.backward(dout.copy())
    got = (dx, layer.get("dW"), layer.get("db"))
    if not all_same(got, want):
        stale = same(got[1], exact(x1, W, dout)[1])
        fail(what, _("gave dW at x1, the first forward's") if stale else
             _("differs from what a fresh layer gives (dW: {gap})").format(gap=gap(got[1], want[1])),
             hints.STALE_CACHE if stale else "")


@pytest.mark.points(0.25, part="affine")
def test_affine_instances_keep_their_own_cache(student, rng):
    """a.forward(xa), b.forward(xb), a.backward(dout): a's gradients, at xa. Same shapes for a and b, so
    a shared cache gives b's values rather than an error. Charged only if a lone layer gets them right."""
    xa, W, b, dout = draw(rng, (4, 3), 5)
    xb, Wb, bb, _dout_b = draw(rng, (4, 3), 5)
    want = exact(xa, W, dout)
    if not all_same(lone_gradients(student, xa, W, b, dout), want):
        return
    what = _("Affine layers a and b: a.forward(xa), b.forward(xb), then a.backward (expected a's gradients, at xa)")
    first, second = student.Affine(W, b), student.Affine(Wb, bb)
    with naming_the_case(what):
        first.forward(xa.copy())
        second.forward(xb.copy())
        dx = first.backward(dout.copy())
    got = (dx, first.get("dW"), first.get("db"))
    if not all_same(got, want):
        shared = same(got[1], exact(xb, W, dout)[1])
        fail(what, _("gave dW at xb, b's input") if shared else
             _("differs from what a lone layer gives (dW: {gap_dW}, dx: {gap_dx})").format(
                 gap_dW=gap(got[1], want[1]), gap_dx=gap(got[0], want[0])),
             hints.AFFINE_SHARED_STATE if shared else "")


def gap(got, want) -> str:
    try:
        array = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return _("not numbers")
    return worst(array, want) if array.shape == want.shape else _("shape {got} instead of {want}").format(
        got=array.shape, want=want.shape)


@pytest.mark.points(0.25, part="affine")
def test_affine_leaves_its_inputs_alone(student, rng):
    """forward must not change x, nor backward dout. Charged only for a change seen after a call that returned."""
    x, W, b, dout = draw(rng, (3, 2, 2), 3)
    layer = student.Affine(W, b)
    for name, value, call in (("x", x, layer.forward), ("dout", dout, layer.backward)):
        held = student.put(value.copy())
        try:
            call(held)
        except StudentError as exc:
            unless_unwritten(exc)
            return  # the tests of forward and backward charge that
        after = np.asarray(student.fetch(held))
        if after.shape != value.shape or not np.array_equal(after, value):
            fail(_("Affine.{method} on {case}").format(method=call.__name__, case=shape_text(value.shape)),
                 (_("changed its argument {name} ({gap})") if after.shape == value.shape else
                  _("changed its argument {name} to shape {shape}")).format(
                     name=name, gap=gap(after, value) if after.shape == value.shape else "", shape=after.shape),
                 hints.IN_PLACE)
