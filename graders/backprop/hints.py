"""Every 'likely mistake' the backprop graders can name, in one place."""
from graders.checks import name_mistakes


# Affine
AFFINE_FORWARD = "forward is x.reshape(N, -1) @ W + b, with b added to every row"
AFFINE_FLATTEN = ("flatten each sample first, x.reshape(x.shape[0], -1), and remember x's original shape "
                  "for backward")
AFFINE_DX_SHAPE = ("dx must have the shape of the original x: save x.shape in forward and reshape "
                   "dout @ W.T back to it")
AFFINE_DW = ("dW is x2.T @ dout with x2 = x.reshape(N, -1), shape (D, M) like W; dout.T @ x2 is its "
             "transpose")
AFFINE_DW_SUM = "dW sums over the batch, x2.T @ dout: no division by N (the loss already carries the 1 / N)"
AFFINE_DB = "db is dout summed over the batch, np.sum(dout, axis=0): a sum (not a mean), of shape (M,)"
AFFINE_KEEPS = ("keep the very W and b you were given (self.W = W), not copies (np.array(W), W.copy()): "
                "the network changes its params in place and the layer must see the change")
AFFINE_SHARED_STATE = ("keep x and its shape on the instance (self.x = ... in forward), not on the class: a net has "
                       "two Affine layers, and the second's forward must not overwrite the first's cache")
STALE_CACHE = "backward must use what the latest forward stored: set the cache on every forward call"
IN_PLACE = "the layer wrote into an array it was given: reshape returns a view of x, so writing into it changes the caller's x"

# numerical_gradient
NUMGRAD_CENTRAL = ("use the central difference (f(x + h) - f(x - h)) / (2h) with h = 1e-4: the forward "
                   "difference (f(x + h) - f(x)) / h is off by O(h), and a large h by O(h**2)")
NUMGRAD_ROWS = ("call f with the whole x, not one row of it: the book's chapter-4 version passes each row to f, which "
                "is right only for an f that ignores its argument; loop over every index of x itself (np.nditer, "
                "np.ndindex) and call f(x)")
NUMGRAD_ND = "x may have any number of axes: visit every index with np.ndindex(*x.shape) (or np.nditer)"
NUMGRAD_IN_PLACE = ("perturb x itself, in place (x[i] = old + h), never a copy of it: f may ignore its "
                    "argument and read x, like the book's lambda W: net.loss(x, t)")
NUMGRAD_RESTORE = ("save each entry before perturbing it and assign the saved value back (x[i] = old); "
                   "adding h back after subtracting it is not exact in floating point")

# TwoLayerNet
NET_SHAPES = ("params holds W1 (input_size, hidden_size), b1 (hidden_size,), W2 (hidden_size, "
              "output_size), b2 (output_size,)")
NET_INIT_SCALE = "weights start as weight_init_std * np.random.randn(rows, cols): use the weight_init_std argument"
NET_DEFAULT_STD = "weight_init_std defaults to 0.01: def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01)"
NET_INIT_BIAS = "biases start at zero: np.zeros(size)"
NET_PREDICT = ("predict runs Affine(W1, b1) -> Relu -> Affine(W2, b2) and returns the last Affine's "
               "scores (no Relu or softmax after it)")
NET_HIDDEN_SIGMOID = ("the hidden layer is a Relu here (chapter 5), not the sigmoid of chapter 4's net: "
                      "Affine -> Relu -> Affine")
NET_ON_PREDICT = "loss, accuracy and gradient build on predict, which gives wrong scores for this input: fix predict first"
NET_BROKEN_AFFINE = "the Affine layer alone gives wrong values (see the affine part's messages): fix Affine first"
NET_SHARED_STATE = ("keep params and layers on the instance (self.params = {}, self.layers = OrderedDict() in "
                    "__init__), not as class attributes: two nets must not share them")
NET_COPIES = ("the layers must work on the arrays in self.params, not copies: params are changed in "
              "place (by training and by the grader), and predict still used the initial weights")
NET_LOSS = ("loss is SoftmaxWithLoss.forward(predict(x), t): the mean over the batch of the "
            "cross-entropy, for index labels (N,) and one-hot labels (N, C) alike")
NET_ACCURACY_COUNT = "accuracy is a fraction: divide the number of hits by N"
NET_ACCURACY = ("accuracy is the fraction of samples with np.argmax(predict(x), axis=1) equal to the label; "
                "turn one-hot t into indices with np.argmax(t, axis=1) first, and divide by N")
NET_KEYS = ("each key holds the gradient of the parameter of that name: grads['W1'] is the first Affine's dW, "
            "grads['W2'] the second's (a gradient has its parameter's shape)")
NET_GRADIENT_SCALE = ("the loss is a mean over the N samples, so its gradient carries one factor 1 / N: "
                      "SoftmaxWithLoss.backward(1) already divides by N, do not drop it or divide again")
NET_LATEST = ("gradient(x, t) must be the gradient at this x and t: every forward must refresh the layers' "
              "caches (a stale Affine.x gives the first batch's gradient)")
NET_NUMERICAL = ("numerical_gradient(x, t) is {key: numerical_gradient(lambda W: self.loss(x, t), "
                 "self.params[key])}: pass the params arrays themselves (they are perturbed in place), and "
                 "the layers must use those very arrays")

name_mistakes(globals(), 'backprop')
