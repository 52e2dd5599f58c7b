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
# # Backpropagation: the Affine layer, numerical gradients and a two-layer net
#
# You will write the fully connected (`Affine`) layer, a numerical gradient to check
# backpropagation against, and a two-layer network `Affine -> Relu -> Affine -> SoftmaxWithLoss`
# whose `gradient` is computed by backpropagation through those layers.
#
# Conventions: a batch is an array whose first axis is the sample, `N` samples; all arrays are
# float64. `backward(dout)` receives `dout` = dL/d(output) and returns dL/d(input), with the shape of
# the input. Run the check cell under each solution for instant feedback.

# %% nbgrader={"grade": false, "grade_id": "imports", "locked": true, "schema_version": 3, "solution": false}
import numpy as np

# %% [markdown] nbgrader={"grade": false, "grade_id": "given_md", "locked": true, "schema_version": 3, "solution": false}
# ## 0. Given: Relu, softmax and SoftmaxWithLoss
#
# These are ready made (you wrote them in earlier assignments); read them, do not change them.
#
# **Softmax** $y_k = e^{x_k} / \sum_j e^{x_j}$ does not change if the same constant is subtracted
# from every $x_j$. Subtracting the row maximum makes every exponent $\le 0$, so nothing
# overflows ($e^{1000}$ is `inf` in float64) and the largest term is exactly 1, so the sum is never 0.
#
# **Cross-entropy of softmax**, for a sample with label $c$:
# $L = -\log y_c = \log \sum_j e^{x_j} - x_c$. Computing it this way, with the maximum $m$ pulled
# out ($\log \sum_j e^{x_j} = m + \log \sum_j e^{x_j - m}$, the *log-sum-exp*), stays exact even when
# $y_c$ underflows to 0, where $-\log y_c$ would be `inf`.
#
# **Its gradient.** The softmax Jacobian is $\partial y_k / \partial x_j = y_k(\delta_{kj} - y_j)$.
# With $L = -\sum_k t_k \log y_k$ and a one-hot (or any summing-to-1) $t$:
# $\partial L / \partial x_j = -\sum_k t_k (\delta_{kj} - y_j) = y_j - t_j$.
# The batch loss is the **mean** over the $N$ samples, so each sample's gradient is divided by $N$:
# `dx = (y - t) / N`. `SoftmaxWithLoss.backward(dout=1)` returns exactly that (times `dout`).

