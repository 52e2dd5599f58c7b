"""Behaviour both activation layers share: values, gradients, state and input handling.

``mistakes(x, dout)`` arguments are a layer's signatures: (hint, what that mistake's backward
gives on x and dout). Secondary checks (latest forward, two instances, inputs left alone) run a
control first, the same calls on one fresh layer; if the control is wrong or raises, the primary
tests report it and the secondary check passes.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from graders.activations import hints
from graders.checks import attempt, attempt_written, call, expect_close, expect_shape, expect_unchanged, fail, floats, hold, matches, shape_text, signature
from graders.gradcheck import expect_gradient, gradient_is, numerical_gradient
from graders.messages import _

Signatures = Callable[[np.ndarray, np.ndarray], list]


def gradient_at(ref_fn, x: np.ndarray, dout: np.ndarray) -> np.ndarray:
    """Gradient of sum(dout * f(x)), which is exactly the dx a backward must return."""
    return numerical_gradient(lambda z: np.sum(dout * ref_fn(z)), x)


def reduced(got, x: np.ndarray) -> bool:
    """Did the call return fewer axes than x had (np.max where np.maximum was meant)?"""
    array = floats(got)
    return array is not None and array.ndim < x.ndim


def check_forward(student, layer_name: str, ref_fn, xs, forward_mistakes: Callable[[np.ndarray], list],
                  reduce_hint: str = "") -> None:
    for x in xs:
        what = _("{layer}.forward on {case}").format(layer=layer_name, case=shape_text(x.shape))
        got = call(what, getattr(student, layer_name)().forward, x.copy())
        expect_shape(got, x.shape, what, reduce_hint if reduced(got, x) else "")
        expect_close(got, ref_fn(x), what, signature(got, forward_mistakes(x)))


def check_backward(student, layer_name: str, ref_fn, x: np.ndarray, dout: np.ndarray, mistakes: Signatures) -> None:
    layer = getattr(student, layer_name)()
    call(_("{layer}.forward on {case}").format(layer=layer_name, case=shape_text(x.shape)), layer.forward, x.copy())
    what = _("{layer}.backward on {case}").format(layer=layer_name, case=shape_text(x.shape))
    got = call(what, layer.backward, dout.copy())
    expect_gradient(got, gradient_at(ref_fn, x, dout), what, signature(got, mistakes(x, dout)))


def control_is_right(student, layer_name: str, ref_fn, x: np.ndarray, dout: np.ndarray) -> bool:
    """One fresh layer, forward(x) then backward(dout): right (so the layer's maths works)?"""
    layer = getattr(student, layer_name)()
    ok, out = attempt_written(layer.forward, x.copy())
    if not ok or not matches(out, ref_fn(x)):
        return False
    ok, dx = attempt_written(layer.backward, dout.copy())
    return ok and gradient_is(dx, gradient_at(ref_fn, x, dout))


def run(what: str, fn, *args):
    """A call of a secondary check, after its control worked: if it raises, the sequence is what broke it."""
    ok, value = attempt(fn, *args)
    if not ok:
        fail(what, _("raised {error} (the same calls on a fresh layer work)").format(error=value))
    return value


def check_latest_cache(student, layer_name: str, ref_fn, x1, x2, dout, stale_outputs=None) -> None:
    """forward(x1), forward(x2), backward(dout): the output and gradient at x2. stale_outputs(x1, x2)
    lists what a forward(x2) that kept something of x1 gives (default: the output at x1)."""
    if not control_is_right(student, layer_name, ref_fn, x2, dout):
        return
    layer = getattr(student, layer_name)()
    run(f"{layer_name}.forward(x1)", layer.forward, x1.copy())
    what = _("{layer}.forward(x2) after forward(x1) on {shape} inputs").format(layer=layer_name, shape=tuple(x2.shape))
    out = run(what, layer.forward, x2.copy())
    stale = stale_outputs(x1, x2) if stale_outputs else [ref_fn(x1)]
    expect_close(out, ref_fn(x2), what, signature(out, [(hints.STALE_CACHE, value) for value in stale]))
    what = _("{layer}.backward after forward(x1) then forward(x2) (expected the gradient at x2)").format(
        layer=layer_name)
    got = run(what, layer.backward, dout.copy())
    stale = gradient_is(got, gradient_at(ref_fn, x1, dout))
    expect_gradient(got, gradient_at(ref_fn, x2, dout), what, hints.STALE_CACHE if stale else "")


def check_instances_apart(student, layer_name: str, ref_fn, xa, xb, dout) -> None:
    """Two layers a and b: a.forward(xa), b.forward(xb), a.backward(dout) must be the gradient at xa."""
    if not control_is_right(student, layer_name, ref_fn, xa, dout):
        return
    a, b = getattr(student, layer_name)(), getattr(student, layer_name)()
    run(f"{layer_name} a.forward(xa)", a.forward, xa.copy())
    run(_("{layer} b.forward(xb) after a.forward(xa)").format(layer=layer_name), b.forward, xb.copy())
    what = _("{layer} a.backward after a.forward(xa) then b.forward(xb) on another instance b, {shape} inputs "
             "(expected the gradient at xa)").format(layer=layer_name, shape=tuple(xa.shape))
    got = run(what, a.backward, dout.copy())
    shared = gradient_is(got, gradient_at(ref_fn, xb, dout))
    expect_gradient(got, gradient_at(ref_fn, xa, dout), what, hints.SHARED_STATE if shared else "")


def check_left_alone(student, layer_name: str, x: np.ndarray, dout: np.ndarray | None = None) -> None:
    """forward must leave x as it was; with dout, backward must leave dout too (not Relu's: the
    contract lets Relu.backward write into dout). A call that raises is not charged here."""
    layer = getattr(student, layer_name)()
    held = hold(student, [("x", x)])
    ok, _out = attempt_written(layer.forward, held[0][2])
    if not ok:
        return
    case = shape_text(x.shape)
    expect_unchanged(student, _("{layer}.forward on {case}").format(layer=layer_name, case=case), held, hints.IN_PLACE)
    if dout is not None:
        held = hold(student, [("dout", dout)])
        ok, _dx = attempt_written(layer.backward, held[0][2])
        if ok:
            expect_unchanged(student, _("{layer}.backward on {case}").format(layer=layer_name, case=case), held,
                             hints.IN_PLACE)


# Beyond |x| = 300 a naive exp(|x|), or its square, can overflow (exp(709.8) is the largest float).
LARGE = 300.0


def broken_only_where_exp_overflows(got, want: np.ndarray, x: np.ndarray) -> bool:
    """The signature of an overflow: NaN or inf only at entries with |x| >= LARGE, right elsewhere."""
    array = floats(got)
    if array is None or array.shape != want.shape:
        return False
    bad = ~np.isfinite(array)
    return bool(bad.any() and np.all(np.abs(x[bad]) >= LARGE) and np.allclose(array[~bad], want[~bad]))
