# Bug: a class-level dict as the cache ("cache = {}" in the class body): self.cache['mask'] = ...
# writes into the one dict every Relu shares.
import numpy as np


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)


def relu(x):
    return np.maximum(0, x)


class Sigmoid:
    def forward(self, x):
        self.y = sigmoid(x)
        return self.y

    def backward(self, dout):
        return dout * self.y * (1 - self.y)


class Relu:
    cache = {}

    def forward(self, x):
        self.cache['mask'] = x > 0
        return x * self.cache['mask']

    def backward(self, dout):
        return dout * self.cache['mask']
