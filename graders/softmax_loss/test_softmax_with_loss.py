"""Part `softmax_with_loss`: the SoftmaxWithLoss layer on batches (N, C), backward() with its default dout."""
import numpy as np
import pytest

from graders.checks import expect_close, expect_finite, expect_scalar, fail
from graders.gradcheck import numerical_gradient
from graders.softmax_loss import hints
from graders.softmax_loss.cases import (BATCHES, call, dx_is_right, exact_loss, expect_dx, expect_loss,
                                        expect_untouched, labels_for, loss_is_right, one_hot, quietly)

# -log(1e-7) = 16.118: the book's epsilon caps a sample's loss there, the exact loss is larger.
EPSILON_STYLE_FLOOR = 16.1


def case(rng, ref, shape):
    """Logits (N, C) of order 1 and labels whose probability is not tiny (see cases.MIN_P)."""
    x = rng.normal(0, 2, shape)
    return x, labels_for(rng, ref.softmax(x))


def gradient_of_exact_loss(x, labels):
    """d/dx of the exact mean loss, by central differences on the grading side."""
    return numerical_gradient(lambda z: exact_loss(z, labels), x)


def forward_backward(student, x, t, what_forward, what_backward, likely):
    layer = student.SoftmaxWithLoss()
    loss = call(what_forward, layer.forward, x.copy(), t.copy(), likely=likely)
    dx = call(what_backward, layer.backward, likely=likely)
    return loss, dx


@pytest.mark.public
@pytest.mark.points(1, part="softmax_with_loss")
def test_softmax_with_loss_forward_matches_the_exact_loss(student, ref, rng):
    for n, c in BATCHES:
        x, labels = case(rng, ref, (n, c))
        what = f"SoftmaxWithLoss.forward on a ({n}, {c}) batch with one-hot labels"
        layer = student.SoftmaxWithLoss()
        loss = call(what, layer.forward, x.copy(), one_hot(labels, c), likely=hints.SWL_FORWARD)
        expect_loss(loss, exact_loss(x, labels), n, what, hints.SWL_FORWARD)


@pytest.mark.public
@pytest.mark.points(1, part="softmax_with_loss")
def test_softmax_with_loss_backward_matches_numerical_gradient(student, ref, rng):
    for n, c in BATCHES:
        x, labels = case(rng, ref, (n, c))
        case_text = f"a ({n}, {c}) batch with one-hot labels"
        what = f"SoftmaxWithLoss.backward() after forward on {case_text}"
        _, dx = forward_backward(student, x, one_hot(labels, c), f"SoftmaxWithLoss.forward on {case_text}", what,
                                 hints.SWL_BACKWARD)
        expect_dx(dx, gradient_of_exact_loss(x, labels), n, what, hints.SWL_BACKWARD)


@pytest.mark.points(0.5, part="softmax_with_loss")
def test_softmax_with_loss_index_labels_match_one_hot(student, ref, rng):
    for n, c in ((4, 5), (5, 5), (6, 3)):
        x, labels = case(rng, ref, (n, c))
        want_loss, want_dx = exact_loss(x, labels), gradient_of_exact_loss(x, labels)
        # The index-label hints only where one-hot labels work: otherwise the mistake is elsewhere.
        hot = student.SoftmaxWithLoss()
        loss_likely, dx_likely = hints.CE_INDEX_LABELS, hints.SWL_BACKWARD_INDEX
        if not loss_is_right(quietly(hot.forward, x.copy(), one_hot(labels, c)), want_loss):
            loss_likely = dx_likely = hints.INDEX_ALSO_WRONG
        elif not dx_is_right(quietly(hot.backward), want_dx):
            dx_likely = hints.INDEX_ALSO_WRONG
        case_text = f"a ({n}, {c}) batch with index labels of shape ({n},)"
        layer = student.SoftmaxWithLoss()
        what = f"SoftmaxWithLoss.forward on {case_text}"
        expect_loss(call(what, layer.forward, x.copy(), labels.copy(), likely=loss_likely), want_loss, n, what, loss_likely)
        what = f"SoftmaxWithLoss.backward() after forward on {case_text}"
        expect_dx(call(what, layer.backward, likely=dx_likely), want_dx, n, what, dx_likely)


