# Swaps dim with the last axis (its own inverse), transposes and matrix products for the backward.
import numpy as np


def _last(a, dim):
    return np.swapaxes(a, dim, -1)


class Softmax:
    def __init__(self, dim=-1):
        self.dim = dim

    def forward(self, x):
        z = _last(x, self.dim)
        z = z - z.max(axis=-1)[..., np.newaxis]
        e = np.exp(z)
        self.y = _last(e / e.sum(axis=-1)[..., np.newaxis], self.dim)
        return self.y

    def backward(self, dout):
        y, d = _last(self.y, self.dim), _last(dout, self.dim)
        dot = (d[..., np.newaxis, :] @ y[..., :, np.newaxis])[..., 0]
        return _last(y * (d - dot), self.dim)


def log_softmax(x, dim=-1):
    z = _last(x, dim)
    m = z.max(axis=-1)[..., np.newaxis]
    out = z - m - np.log(np.exp(z - m).sum(axis=-1))[..., np.newaxis]
    return _last(out, dim)


def nll_loss(log_probs, target, reduction="mean"):
    mask = np.zeros_like(log_probs, dtype=bool)
    mask[np.arange(len(target)), target] = True
    losses = -log_probs[mask]
    if reduction == "sum":
        return losses.sum()
    if reduction == "mean":
        return losses.sum() / len(target)
    return losses


class CrossEntropyLoss:
    def __init__(self, reduction="mean"):
        self.reduction = reduction

    def forward(self, logits, target):
        c = logits.shape[1]
        self.p = target if target.ndim == 2 else (np.arange(c)[None, :] == target[:, None]).astype(float)
        lsm = log_softmax(logits, -1)
        self.y = np.exp(lsm)
        losses = -(self.p * lsm).sum(axis=1)
        return nll_like(losses, self.reduction)

    def backward(self, dout=1.0):
        g = self.y - self.p
        if self.reduction == "none":
            return (g.T * dout).T
        return g * dout / (len(g) if self.reduction == "mean" else 1)


def nll_like(losses, reduction):
    return losses if reduction == "none" else (losses.mean() if reduction == "mean" else losses.sum())
