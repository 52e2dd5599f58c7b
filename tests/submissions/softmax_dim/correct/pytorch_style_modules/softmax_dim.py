# Written like torch.nn modules: __call__ runs forward, logsumexp as a helper, take_along_axis picks
# the target, and backward broadcasts dout with np.atleast_1d (a scalar dout works for 'none').
import numpy as np


def logsumexp(x, dim, keepdims=False):
    m = x.max(axis=dim, keepdims=True)
    out = m + np.log(np.exp(x - m).sum(axis=dim, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=dim)


class Softmax:
    def __init__(self, dim=-1):
        self.dim = dim
        self.y = None

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):
        self.y = np.exp(x - logsumexp(x, self.dim, keepdims=True))
        return self.y

    def backward(self, dout):
        y = self.y
        return dout * y - y * (dout * y).sum(axis=self.dim, keepdims=True)


def log_softmax(x, dim=-1):
    return x - logsumexp(x, dim, keepdims=True)


_REDUCE = {"mean": np.mean, "sum": np.sum, "none": lambda v: v}


def nll_loss(log_probs, target, reduction="mean"):
    picked = np.take_along_axis(log_probs, np.asarray(target).reshape(-1, 1), axis=1)[:, 0]
    return _REDUCE[reduction](-picked)


class CrossEntropyLoss:
    def __init__(self, reduction="mean"):
        if reduction not in _REDUCE:
            raise ValueError(f"unknown reduction {reduction}")
        self.reduction = reduction
        self.cache = None

    def __call__(self, logits, target):
        return self.forward(logits, target)

    def forward(self, logits, target):
        n, c = logits.shape
        target = np.asarray(target)
        probs_target = np.eye(c)[target] if target.ndim == 1 else target
        logp = log_softmax(logits, dim=1)
        self.cache = (np.exp(logp), probs_target)
        return _REDUCE[self.reduction](-(probs_target * logp).sum(axis=1))

    def backward(self, dout=1.0):
        y, p = self.cache
        grad = y - p
        if self.reduction == "mean":
            grad = grad / len(grad)
        if self.reduction == "none":
            return np.atleast_1d(dout)[:, None] * grad
        return dout * grad
