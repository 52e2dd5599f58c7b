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
# # Softmax and the cross-entropy loss
#
# A classifier's last layer gives one score (a *logit*) per class. `softmax` turns a row of
# scores into probabilities, `cross_entropy_error` measures how little probability went to the
# right class, and `SoftmaxWithLoss` does both as one layer, whose backward pass turns out to be
# remarkably simple.
#
# Shapes: a batch is an array `(N, C)`, N samples of C classes. Labels come in two formats, and
# every function here accepts both:
#
# - **one-hot**: an array shaped like the probabilities, 1 at the right class and 0 elsewhere;
# - **class indices**: one integer per sample, shape `(N,)` (or, for one sample, a single numpy
#   integer such as `np.int64(2)`, which is what `t[i]` of an integer array gives).
#
# All inputs are float64 numpy arrays. Run the check cell under each solution for instant feedback.

# %% nbgrader={"grade": false, "grade_id": "imports", "locked": true, "schema_version": 3, "solution": false}
import numpy as np

# %% [markdown] nbgrader={"grade": false, "grade_id": "softmax_md", "locked": true, "schema_version": 3, "solution": false}
# ## 1. softmax
#
# $$\mathrm{softmax}(x)_k = \frac{e^{x_k}}{\sum_j e^{x_j}}$$
#
# For a 1-D `x` the sum runs over the whole vector; for a batch `(N, C)` (or any number of axes)
# it runs over the **last axis**, separately for every row: each row of the result sums to 1.
#
# **Subtract the maximum first.** `np.exp(1000.0)` is `inf`, and `inf / inf` is `nan`. Since
# $\frac{e^{x_k - m}}{\sum_j e^{x_j - m}} = \frac{e^{-m} e^{x_k}}{e^{-m} \sum_j e^{x_j}}$, subtracting
# any constant $m$ from a row changes nothing mathematically. With $m$ = the row's maximum, every
# exponent is $\le 0$ (no overflow) and one of them is exactly $e^0 = 1$ (the sum never underflows
# to 0). The maximum must be the **row's own** (`axis=-1, keepdims=True`): one maximum for the whole
# batch still underflows rows that are far below it.
#
# Do not change the caller's array: `x = x - m` makes a new array, `x -= m` overwrites the input.

