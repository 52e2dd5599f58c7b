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
# # Softmax over any axis, log-softmax and the cross-entropy loss, PyTorch style
#
# PyTorch's `nn.Softmax(dim)`, `F.log_softmax`, `F.nll_loss` and `nn.CrossEntropyLoss` are the
# layers every classifier ends with. Here you write them in numpy with the same meaning:
#
# - `dim` names the axis the probabilities run along (negative counts from the end, `-1` is the
#   last axis), for an array of **any** number of axes;
# - a loss has a `reduction`: `'mean'` over the batch (the default), `'sum'`, or `'none'` (one
#   loss per sample, shape `(N,)`);
# - `CrossEntropyLoss` takes raw scores (*logits*), never probabilities, and a target that is either
#   class indices `(N,)` or class probabilities `(N, C)` (each row sums to 1).
#
# Every promise is graded, as PyTorch keeps it: the defaults (`Softmax()` and `log_softmax(x)` work
# over the last axis, `reduction='mean'`, `backward()` means `dout=1.0`); inputs are read-only (never
# write into `x`, `log_probs`, `target` or `dout`); and each layer instance keeps its own cache on
# `self`, so two instances used in turn never see each other's values.
#
# All inputs are float64 numpy arrays. Run the check cell under each solution for instant feedback.

# %% nbgrader={"grade": false, "grade_id": "imports", "locked": true, "schema_version": 3, "solution": false}
import numpy as np

# %% [markdown] nbgrader={"grade": false, "grade_id": "softmax_dim_md", "locked": true, "schema_version": 3, "solution": false}
# ## 1. `Softmax(dim)`: forward and backward along one axis
#
# Along axis `dim`, $y_k = e^{x_k - m} / \sum_j e^{x_j - m}$ with $m$ the maximum **along that axis**
# (`np.max(x, axis=dim, keepdims=True)`): subtracting it changes nothing mathematically but keeps
# every exponent $\le 0$, so `exp` never overflows. `keepdims=True` keeps the reduced axis with
# length 1, so the result broadcasts back against `x` whatever `dim` is.
#
# **Backward.** Along the axis, the Jacobian of softmax is
# $\dfrac{\partial y_i}{\partial x_j} = y_i(\delta_{ij} - y_j)$: every output depends on every input,
# so its diagonal $y_i(1 - y_i)$ alone is **not** the gradient. Multiplying by `dout` gives
# $$dx_j = \sum_i dout_i\, y_i (\delta_{ij} - y_j) = y_j \Bigl(dout_j - \sum_i dout_i\, y_i\Bigr),$$
# one sum along `dim` (again with `keepdims=True`), no matrix needed.

# %% nbgrader={"grade": false, "grade_id": "softmax_dim_code", "locked": false, "schema_version": 3, "solution": true}
class Softmax:
    """Softmax along axis ``dim`` (default -1, the last) of an array of any shape, like torch.nn.Softmax."""

    def __init__(self, dim=-1):
        self.dim = dim
        self.y = None

    def forward(self, x):
        """x: array of any shape -> y of x's shape, entries in [0, 1] summing to 1 along dim.
        Stable for any finite x; x is left unchanged."""
        ### BEGIN SOLUTION
        shifted = x - np.max(x, axis=self.dim, keepdims=True)
        e = np.exp(shifted)
        self.y = e / np.sum(e, axis=self.dim, keepdims=True)
        return self.y
        ### END SOLUTION

    def backward(self, dout):
        """dout: dL/dy, shape of y -> dL/dx, shape of x: y * (dout - sum(dout * y along dim))."""
        ### BEGIN SOLUTION
        return self.y * (dout - np.sum(dout * self.y, axis=self.dim, keepdims=True))
        ### END SOLUTION


# %% tags=["checks"] nbgrader={"grade": false, "grade_id": "softmax_dim_checks", "locked": true, "schema_version": 3, "solution": false}
# Public checks: run this cell. Silence means they passed.
_x = np.arange(6.0).reshape(2, 3)
_y = Softmax(dim=0).forward(_x)
assert _y.shape == (2, 3), f"Softmax(dim=0) should keep the (2, 3) shape, got {_y.shape}"
assert np.allclose(_y.sum(axis=0), 1.0), "Softmax(dim=0): each column should sum to 1"
assert np.allclose(Softmax().forward(np.array([1000.0, 1000.0])), [0.5, 0.5]), "Softmax of [1000, 1000] should be [0.5, 0.5]: subtract the max"
_layer = Softmax()
_layer.forward(np.array([[1.0, 2.0, 3.0]]))
assert np.allclose(_layer.backward(np.ones((1, 3))), 0.0), "Softmax.backward of a constant dout should be 0 (softmax ignores a shift)"
print("Softmax passes the public checks")

