"""The grading side's numerical gradient and gradient assertion, on functions with known derivatives."""
import re

import numpy as np
import pytest

from graders.gradcheck import expect_gradient, numerical_gradient, relative_error


def test_numerical_gradient_of_cubes_matches_calculus():
    """Is the central difference of sum(c * x**3) equal to 3 c x**2 to ~1e-9?"""
    rng = np.random.default_rng(0)
    c, x = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    got = numerical_gradient(lambda z: np.sum(c * z**3), x)
    assert np.max(relative_error(got, 3 * c * x**2)) < 1e-8


def test_numerical_gradient_leaves_the_callers_array_alone():
    """Does the gradient check work on a copy, leaving x exactly as it was?"""
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    before = x.copy()
    numerical_gradient(lambda z: float(np.sum(np.sin(z))), x)
    assert np.array_equal(x, before)


def test_expect_gradient_accepts_rounding_noise_on_entries_near_zero():
    """Is an entry of 1e-7 that differs by 1e-11 (rounding noise) still accepted beside entries of 1?"""
    want = np.array([1.0, -0.5, 1e-7])
    expect_gradient(want + np.array([0.0, 0.0, 1e-11]), want, "f")


@pytest.mark.parametrize("got, says", [
    (np.array([1.0, -0.5, 0.3]), "relative error"),
    (np.array([[1.0, -0.5, 0.2]]), "expected shape (3,)"),
    (np.array([1.0, np.nan, 0.2]), "NaN"),
], ids=["wrong-entry", "wrong-shape", "nan"])
def test_expect_gradient_fails_with_the_symptom(got, says):
    """Does a wrong gradient fail with its symptom: the worst entry, a shape, or a NaN?"""
    with pytest.raises(AssertionError, match=re.escape(says)):
        expect_gradient(got, np.array([1.0, -0.5, 0.2]), "Layer.backward on a (3,) input")


def test_expect_gradient_names_the_worst_entry():
    """Does the failure say where the gradient is most wrong?"""
    want = np.ones((2, 3))
    got = want.copy()
    got[1, 2] = 3.0
    with pytest.raises(AssertionError, match=r"at index \(1, 2\)"):
        expect_gradient(got, want, "g")
