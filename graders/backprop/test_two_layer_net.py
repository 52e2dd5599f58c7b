"""Part `two_layer_net`: TwoLayerNet's initial params, predict, loss, accuracy and both gradients.

Every test but the first overwrites the net's params in place (net.params[key][...] = value) with
values it knows, then calls only the contract's methods.
"""
import numpy as np
import pytest

from graders.backprop import hints, net_cases
from graders.backprop.affine_cases import affine_diagnosis
from graders.backprop.gradient_checks import (expect_dict_with_keys, expect_gradient_scaled, naming_the_case,
                                              scaled_error, unless_unwritten)
from graders.backprop.net_checks import attempt, matches, near, perturbs_in_place, worst_of
from graders.backprop.net_cases import (KEYS, exact_loss, one_hot, params_and_inputs, predict_signature, same, scores,
                                        student_net)
from graders.checks import expect_close, expect_number_close, expect_shape, fail
from graders.messages import _
from graders.student.errors import StudentError

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
    return _("TwoLayerNet({d}, {h}, {c}) on a batch of {n}").format(d=d, h=h, c=c, n=n)


def labels_for(rng, n, c):
    return rng.integers(0, c, n)


@pytest.mark.public
@pytest.mark.points(0.5, part="two_layer_net")
def test_init_params_have_the_right_shapes_scale_and_zero_biases(student):
    """weight_init_std=0.5 given, then left to its default 0.01."""
    for sizes, std in (((30, 40, 20), 0.5), ((50, 40, 10), None)):
        net = student.TwoLayerNet(*sizes) if std is None else student.TwoLayerNet(*sizes, weight_init_std=std)
        what = (_("TwoLayerNet{sizes} (weight_init_std not given)") if std is None else
                _("TwoLayerNet{sizes} with weight_init_std={std}")).format(sizes=sizes, std=std)
        std = 0.01 if std is None else std
        params = expect_dict_with_keys(net.get("params"), KEYS, _("{what}.params").format(what=what), hints.NET_SHAPES)
        d, h, c = sizes
        for key, shape in (("W1", (d, h)), ("b1", (h,)), ("W2", (h, c)), ("b2", (c,))):
            value = expect_shape(params[key], shape, _("{what}.params[{key}]").format(what=what, key=repr(key)), hints.NET_SHAPES)
            if key.startswith("b"):
                if np.any(value != 0):
                    fail(_("{what}.params[{key}]").format(what=what, key=repr(key)), _("is not all zeros"), hints.NET_INIT_BIAS)
                continue
            got = float(np.std(value))
            if abs(got - std) > INIT_STD_RTOL * std:
                # With 0.5 given, a std of 0.01 is the argument ignored; left out, any other std (the
                # given case having passed) is a default other than 0.01.
                ignored = std == 0.5 and abs(got - 0.01) <= INIT_STD_RTOL * 0.01
                likely = hints.NET_INIT_SCALE if ignored else hints.NET_DEFAULT_STD if std == 0.01 else ""
                fail(_("{what}.params[{key}]").format(what=what, key=repr(key)),
                     _("has standard deviation {got}, expected about {want}").format(got=f"{got:.3g}", want=std), likely)


@pytest.mark.public
@pytest.mark.points(0.5, part="two_layer_net")
def test_predict_gives_the_scores_of_affine_relu_affine(student, ref, rng):
    for n, d, h, c in CASES:
        params, x = params_and_inputs(rng, n, d, h, c)
        net = student.TwoLayerNet(d, h, c)
        initial = net.get("params")
        for key in KEYS:
            net.set_item("params", key, params[key])
        what = _("{case}: predict after params were set in place").format(case=case_text(n, d, h, c))
        with naming_the_case(what):
            got = net.predict(x.copy())
        likely = "" if same(got, scores(params, x)) else predict_signature(got, params, x) or affine_hint(student, rng)
        got = expect_shape(got, (n, c), what, likely)
        if isinstance(initial, dict) and all(k in initial for k in KEYS):
            try:
                stale = scores(initial, x)
            except ValueError:  # the initial params had wrong shapes: the shape checks speak for it
                stale = None
            if stale is not None and np.allclose(got, stale) and not np.allclose(got, scores(params, x)):
                fail(what, _("gave the scores of the initial params"), hints.NET_COPIES)
        want = ref.TwoLayerNet(d, h, c)
        for key in KEYS:
            want.params[key][...] = params[key]
        expect_close(got, want.predict(x), what, likely)


