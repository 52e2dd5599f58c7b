"""Part `softmax_dim`: the Softmax(dim) layer, forward and backward, along any axis."""
import numpy as np
import pytest

from graders.checks import expect_close, expect_finite, fail, shape_text
from graders.gradcheck import numerical_gradient
from graders.messages import N_, _, hint
from graders.softmax_dim import hints
from graders.softmax_dim.cases import (CASES_1D, CASES_2D, CASES_3D, attempt, call, case, differs, expect_gradient,
                                       numbers, report_changes, same)

EXTREME = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0], [0.0, 1.0, 2.0]])
# Shown through hint(), which looks any marked text up (_() takes only a literal).
EXTREME_TEXT = N_("rows of [1000, 1001, 1002], [-1000, -1001, -1002] and [0, 1, 2]")


def forward_hint(ref, x, dim, got) -> str:
    """The likely mistake behind a wrong forward, told apart by what the student's value equals."""
    if dim not in (-1, x.ndim - 1) and same(got, ref.Softmax(dim=-1).forward(x)):
        return hints.DIM_IGNORED
    if any(same(got, v) for v in without_keepdims(x, dim)):
        return hints.KEEPDIMS
    return ""


def without_keepdims(x, dim):
    """What softmax along dim gives when its max, its sum or both drop keepdims (where that broadcasts)."""
    found = []
    for keep_max, keep_sum in ((False, True), (True, False), (False, False)):
        with np.errstate(all="ignore"):
            try:
                e = np.exp(x - np.max(x, axis=dim, keepdims=keep_max))
                found.append(e / np.sum(e, axis=dim, keepdims=keep_sum))
            except ValueError:  # does not broadcast: the student's code raised there too
                pass
    return found


def global_max_softmax(x, dim):
    """Softmax along dim shifted by the max of the whole array (the book's 1-D softmax on a batch)."""
    with np.errstate(all="ignore"):
        e = np.exp(x - np.max(x))
        return e / np.sum(e, axis=dim, keepdims=True)


def same_with_nan(got, want) -> bool:
    values = numbers(got)
    return values is not None and values.shape == want.shape and bool(np.allclose(values, want, equal_nan=True))


def ref_backward(ref, x, dim, dout):
    layer = ref.Softmax(dim=dim)
    layer.forward(x)
    return layer.backward(dout)


def backward_alone(student, x, dim, dout):
    """The student's gradient from one fresh instance (forward x, backward dout), or None if it raised."""
    layer = attempt(student.Softmax, dim=dim)
    if layer is None or attempt(layer.forward, x.copy()) is None:
        return None
    return attempt(layer.backward, dout.copy())


@pytest.mark.public
@pytest.mark.points(0.75, part="softmax_dim")
def test_softmax_forward_matches_along_every_dim(student, ref, rng):
    for shape, dim in CASES_1D + CASES_2D + CASES_3D:
        x = rng.normal(0, 3, shape)
        what = _("Softmax(dim={dim}).forward on {case}").format(dim=dim, case=case(shape, dim))
        got = call(what, student.Softmax(dim=dim).forward, x)
        want = ref.Softmax(dim=dim).forward(x)
        expect_close(got, want, what, forward_hint(ref, x, dim, got))


@pytest.mark.points(0.25, part="softmax_dim")
def test_softmax_default_dim_is_the_last_axis(student, ref, rng):
    """Softmax() with no dim must do what Softmax(dim=-1) does; charged only where the two differ."""
    for shape in ((5,), (2, 3, 4)):
        x = rng.normal(0, 3, shape)
        want = ref.Softmax(dim=-1).forward(x)
        if not same(attempt(lambda: student.Softmax(dim=-1).forward(x)), want):
            continue  # wrong with dim=-1 given: the forward tests charge that
        what = _("Softmax() (no dim given).forward on {case}").format(case=shape_text(shape))
        got = call(what, lambda: student.Softmax().forward(x), likely=hints.DEFAULT_DIM)
        if not same(got, want):
            axes = [k for k in range(x.ndim) if same(got, ref.Softmax(dim=k).forward(x))]
            text = (_("differs from Softmax(dim=-1) on the same input, {gap} (it normalised along axis {axis})") if axes else
                    _("differs from Softmax(dim=-1) on the same input, {gap}"))
            fail(what, text.format(gap=differs(got, want), axis=axes[0] if axes else None), hints.DEFAULT_DIM)


@pytest.mark.points(0.5, part="softmax_dim")
def test_softmax_forward_large_logits_stay_finite(student, ref, rng):
    """Charged only where the same Softmax(dim) is right on ordinary inputs: the extremes' own failure."""
    for dim, xs in ((-1, EXTREME), (0, EXTREME.T.copy())):
        ordinary = rng.normal(0, 3, xs.shape)
        if not same(attempt(lambda: student.Softmax(dim=dim).forward(ordinary)), ref.Softmax(dim=dim).forward(ordinary)):
            continue
        what = _("Softmax(dim={dim}).forward on {case}").format(dim=dim, case=hint(EXTREME_TEXT))
        got = call(what, student.Softmax(dim=dim).forward, xs)
        expect_finite(got, what, hints.GLOBAL_MAX if same_with_nan(got, global_max_softmax(xs, dim)) else hints.NO_MAX_SHIFT)
        expect_close(got, ref.Softmax(dim=dim).forward(xs), what)


