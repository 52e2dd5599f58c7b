"""Part `numerical_gradient`: central differences, in place on x, x restored exactly.

The student's numerical_gradient runs on probe functions with a known derivative,
f(x) = sum(c * x**3), df/dx = 3 c x**2 (graders.student.probes): calculus is the reference.
"""
import numpy as np
import pytest

from graders.backprop import hints
from graders.backprop.gradient_checks import finite, naming_the_case, unless_unwritten
from graders.checks import expect_shape, fail, shape_text
from graders.gradcheck import relative_error
from graders.messages import _
from graders.student.errors import StudentError

# Entries of x and c stay in +-[0.5, 2], so every 3 c x**2 >= 0.375. There the central difference
# with h = 1e-4 is off by c h**2 (relative <= 6e-8, rounding adds ~1e-10); the forward difference
# is off by ~h / x >= 5e-5 relative, a central difference with h = 1e-2 by h**2 / (3 x**2) >= 2.5e-5.
NUMGRAD_TOL = 1e-6
# With h = 1e-4, x - h + h is not x for most entries this small: an entry put back by arithmetic
# (rather than by assigning the saved value) comes back changed.
SMALL_ENTRIES = np.array([3.3e-6, -7.1e-6, 2.9e-5, 1.7e-6])
# Steps a wrong difference formula is tried with, to name the formula a student's values match.
STEPS = (1e-4, 1e-3, 1e-2, 1e-1, 1e-5, 1e-6, 1e-7, 0.5)


def away_from_zero(rng, shape):
    return rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def check_cubes(student, rng, shape, *, in_place: bool, otherwise: str = ""):
    """The student's gradient of sum(c * x**3) at a random x of this shape against 3 c x**2.
    ``otherwise``: the likely mistake when the values match no known formula (or the call raised)."""
    x, c = away_from_zero(rng, shape), away_from_zero(rng, shape)
    c_held = student.put(c)
    if in_place:
        # f ignores its argument and reads x: the book's lambda W: net.loss(x, t).
        x_held = student.put(x.copy())
        what = _("numerical_gradient of f(_) = sum(c * x**3) (reading x, ignoring its argument) at {case}").format(
            case=shape_text(shape))
        with naming_the_case(what):
            got = student.numerical_gradient(student.fn("cubes_of", c_held, x_held), x_held)
    else:
        what = _("numerical_gradient of f(x) = sum(c * x**3) at {case}").format(case=shape_text(shape))
        with naming_the_case(what, otherwise):
            got = student.numerical_gradient(student.fn("cubes", c_held), x.copy())
    want = 3 * c * x**2
    if in_place and not np.any(np.asarray(got)):
        fail(what, _("gradient is all zeros"), hints.NUMGRAD_IN_PLACE)
    got = finite(expect_shape(got, want.shape, what, _("the gradient has the shape of x")), what)
    err = relative_error(got.astype(float), want)
    if float(err.max()) > NUMGRAD_TOL:
        index = tuple(int(i) for i in np.unravel_index(int(err.argmax()), err.shape))
        symptom, likely = difference_signature(got.astype(float), c, x)
        likely = likely or otherwise
        fail(what, _("differs from the exact derivative 3 c x**2 (relative error {error} at index {index})").format(
            error=f"{float(err.max()):.2g}", index=index) + symptom, likely)


def difference_signature(got, c, x) -> tuple:
    """(' ...: it is <formula>', hint) if the student's values are a known wrong formula, else ('', '')."""
    def close(formula):
        return bool(np.all(relative_error(got, formula) < 1e-6))
    for h in STEPS:
        if close(c * ((x + h) ** 3 - x ** 3) / h):
            return (_("; it matches the forward difference (f(x + h) - f(x)) / h with h = {h}").format(h=f"{h:g}"),
                    hints.NUMGRAD_CENTRAL)
        if close(c * (x ** 3 - (x - h) ** 3) / h):
            return (_("; it matches the backward difference (f(x) - f(x - h)) / h with h = {h}").format(h=f"{h:g}"),
                    hints.NUMGRAD_CENTRAL)
        if h != 1e-4 and close(c * ((x + h) ** 3 - (x - h) ** 3) / (2 * h)):
            return _("; it matches the central difference with h = {h}, not 1e-4").format(h=f"{h:g}"), hints.NUMGRAD_CENTRAL
    if x.ndim == 2 and close(3 * x ** 2 * c.sum(axis=0)):
        return _("; each row's gradient is that of sum(c * row**3) over all rows of c"), hints.NUMGRAD_ROWS
    return "", ""


@pytest.mark.public
@pytest.mark.points(0.75, part="numerical_gradient")
def test_numerical_gradient_is_a_central_difference_on_vectors_and_matrices(student, rng):
    for shape in ((5,), (3, 4), (1, 3)):
        check_cubes(student, rng, shape, in_place=False)


@pytest.mark.points(0.25, part="numerical_gradient")
def test_numerical_gradient_handles_arrays_with_three_axes(student, rng):
    # Right on a matrix, wrong on three axes: the loop visits only two of them.
    check_cubes(student, rng, (2, 3, 2), in_place=False,
                otherwise=hints.NUMGRAD_ND if right_on(student, rng, (3, 4)) else "")


def right_on(student, rng, shape) -> bool:
    """Is the student's gradient of sum(c * x**3) right at a random x of this shape?"""
    x, c = away_from_zero(rng, shape), away_from_zero(rng, shape)
    try:
        got = student.numerical_gradient(student.fn("cubes", student.put(c)), x.copy())
        return bool(np.shape(got) == shape and np.all(relative_error(np.asarray(got, dtype=float), 3 * c * x**2) < NUMGRAD_TOL))
    except (StudentError, TypeError, ValueError):
        return False


@pytest.mark.public
@pytest.mark.points(0.5, part="numerical_gradient")
def test_numerical_gradient_perturbs_x_in_place_for_a_closure(student, rng):
    for shape in ((4,), (3, 2)):
        check_cubes(student, rng, shape, in_place=True)


@pytest.mark.points(0.5, part="numerical_gradient")
def test_numerical_gradient_leaves_x_exactly_as_found(student, rng):
    x = away_from_zero(rng, (3, 4))
    x.flat[: len(SMALL_ENTRIES)] = SMALL_ENTRIES
    c_held = student.put(away_from_zero(rng, x.shape))
    for probe, label in (("cubes", "sum(c * x**3)"), ("cubes_of", _("sum(c * x**3), reading x itself"))):
        x_held = student.put(x.copy())
        f = student.fn(probe, c_held) if probe == "cubes" else student.fn(probe, c_held, x_held)
        try:
            student.numerical_gradient(f, x_held)
        except StudentError as exc:
            unless_unwritten(exc)
            continue  # the tests of its values charge that
        after = np.asarray(student.fetch(x_held))
        what = _("numerical_gradient of f(x) = {label} on {case}").format(label=label, case=shape_text(x.shape))
        if after.shape != x.shape:
            fail(what, _("changed the shape of x to {shape}").format(shape=after.shape), hints.NUMGRAD_RESTORE)
        changed = after != x
        if changed.any():
            where = tuple(int(i) for i in np.argwhere(changed)[0])
            fail(what, _("left {changed} of {size} entries of x changed (first at index {index}, off by {off})").format(
                changed=int(changed.sum()), size=x.size, index=where, off=f"{abs(float(after[where] - x[where])):.3g}"),
                 hints.NUMGRAD_RESTORE)