# %% nbgrader={"grade": false, "grade_id": "softmax_code", "locked": false, "schema_version": 3, "solution": true}
def softmax(x):
    """Softmax over the last axis.

    x: array of scores, shape (C,) or (N, C) (or more axes). Returns an array of x's shape whose
    entries are in [0, 1] and sum to 1 along the last axis (over the whole vector for 1-D x).
    Numerically stable for any finite x; x itself is left unchanged.
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    shifted = x - np.max(x, axis=-1, keepdims=True)  # a new array: the input stays as it was
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)
    ### END SOLUTION


# %% tags=["checks"] nbgrader={"grade": false, "grade_id": "softmax_checks", "locked": true, "schema_version": 3, "solution": false}
# Public checks: run this cell. Silence means they passed.
assert np.allclose(softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75]), "softmax([0, log 3]) should be [0.25, 0.75]"
_y = softmax(np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]))
assert _y.shape == (2, 3), f"softmax of a (2, 3) batch should have shape (2, 3), got {_y.shape}"
assert np.allclose(_y.sum(axis=1), 1.0), "each ROW of softmax(batch) should sum to 1 (sum over the last axis)"
assert np.allclose(_y[1], 1 / 3), "softmax([1, 1, 1]) should be [1/3, 1/3, 1/3]"
assert np.all(np.isfinite(softmax(np.array([1000.0, 1001.0, 1002.0])))), \
    "softmax([1000, 1001, 1002]) gives nan or inf: subtract the maximum before np.exp"
print("softmax passes the public checks")

# %% nbgrader={"grade": true, "grade_id": "softmax", "locked": true, "points": 3, "schema_version": 3, "solution": false}
# Autograded: the hidden tests of softmax run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from graders.notebook import run_part
run_part("softmax_loss", "softmax", globals())
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "cross_entropy_md", "locked": true, "schema_version": 3, "solution": false}
# ## 2. cross_entropy_error
#
# For one sample with predicted probabilities $y$ and one-hot label $t$,
# $$E = -\sum_k t_k \log y_k = -\log y_{\text{label}},$$
# only the probability of the right class counts. For a batch, the loss is the **mean** over the
# N samples (not the sum: the loss, and the learning rate that goes with it, should not depend on
# the batch size):
# $$E = -\frac{1}{N} \sum_{n=1}^{N} \log y_{n,\,\text{label}_n}.$$
#
# Accept both label formats: one-hot `t` (shaped like `y`) and class indices (`(N,)` ints, or one
# numpy integer for a 1-D `y`). Reduce one-hot labels to indices with `np.argmax(t, axis=-1)` and pick the
# probabilities with `y[np.arange(N), labels]`; `t * np.log(y)` alone works only for one-hot labels.
# A 1-D `y` is a batch of one: reshape it to `(1, C)` first.
#
# $\log 0 = -\infty$: the book adds a tiny $10^{-7}$ inside the log, which caps a sample's loss at
# $-\log 10^{-7} \approx 16.1$; that is accepted (it shifts a loss by about $10^{-7}/y$).

# %% nbgrader={"grade": false, "grade_id": "cross_entropy_code", "locked": false, "schema_version": 3, "solution": true}
def cross_entropy_error(y, t):
    """Mean cross-entropy of predicted probabilities y against labels t, as a float.

    y: probabilities, shape (C,) for one sample or (N, C) for a batch.
    t: one-hot labels of y's shape, or class indices: shape (N,) ints for a batch, or one numpy
       integer (np.int64) for a 1-D y.
    Returns -mean over samples of log(y[n, label_n]) (for 1-D y: -log(y[label])).
    """
    ### BEGIN SOLUTION
    y = np.asarray(y, dtype=np.float64)
    t = np.asarray(t)
    if y.ndim == 1:  # one sample: a batch of one
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.ndim == 1 else t.reshape(1)
    n = y.shape[0]
    labels = np.argmax(t, axis=1) if t.ndim == 2 else t.astype(np.intp)
    with np.errstate(divide="ignore"):  # log(0) = -inf: an infinite loss, honestly reported
        return float(-np.mean(np.log(y[np.arange(n), labels])))
    ### END SOLUTION


# %% tags=["checks"] nbgrader={"grade": false, "grade_id": "cross_entropy_checks", "locked": true, "schema_version": 3, "solution": false}
# Public checks: run this cell.
_y = np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]])
_want = -(np.log(0.6) + np.log(0.5)) / 2
assert np.isclose(cross_entropy_error(_y, np.array([[0, 1, 0], [1, 0, 0]])), _want, atol=1e-5), \
    "one-hot labels: the loss should be -(log 0.6 + log 0.5) / 2, a MEAN over the batch"
assert np.isclose(cross_entropy_error(_y, np.array([1, 0])), _want, atol=1e-5), \
    "index labels [1, 0] should give the same loss as the one-hot labels"
assert np.isclose(cross_entropy_error(np.array([0.2, 0.8]), np.int64(1)), -np.log(0.8), atol=1e-5), \
    "a 1-D y with the integer label np.int64(1) should give -log(y[label])"
print("cross_entropy_error passes the public checks")

# %% nbgrader={"grade": true, "grade_id": "cross_entropy", "locked": true, "points": 3, "schema_version": 3, "solution": false}
# Autograded: the hidden tests of cross_entropy_error run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from graders.notebook import run_part
run_part("softmax_loss", "cross_entropy", globals())
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "softmax_with_loss_md", "locked": true, "schema_version": 3, "solution": false}
# ## 3. The SoftmaxWithLoss layer
#
# `forward(x, t)` takes a batch of scores `x` `(N, C)` and labels `t` (one-hot `(N, C)` or indices
# `(N,)`), computes $y = \mathrm{softmax}(x)$ row by row and returns the mean cross-entropy.
#
# **Backward.** The softmax Jacobian of one row is
# $$\frac{\partial y_k}{\partial x_j} = y_k\,(\delta_{kj} - y_j),$$
# and the loss of one sample has $\partial E / \partial y_k = -t_k / y_k$. By the chain rule,
# $$\frac{\partial E}{\partial x_j} = \sum_k -\frac{t_k}{y_k}\, y_k\,(\delta_{kj} - y_j)
#   = -t_j + y_j \sum_k t_k = y_j - t_j,$$
# since the one-hot $t$ sums to 1. The $1/y$ cancels: the gradient is finite even where
# $y$ underflows to 0. The batch loss is a mean, so each sample's gradient is divided by N:
# $$dx = \frac{y - t}{N}.$$
# With index labels, subtract 1 at each sample's label: `dx = y.copy(); dx[np.arange(N), labels] -= 1`.
#
# `backward(dout=1)`: this is the last layer, so `dout` is 1 (the book's layer ignores it). It is
# graded as `backward()`, with no argument: the default must be 1.
#
# **Extreme scores.** For $x = [1000, 0, -1000]$ with label 2, $y_2 = e^{-2000}$ underflows to 0 and
# $-\log y_2$ is infinite. The exact loss is
# $$E = \log \sum_j e^{x_j} - x_{\text{label}} = m + \log \sum_j e^{x_j - m} - x_{\text{label}},
#   \quad m = \max_j x_j \ (\text{log-sum-exp}),$$
# here 2000. The book's $10^{-7}$ inside the log gives about 16.1 instead; both are accepted, `inf`
# and `nan` are not.
#
# As for every layer, `forward` must not change its inputs, `backward` uses what the **latest**
# `forward` stored, and each layer object keeps its cache on `self` (two instances used in turn must
# not share it). `cross_entropy_error` and `softmax` leave their inputs unchanged too.

# %% nbgrader={"grade": false, "grade_id": "softmax_with_loss_code", "locked": false, "schema_version": 3, "solution": true}
class SoftmaxWithLoss:
    """Softmax followed by the mean cross-entropy, as one layer.

    forward(x, t): x scores of shape (N, C); t labels, one-hot (N, C) or class indices (N,) ints.
        Returns the loss as a float: the mean over the N samples of -log softmax(x)[n, label_n].
    backward(dout=1): returns dx = dout * (softmax(x) - onehot(t)) / N, shape (N, C).
    """

    def __init__(self):
        self.y = None       # softmax(x) of the latest forward, (N, C)
        self.labels = None  # class indices of the latest forward, (N,)

    def forward(self, x, t):
        """x (N, C) scores, t one-hot (N, C) or indices (N,) -> float loss (mean over N)."""
        ### BEGIN SOLUTION
        x = np.asarray(x, dtype=np.float64)
        t = np.asarray(t)
        n = x.shape[0]
        self.labels = np.argmax(t, axis=1) if t.ndim == 2 else t.astype(np.intp)
        self.y = softmax(x)
        m = np.max(x, axis=1)
        log_sum_exp = m + np.log(np.sum(np.exp(x - m[:, None]), axis=1))
        return float(np.mean(log_sum_exp - x[np.arange(n), self.labels]))
        ### END SOLUTION

    def backward(self, dout=1):
        """dout: the loss's upstream gradient (1 for the last layer) -> dx of shape (N, C)."""
        ### BEGIN SOLUTION
        n = self.y.shape[0]
        dx = self.y.copy()
        dx[np.arange(n), self.labels] -= 1.0
        return dout * dx / n
        ### END SOLUTION