@pytest.mark.points(0.5, part="two_layer_net")
def test_loss_is_the_mean_cross_entropy_for_index_and_one_hot_labels(student, rng):
    for n, d, h, c in CASES:
        params, x = params_and_inputs(rng, n, d, h, c)
        labels = labels_for(rng, n, c)
        net = student_net(student, params)
        s = scores(params, x)
        want = exact_loss(s, labels)
        allowance = net_cases.epsilon_allowance(s, labels)
        for t, kind in ((labels, _("index labels")), (one_hot(labels, c), _("one-hot labels"))):
            what = _("{case}: loss with {kind}").format(case=case_text(n, d, h, c), kind=kind)
            try:
                got = net.loss(x.copy(), t.copy())
            except StudentError as exc:
                fail(what, _("raised {error}").format(error=exc), net_cases.predict_diagnosis(student, params, x, rng) or "")
            likely = ""
            if not near(got, want, allowance):
                likely = net_cases.predict_diagnosis(student, params, x, rng) or (
                    hints.NET_LOSS if n > 1 and near(got, want * n, allowance * n) else "")
            expect_number_close(got, want, what, likely, rtol=0, atol=allowance)


@pytest.mark.points(0.5, part="two_layer_net")
def test_accuracy_counts_argmax_hits_for_index_and_one_hot_labels(student, rng):
    for n, d, h, c in ((6, 5, 4, 3), (3, 5, 4, 3), (4, 3, 5, 5)):
        params, x = params_and_inputs(rng, n, d, h, c)
        predicted = np.argmax(scores(params, x), axis=1)
        hits = int(rng.integers(1, n))  # some right, some wrong: 0 < accuracy < 1
        labels = np.where(np.arange(n) < hits, predicted, (predicted + 1) % c)
        net = student_net(student, params)
        for t, kind in ((labels, _("index labels")), (one_hot(labels, c), _("one-hot labels"))):
            what = _("{case}: accuracy with {kind} ({hits} of {n} right)").format(
                case=case_text(n, d, h, c), kind=kind, hits=hits, n=n)
            try:
                got = net.accuracy(x.copy(), t.copy())
            except StudentError as exc:
                index_labels_work = t.ndim == 2 and near(attempt(lambda: net.accuracy(x.copy(), labels.copy())), hits / n, 1e-9)
                fail(what, _("raised {error}").format(error=exc), hints.NET_ACCURACY if index_labels_work else "")
            likely = net_cases.predict_diagnosis(student, params, x, rng) if not same(got, hits / n) else None
            if likely is None and not same(got, hits / n):
                likely = hints.NET_ACCURACY_COUNT if same(got, hits) else hints.NET_ACCURACY if t.ndim == 2 else ""
            expect_number_close(got, hits / n, what, likely or "")


def check_gradient(student, rng, got, params, x, labels, what):
    want = net_cases.numerical_gradients(params, x, labels)
    if matches(got, want):
        return
    grads = expect_dict_with_keys(got, KEYS, what, "")
    # Wrong: a wrong predict or Affine layer is the likely mistake, or, if neither, what the values match.
    cause = net_cases.predict_diagnosis(student, params, x, rng)
    if cause is None and student.has("Affine"):
        cause = affine_hint(student, rng)
    for key in KEYS:
        swapped = any(np.shape(grads[key]) == want[k].shape and k != key and np.shape(grads[key]) != want[key].shape
                      for k in KEYS)
        expect_gradient_scaled(grads[key], want[key], _("{what}[{key}]").format(what=what, key=repr(key)), cause or "",
                               shape_likely=cause or (hints.NET_KEYS if swapped else ""),
                               scaled_likely=cause or hints.NET_GRADIENT_SCALE)


def affine_hint(student, rng) -> str:
    return affine_diagnosis(student, rng) if student.has("Affine") else ""


@pytest.mark.public
@pytest.mark.points(0.75, part="two_layer_net")
def test_gradient_matches_the_numerical_gradient_of_the_loss(student, rng):
    for n, d, h, c in CASES:
        params, x = params_and_inputs(rng, n, d, h, c)
        labels = labels_for(rng, n, c)
        net = student_net(student, params)
        for t, kind in ((labels, _("index labels")), (one_hot(labels, c), _("one-hot labels"))):
            what = _("{case}: gradient with {kind}").format(case=case_text(n, d, h, c), kind=kind)
            try:
                got = net.gradient(x.copy(), t.copy())
            except StudentError as exc:
                cause = net_cases.predict_diagnosis(student, params, x, rng)
                fail(what, _("raised {error}").format(error=exc), cause or affine_hint(student, rng))
            check_gradient(student, rng, got, params, x, labels, what)


