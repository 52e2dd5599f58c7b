# Bug: Relu.backward returns the local derivative (1 where x > 0) and forgets to multiply by dout.
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
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class Relu:
    def __init__(self):
        self.x = None

    def forward(self, x):
        self.x = x.copy()
        return np.maximum(0, x)

    def backward(self, dout):
        return (self.x > 0).astype(float)
