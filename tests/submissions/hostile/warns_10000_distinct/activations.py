"""relu is right and, on every call, emits 10,000 warnings, each with a different message."""
import warnings

import numpy as np


def relu(x):
    for i in range(10_000):
        warnings.warn(f"distinct warning number {i} " + "w" * 200, UserWarning)
    return np.maximum(0, x)
