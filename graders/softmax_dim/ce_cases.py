"""CrossEntropyLoss's expected gradients, and the known mistakes a wrong value or a raise matches."""
from __future__ import annotations

from typing import Any

import numpy as np

from graders.softmax_dim import hints
from graders.softmax_dim.cases import attempt, reduce, same


def ref_backward(ref: Any, reduction: str, x: np.ndarray, t: np.ndarray, dout: Any) -> np.ndarray:
    layer = ref.CrossEntropyLoss(reduction=reduction)
    layer.forward(x, t)
    return layer.backward() if dout is None else layer.backward(dout)


def student_backward(student: Any, reduction: str, x: np.ndarray, t: np.ndarray, dout: Any, *, quiet: bool = True) -> Any:
    """A fresh student layer's forward(x, t) then backward(dout) (backward() for None); None if it
    raised, unless ``quiet`` is False."""
    def run():
        layer = student.CrossEntropyLoss(reduction=reduction)
        layer.forward(x, t)
        return layer.backward() if dout is None else layer.backward(dout)
    return attempt(run) if quiet else run()


def forward_hint(ref: Any, got: Any, x: np.ndarray, p: np.ndarray, reduction: str) -> str:
    """A wrong loss that equals the sum for 'mean', or the loss of probabilities (nll of softmax)."""
    n = x.shape[0]
    losses = -np.sum(p * ref.log_softmax(x, dim=-1), axis=1)
    if reduction == "mean" and n > 1 and same(got, float(np.sum(losses))):
        return hints.REDUCTION_SUM
    probabilities = np.exp(ref.log_softmax(x, dim=-1))
    if same(got, reduce(-np.sum(p * probabilities, axis=1), reduction)):
        return hints.CE_NLL_OF_PROBS
    if same(got, reduce(-np.sum(p * np.log(probabilities + 1e-7), axis=1), reduction)):
        return hints.CE_EPSILON
    return ""


def backward_hint(student: Any, ref: Any, got: Any, x: np.ndarray, t: np.ndarray, reduction: str, dout: Any, *,
                  raised: bool = False) -> str:
    """The known mistake a wrong gradient matches, or, for a backward that raised, the dout it could
    not take (the same values spelled another way go through)."""
    n = x.shape[0]
    want = ref_backward(ref, reduction, x, t, dout)
    if raised:
        if dout is None:
            if same(student_backward(student, reduction, x, t, 1.0), want):
                return hints.DEFAULT_DOUT  # backward(1.0) works, backward() does not: the default differs
            ones = reduction == "none" and same(student_backward(student, reduction, x, t, np.ones(n)), want)
            return hints.CE_SCALAR_DOUT if ones else ""
        if reduction == "none" and np.ndim(dout) == 0:
            works = same(student_backward(student, reduction, x, t, np.full(n, float(dout))), want)
            return hints.CE_SCALAR_DOUT if works else ""
        return ""
    if reduction == "mean" and n > 1 and same(got, want * n):
        return hints.CE_BACKWARD_N
    if reduction == "sum" and n > 1 and same(got, want / n):
        return hints.CE_BACKWARD_SUM_N
    if dout is not None and not same(got, want) and same(got, ref_backward(ref, reduction, x, t, None)):
        return hints.CE_BACKWARD_DOUT
    return ""