@pytest.mark.points(0.25, part="two_layer_net")
def test_gradient_on_a_second_batch_is_taken_at_that_batch(student, rng):
    """Charged only if a fresh net gets the gradient at x2 right, and this one does not."""
    n, d, h, c = CASES[0]
    params, x1 = params_and_inputs(rng, n, d, h, c)
    x2 = net_cases.inputs_for(rng, params, n)
    labels = labels_for(rng, n, c)
    want = net_cases.numerical_gradients(params, x2, labels)
    try:
        fresh = student_net(student, params).gradient(x2.copy(), labels.copy())
    except StudentError as exc:
        unless_unwritten(exc)
        return
    if not matches(fresh, want):
        return
    net = student_net(student, params)
    what = _("{case}: gradient(x2, t) right after gradient(x1, t)").format(case=case_text(n, d, h, c))
    with naming_the_case(what):
        net.gradient(x1.copy(), labels.copy())
        got = net.gradient(x2.copy(), labels.copy())
    if not matches(got, want):
        stale = matches(got, net_cases.numerical_gradients(params, x1, labels))
        fail(what, _("gave the gradient at x1") if stale else _("differs from the gradient at x2, which a fresh net gets right"),
             hints.NET_LATEST if stale else affine_hint(student, rng))


@pytest.mark.points(0.5, part="two_layer_net")
def test_numerical_gradient_method_differentiates_the_loss_in_params(student, rng):
    n, d, h, c = 3, 4, 3, 3
    params, x = params_and_inputs(rng, n, d, h, c, margin=NET_NUMERIC_MARGIN)
    labels = labels_for(rng, n, c)
    net = student_net(student, params)
    what = _("{case}: numerical_gradient").format(case=case_text(n, d, h, c))
    with naming_the_case(what):
        got = net.numerical_gradient(x.copy(), labels.copy())
    grads = expect_dict_with_keys(got, KEYS, what, "")
    want = net_cases.numerical_gradients(params, x, labels)
    if all(np.shape(grads[k]) == want[k].shape and scaled_error(np.asarray(grads[k], dtype=float), want[k]) <= NET_NUMERIC_TOL
           for k in KEYS):
        return
    cause = net_cases.predict_diagnosis(student, params, x, rng)
    if cause is None and any(np.shape(grads[k]) == want[k].shape and not np.any(grads[k]) for k in KEYS):
        # Zeros: the loss never changed. The student's own numerical_gradient may perturb a copy.
        cause = hints.NUMGRAD_IN_PLACE if not perturbs_in_place(student, rng) else hints.NET_NUMERICAL
    for key in KEYS:
        expect_gradient_scaled(grads[key], want[key], _("{what}[{key}]").format(what=what, key=repr(key)), cause or "",
                               tol=NET_NUMERIC_TOL,
                               shape_likely=cause or "")


@pytest.mark.points(0.25, part="two_layer_net")
def test_two_nets_keep_their_own_params(student, rng):
    """Nets a and b of the same sizes made, then a's params set, then b's: a keeps its own params and
    predicts with them. Charged only if a lone net predicts right."""
    n, d, h, c = CASES[0]
    params_a, x = params_and_inputs(rng, n, d, h, c)
    params_b, _x_b = params_and_inputs(rng, n, d, h, c)
    want = scores(params_a, x)
    if not same(attempt(lambda: student_net(student, params_a).predict(x.copy())), want):
        return
    what = _("{case}: nets a and b made, params set in a then in b, then a").format(case=case_text(n, d, h, c))
    with naming_the_case(what):
        a, b = student.TwoLayerNet(d, h, c), student.TwoLayerNet(d, h, c)
        for net, params in ((a, params_a), (b, params_b)):
            for key in KEYS:
                net.set_item("params", key, params[key])
        held = a.get("params")
        got = a.predict(x.copy())
    if isinstance(held, dict) and same(held.get("W1"), params_b["W1"]):
        fail(_("{what}.params").format(what=what), _("holds net b's values"), hints.NET_SHARED_STATE)
    if not same(got, want):
        shared = same(got, scores(params_b, x))
        fail(_("{what}.predict").format(what=what), _("gave net b's scores") if shared else
             _("differs from what a lone net gives ({gap})").format(gap=worst_of(got, want)),
             hints.NET_SHARED_STATE if shared else "")


@pytest.mark.points(0.25, part="two_layer_net")
def test_net_leaves_x_and_t_alone(student, rng):
    """predict, loss, accuracy and gradient must not change x or t. Charged only for a change seen
    after a call that returned."""
    n, d, h, c = CASES[0]
    params, x = params_and_inputs(rng, n, d, h, c)
    net = student_net(student, params)
    for t in (labels_for(rng, n, c), one_hot(labels_for(rng, n, c), c)):
        for method in ("predict", "loss", "accuracy", "gradient"):
            held_x, held_t = student.put(x.copy()), student.put(t.copy())
            args = (held_x,) if method == "predict" else (held_x, held_t)
            try:
                getattr(net, method)(*args)
            except StudentError as exc:
                unless_unwritten(exc)
                continue
            for name, held, value in (("x", held_x, x), ("t", held_t, t)):
                after = np.asarray(student.fetch(held))
                if after.shape != value.shape or not np.array_equal(after, value):
                    fail(_("{case}: {method}").format(case=case_text(n, d, h, c), method=method),
                         _("changed its argument {name}").format(name=name), hints.IN_PLACE)
