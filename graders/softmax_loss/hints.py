"""Every 'likely mistake' the softmax_loss graders can name, in one place."""
from graders.checks import name_mistakes


# softmax
SOFTMAX_FORMULA = "softmax is exp(x) / sum(exp(x)) over the LAST axis, row by row: np.sum(..., axis=-1, keepdims=True)"
SOFTMAX_OVERFLOW = ("exp overflows for large scores (np.exp(1000) is inf, inf / inf is nan): subtract each row's "
                    "maximum first, x - np.max(x, axis=-1, keepdims=True)")
SOFTMAX_ROW_MAX = ("subtract each ROW's own maximum (np.max(x, axis=-1, keepdims=True)), not one maximum of the "
                   "whole batch: rows far below it underflow to 0 / 0")
SOFTMAX_AXIS0 = ("the columns sum to 1, not the rows: normalise over the last axis (axis=-1), not over the batch "
                 "axis (axis 0 of a batch, or axis 1 of a 3-D input)")
SOFTMAX_BATCH_WIDE = ("the whole batch sums to 1, not each row: sum over the last axis only, "
                      "np.sum(e, axis=-1, keepdims=True), not np.sum(e)")
SOFTMAX_KEEPDIMS = ("divide each row by its own sum: np.sum(e, axis=-1, keepdims=True) keeps the axis so the "
                    "division broadcasts row by row (without keepdims it divides columns, or fails)")
SOFTMAX_1D = "a 1-D x is one vector of scores: use axis=-1 (which works for 1-D and batches), not axis=1"
SOFTMAX_ND = "x may have more than two axes: normalise over the last one, axis=-1 with keepdims=True"
IN_PLACE = ("the function changed the array it was given (e.g. x -= np.max(...) or y += 1e-7): "
            "build a new array instead (x = x - ...)")

# cross_entropy_error
CE_FORMULA = "the loss is -mean over the batch of log(y[n, label_n]), the log of the right class's probability"
CE_INDEX_LABELS = ("t may be class indices (N,) instead of one-hot: t * np.log(y) only works for one-hot labels; "
                   "pick y[np.arange(N), t] (turn one-hot labels into indices with np.argmax(t, axis=1))")
CE_ONE_HOT = "t may be one-hot, shaped like y: turn it into indices with np.argmax(t, axis=-1) (or use -sum(t * log y))"
CE_1D = ("a 1-D y is one sample: reshape y to (1, C) (and t to (1, C) or (1,)) first, so the batch size is 1, "
         "not C")
CE_SUM_NOT_MEAN = "divide the summed loss by the batch size N: the loss is a MEAN over the batch, not a sum"
CE_DOUBLE_MEAN = "the loss was divided by N twice (np.mean of per-sample losses already divides by N)"
LOG_ZERO = ("log(0) is -inf: compute the loss by log-sum-exp, log(sum(exp(x - m))) + m - x[label], or add the "
            "book's 1e-7 inside the log")

# SoftmaxWithLoss
INDEX_ALSO_WRONG = ("one-hot labels give a wrong result too (see that test): fix that first, then accept index "
                    "labels as well")
SWL_FORWARD = "forward returns the mean cross-entropy of softmax(x) against t (a float), as cross_entropy_error(softmax(x), t)"
SWL_BACKWARD = "backward returns dx = (y - t) / N with y = softmax(x) from the latest forward and t one-hot"
SWL_BACKWARD_N = "backward must divide by the batch size N: the loss is a mean, so dx = (y - t) / N"
SWL_BACKWARD_DOUBLE_N = "backward divided by N twice: dx = (y - t) / N, with N = x.shape[0] once"
SWL_BACKWARD_INDEX = ("with index labels, y - t subtracts the label numbers from y: convert them to one-hot "
                      "(np.eye(C)[t]) or do dx = y.copy(); dx[np.arange(N), t] -= 1; then divide by N")
SWL_EXTREME = ("on scores [1000, 0, -1000] softmax gives exactly 0 for the labelled class and log(0) = -inf: "
               "use log-sum-exp, or the book's 1e-7 inside the log")
SWL_DX_SHAPE = "dx has the shape of x, (N, C): one gradient entry per score"
SWL_DX_FINITE = "a division by zero or log(0) in backward: dx = (y - t) / N needs neither"
STALE_CACHE = "backward must use what the latest forward stored: set y and t on every forward call"

name_mistakes(globals(), 'softmax_loss')
