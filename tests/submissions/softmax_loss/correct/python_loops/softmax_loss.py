# Plain Python loops with the math module, row by row.
import math
import numpy as np


def _softmax_row(row):
    m = max(row)
    exps = [math.exp(v - m) for v in row]
    s = sum(exps)
    return [e / s for e in exps]


def softmax(x):
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    for idx in np.ndindex(*x.shape[:-1]):
        out[idx] = _softmax_row(list(x[idx]))
    return out


def _label_list(t, n, c):
    t = np.asarray(t)
    if t.ndim == 0:
        return [int(t)]
    if t.ndim == 2 or (n == 1 and t.size == c and c > 1):
        rows = t.reshape(n, c)
        return [max(range(c), key=lambda j: rows[i][j]) for i in range(n)]
    return [int(v) for v in t]


def cross_entropy_error(y, t):
    y = np.asarray(y, dtype=float)
    if y.ndim == 1:
        y = y.reshape(1, -1)
    n, c = y.shape
    labels = _label_list(t, n, c)
    total = 0.0
    for i in range(n):
        total += -math.log(y[i][labels[i]] + 1e-7)
    return total / n


class SoftmaxWithLoss:
    def forward(self, x, t):
        n, c = x.shape
        self.labels = _label_list(t, n, c)
        self.y = softmax(x)
        loss = 0.0
        for i in range(n):
            row = list(x[i])
            m = max(row)
            lse = m + math.log(sum(math.exp(v - m) for v in row))
            loss += lse - row[self.labels[i]]
        return loss / n

    def backward(self, dout=1):
        n, c = self.y.shape
        dx = np.zeros((n, c))
        for i in range(n):
            for j in range(c):
                dx[i, j] = (self.y[i, j] - (1.0 if j == self.labels[i] else 0.0)) / n
        return dx
