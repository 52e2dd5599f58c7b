# Bug: Sigmoid.backward multiplies dout in place (dout *= ...) and returns it: the caller's
# gradient array is overwritten. (Only Relu.backward may write into dout.)
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)


def relu(x):
    return np.maximum(x, 0)


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        dout *= self.out * (1.0 - self.out)
        return dout


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
