"""Every 'likely mistake' the softmax_loss graders can name, in one place.

A test names one only when the student's value matches that mistake's signature (what the mistake
gives on the same input, see graders.checks.signature) or a control proves it (the same call with
the other label format, or on a batch instead of a vector, is right).
"""
from graders.checks import name_mistakes


# softmax
SOFTMAX_OVERFLOW = ("exp overflows for large scores (np.exp(1000) is inf, inf / inf is nan): subtract each row's "
                    "maximum first, x - np.max(x, axis=-1, keepdims=True)")
SOFTMAX_ROW_MAX = ("subtract each ROW's own maximum (np.max(x, axis=-1, keepdims=True)), not one maximum of the "
                   "whole batch: rows far below it underflow to 0 / 0")
SOFTMAX_AXIS0 = ("the columns sum to 1, not the rows: normalise over the last axis (axis=-1), not over the batch "
                 "axis (axis 0)")
SOFTMAX_BATCH_WIDE = ("the whole batch sums to 1, not each row: sum over the last axis only, "
                      "np.sum(e, axis=-1, keepdims=True), not np.sum(e)")
SOFTMAX_KEEPDIMS = ("divide each row by its own sum: np.sum(e, axis=-1, keepdims=True) keeps the axis so the "
                    "division broadcasts row by row (without keepdims it divides columns, or fails)")
SOFTMAX_MAX_KEEPDIMS = ("subtract each row's maximum with keepdims=True: x - np.max(x, axis=-1) without it "
                        "subtracts the maxima along the columns (or fails to broadcast)")
SOFTMAX_1D = "a 1-D x is one vector of scores: use axis=-1 (which works for 1-D and batches), not axis=1"
SOFTMAX_ND = ("x may have more than two axes: normalise over the last one, axis=-1 with keepdims=True (a 2-D only "
              "branch, axis=1 or one sum over the whole array is wrong there)")
IN_PLACE = ("the function changed the array it was given (e.g. x -= np.max(...) or y += 1e-7): "
            "build a new array instead (x = x - ...)")

# cross_entropy_error
CE_INDEX_LABELS = ("t may be class indices (N,) instead of one-hot: t * np.log(y) only works for one-hot labels; "
                   "pick y[np.arange(N), t] (turn one-hot labels into indices with np.argmax(t, axis=1))")
CE_ONE_HOT = "t may be one-hot, shaped like y: turn it into indices with np.argmax(t, axis=-1) (or use -sum(t * log y))"
CE_1D = ("a 1-D y is one sample: reshape y to (1, C) (and t to (1, C) or (1,)) first, so the batch size is 1, "
         "not C")
CE_SCALAR_LABEL = ("the label of one sample may be a numpy integer (np.int64(2)), a 0-d value that isinstance(t, int) "
                   "rejects and that has no len(): test np.ndim(t) == 0, or reshape t to (1,)")
CE_SUM_NOT_MEAN = "divide the summed loss by the batch size N: the loss is a MEAN over the batch, not a sum"
CE_DOUBLE_MEAN = "the loss was divided by N twice (np.mean of per-sample losses already divides by N)"
CE_MEAN_OVER_CLASSES = ("np.mean(t * np.log(y)) divides by N * C: sum over the classes, then divide by the batch "
                        "size N only")
CE_ZERO_TIMES_LOG = ("y is exactly 0 in classes that are not the label: t * np.log(y) is 0 * -inf = nan there; "
                     "pick the labelled entries, y[np.arange(N), labels], or add the book's 1e-7 inside the log")

# SoftmaxWithLoss
SWL_BACKWARD_N = "backward must divide by the batch size N: the loss is a mean, so dx = (y - t) / N"
SWL_BACKWARD_DOUBLE_N = "backward divided by N twice: dx = (y - t) / N, with N = x.shape[0] once"
SWL_BACKWARD_SIGN = "the gradient has the wrong sign: dx = (y - t) / N, not (t - y) / N"
SWL_BACKWARD_INDEX = ("with index labels, y - t subtracts the label numbers from y: convert them to one-hot "
                      "(np.eye(C)[t]) or do dx = y.copy(); dx[np.arange(N), t] -= 1; then divide by N")
SWL_DEFAULT_DOUT = ("backward() is called with no argument and must then use dout = 1, the contract's default: "
                    "def backward(self, dout=1) (backward(1) gives the right gradient, backward() does not)")
SWL_EXTREME = ("on scores [1000, 0, -1000] softmax gives exactly 0 for the labelled class and log(0) = -inf: "
               "use log-sum-exp, or the book's 1e-7 inside the log")
SWL_LSE_OVERFLOW = ("log(sum(exp(x))) overflows for large scores (np.exp(1000) is inf): shift by each row's "
                    "maximum m, m + log(sum(exp(x - m))) - x[label], or take the log of softmax(x) plus 1e-7")
STALE_CACHE = "backward must use what the latest forward stored: set y and t on every forward call"
SHARED_STATE = ("two SoftmaxWithLoss objects share one cache: keep y and t on the instance (self.y = ...), not on the "
                "class (SoftmaxWithLoss.y = ..., or a class-level dict or list filled through self)")

name_mistakes(globals(), 'softmax_loss')