# %% nbgrader={"grade": true, "grade_id": "softmax_dim", "locked": true, "points": 4, "schema_version": 3, "solution": false}
# Autograded: the hidden tests of Softmax(dim) run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from graders.notebook import run_part
run_part("softmax_dim", "softmax_dim", globals())
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "log_softmax_md", "locked": true, "schema_version": 3, "solution": false}
# ## 2. `log_softmax(x, dim)`
#
# $\log \mathrm{softmax}(x)_k = x_k - \log \sum_j e^{x_j}$. Computing `np.log(softmax(x))` fails on
# extreme scores: softmax rounds a probability of $e^{-2000}$ to exactly 0, and its log is `-inf`.
# The **log-sum-exp** trick avoids ever forming the tiny probability:
# $$\log \sum_j e^{x_j} = m + \log \sum_j e^{x_j - m}, \qquad m = \max_j x_j,$$
# so $\log \mathrm{softmax}(x)_k = (x_k - m) - \log \sum_j e^{x_j - m}$: finite for every finite `x`.

# %% nbgrader={"grade": false, "grade_id": "log_softmax_code", "locked": false, "schema_version": 3, "solution": true}
def log_softmax(x, dim=-1):
    """log(softmax(x)) along axis dim, computed stably by log-sum-exp; x of any shape, result of x's shape."""
    ### BEGIN SOLUTION
    shifted = x - np.max(x, axis=dim, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=dim, keepdims=True))
    ### END SOLUTION


# %% tags=["checks"] nbgrader={"grade": false, "grade_id": "log_softmax_checks", "locked": true, "schema_version": 3, "solution": false}
# Public checks: run this cell.
assert np.allclose(log_softmax(np.array([0.0, 0.0])), np.log([0.5, 0.5])), "log_softmax([0, 0]) should be log(0.5) twice"
assert np.allclose(log_softmax(np.array([[1000.0, 0.0]])), [[0.0, -1000.0]]), "log_softmax([[1000, 0]]) should be [[0, -1000]]: use log-sum-exp"
print("log_softmax passes the public checks")

# %% nbgrader={"grade": true, "grade_id": "log_softmax", "locked": true, "points": 2, "schema_version": 3, "solution": false}
# Autograded: the hidden tests of log_softmax run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from graders.notebook import run_part
run_part("softmax_dim", "log_softmax", globals())
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "nll_loss_md", "locked": true, "schema_version": 3, "solution": false}
# ## 3. `nll_loss(log_probs, target, reduction)`
#
# The negative log-likelihood loss takes **log**-probabilities `(N, C)` (the output of
# `log_softmax`, not probabilities) and class indices `target` `(N,)`, and picks each sample's
# loss $\ell_i = -\,\mathrm{log\_probs}[i, \mathrm{target}_i]$ (fancy indexing:
# `log_probs[np.arange(N), target]`). Then `reduction` decides what comes back: `'mean'` the mean
# over the N samples (not over the C classes), `'sum'` their sum, `'none'` the `(N,)` array.

# %% nbgrader={"grade": false, "grade_id": "nll_loss_code", "locked": false, "schema_version": 3, "solution": true}
def nll_loss(log_probs, target, reduction="mean"):
    """log_probs: (N, C) log-probabilities; target: (N,) int class indices.
    Returns -log_probs[i, target[i]] reduced by 'mean' (a float), 'sum' (a float) or 'none' ((N,) array)."""
    ### BEGIN SOLUTION
    losses = -log_probs[np.arange(log_probs.shape[0]), np.asarray(target, dtype=np.intp)]
    if reduction == "mean":
        return float(np.mean(losses))
    if reduction == "sum":
        return float(np.sum(losses))
    if reduction == "none":
        return losses
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', not {reduction!r}")
    ### END SOLUTION


# %% tags=["checks"] nbgrader={"grade": false, "grade_id": "nll_loss_checks", "locked": true, "schema_version": 3, "solution": false}
# Public checks: run this cell.
_lp = np.log(np.array([[0.5, 0.5], [0.25, 0.75]]))
assert np.isclose(nll_loss(_lp, np.array([0, 1])), -(np.log(0.5) + np.log(0.75)) / 2), "nll_loss 'mean' is the mean of -log_probs[i, target[i]]"
assert np.shape(nll_loss(_lp, np.array([0, 1]), reduction="none")) == (2,), "nll_loss(..., reduction='none') should have shape (N,)"
print("nll_loss passes the public checks")

