"""Part `cross_entropy_loss`: CrossEntropyLoss(reduction), forward and backward."""
import numpy as np
import pytest

from graders.checks import expect_close, expect_finite, expect_number_close, expect_shape, fail
from graders.gradcheck import numerical_gradient
from graders.messages import _
from graders.softmax_dim import hints
from graders.softmax_dim.cases import (BATCHES, REDUCTIONS, attempt, call, differs, distributions, expect_gradient,
                                       numbers, one_hot, reduce, report_changes, same)
from graders.softmax_dim.ce_cases import backward_hint, forward_hint, ref_backward, student_backward
from graders.student.errors import StudentError


def exact(ref, x, p):
    """Per-sample cross-entropy by the reference's log-sum-exp log_softmax: exact for any logits."""
    return -np.sum(p * ref.log_softmax(x, dim=-1), axis=1)


def check_forward(student, ref, x, target, p, reduction, kind, likely):
    what = _("CrossEntropyLoss('{reduction}').forward on ({n}, {c}) logits with {kind} targets").format(
        reduction=reduction, n=x.shape[0], c=x.shape[1], kind=kind)
    got = call(what, student.CrossEntropyLoss(reduction=reduction).forward, x, target, likely=likely)
    want = reduce(exact(ref, x, p), reduction)
    likely = forward_hint(ref, got, x, p, reduction) or likely
    if reduction == "none":
        reduced = numbers(got) is not None and numbers(got).size == 1 and x.shape[0] > 1
        expect_shape(got, (x.shape[0],), what, hints.REDUCTION_NONE if reduced else "")
        expect_close(got, want, what, likely)
    else:
        expect_number_close(got, float(want), what, likely)


@pytest.mark.public
@pytest.mark.points(0.75, part="cross_entropy_loss")
def test_cross_entropy_loss_forward_with_index_targets_every_reduction(student, ref, rng):
    for shape in BATCHES:
        x, labels = rng.normal(0, 2, shape), rng.integers(0, shape[1], shape[0])
        for reduction in REDUCTIONS:
            check_forward(student, ref, x, labels, one_hot(labels, shape[1]), reduction, _("index"), "")


@pytest.mark.points(0.5, part="cross_entropy_loss")
def test_cross_entropy_loss_forward_with_probability_targets_every_reduction(student, ref, rng):
    for shape in BATCHES[:3]:
        x, p = rng.normal(0, 2, shape), distributions(rng, *shape)
        # Charged as a probability-target mistake only if index targets work on these logits.
        likely = hints.CE_PROBABILITIES if index_targets_work(student, ref, x, rng) else ""
        for reduction in REDUCTIONS:
            check_forward(student, ref, x, p, p, reduction, _("probability"), likely)


def index_targets_work(student, ref, x, rng) -> bool:
    """Is the student's loss right for index targets on these logits? Then a failure with
    probability targets on them is a mistake in handling probability targets."""
    labels = rng.integers(0, x.shape[1], x.shape[0])
    got = attempt(lambda: student.CrossEntropyLoss(reduction="none").forward(x, labels))
    return same(got, exact(ref, x, one_hot(labels, x.shape[1])))


@pytest.mark.public
@pytest.mark.points(0.5, part="cross_entropy_loss")
def test_cross_entropy_loss_of_extreme_logits_is_2000(student, ref, rng):
    """The loss of [1000, 0, -1000] with class 2, then its gradient. Charged only if the same calls
    are right on ordinary logits."""
    x, t = np.array([[1000.0, 0.0, -1000.0]]), np.array([2])
    ordinary = rng.normal(0, 2, x.shape)
    if not same(attempt(lambda: student.CrossEntropyLoss().forward(ordinary, t)), float(exact(ref, ordinary, one_hot(t, 3))[0])):
        return
    what = _("CrossEntropyLoss() (default 'mean') .forward on the logits [[1000, 0, -1000]] with class 2")
    layer = student.CrossEntropyLoss()
    got = call(what, layer.forward, x, t)
    # torch gives exactly 2000 here; log-sum-exp in float64 is exact to rounding.
    expect_number_close(got, 2000.0, what, extreme_hint(student, ref, got), rtol=1e-12, atol=1e-9)
    if not same(student_backward(student, "mean", ordinary, t, None), ref_backward(ref, "mean", ordinary, t, None)):
        return
    what = _("CrossEntropyLoss() .backward after forward on the logits [[1000, 0, -1000]] with class 2")
    grad = call(what, layer.backward)
    expect_finite(grad, what, hints.BACKWARD_OVERFLOW)
    expect_close(grad, ref_backward(ref, "mean", x, t, None), what)


