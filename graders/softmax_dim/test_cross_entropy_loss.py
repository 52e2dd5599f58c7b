"""Part `cross_entropy_loss`: CrossEntropyLoss(reduction), forward and backward."""
import numpy as np
import pytest

from graders.checks import expect_close, expect_number_close, expect_shape, fail
from graders.gradcheck import expect_gradient, numerical_gradient
from graders.softmax_dim import hints
from graders.softmax_dim.cases import BATCHES, REDUCTIONS, call, distributions, one_hot, reduce, same


def exact(ref, x, p):
    """Per-sample cross-entropy by the reference's log-sum-exp log_softmax: exact for any logits."""
    return -np.sum(p * ref.log_softmax(x, dim=-1), axis=1)


def check_forward(student, ref, x, target, p, reduction, kind, likely):
    what = f"CrossEntropyLoss('{reduction}').forward on ({x.shape[0]}, {x.shape[1]}) logits with {kind} targets"
    got = call(what, student.CrossEntropyLoss(reduction=reduction).forward, x, target, likely=likely)
    want = reduce(exact(ref, x, p), reduction)
    if reduction == "none":
        expect_shape(got, (x.shape[0],), what, hints.REDUCTION_NONE)
        expect_close(got, want, what, likely)
    else:
        if reduction == "mean" and x.shape[0] > 1 and same(got, float(np.sum(exact(ref, x, p)))):
            likely = hints.REDUCTION_SUM
        expect_number_close(got, float(want), what, likely)


@pytest.mark.public
@pytest.mark.points(1, part="cross_entropy_loss")
def test_cross_entropy_loss_forward_with_index_targets_every_reduction(student, ref, rng):
    for shape in BATCHES:
        x, labels = rng.normal(0, 2, shape), rng.integers(0, shape[1], shape[0])
        for reduction in REDUCTIONS:
            check_forward(student, ref, x, labels, one_hot(labels, shape[1]), reduction, "index", hints.CE_FORWARD)


@pytest.mark.points(0.75, part="cross_entropy_loss")
def test_cross_entropy_loss_forward_with_probability_targets_every_reduction(student, ref, rng):
    for shape in BATCHES[:3]:
        x, p = rng.normal(0, 2, shape), distributions(rng, *shape)
        for reduction in REDUCTIONS:
            check_forward(student, ref, x, p, p, reduction, "probability", hints.CE_PROBABILITIES)


@pytest.mark.public
@pytest.mark.points(0.5, part="cross_entropy_loss")
def test_cross_entropy_loss_of_extreme_logits_is_2000(student):
    x = np.array([[1000.0, 0.0, -1000.0]])
    what = "CrossEntropyLoss() (default 'mean') .forward on the logits [[1000, 0, -1000]] with class 2"
    got = call(what, student.CrossEntropyLoss().forward, x, np.array([2]), likely=hints.CE_EXTREME)
    # torch gives exactly 2000 here; log-sum-exp in float64 is exact to rounding.
    expect_number_close(got, 2000.0, what, hints.CE_EXTREME, rtol=1e-12, atol=1e-9)


def check_backward(student, ref, x, target, p, reduction, dout, kind):
    n = x.shape[0]
    what = f"CrossEntropyLoss('{reduction}').backward on ({n}, {x.shape[1]}) logits with {kind} targets"
    layer = student.CrossEntropyLoss(reduction=reduction)
    call(what, layer.forward, x, target)
    got = call(what, layer.backward) if dout is None else call(what, layer.backward, dout)
    weight = 1.0 if dout is None else dout
    # The gradient of the reduced loss, times dout: for 'none', sum(dout_i * loss_i).
    f = (lambda z: float(np.sum(weight * exact(ref, z, p)))) if reduction == "none" else \
        (lambda z: float(weight * reduce(exact(ref, z, p), reduction)))
    want = numerical_gradient(f, x)
    likely = hints.CE_BACKWARD
    if reduction == "mean" and n > 1 and same(got, want * n):
        likely = hints.CE_BACKWARD_N
    elif dout is not None and same(got, want / (np.asarray(weight)[:, None] if np.ndim(weight) else weight)):
        likely = hints.CE_BACKWARD_DOUT
    expect_gradient(got, want, what, likely)


@pytest.mark.public
@pytest.mark.points(1, part="cross_entropy_loss")
def test_cross_entropy_loss_backward_mean_matches_numerical_gradient(student, ref, rng):
    for shape in BATCHES:
        x, labels = rng.normal(0, 2, shape), rng.integers(0, shape[1], shape[0])
        check_backward(student, ref, x, labels, one_hot(labels, shape[1]), "mean", None, "index")
    x, p = rng.normal(0, 2, (4, 5)), distributions(rng, 4, 5)
    check_backward(student, ref, x, p, p, "mean", None, "probability")


@pytest.mark.points(0.5, part="cross_entropy_loss")
def test_cross_entropy_loss_backward_sum_and_none_scale_by_dout(student, ref, rng):
    x, labels = rng.normal(0, 2, (4, 5)), rng.integers(0, 5, 4)
    check_backward(student, ref, x, labels, one_hot(labels, 5), "sum", 1.7, "index")
    check_backward(student, ref, x, labels, one_hot(labels, 5), "none", rng.uniform(0.5, 2.0, 4), "index")


@pytest.mark.points(0.25, part="cross_entropy_loss")
def test_cross_entropy_loss_backward_uses_the_latest_forward(student, ref, rng):
    x1, x2 = rng.normal(0, 2, (3, 4)), rng.normal(0, 2, (5, 4))
    t1, t2 = rng.integers(0, 4, 3), rng.integers(0, 4, 5)
    what = "CrossEntropyLoss() (default 'mean') .backward after forward(x1, t1) then forward(x2, t2) (expected the gradient at x2)"
    layer = student.CrossEntropyLoss()
    call(what, layer.forward, x1, t1)
    call(what, layer.forward, x2, t2)
    want = numerical_gradient(lambda z: float(np.mean(exact(ref, z, one_hot(t2, 4)))), x2)
    got = call(what, layer.backward)
    if np.shape(got) == x1.shape:  # the shape of the first batch: the gradient of the first forward
        fail(what, f"expected shape {x2.shape}, got {x1.shape}, the first batch's", hints.STALE_CACHE)
    expect_gradient(got, want, what, hints.CE_BACKWARD_N if same(got, want * x2.shape[0]) else hints.STALE_CACHE)
