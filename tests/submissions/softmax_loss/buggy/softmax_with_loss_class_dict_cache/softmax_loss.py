# Bug: a dict in the class body holds the cache; self.cache[...] = ... writes into the one dict
# every instance shares.
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
    cache = {}

    def forward(self, x, t):
        y = softmax(x)
        labels = np.argmax(t, axis=1) if np.ndim(t) == 2 else np.asarray(t)
        self.cache["y"], self.cache["labels"] = y, labels
        return cross_entropy_error(y, labels)

    def backward(self, dout=1):
        y, labels = self.cache["y"], self.cache["labels"]
        dx = y.copy()
        dx[np.arange(len(labels)), labels] -= 1
        return dout * dx / len(labels)
