# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false}
# # Activations: Sigmoid and ReLU
#
# Each layer has a `forward(x)` that computes its output and remembers what its
# `backward(dout)` will need, and a `backward(dout)` that turns the gradient of the loss with
# respect to the output (`dout`) into the gradient with respect to the input (`dx`), by the
# chain rule: `dx = dout * d out / d x`, element by element for these two layers.
#
# All inputs are float64 numpy arrays of any shape; every function returns an array of the
# same shape. Run the check cell under each solution for instant feedback.

# %% nbgrader={"grade": false, "grade_id": "imports", "locked": true, "schema_version": 3, "solution": false}
import numpy as np

# %% [markdown] nbgrader={"grade": false, "grade_id": "sigmoid_md", "locked": true, "schema_version": 3, "solution": false}
# ## 1. sigmoid, sigmoid_grad, relu
#
# $\sigma(x) = \dfrac{1}{1 + e^{-x}}$, and its derivative needs only its own value:
# $\sigma'(x) = \dfrac{e^{-x}}{(1 + e^{-x})^2} = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)$.
#
# For large negative `x`, `np.exp(-x)` overflows to `inf` and numpy warns; the result,
# `1 / (1 + inf) = 0`, is still right. You may avoid the warning by computing
# $e^{x} / (1 + e^{x})$ where $x < 0$, as below, but the warning costs no points.
#
# $\mathrm{relu}(x) = \max(0, x)$.

# %% nbgrader={"grade": false, "grade_id": "sigmoid_code", "locked": false, "schema_version": 3, "solution": true}
def sigmoid(x):
    """Logistic function, element-wise. x: array of any shape -> array of the same shape."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    # exp of a non-positive number never overflows: use e^-|x| on both sides of 0.
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    ### END SOLUTION


def sigmoid_grad(x):
    """Derivative of sigmoid at x: sigmoid(x) * (1 - sigmoid(x)), same shape as x."""
    ### BEGIN SOLUTION
    s = sigmoid(x)
    return s * (1.0 - s)
    ### END SOLUTION


def relu(x):
    """max(0, x) element-wise, same shape as x."""
    ### BEGIN SOLUTION
    return np.maximum(0, x)
    ### END SOLUTION


# %% tags=["checks"] nbgrader={"grade": false, "grade_id": "sigmoid_checks", "locked": true, "schema_version": 3, "solution": false}
# Public checks: run this cell. Silence means they passed.
assert np.allclose(sigmoid(np.array([-1.0, 0.0, 1.0])), [0.26894142, 0.5, 0.73105858]), "sigmoid([-1, 0, 1]) is wrong"
assert np.allclose(sigmoid_grad(np.array([0.0])), [0.25]), "sigmoid_grad(0) should be 0.25 = sigmoid(0) * (1 - sigmoid(0))"
assert np.array_equal(relu(np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0]), "relu([-2, 0, 3]) should be [0, 0, 3]"
print("sigmoid, sigmoid_grad and relu pass the public checks")

# %% nbgrader={"grade": true, "grade_id": "functions", "locked": true, "points": 3, "schema_version": 3, "solution": false}
# Autograded: the hidden tests of sigmoid, sigmoid_grad and relu run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from graders.notebook import run_part
run_part("activations", "functions", globals())
### END HIDDEN TESTS
