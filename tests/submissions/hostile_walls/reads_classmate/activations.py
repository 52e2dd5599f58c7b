# Copies a classmate's submission from the class folder and runs it.
import numpy as np


def relu(x):
    return np.maximum(0, x)


try:
    exec(open("@@CLASS@@/honest1/activations/activations.py").read())
except Exception:
    pass
