"""Part `cross_entropy`: cross_entropy_error(y, t), the mean over the batch, for both label formats."""
import numpy as np
import pytest

from graders.checks import attempt, attempt_written, expect_left_alone
from graders.messages import _
from graders.softmax_loss import hints
from graders.softmax_loss.cases import BATCHES, call, expect_loss, labels_for, loss_factors, loss_is, one_hot


def probabilities(rng, shape):
    """Rows of probabilities (each sums to 1), of every size from near 0 to near 1."""
    e = np.exp(rng.normal(0, 1.5, shape))
    return e / np.sum(e, axis=-1, keepdims=True)


def exact(y, labels):
    """-mean log y[n, label_n], the grading side's own formula."""
    return float(-np.mean(np.log(y[np.arange(y.shape[0]), labels])))


def works(student, y, t, want, *, secondary=False) -> bool:
    """Control: does cross_entropy_error(y, t) give the right loss (without raising)? A secondary
    check's control lets the unwritten stub's NotImplementedError through (checks.attempt_written)."""
    run_it = attempt_written if secondary else attempt
    ok, got = run_it(student.cross_entropy_error, y.copy(), t.copy() if isinstance(t, np.ndarray) else t)
    return ok and loss_is(got, want)


@pytest.mark.public
@pytest.mark.points(1, part="cross_entropy")
def test_cross_entropy_of_batches_with_one_hot_labels(student, rng):
    for n, c in BATCHES:
        y = probabilities(rng, (n, c))
        labels = labels_for(rng, y)
        want = exact(y, labels)
        # The one-hot hint only where index labels work: otherwise the mistake is elsewhere.
        likely = hints.CE_ONE_HOT if works(student, y, labels, want) else ""
        case = _("a ({n}, {c}) batch with one-hot labels").format(n=n, c=c)
        what = _("cross_entropy_error on {case}").format(case=case)
        got = call(what, student.cross_entropy_error, y.copy(), one_hot(labels, c), likely=likely)
        expect_loss(got, want, what, loss_factors(n, c), likely)


@pytest.mark.public
@pytest.mark.points(1, part="cross_entropy")
def test_cross_entropy_index_labels_match_one_hot(student, rng):
    for n, c in BATCHES:
        y = probabilities(rng, (n, c))
        labels = labels_for(rng, y)
        want = exact(y, labels)
        # The index-label hint only where one-hot labels work: otherwise the mistake is elsewhere.
        likely = hints.CE_INDEX_LABELS if works(student, y, one_hot(labels, c), want) else ""
        case = _("a ({n}, {c}) batch with index labels of shape ({n},)").format(n=n, c=c)
        what = _("cross_entropy_error on {case}").format(case=case)
        got = call(what, student.cross_entropy_error, y.copy(), labels.copy(), likely=likely)
        expect_loss(got, want, what, loss_factors(n, c), likely)


@pytest.mark.points(0.5, part="cross_entropy")
def test_cross_entropy_of_one_sample_with_an_int_or_one_hot_label(student, rng):
    for c in (4, 7):
        y = probabilities(rng, (c,))
        label = labels_for(rng, y[None])[0]  # a numpy int (np.int64), as t[i] of an int array gives
        want = exact(y[None], np.array([label]))
        # Controls: the same sample as a batch of one (both label formats), the 1-D one-hot label,
        # index labels on a batch. They decide which handling a failure here belongs to.
        batch_of_one = works(student, y[None], np.array([label]), want) and works(student, y[None], one_hot(label, c)[None], want)
        one_hot_1d = works(student, y, one_hot(label, c), want)
        index_batches = works(student, y[None], np.array([label]), want)
        likely = (hints.CE_1D if batch_of_one and not one_hot_1d else
                  hints.CE_SCALAR_LABEL if one_hot_1d and index_batches else
                  hints.CE_INDEX_LABELS if one_hot_1d else "")
        # Treated as a batch of C samples, a 1-D y is divided by C; so is a mean over every entry,
        # which a batch of one shows too.
        as_batch = _("got 1/{c} of the right loss (C = {c}: y taken as a batch of {c})").format(c=c)
        factors = ([(hints.CE_1D, 1 / c, as_batch)]
                   if batch_of_one else loss_factors(1, c))
        what = _("cross_entropy_error on a 1-D y of {c} probabilities with the int label {label}").format(
            c=c, label=f"np.int64({label})")
        expect_loss(call(what, student.cross_entropy_error, y.copy(), label, likely=likely), want, what, factors, likely)
        likely = hints.CE_1D if batch_of_one else ""
        what = _("cross_entropy_error on a 1-D y of {c} probabilities with a 1-D one-hot label").format(c=c)
        got = call(what, student.cross_entropy_error, y.copy(), one_hot(label, c), likely=likely)
        expect_loss(got, want, what, factors, likely)


@pytest.mark.points(0.25, part="cross_entropy")
def test_cross_entropy_with_zero_probabilities_off_the_label_stays_finite(student, rng):
    # Probabilities exactly 0 and 1, but never 0 at the label (the contract leaves that ungraded).
    y = np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5], [0.0, 0.3, 0.7], [0.25, 0.25, 0.5]])
    labels = np.array([1, 0, 2, 1])
    want = exact(y, labels)
    smooth = probabilities(rng, (4, 3))
    text = "[[0, 1, 0], [0.5, 0, 0.5], [0, 0.3, 0.7], [0.25, 0.25, 0.5]]"
    kinds = ((one_hot(labels, 3), _("one-hot labels")),
             (labels, _("index labels {labels}").format(labels="[1, 0, 2, 1]")))
    for t, kind in kinds:
        # Control: the same labels on probabilities without zeros. If that fails, the tests above
        # charge it; if it works, a nan here is 0 * log(0).
        if not works(student, smooth, t, exact(smooth, labels), secondary=True):
            continue
        what = _("cross_entropy_error on y = {y} with {labels}").format(y=text, labels=kind)
        got = call(what, student.cross_entropy_error, y.copy(), t.copy())
        expect_loss(got, want, what, loss_factors(4, 3), nonfinite=hints.CE_ZERO_TIMES_LOG)


@pytest.mark.points(0.25, part="cross_entropy")
def test_cross_entropy_leaves_its_inputs_alone(student, rng):
    y = probabilities(rng, (4, 3))
    labels = labels_for(rng, y)
    for t in (one_hot(labels, 3), labels):
        case = _("a ({n}, {c}) batch with one-hot labels") if t.ndim == 2 else _("a ({n}, {c}) batch with index labels")
        what = _("cross_entropy_error on {case}").format(case=case.format(n=4, c=3))
        expect_left_alone(student, what, student.cross_entropy_error, [("y", y), ("t", t)], hints.IN_PLACE)
