"""Arrays over the worker protocol as raw bytes: every plain array arrives as it was sent, and a
description that is not plain numbers, or bytes that do not fit it, is refused."""
import json
import socket
import struct

import numpy as np
import pytest

from graders.student import protocol

SENT = {
    "fortran-order": np.asfortranarray(np.arange(12.0).reshape(3, 4)),
    "strided-view": np.arange(20, dtype=np.int32)[::3],
    "big-endian": np.arange(5, dtype=">f8"),
    "zero-d": np.array(2.5),
    "empty": np.zeros((0, 3)),
    "complex": np.array([1 + 2j, -3j]),
    "half": np.array([0.5, -1.0], dtype=np.float16),
    "uint64": np.array([2**64 - 1], dtype=np.uint64),
    "bool": np.array([[True, False]]),
    "nan-inf": np.array([np.nan, np.inf, -np.inf]),
}


def frame(described, blob: bytes) -> bytes:
    head = json.dumps({"op": "x", "_arrays": described}).encode()
    body = struct.pack(">I", len(head)) + head + blob
    return struct.pack(">Q", len(body)) + body


def received(raw: bytes):
    a, b = socket.socketpair()
    a.sendall(raw)
    return protocol.recv(b, timeout=1)


@pytest.mark.parametrize("array", SENT.values(), ids=SENT.keys())
def test_an_array_arrives_with_its_dtype_shape_and_values(array):
    """Does an array of any layout, byte order or plain dtype arrive equal, same dtype and shape?"""
    header, (got,) = received(protocol.pack({"op": "x"}, [array]))
    assert header == {"op": "x"}
    assert got.dtype == array.dtype and got.shape == array.shape
    assert np.array_equal(got, array, equal_nan=True)


@pytest.mark.parametrize("described, blob", [
    (["|O", [1]], b"\x00" * 8),                # an object array: would be pointers
    ([[["a", "<f8"]], [1]], b"\x00" * 8),      # a structured dtype
    (["<U2", [1]], b"\x00" * 8),               # text
    (["|V8", [1]], b"\x00" * 8),               # raw void
    (["<i16", [1]], b"\x00" * 16),             # no such integer
    (["<f8", [2]], b"\x00" * 8),               # fewer bytes than the shape needs
    (["<f8", [1]], b"\x00" * 16),              # more bytes than the shape needs
    (["<f8", [-1]], b""),                      # a negative dimension
    (["<f8", [1.0]], b"\x00" * 8),             # a dimension that is no integer
    (["<f8", [1] * 33], b"\x00" * 8),          # more dimensions than allowed
    (["<f8"], b"\x00" * 8),                    # no shape
    ("<f8", b"\x00" * 8),                      # not a list
], ids=["object", "structured", "text", "void", "no-such-int", "short", "long", "negative", "float-dim",
        "too-many-dims", "no-shape", "not-a-list"])
def test_a_description_that_is_not_plain_numbers_is_refused(described, blob):
    """Is an array description other than a plain dtype and shape matching the bytes a ProtocolError?"""
    with pytest.raises(protocol.ProtocolError):
        received(frame([described], blob))


def test_an_array_that_cannot_cross_is_not_sent():
    """Does the sender refuse an object array rather than send it?"""
    with pytest.raises(ValueError):
        protocol.pack({"op": "x"}, [np.array([{}], dtype=object)])
