"""Behaviour both activation layers share: values, gradients, cache and input handling."""
from __future__ import annotations

import numpy as np

from graders.checks import expect_close, fail, shape_text
from graders.gradcheck import expect_gradient, numerical_gradient


def check_forward(student, layer_name: str, ref_fn, xs, likely: str) -> None:
    for x in xs:
        layer = getattr(student, layer_name)()
        expect_close(layer.forward(x.copy()), ref_fn(x), f"{layer_name}.forward on {shape_text(x.shape)}", likely)


def check_backward(student, layer_name: str, ref_fn, x: np.ndarray, dout: np.ndarray, likely: str) -> None:
    """dx against the numerical gradient of sum(dout * f(x)), whose gradient is exactly dx."""
    layer = getattr(student, layer_name)()
    layer.forward(x.copy())
    want = numerical_gradient(lambda z: np.sum(dout * ref_fn(z)), x)
    expect_gradient(layer.backward(dout.copy()), want, f"{layer_name}.backward on {shape_text(x.shape)}", likely)


def check_latest_cache(student, layer_name: str, ref_fn, x1, x2, dout, likely: str) -> None:
    layer = getattr(student, layer_name)()
    layer.forward(x1.copy())
    layer.forward(x2.copy())
    want = numerical_gradient(lambda z: np.sum(dout * ref_fn(z)), x2)
    expect_gradient(layer.backward(dout.copy()), want,
                    f"{layer_name}.backward after forward(x1) then forward(x2) (expected the gradient at x2)", likely)


def check_input_untouched(student, layer_name: str, x: np.ndarray, likely: str) -> None:
    held = student.put(x.copy())
    getattr(student, layer_name)().forward(held)
    after = np.asarray(student.fetch(held))
    if after.shape != x.shape or not np.array_equal(after, x):
        fail(f"{layer_name}.forward on {shape_text(x.shape)}", "changed its input array x", likely)
