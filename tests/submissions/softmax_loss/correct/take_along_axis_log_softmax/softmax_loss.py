# PyTorch-minded: log-softmax by log-sum-exp, the labelled entries picked with take_along_axis,
# inputs copied on the way in, backward scaled by its dout (default 1.0).
import numpy as np


def _log_softmax(x):
    m = np.max(x, axis=-1, keepdims=True)
    return x - m - np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True))


def softmax(x):
    return np.exp(_log_softmax(np.array(x, dtype=float)))


def cross_entropy_error(y, t):
    y = np.array(y, dtype=float, ndmin=2)
    t = np.array(t)
    labels = t.reshape(y.shape).argmax(axis=-1) if t.size == y.size and y.shape[1] > 1 else t.reshape(-1)
    picked = np.take_along_axis(y, labels.astype(np.intp)[:, None], axis=1)
    with np.errstate(divide="ignore"):
        return float(-np.log(picked).mean())


class SoftmaxWithLoss:
    def __init__(self):
        self.probs = None
        self.labels = None

    def forward(self, x, t):
        x = np.array(x, dtype=float)
        t = np.array(t)
        self.labels = t.argmax(axis=1) if t.ndim == 2 else t.astype(np.intp)
        logp = _log_softmax(x)
        self.probs = np.exp(logp)
        return float(-np.take_along_axis(logp, self.labels[:, None], axis=1).mean())

    def backward(self, dout=1.0):
        grad = self.probs.copy()
        grad[np.arange(len(self.labels)), self.labels] -= 1.0
        return grad * (dout / len(self.labels))
