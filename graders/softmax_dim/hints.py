"""Every 'likely mistake' the softmax_dim graders can name, in one place."""
from graders.checks import name_mistakes


DIM_IGNORED = "the max and the sum must run along self.dim (axis=self.dim), not always the last axis"
KEEPDIMS = "reduce with keepdims=True so the max and the sum broadcast back along dim"
NO_MAX_SHIFT = "exp overflows for large scores: subtract the max along dim (np.max(x, axis=dim, keepdims=True)) first"
GLOBAL_MAX = ("subtract the max along dim (np.max(x, axis=dim, keepdims=True)), not the max of the whole array: "
              "a slice far below the array's max underflows to 0 / 0")
DIAGONAL_JACOBIAN = ("softmax's Jacobian is not diagonal: every output depends on every input, so "
                     "dx = y * (dout - sum(dout * y, along dim)), not dout * y * (1 - y)")
STALE_CACHE = "backward must use what the latest forward stored: set the cache on every forward call"
IN_PLACE = ("the function wrote into the array it was given (x -= m, x[...] = ..., np.exp(x, out=x)): "
            "compute into a new array instead (x = x - m)")
DOUT_IN_PLACE = "backward wrote into the dout it was given (dout -= ..., dout *= ...): compute into a new array"
SHARED_STATE = ("keep the cache on the instance (self.y = ... in forward), not on the class: two layers of one "
                "class used in turn must not see each other's values")
DEFAULT_DIM = "dim defaults to -1, the last axis, as in PyTorch: Softmax(dim=-1) and log_softmax(x, dim=-1)"
DEFAULT_REDUCTION = "reduction defaults to 'mean', as in PyTorch: def __init__(self, reduction='mean')"
DEFAULT_DOUT = "backward's dout defaults to 1.0 (for 'none' that stands for 1 on every sample): def backward(self, dout=1.0)"
BACKWARD_OVERFLOW = ("backward overflows where forward did not: it exponentiates the raw input again; "
                     "reuse the probabilities the forward stored (they are already stable)")
LOG_OF_SOFTMAX = ("np.log(softmax(x)) is -inf where softmax rounds a tiny probability to 0: use log-sum-exp, "
                  "(x - m) - log(sum(exp(x - m))) with m the max along dim")
LOG_EPSILON = ("log(softmax(x) + 1e-7) is off by about 1e-7 / p, and by far more for tiny p: use log-sum-exp, "
               "which is exact")
NLL_TAKES_LOG_PROBS = "nll_loss gets log-probabilities already: do not take the log again, just negate the picked entries"
NLL_EXTREME = ("nll_loss only picks and negates entries: an exp or log of them on the way turns log-probabilities "
               "like -2000 into inf")
NLL_NONE_SHAPE = "'none' returns shape (N,): take_along_axis and [:, None] keep a length-1 axis, flatten it (.ravel())"
NLL_MEAN_OVER_N = "'mean' averages the N per-sample losses, not all N * C entries"
REDUCTION_SUM = "'sum' adds the per-sample losses; 'mean' divides that by N"
REDUCTION_NONE = "'none' returns the per-sample losses as an (N,) array, unreduced"
CE_PROBABILITIES = ("a target of shape (N, C) holds class probabilities: use them as p directly "
                    "(only an (N,) target holds class indices to turn into one-hot rows)")
CE_EXTREME = ("use log_softmax (log-sum-exp): log(softmax) is -inf where softmax rounds a probability to 0 (and "
              "0 * -inf is NaN), so the logits [1000, 0, -1000] with class 2 give inf or NaN instead of 2000")
CE_EPSILON = ("-log(softmax + 1e-7) is off by about 1e-7 / p and gives 16.1 instead of 2000 for [1000, 0, -1000]: "
              "use log_softmax (log-sum-exp)")
CE_BACKWARD_N = "for 'mean' the gradient is divided by N, (softmax - p) / N: the loss is a mean over the batch"
CE_BACKWARD_DOUT = "multiply by dout: a number for 'mean' and 'sum', one value per row (dout[:, None]) for 'none'"
CE_SCALAR_DOUT = ("with 'none', a scalar dout stands for that value on every sample: np.reshape(dout, (-1, 1)) "
                  "broadcasts a scalar and an (N,) dout alike (dout[:, None] fails on a scalar)")
CE_BACKWARD_SUM_N = "'sum' is not divided by N: only 'mean' carries the 1 / N"
CE_NLL_OF_PROBS = ("the loss was computed from probabilities, -p[i, target[i]], not log-probabilities: "
                   "nll_loss needs log_softmax(logits), not softmax(logits)")

name_mistakes(globals(), 'softmax_dim')
