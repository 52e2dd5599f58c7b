import numpy as np


def relu(x):
    return np.maximum(0, x)


def sigmoid(x):
    big = np.ones(int(20e9 / 8))  # 20 GB
    return big[: x.size].reshape(x.shape)
