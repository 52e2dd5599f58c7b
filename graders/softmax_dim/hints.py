"""Every 'likely mistake' the softmax_dim graders can name, in one place."""
from graders.checks import name_mistakes


DIM_IGNORED = "the max and the sum must run along self.dim (axis=self.dim), not always the last axis"
KEEPDIMS = "reduce with keepdims=True so the max and the sum broadcast back along dim"
NO_MAX_SHIFT = "exp overflows for large scores: subtract the max along dim (np.max(x, axis=dim, keepdims=True)) first"
DIAGONAL_JACOBIAN = ("softmax's Jacobian is not diagonal: every output depends on every input, so "
                     "dx = y * (dout - sum(dout * y, along dim)), not dout * y * (1 - y)")
SOFTMAX_BACKWARD = "dx = y * (dout - sum(dout * y, axis=dim, keepdims=True)), with y the output of the latest forward"
STALE_CACHE = "backward must use what the latest forward stored: set the cache on every forward call"
IN_PLACE = "forward changed the array it was given: x -= m overwrites the caller's array, x = x - m does not"
LOG_OF_SOFTMAX = ("np.log(softmax(x)) is -inf where softmax rounds a tiny probability to 0: use log-sum-exp, "
                  "(x - m) - log(sum(exp(x - m))) with m the max along dim")
LOG_SOFTMAX = "log_softmax(x) is x - m - log(sum(exp(x - m), along dim)), with m the max along dim"
NLL_PICK = "nll_loss picks -log_probs[i, target[i]] for each sample i: log_probs[np.arange(N), target]"
NLL_TAKES_LOG_PROBS = "nll_loss gets log-probabilities already: do not take the log again, just negate the picked entries"
NLL_MEAN_OVER_N = "'mean' averages the N per-sample losses, not all N * C entries"
REDUCTION_SUM = "'sum' adds the per-sample losses; 'mean' divides that by N"
REDUCTION_NONE = "'none' returns the per-sample losses as an (N,) array, unreduced"
CE_FORWARD = "the loss is -sum(p * log_softmax(logits), axis=1) per sample, then the reduction"
CE_PROBABILITIES = ("a target of shape (N, C) holds class probabilities: use them as p directly "
                    "(only an (N,) target holds class indices to turn into one-hot rows)")
CE_EXTREME = "use log_softmax (log-sum-exp): log(softmax) gives inf for the logits [1000, 0, -1000] with class 2"
CE_BACKWARD = "d loss / d logits is (softmax(logits) - p), divided by N for 'mean'"
CE_BACKWARD_N = "for 'mean' the gradient is divided by N, (softmax - p) / N: the loss is a mean over the batch"
CE_BACKWARD_DOUT = "multiply by dout: a number for 'mean' and 'sum', one value per row (dout[:, None]) for 'none'"

name_mistakes(globals(), 'softmax_dim')
