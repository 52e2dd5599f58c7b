# Element by element with the math module, branching on the sign to avoid overflow.
import math
import numpy as np


def _sig(v):
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    for i in np.ndindex(x.shape):
        out[i] = _sig(x[i])
    return out


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)


def relu(x):
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    for i in np.ndindex(x.shape):
        out[i] = x[i] if x[i] > 0 else 0.0
    return out


class Sigmoid:
    def forward(self, x):
        self.y = sigmoid(x)
        return self.y

    def backward(self, dout):
        dx = np.empty_like(self.y)
        for i in np.ndindex(self.y.shape):
            dx[i] = dout[i] * self.y[i] * (1 - self.y[i])
        return dx


class Relu:
    def forward(self, x):
        self.keep = np.asarray(x) > 0
        return relu(x)

    def backward(self, dout):
        dx = np.zeros_like(dout, dtype=float)
        for i in np.ndindex(dx.shape):
            if self.keep[i]:
                dx[i] = dout[i]
        return dx
