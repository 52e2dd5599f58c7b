# Bug: the Sigmoid layer stores its output on the class (Sigmoid.out), so every instance shares it:
# with two Sigmoid layers in a net, the first one's backward uses the second one's output.
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    return (1.0 - sigmoid(x)) * sigmoid(x)


def relu(x):
    return np.maximum(0, x)


class Sigmoid:
    out = None

    def forward(self, x):
        Sigmoid.out = sigmoid(x)
        return Sigmoid.out

    def backward(self, dout):
        return dout * (1.0 - Sigmoid.out) * Sigmoid.out


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
