"""Assertions grader tests use on a student's values, each failing with a message a student can act on.

Every message has the same parts, in this order: what was called and on which input (``what``,
e.g. "Sigmoid.backward on a (4, 5) batch"), the symptom (wrong shape, NaN, max error and where), and
the likely mistake (``likely``, a hints.py :class:`Mistake`) only when the student's value proves it:
:func:`signature` compares the value with what each known mistake would give on the same input.
With no match, the message states the symptom precisely and names no cause. Expected values of hidden tests
are never printed, only where and by how much the student's differ.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from graders.messages import _, hint
from graders.student.errors import StudentError

# float64 inputs, vectorised or looped maths: correct answers agree to ~1e-12; 1e-7 relative still
# accepts the book's 1e-7 epsilon inside a log (it shifts a loss by ~1e-7 / p) where graders allow it.
RTOL = 1e-6
ATOL = 1e-8


def as_array(value: Any, what: str) -> np.ndarray:
    """The student's value as a numeric array; a clear failure for None, strings, objects."""
    if value is None:
        fail(what, _("returned None (what a function without a `return` statement returns)"))
    try:
        array = np.asarray(value)
    except Exception:  # ragged lists and the like
        fail(what, _("returned a {type} that is not an array of numbers").format(type=type(value).__name__))
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        fail(what, _("returned a {type} of dtype {dtype}, not numbers").format(type=type(value).__name__, dtype=array.dtype))
    return array


class Mistake(str):
    """A likely mistake's text with a stable identifier (``assignment.name``), which the result JSON
    carries so a class report (or any outside tool) can count who made which mistake."""

    id: str

    def __new__(cls, text: str, id: str) -> "Mistake":
        made = super().__new__(cls, text)
        made.id = id
        return made


def name_mistakes(namespace: dict, assignment: str) -> None:
    """Turn every upper-case string constant of a hints module into a :class:`Mistake` whose
    identifier is ``assignment.constant_name`` (``softmax_loss.swl_backward_n``)."""
    for name, value in list(namespace.items()):
        if name.isupper() and isinstance(value, str) and not isinstance(value, Mistake):
            namespace[name] = Mistake(value, f"{assignment}.{name.lower()}")


class Diagnosed(AssertionError):
    """A failed check; ``mistake`` is the identifier of the likely mistake it names, or None."""

    def __init__(self, message: str, mistake: str | None = None):
        super().__init__(message)
        self.mistake = mistake


def fail(what: str, symptom: str, likely: str = "") -> None:
    message = _("{what}: {symptom}.").format(what=what, symptom=symptom)
    if likely:
        message += _(" Likely mistake: {likely}.").format(likely=hint(likely))
    raise Diagnosed(message, likely.id if isinstance(likely, Mistake) else None)


def expect_shape(got: Any, shape: tuple[int, ...], what: str, likely: str = "") -> np.ndarray:
    array = as_array(got, what)
    if array.shape != tuple(shape):
        fail(what, _("expected shape {want}, got {got}").format(want=tuple(shape), got=array.shape), likely)
    return array


def expect_finite(got: Any, what: str, likely: str = "") -> np.ndarray:
    array = as_array(got, what)
    bad = ~np.isfinite(array)
    if bad.any():
        kind = "NaN" if np.isnan(array).any() else "inf"
        where = tuple(int(i) for i in np.argwhere(bad)[0]) if array.ndim else ()
        fail(what, _("{kind} in the result ({bad} of {size} entries, first at {where})").format(
            kind=kind, bad=int(bad.sum()), size=array.size, where=where), likely)
    return array


def expect_scalar(got: Any, what: str) -> float:
    array = as_array(got, what)
    if array.size != 1:
        fail(what, _("expected a single number, got shape {shape}").format(shape=array.shape))
    return float(array.reshape(()))


def worst(got: np.ndarray, want: np.ndarray, *, rtol: float = RTOL, atol: float = ATOL) -> str:
    """'max error 0.25 at index (1, 3), 4 of 20 entries off' for two arrays of one shape: where,
    how large and how many, the symptom of a wrong result without a claim about its cause."""
    err = np.abs(got.astype(np.float64) - want)
    err = np.where(np.isnan(err), np.inf, err)
    index = np.unravel_index(int(np.argmax(err)), err.shape) if err.size else ()
    largest = f"{float(np.max(err)) if err.size else 0.0:.3g}"
    if not err.ndim:
        return _("max error {error}").format(error=largest)
    off = int(np.sum(err > atol + rtol * np.abs(want)))
    return _("max error {error} at index {index}, {off} of {size} entries off").format(
        error=largest, index=tuple(int(i) for i in index), off=off, size=err.size)


def expect_close(got: Any, want: np.ndarray, what: str, likely: str = "", *,
                 rtol: float = RTOL, atol: float = ATOL, finite: bool = True) -> np.ndarray:
    """Shape, then finiteness, then values: each a separate symptom."""
    want = np.asarray(want, dtype=np.float64)
    array = expect_shape(got, want.shape, what)
    if finite:
        expect_finite(array, what)
    if not np.allclose(array, want, rtol=rtol, atol=atol, equal_nan=not finite):
        fail(what, _("wrong values ({error})").format(error=worst(array, want, rtol=rtol, atol=atol)), likely)
    return array


