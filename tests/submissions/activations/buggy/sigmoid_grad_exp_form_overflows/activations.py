# Bug: sigmoid_grad written from the quotient rule, exp(-x) / (1 + exp(-x))**2: inf / inf = nan
# far in the negative tail. sigmoid itself is the stable two-branch form.
import numpy as np


def sigmoid(x):
    out = np.empty_like(x, dtype=float)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1 + e)
    return out


def sigmoid_grad(x):
    e = np.exp(-x)
    return e / (1 + e) ** 2


def relu(x):
    return np.maximum(0, x)


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout
