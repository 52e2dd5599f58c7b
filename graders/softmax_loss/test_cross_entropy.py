"""Part `cross_entropy`: cross_entropy_error(y, t), the mean over the batch, for both label formats."""
import numpy as np
import pytest

from graders.softmax_loss import hints
from graders.softmax_loss.cases import (BATCHES, call, expect_loss, expect_untouched, labels_for, loss_is_right, one_hot,
                                        quietly)


def probabilities(rng, shape):
    """Rows of probabilities (each sums to 1), of every size from near 0 to near 1."""
    e = np.exp(rng.normal(0, 1.5, shape))
    return e / np.sum(e, axis=-1, keepdims=True)


def exact(y, labels):
    """-mean log y[n, label_n], the grading side's own formula."""
    return float(-np.mean(np.log(y[np.arange(y.shape[0]), labels])))


@pytest.mark.public
@pytest.mark.points(1, part="cross_entropy")
def test_cross_entropy_of_batches_with_one_hot_labels(student, rng):
    for n, c in BATCHES:
        y = probabilities(rng, (n, c))
        labels = labels_for(rng, y)
        what = f"cross_entropy_error on a ({n}, {c}) batch with one-hot labels"
        got = call(what, student.cross_entropy_error, y.copy(), one_hot(labels, c), likely=hints.CE_ONE_HOT)
        expect_loss(got, exact(y, labels), n, what, hints.CE_FORMULA)


@pytest.mark.public
@pytest.mark.points(1, part="cross_entropy")
def test_cross_entropy_index_labels_match_one_hot(student, rng):
    for n, c in BATCHES:
        y = probabilities(rng, (n, c))
        labels = labels_for(rng, y)
        want = exact(y, labels)
        # The index-label hint only where one-hot labels work: otherwise the mistake is elsewhere.
        one_hot_right = loss_is_right(quietly(student.cross_entropy_error, y.copy(), one_hot(labels, c)), want)
        likely = hints.CE_INDEX_LABELS if one_hot_right else hints.INDEX_ALSO_WRONG
        what = f"cross_entropy_error on a ({n}, {c}) batch with index labels of shape ({n},)"
        got = call(what, student.cross_entropy_error, y.copy(), labels.copy(), likely=likely)
        expect_loss(got, want, n, what, likely)


@pytest.mark.points(0.5, part="cross_entropy")
def test_cross_entropy_of_one_sample_with_an_int_or_one_hot_label(student, rng):
    for c in (4, 7):
        y = probabilities(rng, (c,))
        label = labels_for(rng, y[None])[0]  # a numpy int, as t[i] of an int array gives
        want = exact(y[None], np.array([label]))
        what = f"cross_entropy_error on a 1-D y of {c} probabilities with the int label {label}"
        expect_loss(call(what, student.cross_entropy_error, y.copy(), label, likely=hints.CE_1D), want, 1, what, hints.CE_1D)
        what = f"cross_entropy_error on a 1-D y of {c} probabilities with a 1-D one-hot label"
        got = call(what, student.cross_entropy_error, y.copy(), one_hot(label, c), likely=hints.CE_1D)
        expect_loss(got, want, 1, what, hints.CE_1D)


@pytest.mark.points(0.5, part="cross_entropy")
def test_cross_entropy_leaves_its_inputs_alone(student, rng):
    y = probabilities(rng, (4, 3))
    labels = labels_for(rng, y)
    for t in (one_hot(labels, 3), labels):
        held_y, held_t = student.put(y.copy()), student.put(t.copy())
        kind = "one-hot" if t.ndim == 2 else "index"
        what = f"cross_entropy_error on a (4, 3) batch with {kind} labels"
        call(what, student.cross_entropy_error, held_y, held_t, likely=hints.CE_FORMULA)
        expect_untouched(student, held_y, y, what + " (y)", hints.IN_PLACE)
        expect_untouched(student, held_t, t, what + " (t)", hints.IN_PLACE)