def extreme_hint(student, ref, got) -> str:
    """16.1 = -log(1e-7) is an epsilon; inf the log of a probability rounded to 0. NaN is either that
    (0 * -inf in a sum over classes) or an exp overflowing: the logits [-1000, -1001, -1002], which
    only an unshifted exp gets wrong (0 / 0), tell them apart."""
    values = numbers(got)
    if values is None or values.size != 1:
        return ""
    value = float(values.reshape(()))
    if np.isclose(value, -np.log(1e-7), rtol=1e-3):
        return hints.CE_EPSILON
    if np.isposinf(value):
        return hints.CE_EXTREME
    if not np.isnan(value):
        return ""
    low, t = np.array([[-1000.0, -1001.0, -1002.0]]), np.array([0])
    probe = numbers(attempt(lambda: student.CrossEntropyLoss().forward(low, t)))
    if probe is not None and probe.size == 1 and not np.isfinite(probe).all():
        return hints.NO_MAX_SHIFT
    return hints.CE_EXTREME if same(probe, float(exact(ref, low, one_hot(t, 3))[0])) else ""


def check_backward(student, ref, x, target, p, reduction, dout, kind, forward_likely=""):
    n = x.shape[0]
    what = (_("CrossEntropyLoss('{reduction}').backward on ({n}, {c}) logits with {kind} targets") if dout is None else
            _("CrossEntropyLoss('{reduction}').backward with dout of shape {shape} on ({n}, {c}) logits with {kind} targets")
            if np.ndim(dout) else
            _("CrossEntropyLoss('{reduction}').backward with dout = {dout} on ({n}, {c}) logits with {kind} targets")
            ).format(reduction=reduction, shape=np.shape(dout), dout=dout, n=n, c=x.shape[1], kind=kind)
    layer = student.CrossEntropyLoss(reduction=reduction)
    call(what, layer.forward, x, target, likely=forward_likely)
    try:
        got = layer.backward() if dout is None else layer.backward(dout)
    except StudentError as exc:  # the hint depends on which dout it could not take
        fail(what, _("raised {error}").format(error=exc), backward_hint(student, ref, None, x, target, reduction, dout, raised=True))
    weight = 1.0 if dout is None else dout
    # The gradient of the reduced loss, times dout: for 'none', sum(dout_i * loss_i).
    f = (lambda z: float(np.sum(weight * exact(ref, z, p)))) if reduction == "none" else \
        (lambda z: float(weight * reduce(exact(ref, z, p), reduction)))
    expect_gradient(got, numerical_gradient(f, x), what, backward_hint(student, ref, got, x, target, reduction, dout))


@pytest.mark.public
@pytest.mark.points(0.75, part="cross_entropy_loss")
def test_cross_entropy_loss_backward_mean_matches_numerical_gradient(student, ref, rng):
    for shape in BATCHES:
        x, labels = rng.normal(0, 2, shape), rng.integers(0, shape[1], shape[0])
        check_backward(student, ref, x, labels, one_hot(labels, shape[1]), "mean", None, _("index"))
    x, p = rng.normal(0, 2, (4, 5)), distributions(rng, 4, 5)
    likely = hints.CE_PROBABILITIES if index_targets_work(student, ref, x, rng) else ""
    check_backward(student, ref, x, p, p, "mean", None, _("probability"), likely)


@pytest.mark.points(0.5, part="cross_entropy_loss")
def test_cross_entropy_loss_backward_scales_by_dout_for_every_reduction(student, ref, rng):
    """'mean' and 'sum' with a scalar dout, 'none' with an (N,) dout and with a scalar."""
    x, labels = rng.normal(0, 2, (4, 5)), rng.integers(0, 5, 4)
    for reduction, dout in (("sum", 1.7), ("mean", 0.6), ("none", rng.uniform(0.5, 2.0, 4)), ("none", 1.3)):
        check_backward(student, ref, x, labels, one_hot(labels, 5), reduction, dout, _("index"))


@pytest.mark.points(0.25, part="cross_entropy_loss")
def test_cross_entropy_loss_defaults_are_mean_and_dout_one(student, ref, rng):
    """CrossEntropyLoss() must be 'mean', backward() must take dout = 1.0 (ones(N) for 'none').
    Charged only where the call with the default spelled out is right and the bare call differs."""
    x, t = rng.normal(0, 2, (4, 5)), rng.integers(0, 5, 4)
    want = float(np.mean(exact(ref, x, one_hot(t, 5))))
    if same(attempt(lambda: student.CrossEntropyLoss(reduction="mean").forward(x, t)), want):
        what = _("CrossEntropyLoss() (no reduction given) .forward on (4, 5) logits with index targets")
        got = call(what, lambda: student.CrossEntropyLoss().forward(x, t), likely=hints.DEFAULT_REDUCTION)
        if not same(got, want):
            named = [r for r in ("sum", "none") if same(got, reduce(exact(ref, x, one_hot(t, 5)), r))]
            text = (_("differs from CrossEntropyLoss(reduction='mean'): it gave the '{reduction}' result") if named else
                    _("differs from CrossEntropyLoss(reduction='mean'), {gap}"))
            fail(what, text.format(reduction=named[0] if named else None, gap=differs(got, want)), hints.DEFAULT_REDUCTION)
    for reduction in REDUCTIONS:
        want = ref_backward(ref, reduction, x, t, None)
        if not same(student_backward(student, reduction, x, t, 1.0), want):
            continue  # backward(1.0) itself is wrong: the tests of backward charge that
        what = _("CrossEntropyLoss('{reduction}').backward() (no dout given) on (4, 5) logits with index targets").format(
            reduction=reduction)
        got = call(what, lambda: student_backward(student, reduction, x, t, None, quiet=False), likely=hints.DEFAULT_DOUT)
        if not same(got, want):
            fail(what, _("differs from backward(1.0), {gap}").format(gap=differs(got, want)), hints.DEFAULT_DOUT)


