"""Affine inputs, its exact gradients, and the known mistakes a wrong value matches.

Also a probe of the student's Affine that the TwoLayerNet tests use to tell a wrong net from a net
built on a wrong layer."""
from __future__ import annotations

from typing import Any

import numpy as np

from graders.backprop import hints
from graders.backprop.gradient_checks import unless_unwritten
from graders.student.errors import StudentError


def draw(rng: np.random.Generator, shape: tuple, m: int):
    """x, W (D, M), b (M,), dout (N, M) for one case."""
    d = int(np.prod(shape[1:]))
    return rng.normal(0, 1, shape), rng.normal(0, 1, (d, m)), rng.normal(0, 1, m), rng.normal(0, 1, (shape[0], m))


def exact(x: np.ndarray, W: np.ndarray, dout: np.ndarray):
    """dx (shape of x), dW, db of sum(dout * (x2 @ W + b)), by calculus."""
    x2 = x.reshape(x.shape[0], -1)
    return (dout @ W.T).reshape(x.shape), x2.T @ dout, dout.sum(axis=0)


def same(got: Any, want: np.ndarray) -> bool:
    try:
        array = None if got is None else np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return array is not None and array.shape == np.shape(want) and bool(np.allclose(array, want, rtol=1e-6, atol=1e-9))


def forward_hint(got: Any, x: np.ndarray, W: np.ndarray) -> str:
    """Forward without the bias is the one forward mistake a value proves."""
    return hints.AFFINE_FORWARD if same(got, x.reshape(x.shape[0], -1) @ W) else ""


def dx_shape_hint(got: Any, x: np.ndarray) -> str:
    """dx of the right values, flattened to (N, D)."""
    return hints.AFFINE_DX_SHAPE if np.shape(got) == (x.shape[0], int(np.prod(x.shape[1:]))) and x.ndim > 2 else ""


def dW_shape_hint(got: Any, dW: np.ndarray) -> str:
    return hints.AFFINE_DW if same(got, dW.T) else ""


def db_shape_hint(got: Any, db: np.ndarray, dout: np.ndarray) -> str:
    """db with keepdims ((1, M)) or not summed at all ((N, M))."""
    return hints.AFFINE_DB if same(got, db[None, :]) or same(got, dout) else ""


def lone_gradients(student: Any, x: np.ndarray, W: np.ndarray, b: np.ndarray, dout: np.ndarray):
    """(dx, dW, db) of one fresh student Affine, or None if any call raised."""
    try:
        layer = student.Affine(W, b)
        layer.forward(x.copy())
        return layer.backward(dout.copy()), layer.get("dW"), layer.get("db")
    except StudentError as exc:
        unless_unwritten(exc)
        return None


def all_same(got, want) -> bool:
    return got is not None and all(same(g, w) for g, w in zip(got, want))


def affine_diagnosis(student: Any, rng: np.random.Generator) -> str:
    """Is the student's Affine itself wrong? On its own (N = 4, D = 3, M = 5) and as two instances used
    in turn (the way a net uses its two layers). The mistake it shows, or ''."""
    x, W, b, dout = draw(rng, (4, 3), 5)
    want = exact(x, W, dout)
    try:
        out = student.Affine(W, b).forward(x.copy())
    except StudentError:
        out = None
    if not same(out, x @ W + b) or not all_same(lone_gradients(student, x, W, b, dout), want):
        return hints.NET_BROKEN_AFFINE
    try:
        first, second = student.Affine(W, b), student.Affine(rng.normal(0, 1, (5, 2)), rng.normal(0, 1, 2))
        hidden = first.forward(x.copy())
        second.forward(np.asarray(hidden))
        got = (first.backward(dout.copy()), first.get("dW"), first.get("db"))
    except StudentError:
        return hints.AFFINE_SHARED_STATE
    if not all_same(got, want):
        return hints.AFFINE_SHARED_STATE
    try:
        layer = student.Affine(W, b)
        layer.forward(rng.normal(0, 1, x.shape))
        layer.forward(x.copy())
        got = (layer.backward(dout.copy()), layer.get("dW"), layer.get("db"))
    except StudentError:
        return hints.STALE_CACHE
    return "" if all_same(got, want) else hints.STALE_CACHE