# %% nbgrader={"grade": false, "grade_id": "given_layers", "locked": true, "schema_version": 3, "solution": false}
class Relu:
    """y = max(0, x) element-wise; x and dout: arrays of any (equal) shape."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        """x -> max(0, x), same shape; remembers where x was blocked (x <= 0)."""
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        """dout (shape of y) -> dx: dout where x > 0, else 0."""
        return np.where(self.mask, 0.0, dout)


def softmax(x):
    """Softmax over the last axis, max-shifted: x (C,) or (N, C) -> probabilities, same shape."""
    shifted = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def labels_as_indices(t, num_classes):
    """Class indices (N,) from t given as indices (N,) or one-hot rows (N, C)."""
    t = np.asarray(t)
    if t.ndim == 2 and t.shape[1] == num_classes:
        return np.argmax(t, axis=1)
    return t.astype(int)


class SoftmaxWithLoss:
    """Softmax then mean cross-entropy, as one layer.

    forward(x, t): x scores (N, C); t labels, class indices (N,) or one-hot (N, C) -> float loss,
    the mean over the N samples of log(sum_j exp(x_j)) - x_label (log-sum-exp, exact).
    backward(dout=1) -> dx = dout * (softmax(x) - onehot(t)) / N, shape (N, C).
    """

    def __init__(self):
        self.y = None
        self.t = None

    def forward(self, x, t):
        n, c = x.shape
        self.t = labels_as_indices(t, c)
        m = np.max(x, axis=1, keepdims=True)
        log_sum_exp = m[:, 0] + np.log(np.sum(np.exp(x - m), axis=1))
        self.y = softmax(x)
        return float(np.mean(log_sum_exp - x[np.arange(n), self.t]))

    def backward(self, dout=1):
        n = self.y.shape[0]
        dx = self.y.copy()
        dx[np.arange(n), self.t] -= 1.0
        return dout * dx / n


# %% [markdown] nbgrader={"grade": false, "grade_id": "affine_md", "locked": true, "schema_version": 3, "solution": false}
# ## 1. The Affine layer
#
# `Affine(W, b)` with `W` of shape `(D, M)` and `b` of shape `(M,)`. `forward(x)` flattens each
# sample, `x2 = x.reshape(N, -1)` of shape `(N, D)` (so an image batch `(N, 1, 28, 28)` works too),
# and returns `out = x2 @ W + b`, shape `(N, M)`; `b` is added to every row (broadcasting).
#
# Backward, from $out_{nm} = \sum_d x_{nd} W_{dm} + b_m$ and `dout` $= \partial L / \partial out$:
#
# - $\partial L / \partial x_{nd} = \sum_m dout_{nm} W_{dm}$, i.e. `dx = dout @ W.T`, shape `(N, D)`,
#   then **reshaped back to the shape of the original x**;
# - $\partial L / \partial W_{dm} = \sum_n x_{nd}\, dout_{nm}$, i.e. `dW = x2.T @ dout`, shape `(D, M)`,
#   the shape of `W` (check: a gradient always has the shape of what it is taken for);
# - $\partial L / \partial b_m = \sum_n dout_{nm}$, i.e. `db = dout.sum(axis=0)`: `b` was used by all
#   N samples, so the gradients of all N add up (a sum, not a mean).
#
# `backward` returns `dx` and stores `self.dW` and `self.db`. The layer must **keep the very `W` and
# `b` arrays it was given** (no copies): the network updates its parameters in place and the
# layer must see the change. `forward` must not change `x` (nor `backward` its `dout`), and `backward`
# uses the `x` of the latest `forward` call of **this** layer: keep the cache on `self`, never on the
# class, since a network has two Affine layers used in turn.

# %% nbgrader={"grade": false, "grade_id": "affine_code", "locked": false, "schema_version": 3, "solution": true}
class Affine:
    """Fully connected layer: out = x.reshape(N, -1) @ W + b.

    W: (D, M) and b: (M,), kept as given (the same array objects, never copies).
    forward(x): x (N, ...) with D values per sample -> out (N, M).
    backward(dout): dout (N, M) -> dx of the shape of the latest forward's x; sets
    self.dW = x2.T @ dout, shape (D, M), and self.db = dout summed over the batch, shape (M,).
    """

    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        """x (N, ...) -> x.reshape(N, -1) @ W + b, shape (N, M); remembers x for backward."""
        ### BEGIN SOLUTION
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b
        ### END SOLUTION

    def backward(self, dout):
        """dout (N, M) -> dx shaped like the original x; sets self.dW (D, M) and self.db (M,)."""
        ### BEGIN SOLUTION
        self.dW = self.x.T @ dout
        self.db = np.sum(dout, axis=0)
        dx = dout @ self.W.T
        return dx.reshape(self.original_x_shape)
        ### END SOLUTION


# %% tags=["checks"] nbgrader={"grade": false, "grade_id": "affine_checks", "locked": true, "schema_version": 3, "solution": false}
# Public checks: run this cell. Silence means they passed.
_W = np.arange(6.0).reshape(3, 2)
_b = np.array([1.0, -1.0])
_layer = Affine(_W, _b)
_out = _layer.forward(np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0]]))
assert np.shape(_out) == (2, 2), f"Affine.forward of a (2, 3) batch with W (3, 2) should be (2, 2), got {np.shape(_out)}"
assert np.allclose(_out, [[9.0, 10.0], [3.0, 2.0]]), "Affine.forward should be x @ W + b"
_dx = _layer.backward(np.ones((2, 2)))
assert np.shape(_dx) == (2, 3), f"Affine.backward: dx should have x's shape (2, 3), got {np.shape(_dx)}"
assert np.allclose(_dx, [[1.0, 5.0, 9.0]] * 2), "Affine.backward: dx should be dout @ W.T"
assert np.shape(_layer.dW) == (3, 2), f"Affine.dW should have W's shape (3, 2), got {np.shape(_layer.dW)}"
assert np.allclose(_layer.dW, [[1.0, 1.0], [1.0, 1.0], [2.0, 2.0]]), "Affine.dW should be x.T @ dout"
assert np.allclose(_layer.db, [2.0, 2.0]), "Affine.db should be dout summed over the batch (axis 0)"
_out = Affine(_W, _b).forward(np.ones((2, 1, 3)))
assert np.shape(_out) == (2, 2), "Affine.forward should flatten each sample: x.reshape(N, -1)"
print("Affine passes the public checks")

# %% nbgrader={"grade": true, "grade_id": "affine", "locked": true, "points": 4, "schema_version": 3, "solution": false}
# Autograded: the hidden tests of the Affine layer run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from graders.notebook import run_part
run_part("backprop", "affine", globals())
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "numgrad_md", "locked": true, "schema_version": 3, "solution": false}
# ## 2. The numerical gradient
#
# To check a backward pass, compare it with a gradient computed from the loss alone. For each
# entry $x_i$, the **central difference**
# $\dfrac{f(x + h e_i) - f(x - h e_i)}{2h} = f'(x_i) + \dfrac{h^2}{6} f'''(x_i) + \dots$
# is off by $O(h^2)$, while the forward difference $(f(x + h e_i) - f(x))/h$ is off by $O(h)$.
# Use $h = 10^{-4}$: smaller, and the rounding error of $f$ (about $10^{-16} |f| / h$) takes over;
# larger, and the $h^2$ term does.
#
# `numerical_gradient(f, x)` changes **x itself, in place**, one entry at a time, calls `f(x)`,
# and puts the entry back. In place matters: the book's `lambda W: net.loss(x, t)` ignores its
# argument and reads the network's own parameter array, which is `x`; perturbing a copy would
# give a zero gradient. Restore each entry **exactly**: save the old value and assign it back
# (computing `x[i] - h + h` is not always the old value in floating point). When it returns,
# `x` is as it was found. `x` may have any shape: `np.ndindex(*x.shape)` visits every index.

# %% nbgrader={"grade": false, "grade_id": "numgrad_code", "locked": false, "schema_version": 3, "solution": true}
def numerical_gradient(f, x):
    """Central-difference gradient of a scalar function f at x, h = 1e-4.

    f: callable taking an array shaped like x and returning a number.
    x: float array of any shape; perturbed in place one entry at a time, each entry restored
    exactly, so x is unchanged on return.
    Returns an array of x's shape: (f(x + h e_i) - f(x - h e_i)) / (2h) at every index i.
    """
    ### BEGIN SOLUTION
    h = 1e-4
    grad = np.zeros(x.shape, dtype=float)
    for index in np.ndindex(*x.shape):
        old = x[index]
        try:
            x[index] = old + h
            plus = float(f(x))
            x[index] = old - h
            minus = float(f(x))
        finally:
            x[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad
    ### END SOLUTION


# %% tags=["checks"] nbgrader={"grade": false, "grade_id": "numgrad_checks", "locked": true, "schema_version": 3, "solution": false}
# Public checks: run this cell.
_x = np.array([[1.0, -2.0], [0.5, 3.0]])
_g = numerical_gradient(lambda z: np.sum(z ** 2), _x)
assert np.shape(_g) == (2, 2), f"numerical_gradient should return x's shape (2, 2), got {np.shape(_g)}"
assert np.allclose(_g, 2 * _x, rtol=1e-7), "numerical_gradient of sum(x**2) should be 2x (central difference, h = 1e-4)"
assert np.array_equal(_x, [[1.0, -2.0], [0.5, 3.0]]), "numerical_gradient must leave x exactly as it found it"
_g = numerical_gradient(lambda _: np.sum(_x ** 3), _x)
assert np.allclose(_g, 3 * _x ** 2, rtol=1e-6), "numerical_gradient must perturb x in place (f may ignore its argument)"
print("numerical_gradient passes the public checks")

# %% nbgrader={"grade": true, "grade_id": "numerical_gradient", "locked": true, "points": 2, "schema_version": 3, "solution": false}
# Autograded: the hidden tests of numerical_gradient run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from graders.notebook import run_part
run_part("backprop", "numerical_gradient", globals())
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "net_md", "locked": true, "schema_version": 3, "solution": false}
# ## 3. A two-layer network
#
# `TwoLayerNet(input_size, hidden_size, output_size, weight_init_std=0.01)` keeps its parameters in
# `self.params`: `W1` (input_size, hidden_size), `b1` (hidden_size,), `W2` (hidden_size,
# output_size), `b2` (output_size,). Weights start as `weight_init_std * np.random.randn(...)`,
# biases as zeros. Its layers, in order: `Affine(W1, b1) -> Relu -> Affine(W2, b2)`, and then
# `SoftmaxWithLoss`. Build the Affine layers **on the arrays in `self.params`**: training (and the
# grader) changes `self.params[...]` in place, and the layers must see it. Create `params` and the
# layers in `__init__` (not as class attributes), so every net has its own; no method changes `x` or `t`.
#
# - `predict(x)`: x (N, input_size) -> scores (N, output_size), the last Affine's output (no softmax:
#   the largest score is the predicted class either way).
# - `loss(x, t)`: the SoftmaxWithLoss of the scores; t class indices (N,) or one-hot (N, C).
# - `accuracy(x, t)`: the fraction of samples whose largest score is at the label; t as in `loss`.
# - `gradient(x, t)`: backpropagation. Run `loss(x, t)` (a forward pass that fills every layer's
#   cache), then `backward(1)` through the layers in reverse order; return a dict with keys `W1`,
#   `b1`, `W2`, `b2` holding the `dW`/`db` of the matching Affine layer.
# - `numerical_gradient(x, t)`: the same dict from `numerical_gradient(lambda W: self.loss(x, t),
#   self.params[key])` for each key. Slow, but a check of `gradient`.

# %% nbgrader={"grade": false, "grade_id": "net_code", "locked": false, "schema_version": 3, "solution": true}
class TwoLayerNet:
    """Affine -> Relu -> Affine -> SoftmaxWithLoss.

    params: dict of W1 (input_size, hidden_size), b1 (hidden_size,), W2 (hidden_size, output_size),
    b2 (output_size,); weights ~ weight_init_std * standard normal, biases zero. The layers use these
    very arrays, so changing params[key] in place changes the network.
    x: (N, input_size); t: class indices (N,) or one-hot (N, output_size).
    """

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        ### BEGIN SOLUTION
        self.params = {
            "W1": weight_init_std * np.random.randn(input_size, hidden_size),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * np.random.randn(hidden_size, output_size),
            "b2": np.zeros(output_size),
        }
        self.layers = [
            Affine(self.params["W1"], self.params["b1"]),
            Relu(),
            Affine(self.params["W2"], self.params["b2"]),
        ]
        self.last_layer = SoftmaxWithLoss()
        ### END SOLUTION

    def predict(self, x):
        """x (N, input_size) -> scores (N, output_size), before softmax."""
        ### BEGIN SOLUTION
        for layer in self.layers:
            x = layer.forward(x)
        return x
        ### END SOLUTION

    def loss(self, x, t):
        """Mean cross-entropy of softmax(predict(x)) against t (indices (N,) or one-hot (N, C))."""
        ### BEGIN SOLUTION
        return self.last_layer.forward(self.predict(x), t)
        ### END SOLUTION

    def accuracy(self, x, t):
        """Fraction (a float in [0, 1]) of samples whose largest score is at the label t."""
        ### BEGIN SOLUTION
        predicted = np.argmax(self.predict(x), axis=1)
        labels = labels_as_indices(t, self.params["b2"].shape[0])
        return float(np.mean(predicted == labels))
        ### END SOLUTION

    def numerical_gradient(self, x, t):
        """dict W1, b1, W2, b2 -> numerical gradient of loss(x, t), each shaped like its parameter."""
        ### BEGIN SOLUTION
        loss_of_params = lambda _: self.loss(x, t)
        return {key: numerical_gradient(loss_of_params, self.params[key]) for key in ("W1", "b1", "W2", "b2")}
        ### END SOLUTION

    def gradient(self, x, t):
        """dict W1, b1, W2, b2 -> gradient of loss(x, t) by backpropagation, shaped like params."""
        ### BEGIN SOLUTION
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        first, second = self.layers[0], self.layers[2]
        return {"W1": first.dW, "b1": first.db, "W2": second.dW, "b2": second.db}
        ### END SOLUTION


# %% tags=["checks"] nbgrader={"grade": false, "grade_id": "net_checks", "locked": true, "schema_version": 3, "solution": false}
# Public checks: run this cell.
_net = TwoLayerNet(4, 5, 3)
_shapes = {k: np.shape(v) for k, v in _net.params.items()}
assert _shapes == {"W1": (4, 5), "b1": (5,), "W2": (5, 3), "b2": (3,)}, f"TwoLayerNet(4, 5, 3).params shapes: {_shapes}"
assert not np.any(_net.params["b1"]) and not np.any(_net.params["b2"]), "biases should start at zero"
_rng = np.random.default_rng(0)
for _key in _net.params:
    _net.params[_key][...] = _rng.normal(0, 1, _net.params[_key].shape)
_x, _t = _rng.normal(0, 1, (6, 4)), np.array([0, 1, 2, 0, 1, 2])
assert np.shape(_net.predict(_x)) == (6, 3), "predict should give scores of shape (N, output_size)"
_grad, _numeric = _net.gradient(_x, _t), _net.numerical_gradient(_x, _t)
for _key in ("W1", "b1", "W2", "b2"):
    assert np.shape(_grad[_key]) == _net.params[_key].shape, f"gradient()[{_key!r}] should have the shape of params[{_key!r}]"
    # Measured against the gradient's size: a numerical gradient of the book's -log(y + 1e-7) sits
    # ~3e-5 of it away here, a real bug (a transpose, a /N too many) ~1e-1 or more.
    _gap = np.max(np.abs(np.asarray(_grad[_key]) - _numeric[_key])) / np.max(np.abs(_numeric[_key]))
    assert _gap < 1e-3, f"gradient()[{_key!r}] disagrees with numerical_gradient() ({_gap:.2g} of its size)"
assert 0.0 <= _net.accuracy(_x, _t) <= 1.0, "accuracy should be a fraction"
print("TwoLayerNet passes the public checks")

# %% nbgrader={"grade": true, "grade_id": "two_layer_net", "locked": true, "points": 4, "schema_version": 3, "solution": false}
# Autograded: the hidden tests of TwoLayerNet run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from graders.notebook import run_part
run_part("backprop", "two_layer_net", globals())
### END HIDDEN TESTS
