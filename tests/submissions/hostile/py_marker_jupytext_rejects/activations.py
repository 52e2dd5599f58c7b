# Correct code in jupytext's percent format, one marker of which jupytext rejects (tags=5)
# and an nbgrader autograder cell that must be dropped, as in the notebook.

# %% nbgrader={"grade": false, "grade_id": "sigmoid_code", "solution": true}
import numpy as np


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1.0 - s)


def relu(x):
    return np.maximum(0, x)

# %% nbgrader={"grade": true, "grade_id": "functions", "points": 3, "solution": false}
raise SystemExit('the autograder cell must not run')

# %% tags=5
class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)
