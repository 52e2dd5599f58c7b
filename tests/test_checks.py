"""graders.checks: hints only where the value proves them, secondary checks that charge only what they see."""
from __future__ import annotations

import numpy as np
import pytest

from graders.checks import (Diagnosed, Mistake, attempt_written, expect_close, expect_left_alone, signature)
from graders.student.errors import StudentError
from graders.student.local import LocalStudent

SIGN = Mistake("check the sign", "demo.sign")
HALF = Mistake("halved", "demo.half")


def test_signature_names_the_mistake_whose_value_matches():
    """Is the hint the first candidate whose value is the student's, and none when nothing matches?"""
    x = np.array([1.0, -2.0, 3.0])
    candidates = [(SIGN, -x), (HALF, lambda: x / 2)]
    assert signature(-x, candidates) is SIGN
    assert signature(x / 2, candidates) is HALF
    assert signature(x + 1, candidates) == ""
    assert signature("not numbers", candidates) == ""
    assert signature(np.ones(2), candidates) == ""  # another shape never matches


def test_a_wrong_value_without_a_signature_states_where_and_how_many():
    """Does a failure with no proven cause give the worst entry and the count, and name no mistake?"""
    want = np.zeros((2, 3))
    got = want.copy()
    got[1, 2], got[0, 0] = 0.5, 0.1
    with pytest.raises(Diagnosed) as failed:
        expect_close(got, want, "f on a (2, 3) input", signature(got, [(SIGN, -want + 1)]))
    message = str(failed.value)
    assert "max error 0.5 at index (1, 2), 2 of 6 entries off" in message
    assert "Likely mistake" not in message and failed.value.mistake is None


def student_with(source: str) -> LocalStudent:
    namespace: dict = {"np": np}
    exec(source, namespace)
    return LocalStudent(namespace)


def test_left_alone_fails_only_on_a_change_it_sees():
    """Does the read-only check charge a function that writes into its input, and only that one?"""
    x = np.array([[1.0, -2.0], [3.0, -4.0]])
    writes = student_with("def f(x):\n    x[x < 0] = 0\n    return x\n")
    with pytest.raises(Diagnosed) as failed:
        expect_left_alone(writes, "f on a (2, 2) input", writes.f, [("x", x)], SIGN)
    assert "changed its input array x (2 of 4 entries, first at (0, 1))" in str(failed.value)
    assert failed.value.mistake == "demo.sign"
    copies = student_with("def f(x):\n    return np.maximum(x, 0)\n")
    expect_left_alone(copies, "f", copies.f, [("x", x)], SIGN)


def test_left_alone_leaves_a_crash_to_the_test_of_that_call():
    """Does a call that raises pass the read-only check (charged once, elsewhere)?"""
    crashes = student_with("def f(x):\n    x[0] = 1\n    raise ValueError('boom')\n")
    expect_left_alone(crashes, "f", crashes.f, [("x", np.zeros(3))], SIGN)


def test_an_unwritten_stub_earns_no_secondary_points():
    """Does the released stub's NotImplementedError propagate out of a secondary check?"""
    stub = student_with("def f(x):\n    raise NotImplementedError()\n")
    with pytest.raises(StudentError):
        attempt_written(stub.f, np.zeros(2))
    with pytest.raises(StudentError):
        expect_left_alone(stub, "f", stub.f, [("x", np.zeros(2))], SIGN)
