"""Part `log_softmax`: log_softmax(x, dim), stable by log-sum-exp."""
import numpy as np
import pytest

from graders.checks import expect_close, expect_finite, fail
from graders.softmax_dim import hints
from graders.softmax_dim.cases import CASES_2D, CASES_3D, call, case, same


@pytest.mark.public
@pytest.mark.points(1, part="log_softmax")
def test_log_softmax_matches_along_every_dim(student, ref, rng):
    for shape, dim in CASES_2D + CASES_3D[:2]:
        x = rng.normal(0, 3, shape)
        what = f"log_softmax on {case(shape, dim)}"
        got = call(what, student.log_softmax, x, dim=dim)
        likely = hints.DIM_IGNORED if dim not in (-1, x.ndim - 1) and same(got, ref.log_softmax(x, dim=-1)) else hints.LOG_SOFTMAX
        expect_close(got, ref.log_softmax(x, dim=dim), what, likely)


@pytest.mark.points(0.5, part="log_softmax")
def test_log_softmax_of_extreme_logits_is_finite_and_exact(student, ref):
    x = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1001.0, -1002.0]])
    what = "log_softmax of the rows [1000, 0, -1000] and [-1000, -1001, -1002] along dim=-1"
    got = call(what, student.log_softmax, x, dim=-1)
    expect_finite(got, what, hints.LOG_OF_SOFTMAX)
    expect_close(got, ref.log_softmax(x, dim=-1), what, hints.LOG_OF_SOFTMAX)


@pytest.mark.points(0.5, part="log_softmax")
def test_log_softmax_leaves_its_input_alone(student, rng):
    x = rng.normal(0, 3, (4, 5))
    held = student.put(x.copy())
    what = "log_softmax on a (4, 5) input"
    call(what, student.log_softmax, held, dim=-1)
    if not np.array_equal(np.asarray(student.fetch(held)), x):
        fail(what, "changed its input array x", hints.IN_PLACE)
