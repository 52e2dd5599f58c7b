# The control: only relu, nothing else. Every hostile case must score no more than this.
import numpy as np


def relu(x):
    return np.maximum(0, x)
