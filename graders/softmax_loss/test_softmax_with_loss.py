"""Part `softmax_with_loss`: the SoftmaxWithLoss layer on batches (N, C), backward() with its default dout."""
import numpy as np
import pytest

from graders.checks import attempt, attempt_written, expect_scalar, expect_unchanged, fail, floats, hold
from graders.gradcheck import numerical_gradient
from graders.messages import _
from graders.softmax_loss import hints
from graders.softmax_loss.cases import (BATCHES, call, dx_is, exact_loss, expect_dx, expect_loss, labels_for, loss_factors,
                                        loss_is, one_hot, softmax_signature)

# -log(1e-7) = 16.118: the book's epsilon caps a sample's loss there, the exact loss is larger.
EPSILON_STYLE_FLOOR = 16.1


def case(rng, ref, shape):
    """Logits (N, C) of order 1 and labels whose probability is not tiny (see cases.MIN_P)."""
    x = rng.normal(0, 2, shape)
    return x, labels_for(rng, ref.softmax(x))


def gradient_of_exact_loss(x, labels):
    """d/dx of the exact mean loss, by central differences on the grading side."""
    return numerical_gradient(lambda z: exact_loss(z, labels), x)


def index_mistakes(ref, x, labels):
    """What backward gives with index labels used as if one-hot: y - t broadcasts t over the rows."""
    n = x.shape[0]
    if x.shape[1] != n:
        return []
    return [(hints.SWL_BACKWARD_INDEX, (ref.softmax(x) - labels[None, :]) / n)]


def works(student, x, t, want_loss, want_dx, dout=(), *, secondary=False) -> tuple[bool, bool]:
    """Control on a fresh layer: (forward right, backward(*dout) right). A secondary test's control
    lets the unwritten stub's NotImplementedError through (see checks.attempt_written)."""
    run_it = attempt_written if secondary else attempt
    layer = student.SoftmaxWithLoss()
    ok, loss = run_it(layer.forward, x.copy(), t.copy())
    if not ok or not loss_is(loss, want_loss):
        return False, False
    ok, dx = run_it(layer.backward, *dout)
    return True, ok and dx_is(dx, want_dx)


def backward_bare(student, layer, x, t, what, want_dx, likely=""):
    """layer.backward() with no dout, after layer.forward(x, t). If it raises while backward(1) after
    forward(x, t) on a fresh layer works, the default is the mistake; otherwise ``likely`` (what the
    caller's control proved)."""
    ok, dx = attempt(layer.backward)
    if ok:
        return dx
    if works(student, x, t, exact_loss_of(x, t), want_dx, (1,))[1]:
        likely = hints.SWL_DEFAULT_DOUT
    fail(what, _("raised {error}").format(error=dx), likely)


def exact_loss_of(x, t):
    return exact_loss(x, np.argmax(t, axis=1) if t.ndim == 2 else t)


@pytest.mark.public
@pytest.mark.points(1, part="softmax_with_loss")
def test_softmax_with_loss_forward_matches_the_exact_loss(student, ref, rng):
    for n, c in BATCHES:
        x, labels = case(rng, ref, (n, c))
        case_text = _("a ({n}, {c}) batch with one-hot labels").format(n=n, c=c)
        what = _("SoftmaxWithLoss.forward on {case}").format(case=case_text)
        loss = call(what, student.SoftmaxWithLoss().forward, x.copy(), one_hot(labels, c))
        expect_loss(loss, exact_loss(x, labels), what, loss_factors(n, c))


@pytest.mark.public
@pytest.mark.points(1, part="softmax_with_loss")
def test_softmax_with_loss_backward_matches_numerical_gradient(student, ref, rng):
    for n, c in BATCHES:
        x, labels = case(rng, ref, (n, c))
        t = one_hot(labels, c)
        case_text = _("a ({n}, {c}) batch with one-hot labels").format(n=n, c=c)
        layer = student.SoftmaxWithLoss()
        call(_("SoftmaxWithLoss.forward on {case}").format(case=case_text), layer.forward, x.copy(), t.copy())
        what = _("SoftmaxWithLoss.backward() after forward on {case}").format(case=case_text)
        want = gradient_of_exact_loss(x, labels)
        expect_dx(backward_bare(student, layer, x, t, what, want), want, n, what)


