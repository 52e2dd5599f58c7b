# Bug: forward recomputes its output only when the input's shape changes ("caching" for speed),
# so a second batch of the same shape gets the first batch's output.
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    return (1.0 - sigmoid(x)) * sigmoid(x)


def relu(x):
    return np.maximum(0, x)


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        if self.out is None or self.out.shape != x.shape:
            self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout
