"""Every 'likely mistake' the activations graders can name, in one place.

A test names one only when the student's value matches that mistake's signature (what the mistake
gives on the same input, see graders.checks.signature) or a control proves it (the same call on
other inputs is right).
"""
from graders.checks import name_mistakes


SIGMOID_FORMULA = "sigmoid is 1 / (1 + exp(-x)); check the sign inside exp"
SIGMOID_OVERFLOW = ("exp overflows for large |x| (np.exp(1000) is inf, and inf / inf is nan): the values are right "
                    "elsewhere; use exp(-|x|) on each side of 0, or the 1 / (1 + exp(-x)) form, whose overflow only warns")
SIGMOID_GRAD = "sigmoid_grad(x) is sigmoid(x) * (1 - sigmoid(x)), not x * (1 - x)"
SIGMOID_GRAD_OVERFLOW = ("exp(-x) / (1 + exp(-x))**2 is inf / inf = nan far in the tails: write the derivative "
                         "as s * (1 - s) with s = sigmoid(x), which never overflows")
RELU = "relu(x) is max(0, x): np.maximum(0, x), not np.max (which reduces the array to one number)"
IN_PLACE = "the call changed the array it was given: work on a copy (x.copy()) or build a new array (np.where)"
SIGMOID_BACKWARD = "backward of sigmoid is dout * y * (1 - y), with y the OUTPUT of forward (not x)"
SIGMOID_BACKWARD_TWICE = ("the cached output y is already sigmoid(x): dx = dout * y * (1 - y); sigmoid_grad(y) "
                          "applies sigmoid a second time")
BACKWARD_NO_DOUT = "backward must multiply by dout (the chain rule): dx = dout * (d out / d x)"
STALE_CACHE = ("forward must compute and store its cache on every call, and backward use what the latest forward "
               "stored")
SHARED_STATE = ("two layer objects share one cache: keep it on the instance (self.out = ..., self.mask = ...), "
                "not on the class (Sigmoid.out = ..., or a class-level list or dict filled through self)")
RELU_BACKWARD = "backward lets dout through where x > 0 and blocks it where x < 0 (keep forward's mask)"
RELU_MASK = "the mask must come from x (x <= 0 or x < 0), not from dout"
RELU_MASK_INVERTED = "the mask is inverted: dout passes where x > 0 and is blocked where x <= 0"

name_mistakes(globals(), 'activations')
