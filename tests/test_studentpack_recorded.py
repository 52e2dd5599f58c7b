"""The pack's ``ref`` (studentpack._recorded.Recorded): a reference object's values, recorded at release
by studentpack.build.Recording, looked up by the object's own history of calls."""
from __future__ import annotations

import json
import types

import numpy as np
import pytest

from studentpack._recorded import NotRecorded, Recorded
from studentpack.build import Recording


class Scale:
    """A stateful stand-in for a layer: backward uses the latest forward, params change in place."""

    def __init__(self, k):
        self.params = {"k": np.array([float(k)])}

    def forward(self, x):
        self.x = x
        return self.params["k"] * x

    def backward(self, dout):
        return {"dx": dout * self.params["k"], "dk": float(np.sum(dout * self.x))}


def double(x):
    return 2 * x


X1, X2, DOUT = np.array([1.0, 2.0]), np.array([5.0, 7.0]), np.array([1.0, -1.0])


def session(ref):
    """What a check does: a layer's forward, an in-place change of its params, a second forward and a
    backward; a fresh layer on the same input; a plain function."""
    layer = ref.Scale(2)
    first = layer.forward(X1)
    layer.params["k"][...] = 3.0
    second = layer.forward(X2)
    grads = layer.backward(DOUT)
    return first, second, grads["dx"], grads["dk"], ref.Scale(2).forward(X2), ref.double(X1)


def recorded() -> Recorded:
    recording = Recording(types.SimpleNamespace(Scale=Scale, double=double))
    session(recording)
    # As the pack stores them: the kinds in its JSON manifest, the arrays by key.
    return Recorded(dict(recording.values), json.loads(json.dumps(recording.kinds)))


def test_each_call_on_a_recorded_object_gives_the_references_value():
    """The same calls, in the same order, give the reference's values, types included."""
    want = session(types.SimpleNamespace(Scale=Scale, double=double))
    got = session(recorded())
    assert not np.array_equal(want[1], want[4]), "the same forward(X2) must differ by history for this to show"
    for g, w in zip(got, want):
        assert type(g) is type(w)
        np.testing.assert_array_equal(g, w)


def test_a_history_that_was_not_recorded_has_no_value():
    """forward(X2) without the in-place change before it, or backward after another forward, is not
    guessed from a call of the same name and inputs."""
    ref = recorded()
    layer = ref.Scale(2)
    layer.forward(X1)
    with pytest.raises(NotRecorded):
        layer.forward(X2)  # recorded only after params["k"] was set to 3
    other = ref.Scale(2)
    other.forward(X1)
    other.params["k"][...] = 4.0
    with pytest.raises(NotRecorded):
        other.forward(X2)
    with pytest.raises(NotRecorded):
        ref.double(X2)
