"""Part `two_layer_net`: TwoLayerNet's initial params, predict, loss, accuracy and both gradients.

Every test but the first overwrites the net's params in place (net.params[key][...] = value) with
values it knows, then calls only the contract's methods.
"""
import numpy as np
import pytest

from graders.backprop import hints, net_cases
from graders.backprop.gradient_checks import (SCALED_TOL, expect_dict_with_keys, expect_gradient_scaled,
                                              naming_the_case, scaled_error)
from graders.backprop.net_cases import KEYS, exact_loss, one_hot, params_and_inputs, scores, student_net
from graders.checks import expect_close, expect_number_close, expect_shape, fail

# (N, input_size, hidden_size, output_size): a batch, N == C, one sample. Sizes all differ, so a
# gradient filed under the wrong key has the wrong shape.
CASES = [(5, 6, 4, 3), (3, 5, 4, 3), (1, 4, 5, 3)]
# Initial weights: the sample std of >= 800 normal draws is within 5% of the true std at 4 sigma;
# 20% tells weight_init_std from its neglect (0.01 instead of 0.5) with room to spare.
INIT_STD_RTOL = 0.2
# The net's numerical_gradient is checked for its wiring (the right dict, the params themselves
# perturbed in place): a broken wiring gives zeros, a sign flip or the wrong shapes, off by >= 1.
# The precision of numerical_gradient itself is graded in its own part and not charged again here:
# a correct one (h = 1e-4) is ~1e-8 off, a forward difference ~5e-4, a central one with h = 0.1 up to
# ~8e-2 on these cases (400 seeds tried).
NET_NUMERIC_TOL = 0.25
# ... and so that a coarse step (h up to 0.1, times |x| < 4) never crosses ReLU's kink, which would
# charge that mistake here again: the hidden pre-activations stay this far from 0.
NET_NUMERIC_MARGIN = 0.5


def case_text(n, d, h, c):
    return f"TwoLayerNet({d}, {h}, {c}) on a batch of {n}"


def labels_for(rng, n, c):
    return rng.integers(0, c, n)


@pytest.mark.public
@pytest.mark.points(0.5, part="two_layer_net")
def test_init_params_have_the_right_shapes_scale_and_zero_biases(student):
    for sizes, std in (((50, 40, 10), None), ((30, 40, 20), 0.5)):
        net = student.TwoLayerNet(*sizes) if std is None else student.TwoLayerNet(*sizes, weight_init_std=std)
        std = 0.01 if std is None else std
        what = f"TwoLayerNet{sizes}" + ("" if std == 0.01 else f" with weight_init_std={std}")
        params = expect_dict_with_keys(net.get("params"), KEYS, f"{what}.params", hints.NET_SHAPES)
        d, h, c = sizes
        for key, shape in (("W1", (d, h)), ("b1", (h,)), ("W2", (h, c)), ("b2", (c,))):
            value = expect_shape(params[key], shape, f"{what}.params[{key!r}]", hints.NET_SHAPES)
            if key.startswith("b"):
                if np.any(value != 0):
                    fail(f"{what}.params[{key!r}]", "is not all zeros", hints.NET_INIT_BIAS)
                continue
            got = float(np.std(value))
            if abs(got - std) > INIT_STD_RTOL * std:
                fail(f"{what}.params[{key!r}]", f"has standard deviation {got:.3g}, expected about {std}", hints.NET_INIT_SCALE)


@pytest.mark.public
@pytest.mark.points(0.75, part="two_layer_net")
def test_predict_gives_the_scores_of_affine_relu_affine(student, ref, rng):
    for n, d, h, c in CASES:
        params, x = params_and_inputs(rng, n, d, h, c)
        net = student.TwoLayerNet(d, h, c)
        initial = net.get("params")
        for key in KEYS:
            net.set_item("params", key, params[key])
        what = f"{case_text(n, d, h, c)}: predict after params were set in place"
        with naming_the_case(what, hints.NET_PREDICT):
            got = expect_shape(net.predict(x.copy()), (n, c), what, hints.NET_PREDICT)
        if isinstance(initial, dict) and all(k in initial for k in KEYS):
            try:
                stale = scores(initial, x)
            except ValueError:  # the initial params had wrong shapes: the shape checks speak for it
                stale = None
            if stale is not None and np.allclose(got, stale) and not np.allclose(got, scores(params, x)):
                fail(what, "gave the scores of the initial params", hints.NET_COPIES)
        want = ref.TwoLayerNet(d, h, c)
        for key in KEYS:
            want.params[key][...] = params[key]
        expect_close(got, want.predict(x), what, hints.NET_PREDICT)