# %% tags=["checks"] nbgrader={"grade": false, "grade_id": "softmax_with_loss_checks", "locked": true, "schema_version": 3, "solution": false}
# Public checks: run this cell.
_layer = SoftmaxWithLoss()
_x = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
_loss = _layer.forward(_x, np.array([0, 1]))
assert np.isclose(_loss, cross_entropy_error(softmax(_x), np.array([0, 1])), atol=1e-5), \
    "forward should return the mean cross-entropy of softmax(x)"
_dx = _layer.backward()
assert _dx.shape == (2, 3), f"backward should return dx of x's shape (2, 3), got {_dx.shape}"
assert np.allclose(_dx, (softmax(_x) - np.array([[1, 0, 0], [0, 1, 0]])) / 2), "backward should be (y - t) / N"
_loss = _layer.forward(np.array([[1000.0, 0.0, -1000.0]]), np.array([2]))
assert np.isfinite(_loss) and _loss >= 16.1, "forward on scores [1000, 0, -1000] with label 2 should be a large finite loss"
print("SoftmaxWithLoss passes the public checks")

# %% nbgrader={"grade": true, "grade_id": "softmax_with_loss", "locked": true, "points": 4, "schema_version": 3, "solution": false}
# Autograded: the hidden tests of the SoftmaxWithLoss layer run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from graders.notebook import run_part
run_part("softmax_loss", "softmax_with_loss", globals())
### END HIDDEN TESTS
