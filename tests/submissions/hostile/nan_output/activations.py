import numpy as np


def relu(x):
    return np.maximum(0, x)


def sigmoid(x):
    return np.full_like(x, np.nan)