def check_backward(student, ref, x, dim, dout):
    what = _("Softmax(dim={dim}).backward on {case}").format(dim=dim, case=case(x.shape, dim))
    layer = student.Softmax(dim=dim)
    call(what, layer.forward, x.copy())
    got = call(what, layer.backward, dout.copy())
    want = numerical_gradient(lambda z: np.sum(dout * ref.Softmax(dim=dim).forward(z)), x)
    expect_gradient(got, want, what, backward_hint(ref, x, dim, dout, got))


def backward_hint(ref, x, dim, dout, got) -> str:
    """A wrong gradient that is the diagonal of the Jacobian only, or the gradient along the last axis."""
    y = ref.Softmax(dim=dim).forward(x)
    if same(got, dout * y * (1 - y)):
        return hints.DIAGONAL_JACOBIAN
    if dim not in (-1, x.ndim - 1) and same(got, ref_backward(ref, x, -1, dout)):
        return hints.DIM_IGNORED
    return ""


@pytest.mark.public
@pytest.mark.points(0.75, part="softmax_dim")
def test_softmax_backward_matches_numerical_gradient(student, ref, rng):
    for shape, dim in CASES_2D:
        check_backward(student, ref, rng.normal(0, 2, shape), dim, rng.normal(0, 1, shape))


@pytest.mark.points(0.5, part="softmax_dim")
def test_softmax_backward_on_3d_input_along_each_axis(student, ref, rng):
    for shape, dim in CASES_3D:
        check_backward(student, ref, rng.normal(0, 2, shape), dim, rng.normal(0, 1, shape))


@pytest.mark.points(0.25, part="softmax_dim")
def test_softmax_backward_of_extreme_logits_is_finite_and_right(student, ref, rng):
    """Charged only when backward is right on ordinary inputs and forward right on these."""
    dout = rng.normal(0, 1, EXTREME.shape)
    ordinary = rng.normal(0, 2, EXTREME.shape)
    if not same(backward_alone(student, ordinary, -1, dout), ref_backward(ref, ordinary, -1, dout)):
        return
    what = _("Softmax(dim={dim}).backward on {case}").format(dim=-1, case=hint(EXTREME_TEXT))
    layer = student.Softmax(dim=-1)
    if not same(attempt(layer.forward, EXTREME.copy()), ref.Softmax(dim=-1).forward(EXTREME)):
        return  # the forward test of extreme logits charges that
    got = call(what, layer.backward, dout.copy())
    expect_finite(got, what, hints.BACKWARD_OVERFLOW)
    expect_close(got, ref_backward(ref, EXTREME, -1, dout), what)


@pytest.mark.points(0.25, part="softmax_dim")
def test_softmax_backward_uses_the_latest_forward(student, ref, rng):
    """Charged only if a fresh instance gets the gradient at x2 right, and this one does not."""
    x1, x2, dout = rng.normal(0, 2, (3, 4)), rng.normal(0, 2, (3, 4)), rng.normal(0, 1, (3, 4))
    want = ref_backward(ref, x2, -1, dout)
    if not same(backward_alone(student, x2, -1, dout), want):
        return
    what = _("Softmax(dim=-1).backward after forward(x1) then forward(x2) (expected the gradient at x2)")
    layer = student.Softmax(dim=-1)
    call(what, layer.forward, x1)
    call(what, layer.forward, x2)
    got = call(what, layer.backward, dout.copy())
    if not same(got, want):
        stale = same(got, ref_backward(ref, x1, -1, dout))
        fail(what, _("gave the gradient at x1, the first forward's") if stale else
             _("differs from what a fresh instance gives, {gap}").format(gap=differs(got, want)),
             hints.STALE_CACHE if stale else "")


@pytest.mark.points(0.25, part="softmax_dim")
def test_softmax_instances_keep_their_own_state(student, ref, rng):
    """a.forward(xa), b.forward(xb), a.backward(dout): a's gradient, at xa. Charged only if a lone
    instance gets it right."""
    xa, xb, dout = rng.normal(0, 2, (3, 4)), rng.normal(0, 2, (3, 4)), rng.normal(0, 1, (3, 4))
    want = ref_backward(ref, xa, -1, dout)
    if not same(backward_alone(student, xa, -1, dout), want):
        return
    what = _("Softmax(dim=-1) a and b: a.forward(xa), b.forward(xb), then a.backward (expected the gradient at xa)")
    a, b = student.Softmax(dim=-1), student.Softmax(dim=-1)
    call(what, a.forward, xa)
    call(what, b.forward, xb)
    got = call(what, a.backward, dout.copy())
    if not same(got, want):
        shared = same(got, ref_backward(ref, xb, -1, dout))
        fail(what, _("gave the gradient at xb, b's input") if shared else
             _("differs from what a lone instance gives, {gap}").format(gap=differs(got, want)),
             hints.SHARED_STATE if shared else "")


@pytest.mark.points(0.5, part="softmax_dim")
def test_softmax_leaves_its_inputs_alone(student, rng):
    """forward must not change x, nor backward dout. Charged only for a change seen after a call that returned."""
    x, dout = rng.normal(0, 3, (4, 5)), rng.normal(0, 1, (4, 5))
    layer = student.Softmax(dim=-1)
    held = student.put(x.copy())
    if attempt(layer.forward, held) is None:
        return
    report_changes(student, held, x, _("Softmax(dim={dim}).forward on {case}").format(dim=-1, case=shape_text((4, 5))), "x",
                   hints.IN_PLACE)
    held = student.put(dout.copy())
    if attempt(layer.backward, held) is None:
        return
    report_changes(student, held, dout, _("Softmax(dim={dim}).backward on {case}").format(dim=-1, case=shape_text((4, 5))),
                   "dout", hints.DOUT_IN_PLACE)
