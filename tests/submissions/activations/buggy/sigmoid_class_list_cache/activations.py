# Bug: outputs are pushed on a list defined in the class body; backward reads the last one pushed,
# which is the latest forward of ANY Sigmoid, not of this one.
import numpy as np


def sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))


def sigmoid_grad(x):
    return sigmoid(x) * (1 - sigmoid(x))


def relu(x):
    return np.where(x > 0, x, 0.0)


class Sigmoid:
    outputs = []

    def forward(self, x):
        out = sigmoid(x)
        self.outputs.append(out)
        return out

    def backward(self, dout):
        y = self.outputs[-1]
        return dout * y * (1 - y)


class Relu:
    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)