@pytest.mark.points(0.5, part="softmax_with_loss")
def test_softmax_with_loss_extreme_logits_stay_finite(student, ref):
    x = np.array([[1000.0, 0.0, -1000.0]])
    what = "SoftmaxWithLoss.forward on scores [[1000, 0, -1000]] with the one-hot label of class 2"
    layer = student.SoftmaxWithLoss()
    loss = expect_scalar(call(what, layer.forward, x.copy(), one_hot(np.array([2]), 3), likely=hints.SWL_EXTREME), what)
    # The exact loss is 2000; the book's 1e-7 inside the log gives 16.118 (policy: both are right).
    if not np.isfinite(loss):
        fail(what, f"got {loss}", hints.SWL_EXTREME)
    if loss < EPSILON_STYLE_FLOOR:
        fail(what, f"got {loss:.4g}, expected 2000 (or at least {EPSILON_STYLE_FLOOR} with a 1e-7 inside the log)",
             hints.SWL_FORWARD)
    what = "SoftmaxWithLoss.backward() after forward on scores [[1000, 0, -1000]] with label 2"
    # dx = (y - t) / N exactly, finite even though y's labelled entry underflows to 0.
    expect_close(call(what, layer.backward, likely=hints.SWL_BACKWARD), [[1.0, 0.0, -1.0]], what, hints.SWL_BACKWARD)

    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -1000.0], [1000.0, 0.0, -1000.0]])
    labels = np.array([0, 1, 0])
    case_text = "the batch [[1000, 1001, 1002], [-1000, -1000, -1000], [1000, 0, -1000]] with one-hot labels [0, 1, 0]"
    loss, dx = forward_backward(student, x, one_hot(labels, 3), f"SoftmaxWithLoss.forward on {case_text}",
                                f"SoftmaxWithLoss.backward() after forward on {case_text}", hints.SWL_EXTREME)
    expect_loss(loss, exact_loss(x, labels), 3, f"SoftmaxWithLoss.forward on {case_text}", hints.SOFTMAX_OVERFLOW)
    what = f"SoftmaxWithLoss.backward() after forward on {case_text}"
    expect_finite(dx, what, hints.SOFTMAX_OVERFLOW)
    expect_dx(dx, (ref.softmax(x) - one_hot(labels, 3)) / 3, 3, what, hints.SWL_BACKWARD)


@pytest.mark.points(0.5, part="softmax_with_loss")
def test_softmax_with_loss_backward_uses_the_latest_forward(student, ref, rng):
    (x1, labels1), (x2, labels2) = case(rng, ref, (4, 3)), case(rng, ref, (4, 3))
    layer = student.SoftmaxWithLoss()
    call("SoftmaxWithLoss.forward on a (4, 3) batch", layer.forward, x1, one_hot(labels1, 3), likely=hints.SWL_FORWARD)
    what = "SoftmaxWithLoss.forward(x2, t2) after forward(x1, t1), on (4, 3) batches"
    loss = call(what, layer.forward, x2.copy(), one_hot(labels2, 3), likely=hints.SWL_FORWARD)
    expect_loss(loss, exact_loss(x2, labels2), 4, what, hints.STALE_CACHE)
    what = "SoftmaxWithLoss.backward() after forward(x1, t1) then forward(x2, t2) (expected the gradient at x2, t2)"
    dx = call(what, layer.backward, likely=hints.STALE_CACHE)
    expect_dx(dx, gradient_of_exact_loss(x2, labels2), 4, what, hints.STALE_CACHE)


@pytest.mark.points(0.5, part="softmax_with_loss")
def test_softmax_with_loss_leaves_its_inputs_alone(student, ref, rng):
    x, labels = case(rng, ref, (4, 3))
    for t in (one_hot(labels, 3), labels):
        kind = "one-hot" if t.ndim == 2 else "index"
        held_x, held_t = student.put(x.copy()), student.put(t.copy())
        layer = student.SoftmaxWithLoss()
        what = f"SoftmaxWithLoss.forward on a (4, 3) batch with {kind} labels"
        call(what, layer.forward, held_x, held_t, likely=hints.SWL_FORWARD)
        expect_untouched(student, held_x, x, what + " (x)", hints.IN_PLACE)
        what = f"SoftmaxWithLoss.forward then backward() on a (4, 3) batch with {kind} labels"
        call(what, layer.backward, likely=hints.SWL_BACKWARD)
        expect_untouched(student, held_t, t, what + " (t)", hints.IN_PLACE)