@pytest.mark.points(0.5, part="two_layer_net")
def test_loss_is_the_mean_cross_entropy_for_index_and_one_hot_labels(student, rng):
    for n, d, h, c in CASES:
        params, x = params_and_inputs(rng, n, d, h, c)
        labels = labels_for(rng, n, c)
        net = student_net(student, params)
        s = scores(params, x)
        want = exact_loss(s, labels)
        allowance = net_cases.epsilon_allowance(s, labels)
        for t, kind in ((labels, "index labels"), (one_hot(labels, c), "one-hot labels")):
            what = f"{case_text(n, d, h, c)}: loss with {kind}"
            with naming_the_case(what, hints.NET_LOSS):
                got = net.loss(x.copy(), t.copy())
            expect_number_close(got, want, what, hints.NET_LOSS, rtol=0, atol=allowance)


@pytest.mark.points(0.5, part="two_layer_net")
def test_accuracy_counts_argmax_hits_for_index_and_one_hot_labels(student, rng):
    for n, d, h, c in ((6, 5, 4, 3), (3, 5, 4, 3), (4, 3, 5, 5)):
        params, x = params_and_inputs(rng, n, d, h, c)
        predicted = np.argmax(scores(params, x), axis=1)
        hits = int(rng.integers(1, n))  # some right, some wrong: 0 < accuracy < 1
        labels = np.where(np.arange(n) < hits, predicted, (predicted + 1) % c)
        net = student_net(student, params)
        for t, kind in ((labels, "index labels"), (one_hot(labels, c), "one-hot labels")):
            what = f"{case_text(n, d, h, c)}: accuracy with {kind} ({hits} of {n} right)"
            with naming_the_case(what, hints.NET_ACCURACY):
                got = net.accuracy(x.copy(), t.copy())
            expect_number_close(got, hits / n, what, hints.NET_ACCURACY)


def check_gradient(got, params, x, labels, what):
    grads = expect_dict_with_keys(got, KEYS, what, hints.NET_KEYS)
    want = net_cases.numerical_gradients(params, x, labels)
    for key in KEYS:
        expect_gradient_scaled(grads[key], want[key], f"{what}[{key!r}]", hints.NET_GRADIENT,
                               shape_likely=hints.NET_KEYS, scaled_likely=hints.NET_GRADIENT_SCALE)


@pytest.mark.public
@pytest.mark.points(1, part="two_layer_net")
def test_gradient_matches_the_numerical_gradient_of_the_loss(student, rng):
    for n, d, h, c in CASES:
        params, x = params_and_inputs(rng, n, d, h, c)
        labels = labels_for(rng, n, c)
        net = student_net(student, params)
        for t, kind in ((labels, "index labels"), (one_hot(labels, c), "one-hot labels")):
            what = f"{case_text(n, d, h, c)}: gradient with {kind}"
            with naming_the_case(what, hints.NET_GRADIENT):
                got = net.gradient(x.copy(), t.copy())
            check_gradient(got, params, x, labels, what)


@pytest.mark.points(0.25, part="two_layer_net")
def test_gradient_on_a_second_batch_is_taken_at_that_batch(student, rng):
    n, d, h, c = CASES[0]
    params, x1 = params_and_inputs(rng, n, d, h, c)
    x2 = net_cases.inputs_for(rng, params, n)
    labels = labels_for(rng, n, c)
    net = student_net(student, params)
    net.gradient(x1.copy(), labels.copy())
    what = f"{case_text(n, d, h, c)}: gradient(x2, t) right after gradient(x1, t)"
    got = net.gradient(x2.copy(), labels.copy())
    want = net_cases.numerical_gradients(params, x2, labels)
    if isinstance(got, dict) and all(k in got for k in KEYS) and not matches(got, want):
        fresh = student_net(student, params).gradient(x2.copy(), labels.copy())
        if matches(fresh, want):
            wrong = next(k for k in KEYS if not matches({k: got[k]}, {k: want[k]}))
            fail(f"{what}[{wrong!r}]", "differs from the gradient at x2, which a fresh net gets right", hints.NET_LATEST)
    check_gradient(got, params, x2, labels, what)


def matches(got, want: dict) -> bool:
    """Whether a student's gradient dict has every expected gradient, right in shape and values."""
    if not isinstance(got, dict):
        return False
    for key, value in want.items():
        g = np.asarray(got.get(key))
        if g.shape != value.shape or not np.issubdtype(g.dtype, np.number) or scaled_error(g.astype(float), value) > SCALED_TOL:
            return False
    return True


@pytest.mark.points(0.5, part="two_layer_net")
def test_numerical_gradient_method_differentiates_the_loss_in_params(student, rng):
    n, d, h, c = 3, 4, 3, 3
    params, x = params_and_inputs(rng, n, d, h, c, margin=NET_NUMERIC_MARGIN)
    labels = labels_for(rng, n, c)
    net = student_net(student, params)
    what = f"{case_text(n, d, h, c)}: numerical_gradient"
    grads = expect_dict_with_keys(net.numerical_gradient(x.copy(), labels.copy()), KEYS, what, hints.NET_KEYS)
    want = net_cases.numerical_gradients(params, x, labels)
    for key in KEYS:
        expect_gradient_scaled(grads[key], want[key], f"{what}[{key!r}]", hints.NET_NUMERICAL, tol=NET_NUMERIC_TOL,
                               shape_likely=hints.NET_KEYS)
