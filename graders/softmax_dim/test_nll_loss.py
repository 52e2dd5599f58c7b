"""Part `nll_loss`: nll_loss(log_probs, target, reduction)."""
import numpy as np
import pytest

from graders.checks import expect_close, expect_finite, expect_number_close, expect_shape, fail
from graders.messages import _
from graders.softmax_dim import hints
from graders.softmax_dim.cases import BATCHES, attempt, call, numbers, reduce, report_changes, same


def inputs(ref, rng, shape):
    log_probs = ref.log_softmax(rng.normal(0, 2, shape), dim=-1)
    return log_probs, rng.integers(0, shape[1], shape[0])


def picked(log_probs, target):
    return -log_probs[np.arange(len(target)), target]


def reduction_hint(got, losses, reduction, n, c) -> str:
    """The mistake a wrong reduced value matches: another reduction, a mean over N * C, a log taken again."""
    value = numbers(got)
    if value is None:
        return ""
    if reduction == "none":
        if value.shape == (n, 1) and np.allclose(value[:, 0], losses):
            return hints.NLL_NONE_SHAPE
        reduced = value.size == 1 and any(np.isclose(value, v) for v in (losses.mean(), losses.sum()))
        return hints.REDUCTION_NONE if reduced else ""
    if value.size != 1:
        return ""
    if not np.isfinite(value).all():
        return hints.NLL_TAKES_LOG_PROBS  # log of a log-probability (<= 0) is NaN or -inf
    if n != c and np.isclose(value, losses.sum() / c):
        return hints.NLL_MEAN_OVER_N
    if reduction == "sum" and n > 1 and np.isclose(value, losses.mean()):
        return hints.REDUCTION_SUM
    return ""


@pytest.mark.public
@pytest.mark.points(0.75, part="nll_loss")
def test_nll_loss_mean_matches(student, ref, rng):
    for shape in BATCHES:
        log_probs, target = inputs(ref, rng, shape)
        # 'mean' is the default: the first batch is graded without naming the reduction.
        named = shape != BATCHES[0]
        what = (_("nll_loss(reduction={reduction}) on {shape} log-probabilities") if named else
                _("nll_loss(default reduction) on {shape} log-probabilities")).format(reduction=repr("mean"), shape=shape)
        kwargs = {"reduction": "mean"} if named else {}
        got = call(what, student.nll_loss, log_probs, target, **kwargs)
        losses = picked(log_probs, target)
        likely = reduction_hint(got, losses, "mean", *shape)
        if not named and not likely and shape[0] > 1 and same(got, losses.sum()):
            likely = hints.DEFAULT_REDUCTION
        if likely == hints.NLL_MEAN_OVER_N:
            fail(what, _("divided by C = {c} instead of N = {n}").format(c=shape[1], n=shape[0]), likely)
        expect_number_close(got, float(np.mean(losses)), what, likely)


@pytest.mark.points(0.25, part="nll_loss")
def test_nll_loss_sum_adds_the_losses(student, ref, rng):
    for shape in BATCHES[:2]:
        log_probs, target = inputs(ref, rng, shape)
        what = _("nll_loss(reduction={reduction}) on {shape} log-probabilities").format(reduction=repr("sum"), shape=shape)
        got = call(what, student.nll_loss, log_probs, target, reduction="sum")
        losses = picked(log_probs, target)
        expect_number_close(got, float(losses.sum()), what, reduction_hint(got, losses, "sum", *shape))


@pytest.mark.points(0.5, part="nll_loss")
def test_nll_loss_none_gives_one_loss_per_sample(student, ref, rng):
    for shape in BATCHES[:2]:
        log_probs, target = inputs(ref, rng, shape)
        what = _("nll_loss(reduction={reduction}) on {shape} log-probabilities").format(reduction=repr("none"), shape=shape)
        got = call(what, student.nll_loss, log_probs, target, reduction="none")
        losses = picked(log_probs, target)
        array = expect_shape(got, (shape[0],), what, reduction_hint(got, losses, "none", *shape))
        expect_finite(array, what, hints.NLL_TAKES_LOG_PROBS)  # only a log taken again makes these NaN or inf
        expect_close(array, losses, what)


@pytest.mark.points(0.25, part="nll_loss")
def test_nll_loss_of_extreme_log_probabilities_is_exact(student, ref):
    """Log-probabilities of logits like [1000, 0, -1000]: the loss is a pick, -(-2000) = 2000, for
    every reduction. Charged only if the same call is right on ordinary log-probabilities."""
    log_probs = ref.log_softmax(np.array([[1000.0, 0.0, -1000.0], [0.0, 1.0, 2.0]]), dim=-1)
    target = np.array([2, 0])
    ordinary = ref.log_softmax(np.array([[0.5, 0.0, -0.5], [0.0, 1.0, 2.0]]), dim=-1)
    for reduction in ("mean", "sum", "none"):
        if not same(attempt(student.nll_loss, ordinary, target, reduction=reduction),
                    reduce(picked(ordinary, target), reduction)):
            continue
        what = _("nll_loss(reduction={reduction}) on the log-probabilities of the logits [1000, 0, -1000] with class 2").format(
            reduction=repr(reduction))
        got = call(what, student.nll_loss, log_probs, target, reduction=reduction)
        want = reduce(picked(log_probs, target), reduction)
        expect_finite(expect_shape(got, np.shape(want), what), what, hints.NLL_EXTREME)
        expect_close(got, want, what, rtol=1e-12, atol=1e-9)


@pytest.mark.points(0.25, part="nll_loss")
def test_nll_loss_leaves_its_inputs_alone(student, ref, rng):
    log_probs, target = inputs(ref, rng, (4, 5))
    for reduction in ("mean", "none"):
        held_lp, held_t = student.put(log_probs.copy()), student.put(target.copy())
        if attempt(student.nll_loss, held_lp, held_t, reduction=reduction) is None:
            continue  # it raised: the tests of its values charge that
        what = _("nll_loss(reduction={reduction}) on {shape} log-probabilities").format(reduction=repr(reduction), shape=(4, 5))
        report_changes(student, held_lp, log_probs, what, "log_probs", hints.IN_PLACE)
        report_changes(student, held_t, target, what, "target", hints.IN_PLACE)