@pytest.mark.points(0.5, part="softmax_with_loss")
def test_softmax_with_loss_index_labels_match_one_hot(student, ref, rng):
    for n, c in ((4, 5), (5, 5), (6, 3)):
        x, labels = case(rng, ref, (n, c))
        want_loss, want_dx = exact_loss(x, labels), gradient_of_exact_loss(x, labels)
        # The index-label hints only where one-hot labels work: otherwise the mistake is elsewhere.
        forward_ok, backward_ok = works(student, x, one_hot(labels, c), want_loss, want_dx)
        loss_likely = hints.CE_INDEX_LABELS if forward_ok else ""
        dx_likely = hints.SWL_BACKWARD_INDEX if backward_ok else ""
        case_text = _("a ({n}, {c}) batch with index labels of shape ({n},)").format(n=n, c=c)
        layer = student.SoftmaxWithLoss()
        what = _("SoftmaxWithLoss.forward on {case}").format(case=case_text)
        loss = call(what, layer.forward, x.copy(), labels.copy(), likely=loss_likely)
        expect_loss(loss, want_loss, what, loss_factors(n, c), loss_likely)
        what = _("SoftmaxWithLoss.backward() after forward on {case}").format(case=case_text)
        dx = backward_bare(student, layer, x, labels, what, want_dx, dx_likely)
        expect_dx(dx, want_dx, n, what, index_mistakes(ref, x, labels), dx_likely)


# One row of large scores, none of whose probabilities is small (the least is about 0.03).
LARGE_ROW = np.array([[1000.0, 1001.0, 1002.0, 1003.0]])


def overflow_hint(student, x) -> str:
    """A NaN or inf from the layer on large scores: the student's softmax not finite there either (and
    the softmax mistake whose NaNs it shows, see cases.softmax_signature); or,
    with a softmax that is finite, a forward that is not finite even on LARGE_ROW, where no
    probability is near 0 (so no log(0)): the loss's own exp overflows (log-sum-exp without its shift)."""
    ok, y = attempt(student.softmax, x.copy())
    y = floats(y) if ok else None
    if y is None or y.shape != x.shape:
        return ""
    if not np.all(np.isfinite(y)):
        return softmax_signature(y, x)
    ok, loss = attempt(student.SoftmaxWithLoss().forward, LARGE_ROW.copy(), one_hot(np.array([3]), 4))
    loss = floats(loss) if ok else None
    if loss is not None and loss.size == 1 and not np.isfinite(loss).all():
        return hints.SWL_LSE_OVERFLOW
    return ""


@pytest.mark.points(0.5, part="softmax_with_loss")
def test_softmax_with_loss_extreme_logits_stay_finite(student, ref):
    # First scores far from 0 whose labelled probabilities do not underflow: a NaN or inf here is an
    # overflow. Then the label whose probability underflows to 0, where only log(0) can go wrong.
    # N = 3 and C = 4 differ, so a loss off by 1/N and one off by 1/C tell different mistakes.
    x = np.array([[1000.0, 1001.0, 1002.0, 999.0], [-1000.0, -1000.0, -1000.0, -1000.0], [1000.0, 0.0, -1000.0, 500.0]])
    labels = np.array([0, 1, 0])
    t = one_hot(labels, 4)
    case_text = _("the batch {x} with one-hot labels {labels}").format(
        x="[[1000, 1001, 1002, 999], [-1000, -1000, -1000, -1000], [1000, 0, -1000, 500]]", labels="[0, 1, 0]")
    layer = student.SoftmaxWithLoss()
    what = _("SoftmaxWithLoss.forward on {case}").format(case=case_text)
    loss = expect_scalar(call(what, layer.forward, x.copy(), t.copy()), what)
    expect_loss(loss, exact_loss(x, labels), what, loss_factors(3, 4), nonfinite=overflow_hint(student, x))
    what = _("SoftmaxWithLoss.backward() after forward on {case}").format(case=case_text)
    want = (ref.softmax(x) - t) / 3
    expect_dx(backward_bare(student, layer, x, t, what, want), want, 3, what, nonfinite=overflow_hint(student, x))

    x = np.array([[1000.0, 0.0, -1000.0]])
    what = _("SoftmaxWithLoss.forward on scores {x} with the one-hot label of class {label}").format(
        x="[[1000, 0, -1000]]", label=2)
    layer = student.SoftmaxWithLoss()
    loss = expect_scalar(call(what, layer.forward, x.copy(), one_hot(np.array([2]), 3)), what)
    # The exact loss is 2000; the book's 1e-7 inside the log gives 16.118 (policy: both are right).
    if not np.isfinite(loss):
        fail(what, _("got {value}").format(value=loss), hints.SWL_EXTREME if np.isinf(loss) else "")
    if loss < EPSILON_STYLE_FLOOR:
        fail(what, _("got {value}, expected {exact} (or at least {floor} with a {epsilon} inside the log)").format(
            value=f"{loss:.4g}", exact=2000, floor=EPSILON_STYLE_FLOOR, epsilon="1e-7"))
    what = _("SoftmaxWithLoss.backward() after forward on scores {x} with label {label}").format(
        x="[[1000, 0, -1000]]", label=2)
    # dx = (y - t) / N exactly, finite even though y's labelled entry underflows to 0.
    want = np.array([[1.0, 0.0, -1.0]])
    expect_dx(backward_bare(student, layer, x, one_hot(np.array([2]), 3), what, want), want, 1, what)


