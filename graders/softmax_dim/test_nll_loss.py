"""Part `nll_loss`: nll_loss(log_probs, target, reduction)."""
import numpy as np
import pytest

from graders.checks import expect_close, expect_number_close, expect_shape, fail
from graders.softmax_dim import hints
from graders.softmax_dim.cases import BATCHES, call


def inputs(ref, rng, shape):
    log_probs = ref.log_softmax(rng.normal(0, 2, shape), dim=-1)
    return log_probs, rng.integers(0, shape[1], shape[0])


@pytest.mark.public
@pytest.mark.points(1, part="nll_loss")
def test_nll_loss_mean_matches(student, ref, rng):
    for shape in BATCHES:
        log_probs, target = inputs(ref, rng, shape)
        # 'mean' is the default: the first batch is graded without naming the reduction.
        named = shape != BATCHES[0]
        what = f"nll_loss({'reduction=' + repr('mean') if named else 'default reduction'}) on {shape} log-probabilities"
        kwargs = {"reduction": "mean"} if named else {}
        got = call(what, student.nll_loss, log_probs, target, likely=hints.NLL_PICK, **kwargs)
        losses = -log_probs[np.arange(shape[0]), target]
        value = np.asarray(got, dtype=np.float64) if got is not None else None
        if value is not None and value.size == 1 and not np.isfinite(value).all():
            fail(what, f"got {float(value.reshape(()))}", hints.NLL_TAKES_LOG_PROBS)
        if shape[0] != shape[1] and value is not None and value.size == 1 and np.isclose(value, losses.sum() / shape[1]):
            fail(what, f"divided by C = {shape[1]} instead of N = {shape[0]}", hints.NLL_MEAN_OVER_N)
        expect_number_close(got, ref.nll_loss(log_probs, target, reduction="mean"), what, hints.NLL_PICK)


@pytest.mark.points(0.5, part="nll_loss")
def test_nll_loss_sum_adds_the_losses(student, ref, rng):
    for shape in BATCHES[:2]:
        log_probs, target = inputs(ref, rng, shape)
        what = f"nll_loss(reduction='sum') on {shape} log-probabilities"
        got = call(what, student.nll_loss, log_probs, target, reduction="sum")
        expect_number_close(got, ref.nll_loss(log_probs, target, reduction="sum"), what, hints.REDUCTION_SUM)


@pytest.mark.points(0.5, part="nll_loss")
def test_nll_loss_none_gives_one_loss_per_sample(student, ref, rng):
    for shape in BATCHES[:2]:
        log_probs, target = inputs(ref, rng, shape)
        what = f"nll_loss(reduction='none') on {shape} log-probabilities"
        got = call(what, student.nll_loss, log_probs, target, reduction="none")
        expect_shape(got, (shape[0],), what, hints.REDUCTION_NONE)
        expect_close(got, ref.nll_loss(log_probs, target, reduction="none"), what, hints.NLL_PICK)
