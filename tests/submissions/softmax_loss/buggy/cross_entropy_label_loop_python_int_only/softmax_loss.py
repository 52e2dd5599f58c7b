# Bug: a single label is taken for a Python int only (isinstance(t, int)); a numpy integer
# label falls through to the loop, which cannot iterate over it.
import numpy as np


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    if isinstance(t, int):
        t = [t]
    if y.ndim == 1:
        y = y.reshape(1, -1)
        if np.ndim(t) == 1 and len(t) == y.shape[1]:  # one one-hot row
            t = np.reshape(t, (1, -1))
    if np.ndim(t) == 2:
        t = np.argmax(t, axis=1)
    total = 0.0
    for i, label in enumerate(t):
        total += -np.log(y[i, label] + 1e-7)
    return total / y.shape[0]


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = None
        self.y = None  # output of softmax
        self.t = None  # labels

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:  # one-hot labels
            dx = (self.y - self.t) / batch_size
        else:
            dx = self.y.copy()
            dx[np.arange(batch_size), self.t] -= 1
            dx = dx / batch_size
        return dx
