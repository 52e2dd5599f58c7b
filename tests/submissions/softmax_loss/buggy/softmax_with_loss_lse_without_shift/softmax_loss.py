# Bug: the loss by log-sum-exp, but without subtracting the row maximum: log(sum(exp(1000)))
# is log(inf) = inf.
import numpy as np


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)

    # one-hot labels -> the index of the right class
    if t.size == y.size:
        t = t.argmax(axis=1)

    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.y = softmax(x)
        self.labels = np.argmax(t, axis=1) if t.ndim == 2 else t
        n = x.shape[0]
        log_z = np.log(np.sum(np.exp(x), axis=1))
        return float(np.mean(log_z - x[np.arange(n), self.labels]))

    def backward(self, dout=1):
        n = self.y.shape[0]
        dx = self.y.copy()
        dx[np.arange(n), self.labels] -= 1
        return dout * dx / n
