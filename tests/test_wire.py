"""What crosses the student boundary: plain data only, always fresh copies."""
import numpy as np
import pytest

from graders.student.wire import NotPlainData, decode, encode


class Liar(np.ndarray):
    def __eq__(self, other):
        return True


def roundtrip(value):
    tree, arrays = encode(value)
    return decode(tree, arrays)


def test_nested_values_round_trip():
    """Do arrays, numbers, strings, lists, tuples and dicts come back equal and of the same kinds?"""
    value = {"a": np.arange(6.0).reshape(2, 3), "n": np.float64(2.5), "i": 3, "s": "x", "l": [1.0, None], "t": (True,)}
    back = roundtrip(value)
    assert np.array_equal(back["a"], value["a"]) and back["a"].shape == (2, 3)
    assert type(back["n"]) is np.float64 and back["n"] == 2.5
    assert back["i"] == 3 and back["s"] == "x" and back["l"] == [1.0, None] and back["t"] == (True,)


def test_subclass_arrives_as_plain_writable_ndarray():
    """Does an ndarray subclass with a lying __eq__ arrive as a plain, writable copy?"""
    sent = np.zeros(3).view(Liar)
    sent.flags.writeable = False
    back = roundtrip(sent)
    assert type(back) is np.ndarray and back.flags.writeable
    assert not np.array_equal(back, np.ones(3))


def test_decoded_array_is_a_copy():
    """Is a decoded array independent of the arrays list it came from?"""
    tree, arrays = encode(np.ones(2))
    back = decode(tree, arrays)
    arrays[0][0] = 5.0
    assert back[0] == 1.0


@pytest.mark.parametrize("value", [np.array([object()]), {1: 2}, {1, 2}, object()], ids=["object-array", "int-keys", "set", "object"])
def test_non_plain_values_are_refused(value):
    """Are object arrays, non-str keys, sets and arbitrary objects refused without a keeper?"""
    with pytest.raises(NotPlainData):
        encode(value)


@pytest.mark.parametrize("tree", [{"a": 5}, {"zz": 1}, {"a": "0"}, [1, 2], {}], ids=["bad-index", "unknown-tag", "str-index", "bare-list", "empty"])
def test_malformed_trees_are_rejected(tree):
    """Does decode reject trees that encode never makes?"""
    with pytest.raises(ValueError):
        decode(tree, [np.zeros(1)])
