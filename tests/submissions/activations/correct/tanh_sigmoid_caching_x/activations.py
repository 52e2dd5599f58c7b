# sigmoid through tanh (never overflows); the Sigmoid layer caches x and recomputes.
import numpy as np


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s - s * s


def relu(x):
    return x * (x > 0)


class Sigmoid:
    def forward(self, x):
        self.x = np.array(x, copy=True)
        return sigmoid(self.x)

    def backward(self, dout):
        return dout * sigmoid_grad(self.x)


class Relu:
    def forward(self, x):
        self.x = np.array(x, copy=True)
        return np.where(self.x > 0, self.x, 0.0)

    def backward(self, dout):
        return dout * (self.x > 0)
