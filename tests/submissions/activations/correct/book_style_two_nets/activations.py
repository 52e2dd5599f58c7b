# The book's layers written with a class-level default that is always overwritten on the instance
# (self.out = ... shadows Sigmoid.out), sigmoid_grad via sigmoid(-x), and an explicit dout copy.
import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def sigmoid_grad(x):
    return sigmoid(x) * sigmoid(-x)


def relu(x):
    out = np.array(x, copy=True)
    out[out < 0] = 0
    return out


class Sigmoid:
    out = None

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        dx = np.array(dout, copy=True)
        dx *= self.out * (1.0 - self.out)
        return dx


class Relu:
    mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] = 0
        return dx
