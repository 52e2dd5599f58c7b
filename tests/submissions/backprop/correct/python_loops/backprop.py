# Plain Python loops everywhere; softmax backward through its Jacobian, one sample at a time.
import math

import numpy as np


class Relu:
    def forward(self, x):
        self.x = np.array(x, dtype=float)
        out = np.zeros_like(self.x)
        for i in np.ndindex(self.x.shape):
            out[i] = self.x[i] if self.x[i] > 0 else 0.0
        return out

    def backward(self, dout):
        dx = np.zeros_like(self.x)
        for i in np.ndindex(self.x.shape):
            dx[i] = dout[i] if self.x[i] > 0 else 0.0
        return dx


class SoftmaxWithLoss:
    def forward(self, x, t):
        n, c = x.shape
        t = np.asarray(t)
        self.labels = [int(np.argmax(t[i])) if t.ndim == 2 else int(t[i]) for i in range(n)]
        self.y = np.zeros((n, c))
        total = 0.0
        for i in range(n):
            m = max(x[i])
            s = sum(math.exp(v - m) for v in x[i])
            for k in range(c):
                self.y[i, k] = math.exp(x[i, k] - m) / s
            total += m + math.log(s) - x[i, self.labels[i]]
        return total / n

    def backward(self, dout=1):
        n, c = self.y.shape
        dx = np.zeros((n, c))
        for i in range(n):
            # dL/dy_k = -1/y_label at the label, 0 elsewhere; dy_k/dx_j = y_k (delta_kj - y_j)
            dy = np.zeros(c)
            dy[self.labels[i]] = -1.0 / self.y[i, self.labels[i]]
            for j in range(c):
                for k in range(c):
                    jac = self.y[i, k] * ((1.0 if k == j else 0.0) - self.y[i, j])
                    dx[i, j] += dy[k] * jac
        return dx * dout / n


class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def forward(self, x):
        self.in_shape = x.shape
        n = x.shape[0]
        self.x = x.reshape(n, -1)
        d, m = self.W.shape
        out = np.zeros((n, m))
        for i in range(n):
            for j in range(m):
                acc = self.b[j]
                for k in range(d):
                    acc += self.x[i, k] * self.W[k, j]
                out[i, j] = acc
        return out

    def backward(self, dout):
        n, d = self.x.shape
        m = self.W.shape[1]
        dx = np.zeros((n, d))
        self.dW = np.zeros((d, m))
        self.db = np.zeros(m)
        for i in range(n):
            for j in range(m):
                self.db[j] += dout[i, j]
                for k in range(d):
                    dx[i, k] += dout[i, j] * self.W[k, j]
                    self.dW[k, j] += self.x[i, k] * dout[i, j]
        return dx.reshape(self.in_shape)


def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros(x.shape)
    for idx in np.ndindex(*x.shape):
        original = x[idx]
        x[idx] = original + h
        f_plus = f(x)
        x[idx] = original - h
        f_minus = f(x)
        x[idx] = original
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = {
            "W1": weight_init_std * np.random.randn(input_size, hidden_size),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * np.random.randn(hidden_size, output_size),
            "b2": np.zeros(output_size),
        }
        self.affine1 = Affine(self.params["W1"], self.params["b1"])
        self.relu = Relu()
        self.affine2 = Affine(self.params["W2"], self.params["b2"])
        self.last = SoftmaxWithLoss()

    def predict(self, x):
        return self.affine2.forward(self.relu.forward(self.affine1.forward(x)))

    def loss(self, x, t):
        return self.last.forward(self.predict(x), t)

    def accuracy(self, x, t):
        scores = self.predict(x)
        t = np.asarray(t)
        hits = 0
        for i in range(scores.shape[0]):
            label = int(np.argmax(t[i])) if t.ndim == 2 else int(t[i])
            hits += int(np.argmax(scores[i]) == label)
        return hits / scores.shape[0]

    def numerical_gradient(self, x, t):
        grads = {}
        for key in ("W1", "b1", "W2", "b2"):
            grads[key] = numerical_gradient(lambda W: self.loss(x, t), self.params[key])
        return grads

    def gradient(self, x, t):
        self.loss(x, t)
        d = self.last.backward(1)
        d = self.affine2.backward(d)
        d = self.relu.backward(d)
        self.affine1.backward(d)
        return {"W1": self.affine1.dW, "b1": self.affine1.db, "W2": self.affine2.dW, "b2": self.affine2.db}