# %% nbgrader={"grade": true, "grade_id": "nll_loss", "locked": true, "points": 2, "schema_version": 3, "solution": false}
# Autograded: the hidden tests of nll_loss run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from graders.notebook import run_part
run_part("softmax_dim", "nll_loss", globals())
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "cross_entropy_loss_md", "locked": true, "schema_version": 3, "solution": false}
# ## 4. `CrossEntropyLoss(reduction)`: forward and backward
#
# Cross-entropy of logits $z$ `(N, C)` against a target distribution $p$ per sample:
# $\ell_i = -\sum_k p_{ik} \log \mathrm{softmax}(z_i)_k$. With class indices, $p_i$ is one-hot
# and the sum keeps one term: $\ell_i = -\log \mathrm{softmax}(z_i)_{t_i}$, that is
# `nll_loss(log_softmax(z), t)`. Use `log_softmax`, so logits like `[1000, 0, -1000]` with class 2
# give the true loss, 2000, not `inf`.
#
# **Backward.** Since $\log \mathrm{softmax}(z)_k = z_k - \log\sum_j e^{z_j}$ and each row of $p$
# sums to 1, $\dfrac{\partial \ell_i}{\partial z_{ij}} = \mathrm{softmax}(z_i)_j - p_{ij}$. The
# reduction scales it: `'mean'` divides by N, `'sum'` does not, and with `'none'` the incoming
# `dout` is one number per sample, `(N,)`, multiplying its row, or a single number standing for that
# value on every sample (the default `1.0` means ones). So `backward(dout)` returns
# `dout * (softmax(z) - p) / N` for `'mean'`, `dout * (softmax(z) - p)` for `'sum'` and
# `dout.reshape(-1, 1) * (softmax(z) - p)` for `'none'` (the reshape takes a scalar and an `(N,)` dout alike).

# %% nbgrader={"grade": false, "grade_id": "cross_entropy_loss_code", "locked": false, "schema_version": 3, "solution": true}
class CrossEntropyLoss:
    """Cross-entropy of logits (N, C) against class indices (N,) or class probabilities (N, C),
    like torch.nn.CrossEntropyLoss. reduction: 'mean' (default) | 'sum' | 'none'."""

    def __init__(self, reduction="mean"):
        self.reduction = reduction
        self.y = None  # softmax of the latest logits, (N, C)
        self.p = None  # the latest target as probabilities, (N, C)

    def forward(self, logits, target):
        """logits: (N, C) scores; target: (N,) int indices or (N, C) probabilities (rows sum to 1).
        Returns a float for 'mean' and 'sum', an (N,) array for 'none'."""
        ### BEGIN SOLUTION
        n, c = logits.shape
        target = np.asarray(target)
        if target.ndim == 1:  # class indices: one-hot rows
            p = np.zeros((n, c))
            p[np.arange(n), target.astype(np.intp)] = 1.0
        else:
            p = target.astype(np.float64)
        log_y = log_softmax(logits, dim=-1)
        self.y, self.p = np.exp(log_y), p
        losses = -np.sum(p * log_y, axis=1)
        if self.reduction == "mean":
            return float(np.mean(losses))
        if self.reduction == "sum":
            return float(np.sum(losses))
        return losses
        ### END SOLUTION

    def backward(self, dout=1.0):
        """dout: a number for 'mean' and 'sum'; for 'none' an (N,) array or a number (the same for every
        sample). Returns d loss / d logits, (N, C)."""
        ### BEGIN SOLUTION
        grad = self.y - self.p
        if self.reduction == "none":  # dout (N,), or a scalar standing for that value on every sample
            return np.reshape(np.asarray(dout, dtype=np.float64), (-1, 1)) * grad
        if self.reduction == "mean":
            grad = grad / grad.shape[0]
        return dout * grad
        ### END SOLUTION


# %% tags=["checks"] nbgrader={"grade": false, "grade_id": "cross_entropy_loss_checks", "locked": true, "schema_version": 3, "solution": false}
# Public checks: run this cell.
_ce = CrossEntropyLoss()
assert np.isclose(_ce.forward(np.array([[1000.0, 0.0, -1000.0]]), np.array([2])), 2000.0), "CrossEntropyLoss of [1000, 0, -1000] with class 2 should be 2000: use log_softmax"
_ce.forward(np.zeros((2, 2)), np.array([0, 1]))
assert np.allclose(_ce.backward(), [[-0.25, 0.25], [0.25, -0.25]]), "CrossEntropyLoss.backward ('mean') should be (softmax - one_hot) / N"
_none = CrossEntropyLoss(reduction="none")
_none.forward(np.zeros((2, 2)), np.array([0, 1]))
assert np.allclose(_none.backward(), [[-0.5, 0.5], [0.5, -0.5]]), "CrossEntropyLoss('none').backward() (dout 1.0 on every sample) should be softmax - one_hot"
assert np.allclose(_none.backward(np.array([2.0, 0.0])), [[-1.0, 1.0], [0.0, 0.0]]), "CrossEntropyLoss('none').backward(dout) multiplies row i by dout[i]"
print("CrossEntropyLoss passes the public checks")

# %% nbgrader={"grade": true, "grade_id": "cross_entropy_loss", "locked": true, "points": 4, "schema_version": 3, "solution": false}
# Autograded: the hidden tests of CrossEntropyLoss run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from graders.notebook import run_part
run_part("softmax_dim", "cross_entropy_loss", globals())
### END HIDDEN TESTS
