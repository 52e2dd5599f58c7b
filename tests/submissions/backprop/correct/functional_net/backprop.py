# A net without layer objects: predict and gradient read self.params on every call and write the
# backward pass out by hand; numerical_gradient walks x.flat; labels normalised to indices once.
import numpy as np


class Relu:
    def forward(self, x):
        self.mask = x < 0
        return np.maximum(x, 0)

    def backward(self, dout):
        return dout * ~self.mask


def log_softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def to_indices(t):
    t = np.asarray(t)
    return t.argmax(axis=1) if t.ndim == 2 else t


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.labels = to_indices(t)
        logp = log_softmax(x)
        self.p = np.exp(logp)
        return -logp[np.arange(len(self.labels)), self.labels].mean()

    def backward(self, dout=1):
        n = len(self.labels)
        grad = self.p.copy()
        grad[np.arange(n), self.labels] -= 1
        return grad * (dout / n)


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.shape = x.shape
        self.flat = x.reshape(len(x), -1)
        return np.einsum("nd,dm->nm", self.flat, self.W) + self.b

    def backward(self, dout):
        self.dW = np.einsum("nd,nm->dm", self.flat, dout)
        self.db = dout.sum(0)
        return np.einsum("nm,dm->nd", dout, self.W).reshape(self.shape)


def numerical_gradient(f, x):
    h = 1e-4
    grad = np.empty(x.shape)
    flat_grad = grad.reshape(-1)
    for i in range(x.size):
        saved = x.flat[i]
        x.flat[i] = saved + h
        up = f(x)
        x.flat[i] = saved - h
        down = f(x)
        x.flat[i] = saved
        flat_grad[i] = (up - down) / (2 * h)
    return grad


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = dict(
            W1=np.random.normal(0.0, weight_init_std, (input_size, hidden_size)),
            b1=np.zeros(hidden_size),
            W2=np.random.normal(0.0, weight_init_std, (hidden_size, output_size)),
            b2=np.zeros(output_size),
        )

    def _forward(self, x):
        p = self.params
        a1 = x @ p["W1"] + p["b1"]
        z1 = np.maximum(a1, 0)
        return a1, z1, z1 @ p["W2"] + p["b2"]

    def predict(self, x):
        return self._forward(x)[2]

    def loss(self, x, t):
        return SoftmaxWithLoss().forward(self.predict(x), t)

    def accuracy(self, x, t):
        return float(np.mean(self.predict(x).argmax(axis=1) == to_indices(t)))

    def numerical_gradient(self, x, t):
        return {k: numerical_gradient(lambda _: self.loss(x, t), v) for k, v in self.params.items()}

    def gradient(self, x, t):
        a1, z1, scores = self._forward(x)
        last = SoftmaxWithLoss()
        last.forward(scores, t)
        ds = last.backward()
        dz1 = ds @ self.params["W2"].T
        da1 = dz1 * (a1 > 0)
        return {"W1": x.T @ da1, "b1": da1.sum(axis=0), "W2": z1.T @ ds, "b2": ds.sum(axis=0)}