def run(what, fn, *args):
    """A call of a secondary test, after its control worked: if it raises, the sequence broke it."""
    ok, value = attempt(fn, *args)
    if not ok:
        fail(what, _("raised {error} (the same calls on a fresh layer work)").format(error=value))
    return value


@pytest.mark.points(0.25, part="softmax_with_loss")
def test_softmax_with_loss_backward_uses_the_latest_forward(student, ref, rng):
    (x1, labels1), (x2, labels2) = case(rng, ref, (4, 3)), case(rng, ref, (4, 3))
    want_loss, want_dx = exact_loss(x2, labels2), gradient_of_exact_loss(x2, labels2)
    if works(student, x2, one_hot(labels2, 3), want_loss, want_dx, secondary=True) != (True, True):
        return  # forward or backward is wrong on its own: the tests above charge that
    layer = student.SoftmaxWithLoss()
    run(_("SoftmaxWithLoss.forward(x1, t1) on a {shape} batch").format(shape=(4, 3)), layer.forward, x1.copy(),
        one_hot(labels1, 3))
    what = _("SoftmaxWithLoss.forward(x2, t2) after forward(x1, t1), on {shape} batches").format(shape=(4, 3))
    loss = run(what, layer.forward, x2.copy(), one_hot(labels2, 3))
    stale = [(hints.STALE_CACHE, 1.0, _("got a loss of the first forward's inputs"))]
    expect_loss(loss, want_loss, what, [(m, exact_loss(x1, labels1) / want_loss, s) for m, _factor, s in stale])
    what = _("SoftmaxWithLoss.backward() after forward(x1, t1) then forward(x2, t2) (expected the gradient at x2, t2)")
    dx = run(what, layer.backward)
    expect_dx(dx, want_dx, 4, what, [(hints.STALE_CACHE, gradient_of_exact_loss(x1, labels1))])


@pytest.mark.points(0.25, part="softmax_with_loss")
def test_softmax_with_loss_layers_used_interleaved_keep_their_own_cache(student, ref, rng):
    (xa, labels_a), (xb, labels_b) = case(rng, ref, (4, 3)), case(rng, ref, (4, 3))
    want_dx = gradient_of_exact_loss(xa, labels_a)
    if works(student, xa, one_hot(labels_a, 3), exact_loss(xa, labels_a), want_dx, secondary=True) != (True, True):
        return  # forward or backward is wrong on its own: the tests above charge that
    a, b = student.SoftmaxWithLoss(), student.SoftmaxWithLoss()
    run("SoftmaxWithLoss a.forward(xa, ta)", a.forward, xa.copy(), one_hot(labels_a, 3))
    run(_("SoftmaxWithLoss b.forward(xb, tb) after a.forward(xa, ta)"), b.forward, xb.copy(), one_hot(labels_b, 3))
    what = _("SoftmaxWithLoss a.backward() after a.forward(xa, ta) then b.forward(xb, tb) on another instance b, "
             "{shape} batches (expected the gradient at xa, ta)").format(shape=(4, 3))
    dx = run(what, a.backward)
    expect_dx(dx, want_dx, 4, what, [(hints.SHARED_STATE, gradient_of_exact_loss(xb, labels_b))])


@pytest.mark.points(0.5, part="softmax_with_loss")
def test_softmax_with_loss_leaves_its_inputs_alone(student, ref, rng):
    x, labels = case(rng, ref, (4, 3))
    for t in (one_hot(labels, 3), labels):
        one_hot_labels = t.ndim == 2
        case_text = (_("a ({n}, {c}) batch with one-hot labels") if one_hot_labels else
                     _("a ({n}, {c}) batch with index labels")).format(n=4, c=3)
        held = hold(student, [("x", x), ("t", t)])
        layer = student.SoftmaxWithLoss()
        ok, _loss = attempt_written(layer.forward, held[0][2], held[1][2])
        if not ok:
            continue  # a forward that raises is charged by the tests above, not here
        expect_unchanged(student, _("SoftmaxWithLoss.forward on {case}").format(case=case_text), held, hints.IN_PLACE)
        ok, _dx = attempt_written(layer.backward)
        if ok:
            expect_unchanged(student, _("SoftmaxWithLoss.forward then backward() on {case}").format(case=case_text),
                             held, hints.IN_PLACE)