def expect_number_close(got: Any, want: float, what: str, likely: str = "", *,
                        rtol: float = RTOL, atol: float = ATOL) -> float:
    value = expect_scalar(got, what)
    if not np.isfinite(value):
        fail(what, _("got {value}").format(value=value), likely)
    if not np.isclose(value, want, rtol=rtol, atol=atol):
        fail(what, _("wrong value (off by {error}, relative {relative})").format(
            error=f"{abs(value - want):.3g}", relative=f"{abs(value - want) / max(abs(want), 1e-300):.2g}"), likely)
    return value


def shape_text(shape: tuple[int, ...]) -> str:
    return _("a scalar") if shape == () else _("a {shape} input").format(shape=tuple(shape))


def attempt(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[bool, Any]:
    """(True, fn(...)) or, if the student's code raised, (False, the StudentError). A timeout or a
    crash is not caught: it ends the test. For secondary tests and diagnosis, which must not charge
    a call that raises (the test of that call does)."""
    try:
        return True, fn(*args, **kwargs)
    except StudentError as exc:
        return False, exc


# Not a mistake in a computation but a refusal to compute: the released stub, or code that exits.
REFUSALS = {"NotImplementedError", "SystemExit", "KeyboardInterrupt"}


def attempt_written(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[bool, Any]:
    """:func:`attempt` for secondary tests, except that a refusal (REFUSALS: the released stub's
    NotImplementedError, sys.exit()) propagates: code that does not compute earns no points for a
    property (inputs left alone, its own cache), while a call that raises anything else leaves the
    charge to the test of that call."""
    ok, value = attempt(fn, *args, **kwargs)
    if not ok and value.kind in REFUSALS:
        raise value
    return ok, value


def call(what: str, fn: Callable[..., Any], *args: Any, likely: str = "", **kwargs: Any) -> Any:
    """fn(*args); if the student's code raises, a failure naming the call and the case."""
    ok, value = attempt(fn, *args, **kwargs)
    if not ok:
        fail(what, _("raised {error}").format(error=value), likely)
    return value


def floats(value: Any) -> np.ndarray | None:
    """The student's value as a float64 array, or None if it is not one (for diagnosis only)."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def matches(got: Any, want: Any, *, rtol: float = RTOL, atol: float = ATOL, equal_nan: bool = False) -> bool:
    """Is the student's value want (same shape, close everywhere)? Never raises."""
    array, want = floats(got), floats(want)
    if array is None or want is None or array.shape != want.shape:
        return False
    with np.errstate(invalid="ignore"):
        return bool(np.allclose(array, want, rtol=rtol, atol=atol, equal_nan=equal_nan))


def signature(got: Any, candidates: Iterable[tuple[str, Any]], **tolerance: Any) -> str:
    """The first mistake whose signature matches the student's value, or '' (name no cause).

    candidates: (mistake, what that mistake gives on this very input), the value computed on the
    grading side, or a callable computing it when needed. A hint is named only when the value
    proves it; a wrong value that matches no signature is reported by its symptom alone."""
    for mistake, value in candidates:
        if matches(got, value() if callable(value) else value, **tolerance):
            return mistake
    return ""


def hold(student: Any, args: list[tuple[str, Any]]) -> list[tuple[str, Any, Any]]:
    """(name, original, what to pass): each array argument put on the student's side as a copy."""
    return [(name, value, student.put(value.copy()) if isinstance(value, np.ndarray) else value) for name, value in args]


def expect_unchanged(student: Any, what: str, held: list[tuple[str, Any, Any]], likely: str = "") -> None:
    """Fail if an array held by :func:`hold` is no longer what it was, saying which and where."""
    for name, value, handle in held:
        if not isinstance(value, np.ndarray):
            continue
        after = floats(student.fetch(handle))
        if after is None or after.shape != value.shape:
            fail(what, _("changed its input array {name} (now of shape {now}, was {was})").format(
                name=name, now=getattr(after, "shape", "?"), was=value.shape), likely)
        changed = after != value
        if changed.any():
            first = tuple(int(i) for i in np.argwhere(changed)[0]) if changed.ndim else ()
            fail(what, _("changed its input array {name} ({changed} of {size} entries, first at {first})").format(
                name=name, changed=int(changed.sum()), size=value.size, first=first), likely)


def expect_left_alone(student: Any, what: str, fn: Callable[..., Any], args: list[tuple[str, Any]],
                      likely: str = "") -> None:
    """Call fn with every array argument held on the student's side, then fail if one of them
    changed. A secondary property: a call that raises passes here (the test of that call charges
    it), and only a change seen in an argument fails."""
    held = hold(student, args)
    ok, _value = attempt_written(fn, *[handle for _name, _original, handle in held])
    if ok:
        expect_unchanged(student, what, held, likely)
