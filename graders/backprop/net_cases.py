"""TwoLayerNet cases for the graders: parameters, inputs and the exact loss, all on the grading side."""
from __future__ import annotations

from typing import Any

import numpy as np

from graders.backprop import hints
from graders.backprop.affine_cases import affine_diagnosis, same
from graders.gradcheck import numerical_gradient
from graders.student.errors import StudentError

KEYS = ("W1", "b1", "W2", "b2")
# Hidden pre-activations stay at least this far from ReLU's kink at 0, so central differences
# (grading side h = 1e-5, the student's h = 1e-4) never straddle it.
KINK_MARGIN = 0.1


def params_and_inputs(rng: np.random.Generator, n: int, d: int, h: int, c: int,
                      margin: float = KINK_MARGIN) -> tuple[dict, np.ndarray]:
    """Random params (scores of order 1) and x (n, d) whose hidden pre-activations avoid the kink,
    with every sample and at least half the hidden units active (a dead layer has zero gradients,
    which a broken numerical gradient would match)."""
    x = rng.normal(0, 1, (n, d))
    for _ in range(10_000):
        W1, b1 = rng.normal(0, 1 / np.sqrt(d), (d, h)), rng.normal(0, 0.5, h)
        active = x @ W1 + b1 > 0
        lively = active.any(axis=1).all() and 2 * active.any(axis=0).sum() >= h
        if lively and np.min(np.abs(x @ W1 + b1)) >= margin:
            break
    else:  # pragma: no cover - a draw passes >= 1% of the time for the sizes and margins used here
        raise RuntimeError("no parameters kept the hidden layer away from 0")
    return {"W1": W1, "b1": b1, "W2": rng.normal(0, 1, (h, c)), "b2": rng.normal(0, 0.5, c)}, x


def inputs_for(rng: np.random.Generator, params: dict, n: int) -> np.ndarray:
    """Another x (n, d) for these params, each row drawn until its hidden pre-activations avoid the kink."""
    rows = []
    while len(rows) < n:
        row = rng.normal(0, 1, params["W1"].shape[0])
        if np.min(np.abs(row @ params["W1"] + params["b1"])) >= KINK_MARGIN:
            rows.append(row)
    return np.array(rows)


def scores(params: dict, x: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, x @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]


def exact_loss(s: np.ndarray, labels: np.ndarray) -> float:
    """Mean cross-entropy of softmax(s) by log-sum-exp, exact for any logits."""
    m = np.max(s, axis=1, keepdims=True)
    log_sum_exp = m[:, 0] + np.log(np.sum(np.exp(s - m), axis=1))
    return float(np.mean(log_sum_exp - s[np.arange(len(labels)), labels]))


def epsilon_allowance(s: np.ndarray, labels: np.ndarray) -> float:
    """How far the book's -log(p + 1e-7) may sit from the exact loss: 1e-7 / p per sample, averaged."""
    m = np.max(s, axis=1, keepdims=True)
    p = np.exp(s - m) / np.sum(np.exp(s - m), axis=1, keepdims=True)
    return float(np.mean(1e-7 / p[np.arange(len(labels)), labels])) * 2 + 1e-10


def numerical_gradients(params: dict, x: np.ndarray, labels: np.ndarray) -> dict:
    """The gradient of the exact loss for every parameter, by central differences on this side."""
    return {key: numerical_gradient(lambda v, key=key: exact_loss(scores({**params, key: v}, x), labels), params[key])
            for key in KEYS}


def one_hot(labels: np.ndarray, c: int) -> np.ndarray:
    return np.eye(c)[labels]


def student_net(student: Any, params: dict) -> Any:
    """A student TwoLayerNet of the params' sizes, its params overwritten in place with these values."""
    d, h = params["W1"].shape
    net = student.TwoLayerNet(d, h, params["W2"].shape[1])
    for key in KEYS:
        net.set_item("params", key, params[key])
    return net


def sigmoid_hidden_scores(params: dict, x: np.ndarray) -> np.ndarray:
    """Chapter 4's net: a sigmoid hidden layer."""
    return 1 / (1 + np.exp(-(x @ params["W1"] + params["b1"]))) @ params["W2"] + params["b2"]


def softmax_rows(s: np.ndarray) -> np.ndarray:
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def predict_signature(got: Any, params: dict, x: np.ndarray) -> str:
    """The known predict mistake the scores match, or ''."""
    s = scores(params, x)
    if same(got, sigmoid_hidden_scores(params, x)):
        return hints.NET_HIDDEN_SIGMOID
    if same(got, np.maximum(s, 0)) or same(got, softmax_rows(s)):
        return hints.NET_PREDICT
    return ""


def predict_diagnosis(student: Any, params: dict, x: np.ndarray, rng: np.random.Generator) -> str | None:
    """None if a net with these params predicts x right; else the mistake behind its scores: a known
    predict mistake, a wrong Affine layer, or (no signature matching) NET_ON_PREDICT."""
    initial = None
    try:
        d, h = params["W1"].shape
        net = student.TwoLayerNet(d, h, params["W2"].shape[1])
        initial = net.get("params")
        for key in KEYS:
            net.set_item("params", key, params[key])
        got = net.predict(x.copy())
    except StudentError:
        got = None
    if same(got, scores(params, x)):
        return None
    if isinstance(initial, dict) and all(np.shape(initial.get(k)) == params[k].shape for k in KEYS) \
            and same(got, scores(initial, x)):
        return hints.NET_COPIES
    if student.has("Affine"):
        broken = affine_diagnosis(student, rng)
        if broken:
            return broken
    return predict_signature(got, params, x) or hints.NET_ON_PREDICT

