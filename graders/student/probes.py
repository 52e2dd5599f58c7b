"""Functions the graders hand to student code (``numerical_gradient(f, x)`` needs an ``f``).

They are built on the student's side from a name and plain arguments, so no grader code crosses
the boundary. Each has a known derivative, which the grader computes itself.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np


def cubes(c: np.ndarray) -> Callable[[np.ndarray], float]:
    """f(x) = sum(c * x**3); df/dx = 3 c x**2."""
    return lambda x: float(np.sum(c * x**3))


def cubes_of(c: np.ndarray, a: np.ndarray) -> Callable[[Any], float]:
    """f(_) = sum(c * a**3), ignoring its argument and reading ``a`` (the book's
    ``lambda W: net.loss(x, t)`` style): it only works if the caller perturbs ``a`` in place."""
    return lambda _ignored: float(np.sum(c * a**3))


def loss_of(net: Any, x: np.ndarray, t: np.ndarray) -> Callable[[Any], float]:
    """f(_) = net.loss(x, t), exactly the book's closure."""
    return lambda _ignored: float(net.loss(x, t))


PROBES: dict[str, Callable[..., Callable]] = {"cubes": cubes, "cubes_of": cubes_of, "loss_of": loss_of}


def build(name: str, args: list) -> Callable:
    try:
        maker = PROBES[name]
    except KeyError:
        raise ValueError(f"unknown probe {name!r}") from None
    return maker(*args)
