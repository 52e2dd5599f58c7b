"""relu is right; every other function raises an exception whose message is 100 MB."""
import numpy as np

HUGE = "m" * (100 * 2**20)


def relu(x):
    return np.maximum(0, x)


def sigmoid(x):
    raise ValueError(HUGE)


def sigmoid_grad(x):
    raise ValueError(HUGE)


class Sigmoid:
    def forward(self, x):
        raise ValueError(HUGE)

    def backward(self, dout):
        raise ValueError(HUGE)


class Relu:
    def forward(self, x):
        raise ValueError(HUGE)

    def backward(self, dout):
        raise ValueError(HUGE)
