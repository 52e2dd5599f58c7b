"""Small judgements on a student's net the TwoLayerNet tests share: did a call go through, is a
number or a dict of gradients right, does the student's numerical_gradient perturb x in place."""
from __future__ import annotations

import numpy as np

from graders.backprop.gradient_checks import SCALED_TOL, scaled_error, unless_unwritten
from graders.checks import worst
from graders.messages import _
from graders.student.errors import StudentError


def attempt(fn):
    """fn(), or None if the student's code raised (an unwritten stub still fails the test)."""
    try:
        return fn()
    except StudentError as exc:
        unless_unwritten(exc)
        return None


def near(got, want: float, atol: float) -> bool:
    """Is the student's value a single number within atol of want?"""
    try:
        array = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return array.size == 1 and bool(abs(float(array.reshape(())) - want) <= atol)


def matches(got, want: dict) -> bool:
    """Whether a student's gradient dict has every expected gradient, right in shape and values."""
    if not isinstance(got, dict):
        return False
    for key, value in want.items():
        g = np.asarray(got.get(key))
        if g.shape != value.shape or not np.issubdtype(g.dtype, np.number) or scaled_error(g.astype(float), value) > SCALED_TOL:
            return False
    return True


def worst_of(got, want) -> str:
    """Where and how far a student's array is from want, or what it is instead."""
    try:
        array = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return _("not numbers")
    return worst(array, want) if array.shape == want.shape else _("shape {got} instead of {want}").format(
        got=array.shape, want=want.shape)


def perturbs_in_place(student, rng) -> bool:
    """Does the student's numerical_gradient get an f that reads x itself right (the book's closure)?"""
    x, c = rng.uniform(0.5, 2.0, 3), rng.uniform(0.5, 2.0, 3)
    x_held, c_held = student.put(x.copy()), student.put(c)
    try:
        got = student.numerical_gradient(student.fn("cubes_of", c_held, x_held), x_held)
    except StudentError:
        return False
    # Within 1%: a forward difference or a large h is still in place; a copy perturbed gives zeros.
    try:
        return bool(np.allclose(np.asarray(got, dtype=float), 3 * c * x**2, rtol=1e-2))
    except (TypeError, ValueError):
        return False
