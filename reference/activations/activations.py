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
#
# Both functions are graded far in the tails too (`x` = ±50, ±700, ±1000): `sigmoid_grad` must stay
# finite there, which $\sigma(x)\,(1 - \sigma(x))$ does. No function may change the array it is given.

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

# %% [markdown] nbgrader={"grade": false, "grade_id": "sigmoid_layer_md", "locked": true, "schema_version": 3, "solution": false}
# ## 2. The Sigmoid layer
#
# `forward(x)` returns $y = \sigma(x)$ and keeps $y$: the derivative needs nothing else, since
# $\dfrac{\partial y}{\partial x} = y\,(1 - y)$ element by element. So `backward(dout)` is
# $dx = dout \cdot y\,(1 - y)$.
#
# Three rules every layer follows: `forward` must not change its input array (nor `backward` its
# `dout`: Relu's `backward` is the one allowed exception); `backward` uses what the **latest**
# `forward` call stored (call `forward(x1)`, `forward(x2)`, `backward(d)`: the gradient is taken at
# `x2`); and each layer object keeps its own cache on `self`, never on the class, so two `Sigmoid`
# layers of one network do not share it.

# %% nbgrader={"grade": false, "grade_id": "sigmoid_layer_code", "locked": false, "schema_version": 3, "solution": true}
class Sigmoid:
    """y = sigmoid(x) element-wise; x and dout: arrays of any (equal) shape."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        """x -> sigmoid(x), same shape; remembers the output for backward."""
        ### BEGIN SOLUTION
        self.out = sigmoid(x)
        return self.out
        ### END SOLUTION

    def backward(self, dout):
        """dout (dL/dy, shape of y) -> dx = dout * y * (1 - y), shape of x."""
        ### BEGIN SOLUTION
        return dout * self.out * (1.0 - self.out)
        ### END SOLUTION


# %% tags=["checks"] nbgrader={"grade": false, "grade_id": "sigmoid_layer_checks", "locked": true, "schema_version": 3, "solution": false}
# Public checks: run this cell.
_layer = Sigmoid()
_out = _layer.forward(np.array([[0.0, 2.0], [-2.0, 0.0]]))
assert _out.shape == (2, 2), f"Sigmoid.forward should keep the (2, 2) shape, got {_out.shape}"
assert np.allclose(_layer.backward(np.ones((2, 2))), _out * (1 - _out)), "Sigmoid.backward(ones) should be y * (1 - y)"
print("Sigmoid passes the public checks")

# %% nbgrader={"grade": true, "grade_id": "sigmoid_layer", "locked": true, "points": 3, "schema_version": 3, "solution": false}
# Autograded: the hidden tests of the Sigmoid layer run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from graders.notebook import run_part
run_part("activations", "sigmoid_layer", globals())
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "relu_layer_md", "locked": true, "schema_version": 3, "solution": false}
# ## 3. The Relu layer
#
# $y = \max(0, x)$ passes positive inputs unchanged and blocks the rest, so its derivative is 1
# where $x > 0$ and 0 where $x < 0$: `backward` lets `dout` through exactly where `forward` let
# `x` through. Keep a boolean mask of the blocked entries in `forward`. At exactly $x = 0$ the
# derivative is undefined; 0 or 1 are both accepted.

# %% nbgrader={"grade": false, "grade_id": "relu_layer_code", "locked": false, "schema_version": 3, "solution": true}
class Relu:
    """y = max(0, x) element-wise; x and dout: arrays of any (equal) shape."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        """x -> max(0, x), same shape; remembers where x was blocked (x <= 0)."""
        ### BEGIN SOLUTION
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)
        ### END SOLUTION

    def backward(self, dout):
        """dout (shape of y) -> dx: dout where x > 0, else 0."""
        ### BEGIN SOLUTION
        return np.where(self.mask, 0.0, dout)
        ### END SOLUTION


# %% tags=["checks"] nbgrader={"grade": false, "grade_id": "relu_layer_checks", "locked": true, "schema_version": 3, "solution": false}
# Public checks: run this cell.
_layer = Relu()
_x = np.array([[1.0, -0.5], [-2.0, 3.0]])
assert np.array_equal(_layer.forward(_x), [[1.0, 0.0], [0.0, 3.0]]), "Relu.forward should zero the negative entries"
assert np.array_equal(_layer.backward(np.ones((2, 2))), [[1.0, 0.0], [0.0, 1.0]]), "Relu.backward should pass dout only where x > 0"
print("Relu passes the public checks")

# %% nbgrader={"grade": true, "grade_id": "relu_layer", "locked": true, "points": 3, "schema_version": 3, "solution": false}
# Autograded: the hidden tests of the Relu layer run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from graders.notebook import run_part
run_part("activations", "relu_layer", globals())
### END HIDDEN TESTS
