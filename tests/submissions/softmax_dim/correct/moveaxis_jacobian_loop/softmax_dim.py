# Moves dim to the end, works row by row with the full softmax Jacobian, and moves it back.
import numpy as np


class Softmax:
    def __init__(self, dim=-1):
        self.dim = dim

    def forward(self, x):
        moved = np.moveaxis(x, self.dim, -1)
        rows = moved.reshape(-1, moved.shape[-1])
        out = np.empty_like(rows)
        for i, row in enumerate(rows):
            e = np.exp(row - row.max())
            out[i] = e / e.sum()
        self.y = np.moveaxis(out.reshape(moved.shape), -1, self.dim)
        return self.y

    def backward(self, dout):
        y = np.moveaxis(self.y, self.dim, -1)
        d = np.moveaxis(dout, self.dim, -1)
        y_rows, d_rows = y.reshape(-1, y.shape[-1]), d.reshape(-1, d.shape[-1])
        dx = np.empty_like(y_rows)
        for i in range(len(y_rows)):
            jacobian = np.diag(y_rows[i]) - np.outer(y_rows[i], y_rows[i])
            dx[i] = jacobian.T @ d_rows[i]
        return np.moveaxis(dx.reshape(y.shape), -1, self.dim)


def log_softmax(x, dim=-1):
    m = x.max(axis=dim, keepdims=True)
    return x - (m + np.log(np.exp(x - m).sum(axis=dim, keepdims=True)))


def nll_loss(log_probs, target, reduction="mean"):
    losses = np.array([-log_probs[i, int(t)] for i, t in enumerate(target)])
    if reduction == "none":
        return losses
    total = 0.0
    for value in losses:
        total += value
    return total / len(losses) if reduction == "mean" else total


class CrossEntropyLoss:
    def __init__(self, reduction="mean"):
        self.reduction = reduction

    def forward(self, logits, target):
        self.logits = logits.copy()
        if np.ndim(target) == 1:
            self.p = np.eye(logits.shape[1])[np.asarray(target, dtype=int)]
        else:
            self.p = np.array(target, dtype=float)
        per_row = -np.sum(self.p * log_softmax(logits, dim=1), axis=1)
        return nll_reduce(per_row, self.reduction)

    def backward(self, dout=1.0):
        grad = Softmax(dim=1).forward(self.logits) - self.p
        if self.reduction == "mean":
            grad = grad / len(grad)
        if self.reduction == "none":
            return grad * np.reshape(dout, (-1, 1))
        return grad * dout


def nll_reduce(values, reduction):
    if reduction == "mean":
        return float(np.mean(values))
    if reduction == "sum":
        return float(np.sum(values))
    return values
