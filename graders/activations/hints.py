"""Every 'likely mistake' the activations graders can name, in one place."""
from graders.checks import name_mistakes


SIGMOID_FORMULA = "sigmoid is 1 / (1 + exp(-x)); check the sign inside exp"
SIGMOID_OVERFLOW = ("exp(-x) overflows for large negative x: 1 / (1 + inf) is still 0, but inf / inf is nan; "
                    "use exp(-|x|) on each side of 0, or accept the warning with the 1 / (1 + exp(-x)) form")
SIGMOID_GRAD = "sigmoid_grad(x) is sigmoid(x) * (1 - sigmoid(x)), not x * (1 - x)"
RELU = "relu(x) is max(0, x): np.maximum(0, x), not np.max (which reduces the array to one number)"
IN_PLACE = "forward changed the array it was given: work on a copy (x.copy()) or build a new array (np.where)"
SIGMOID_BACKWARD = "backward of sigmoid is dout * y * (1 - y), with y the OUTPUT of forward (not x)"
STALE_CACHE = "backward must use what the latest forward stored: set the cache on every forward call"
RELU_BACKWARD = "backward lets dout through where x > 0 and blocks it where x < 0 (keep forward's mask)"
RELU_MASK = "the mask must come from x (x <= 0 or x < 0), not from dout"

name_mistakes(globals(), 'activations')
