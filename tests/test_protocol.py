"""The worker protocol: well-formed frames round-trip; garbage is an error, never a crash."""
import socket
import struct

import numpy as np
import pytest

from graders.student import protocol


def pair():
    return socket.socketpair()


def test_header_and_arrays_round_trip():
    """Do a header and arrays of several dtypes arrive intact?"""
    a, b = pair()
    arrays = [np.arange(6.0).reshape(2, 3), np.array([True, False]), np.array(3, dtype=np.int64)]
    protocol.send(a, {"op": "x", "v": [1, 2]}, arrays)
    header, got = protocol.recv(b, timeout=1)
    assert header == {"op": "x", "v": [1, 2]}
    assert all(np.array_equal(x, y) and x.dtype == y.dtype for x, y in zip(arrays, got))


@pytest.mark.parametrize("frame", [
    struct.pack(">Q", 5) + b"\x00\x00\x00\x09{",  # header length past the end
    struct.pack(">Q", 2**40),  # over the size cap
    struct.pack(">Q", 8) + struct.pack(">I", 4) + b'"ab"',  # header is not an object
], ids=["truncated-header", "huge", "not-an-object"])
def test_garbage_is_a_protocol_error(frame):
    """Is a malformed frame a ProtocolError?"""
    a, b = pair()
    a.sendall(frame)
    with pytest.raises(protocol.ProtocolError):
        protocol.recv(b, timeout=1)


def test_pickled_array_is_refused():
    """Is an object array smuggled as .npy (it needs pickle) refused?"""
    import io

    buf = io.BytesIO()
    np.save(buf, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    blob = buf.getvalue()
    head = b'{"_sizes": [%d]}' % len(blob)
    body = struct.pack(">I", len(head)) + head + blob
    a, b = pair()
    a.sendall(struct.pack(">Q", len(body)) + body)
    with pytest.raises(protocol.ProtocolError):
        protocol.recv(b, timeout=1)


def test_silence_is_a_timeout_and_close_is_peer_closed():
    """Does recv time out on silence and report a closed peer?"""
    a, b = pair()
    with pytest.raises(protocol.Timeout):
        protocol.recv(b, timeout=0.05)
    a.close()
    with pytest.raises(protocol.PeerClosed):
        protocol.recv(b, timeout=1)