@pytest.mark.points(0.25, part="cross_entropy_loss")
def test_cross_entropy_loss_backward_uses_the_latest_forward(student, ref, rng):
    """Charged only if a fresh instance gets the gradient at (x2, t2) right, and this one does not."""
    x1, x2 = rng.normal(0, 2, (3, 4)), rng.normal(0, 2, (5, 4))
    t1, t2 = rng.integers(0, 4, 3), rng.integers(0, 4, 5)
    want = ref_backward(ref, "mean", x2, t2, None)
    if not same(student_backward(student, "mean", x2, t2, None), want):
        return
    what = _("CrossEntropyLoss() (default 'mean') .backward after forward(x1, t1) then forward(x2, t2) "
             "(expected the gradient at x2)")
    layer = student.CrossEntropyLoss()
    call(what, layer.forward, x1, t1)
    call(what, layer.forward, x2, t2)
    got = call(what, layer.backward)
    if not same(got, want):
        stale = np.shape(got) == x1.shape or same(got, ref_backward(ref, "mean", x1, t1, None))
        fail(what, _("gave the gradient of the first forward") if stale else
             _("differs from what a fresh instance gives, {gap}").format(gap=differs(got, want)),
             hints.STALE_CACHE if stale else "")


@pytest.mark.points(0.25, part="cross_entropy_loss")
def test_cross_entropy_loss_instances_keep_their_own_state(student, ref, rng):
    """a.forward(xa, ta), b.forward(xb, tb), a.backward(): a's gradient. Charged only if a lone instance gets it right."""
    xa, xb = rng.normal(0, 2, (4, 5)), rng.normal(0, 2, (4, 5))
    ta, tb = rng.integers(0, 5, 4), rng.integers(0, 5, 4)
    want = ref_backward(ref, "mean", xa, ta, None)
    if not same(student_backward(student, "mean", xa, ta, None), want):
        return
    what = _("CrossEntropyLoss() a and b: a.forward(xa, ta), b.forward(xb, tb), then a.backward() "
             "(expected the gradient at xa)")
    a, b = student.CrossEntropyLoss(), student.CrossEntropyLoss()
    call(what, a.forward, xa, ta)
    call(what, b.forward, xb, tb)
    got = call(what, a.backward)
    if not same(got, want):
        shared = same(got, ref_backward(ref, "mean", xb, tb, None))
        fail(what, _("gave the gradient at (xb, tb), b's inputs") if shared else
             _("differs from what a lone instance gives, {gap}").format(gap=differs(got, want)),
             hints.SHARED_STATE if shared else "")


@pytest.mark.points(0.25, part="cross_entropy_loss")
def test_cross_entropy_loss_leaves_its_inputs_alone(student, rng):
    """forward must not change the logits or the target, nor backward dout. Charged only for a change
    seen after a call that returned."""
    x, labels = rng.normal(0, 2, (4, 5)), rng.integers(0, 5, 4)
    for target, kind in ((labels, _("index")), (distributions(rng, 4, 5), _("probability"))):
        layer = student.CrossEntropyLoss(reduction="none")
        held_x, held_t = student.put(x.copy()), student.put(target.copy())
        if attempt(layer.forward, held_x, held_t) is None:
            continue
        what = _("CrossEntropyLoss('{reduction}').forward on ({n}, {c}) logits with {kind} targets").format(
            reduction="none", n=4, c=5, kind=kind)
        report_changes(student, held_x, x, what, "logits", hints.IN_PLACE)
        report_changes(student, held_t, target, what, "target", hints.IN_PLACE)
        dout = rng.uniform(0.5, 2.0, 4)
        held_d = student.put(dout.copy())
        if attempt(layer.backward, held_d) is not None:
            report_changes(student, held_d, dout, _("CrossEntropyLoss('{reduction}').backward with dout of shape {shape}").format(
                reduction="none", shape=(4,)), "dout", hints.DOUT_IN_PLACE)
