# log-sum-exp with np.logaddexp.reduce, an einsum in the backward, nll_loss under CrossEntropyLoss.
import numpy as np


class Softmax:
    def __init__(self, dim=-1):
        self.dim = dim

    def forward(self, x):
        self.y = np.exp(log_softmax(x, self.dim))
        return self.y

    def backward(self, dout):
        y = np.moveaxis(self.y, self.dim, -1)
        d = np.moveaxis(dout, self.dim, -1)
        inner = np.einsum("...i,...i->...", d, y)[..., None]
        return np.moveaxis(y * (d - inner), -1, self.dim)


def log_softmax(x, dim=-1):
    return x - np.logaddexp.reduce(x, axis=dim, keepdims=True)


def nll_loss(log_probs, target, reduction="mean"):
    picked = -np.take_along_axis(log_probs, np.asarray(target).reshape(-1, 1), axis=1)[:, 0]
    return {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[reduction](picked)


class CrossEntropyLoss:
    def __init__(self, reduction="mean"):
        self.reduction = reduction

    def forward(self, logits, target):
        lsm = log_softmax(logits, dim=-1)
        self.y = np.exp(lsm)
        if target.ndim == 1:
            self.p = np.eye(logits.shape[1])[target]
            return nll_loss(lsm, target, self.reduction)
        self.p = target
        losses = -np.einsum("nc,nc->n", target, lsm)
        return {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[self.reduction](losses)

    def backward(self, dout=1.0):
        n = self.y.shape[0]
        scale = {"mean": 1.0 / n, "sum": 1.0, "none": 1.0}[self.reduction]
        dout = np.asarray(dout, dtype=float)
        return (dout[:, None] if dout.ndim else dout) * scale * (self.y - self.p)
