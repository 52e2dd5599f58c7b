# tensordot and transposes instead of reshape-and-matmul; a list of layers walked both ways;
# the loss as -log(softmax + 1e-7) with one-hot labels built from indices.
import numpy as np


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class Relu:
    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout = dout.copy()
        dout[self.mask] = 0
        return dout


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.y = softmax(x)
        t = np.asarray(t)
        self.t = t if t.shape == x.shape else np.eye(x.shape[1])[t]
        return float(-np.sum(self.t * np.log(self.y + 1e-7)) / x.shape[0])

    def backward(self, dout=1):
        return dout * (self.y - self.t) / self.y.shape[0]


class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def forward(self, x):
        self.x = x
        # contract every axis of a sample with the rows of W
        axes = tuple(range(1, x.ndim))
        flat_w = self.W.reshape(x.shape[1:] + (self.W.shape[1],))
        return np.tensordot(x, flat_w, axes=(axes, tuple(range(len(axes))))) + self.b

    def backward(self, dout):
        x2 = self.x.reshape(self.x.shape[0], -1)
        self.dW = (dout.T @ x2).T
        self.db = dout.sum(axis=0)
        return (self.W @ dout.T).T.reshape(self.x.shape)


def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(*x.shape):
        keep = x[idx].copy()
        try:
            x[idx] = keep + h
            a = f(x)
            x[idx] = keep - h
            b = f(x)
        finally:
            x[idx] = keep
        grad[idx] = (a - b) / (2 * h)
    return grad


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        rng = np.random.default_rng()
        self.params = {
            "W1": rng.standard_normal((input_size, hidden_size)) * weight_init_std,
            "b1": np.zeros(hidden_size),
            "W2": rng.standard_normal((hidden_size, output_size)) * weight_init_std,
            "b2": np.zeros(output_size),
        }
        self.layers = [Affine(self.params["W1"], self.params["b1"]), Relu(),
                       Affine(self.params["W2"], self.params["b2"])]
        self.last = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last.forward(self.predict(x), t)

    def accuracy(self, x, t):
        t = np.asarray(t)
        labels = t.argmax(axis=1) if t.ndim == 2 else t
        return np.count_nonzero(self.predict(x).argmax(axis=1) == labels) / len(labels)

    def numerical_gradient(self, x, t):
        f = lambda _: self.loss(x, t)
        return {k: numerical_gradient(f, self.params[k]) for k in ("W1", "b1", "W2", "b2")}

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last.backward()
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        first, second = self.layers[0], self.layers[2]
        return {"W1": first.dW, "b1": first.db, "W2": second.dW, "b2": second.db}
