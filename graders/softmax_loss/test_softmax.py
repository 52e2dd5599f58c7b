"""Part `softmax`: softmax over the vector (1-D) or over the last axis (batches and more axes)."""
import numpy as np
import pytest

from graders.checks import attempt, expect_close, expect_finite, expect_left_alone, fail, matches, shape_text
from graders.messages import _
from graders.softmax_loss import hints
from graders.softmax_loss.cases import BATCHES, call, raised_signature, softmax_signature


def check_softmax(student, ref, x, what):
    ok, got = attempt(student.softmax, x.copy())
    if not ok:
        fail(what, _("raised {error}").format(error=got), raised_signature(student))
    expect_close(got, ref.softmax(x), what, softmax_signature(got, x))


def batches_work(student, ref, rng) -> bool:
    """Control: is softmax right on a plain (4, 5) batch? Then a failure on another shape is that shape's."""
    x = rng.normal(0, 2, (4, 5))
    ok, got = attempt(student.softmax, x.copy())
    return ok and matches(got, ref.softmax(x))


@pytest.mark.public
@pytest.mark.points(1, part="softmax")
def test_softmax_of_batches_matches_row_by_row(student, ref, rng):
    for shape in BATCHES:
        check_softmax(student, ref, rng.normal(0, 2, shape), _("softmax on {case}").format(case=shape_text(shape)))


@pytest.mark.public
@pytest.mark.points(0.5, part="softmax")
def test_softmax_of_a_1d_vector_matches(student, ref, rng):
    likely = hints.SOFTMAX_1D if batches_work(student, ref, rng) else ""
    for size in (7, 3):
        x = rng.normal(0, 2, size)
        what = _("softmax on a 1-D vector of {size} scores").format(size=size)
        got = call(what, student.softmax, x.copy(), likely=likely)
        expect_close(got, ref.softmax(x), what, softmax_signature(got, x) or likely)


@pytest.mark.points(0.5, part="softmax")
def test_softmax_large_logits_stay_finite_per_row(student, ref):
    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -1000.0], [1000.0, 0.0, -1000.0], [0.0, 1.0, 2.0]])
    text = "[[1000, 1001, 1002], [-1000, -1000, -1000], [1000, 0, -1000], [0, 1, 2]]"
    what = _("softmax on the batch {x}").format(x=text)
    ok, got = attempt(student.softmax, x.copy())
    if not ok:
        fail(what, _("raised {error}").format(error=got), raised_signature(student))
    # Rows far below the batch's maximum (the -1000s) are where a batch-wide shift goes wrong.
    expect_finite(got, what, softmax_signature(got, x))
    expect_close(got, ref.softmax(x), what, softmax_signature(got, x))
    v = x[0]
    what = _("softmax on the 1-D vector {x}").format(x="[1000, 1001, 1002]")
    got = call(what, student.softmax, v.copy())
    expect_finite(got, what, softmax_signature(got, v))
    expect_close(got, ref.softmax(v), what, softmax_signature(got, v))


@pytest.mark.points(0.5, part="softmax")
def test_softmax_of_3d_input_is_over_the_last_axis(student, ref, rng):
    # Control: if 2-D batches work, a failure here is the handling of more axes (a 2-D only branch,
    # axis=1); if they do not, the value's own signature tells.
    nd = hints.SOFTMAX_ND if batches_work(student, ref, rng) else ""
    for shape in ((2, 3, 4), (3, 1, 5)):
        x = rng.normal(0, 2, shape)
        what = _("softmax on {case}").format(case=shape_text(shape))
        ok, got = attempt(student.softmax, x.copy())
        if not ok:
            fail(what, _("raised {error}").format(error=got), nd or raised_signature(student))
        expect_close(got, ref.softmax(x), what, nd or softmax_signature(got, x))


@pytest.mark.points(0.5, part="softmax")
def test_softmax_leaves_its_input_alone(student, rng):
    for shape in ((3, 4), (5,)):
        x = rng.normal(0, 2, shape)
        what = _("softmax on {case}").format(case=shape_text(shape))
        expect_left_alone(student, what, student.softmax, [("x", x)], hints.IN_PLACE)
