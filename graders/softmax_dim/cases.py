"""Inputs and checks the softmax_dim graders share; expected values come from the reference or calculus."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from graders.checks import fail, shape_text
from graders.student.errors import StudentError

# Shapes and dims of the forward and backward cases: non-square, N == C, N == 1, and 3-D along each axis.
CASES_2D = [((4, 5), -1), ((6, 3), 1), ((4, 5), 0), ((5, 5), -1), ((1, 6), -1)]
CASES_3D = [((2, 3, 4), 0), ((2, 3, 4), 1), ((2, 3, 4), -1), ((2, 3, 4), -2)]
BATCHES = [(4, 5), (6, 3), (5, 5), (1, 6)]
REDUCTIONS = ("mean", "sum", "none")


def call(what: str, fn: Callable[..., Any], *args: Any, likely: str = "", **kwargs: Any) -> Any:
    """fn(*args); if the student's code raises, a failure naming the call and the case."""
    try:
        return fn(*args, **kwargs)
    except StudentError as exc:
        fail(what, f"raised {exc}", likely)


def case(shape: tuple[int, ...], dim: int) -> str:
    return f"{shape_text(shape)} along dim={dim}"


def reduce(losses: np.ndarray, reduction: str):
    return {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[reduction](losses)


def one_hot(labels: np.ndarray, c: int) -> np.ndarray:
    return np.eye(c)[labels]


def distributions(rng: np.random.Generator, n: int, c: int) -> np.ndarray:
    """n probability rows over c classes (each sums to 1), none of them one-hot."""
    return rng.dirichlet(np.ones(c), size=n)


def same(got: Any, want: np.ndarray) -> bool:
    """Does the student's value equal ``want`` (shape and values)? For telling known mistakes apart."""
    array = np.asarray(got, dtype=np.float64) if got is not None else None
    return array is not None and array.shape == np.shape(want) and bool(np.allclose(array, want, rtol=1e-6, atol=1e-9))
