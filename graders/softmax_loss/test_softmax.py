"""Part `softmax`: softmax over the vector (1-D) or over the last axis (batches and more axes)."""
import numpy as np
import pytest

from graders.checks import expect_close, expect_finite, shape_text
from graders.softmax_loss import hints
from graders.softmax_loss.cases import BATCHES, call, expect_untouched, softmax_likely


def check_softmax(student, ref, x, what, default_likely):
    got = call(what, student.softmax, x.copy(), likely=default_likely)
    expect_close(got, ref.softmax(x), what, softmax_likely(got, x, default_likely))


@pytest.mark.public
@pytest.mark.points(1, part="softmax")
def test_softmax_of_batches_matches_row_by_row(student, ref, rng):
    for shape in BATCHES:
        x = rng.normal(0, 2, shape)
        check_softmax(student, ref, x, f"softmax on {shape_text(shape)}", hints.SOFTMAX_FORMULA)


@pytest.mark.public
@pytest.mark.points(0.5, part="softmax")
def test_softmax_of_a_1d_vector_matches(student, ref, rng):
    for size in (7, 3):
        check_softmax(student, ref, rng.normal(0, 2, size), f"softmax on a 1-D vector of {size} scores", hints.SOFTMAX_1D)


@pytest.mark.points(0.5, part="softmax")
def test_softmax_large_logits_stay_finite_per_row(student, ref):
    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -1000.0], [1000.0, 0.0, -1000.0], [0.0, 1.0, 2.0]])
    what = "softmax on the batch [[1000, 1001, 1002], [-1000, -1000, -1000], [1000, 0, -1000], [0, 1, 2]]"
    got = call(what, student.softmax, x.copy(), likely=hints.SOFTMAX_OVERFLOW)
    expect_finite(got, what, hints.SOFTMAX_OVERFLOW)
    # Rows far below the batch's maximum (the -1000s) are where a batch-wide shift goes wrong.
    expect_close(got, ref.softmax(x), what, softmax_likely(got, x, hints.SOFTMAX_ROW_MAX))
    v = x[0]
    what = "softmax on the 1-D vector [1000, 1001, 1002]"
    got = call(what, student.softmax, v.copy(), likely=hints.SOFTMAX_1D)
    expect_finite(got, what, hints.SOFTMAX_OVERFLOW)
    expect_close(got, ref.softmax(v), what, hints.SOFTMAX_FORMULA)


@pytest.mark.points(0.5, part="softmax")
def test_softmax_of_3d_input_is_over_the_last_axis(student, ref, rng):
    for shape in ((2, 3, 4), (3, 1, 5)):
        x = rng.normal(0, 2, shape)
        check_softmax(student, ref, x, f"softmax on {shape_text(shape)}", hints.SOFTMAX_ND)


@pytest.mark.points(0.5, part="softmax")
def test_softmax_leaves_its_input_alone(student, rng):
    for shape in ((3, 4), (5,)):
        x = rng.normal(0, 2, shape)
        held = student.put(x.copy())
        what = f"softmax on {shape_text(shape)}"
        call(what, student.softmax, held, likely=hints.SOFTMAX_FORMULA)
        expect_untouched(student, held, x, what, hints.IN_PLACE)
