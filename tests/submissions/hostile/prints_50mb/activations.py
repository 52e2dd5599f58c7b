import numpy as np

for _ in range(50 * 1024):
    print("x" * 1023)


def relu(x):
    print("y" * 10000)
    return np.maximum(0, x)
