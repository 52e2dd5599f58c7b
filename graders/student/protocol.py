"""Messages between the grading side and the worker: a JSON header and numpy arrays (.npy).

Frame: 8-byte big-endian length of the rest, 4-byte length of the JSON header, the header, then
each array's raw bytes (C order), whose dtype and shape the header lists under "_arrays" as
``[dtype.str, [dims...]]``. Only plain numeric and boolean dtypes are accepted (no object, no
structured, no pickle: the bytes are numbers and nothing else), and the bytes must be exactly
what the dtype and shape call for; the reader caps every size, so a worker that sends garbage
only breaks its own grade (:class:`ProtocolError`). (np.save and np.load did the same job at
about ten times the cost: a filled-in submission sends a few hundred arrays each way.)
"""
from __future__ import annotations

import json
import math
import re
import select
import socket
import struct
import time
from typing import Any

import numpy as np

MAX_MESSAGE = 256 * 2**20  # bytes the worker accepts from the grading side
# Bytes the grading side accepts from a worker, checked before anything is allocated: graded values
# are batches of tens by classes of ten (kilobytes); a reply over this breaks only its own test.
MAX_REPLY = 4 * 2**20


class ProtocolError(Exception):
    """The other side sent something that is not a well-formed message."""


class PeerClosed(ProtocolError):
    """The other side closed the connection (its process ended)."""


class TooLarge(ProtocolError):
    """A message announced a size over the reader's limit (nothing of it was read)."""


class Timeout(Exception):
    """No complete message before the deadline."""


# The dtypes an array may cross with: byte order, kind (bool, int, uint, float, complex), item size.
_DTYPE = re.compile(r"[<>|=][biufc](1|2|4|8|16|32)")
MAX_DIMS = 32


def pack(header: dict[str, Any], arrays: list[np.ndarray]) -> bytes:
    blobs, described = [], []
    for a in arrays:
        a = np.asarray(a)
        if not _DTYPE.fullmatch(a.dtype.str):
            raise ValueError(f"an array of dtype {a.dtype} cannot cross")
        described.append([a.dtype.str, list(a.shape)])
        blobs.append(a.tobytes(order="C"))
    head = json.dumps({**header, "_arrays": described}).encode()
    body = b"".join([struct.pack(">I", len(head)), head, *blobs])
    return struct.pack(">Q", len(body)) + body


def _array(described: Any, body: bytes, at: int) -> tuple[np.ndarray, int]:
    """The array ``described`` ([dtype.str, shape]) whose bytes start at ``at``; and where the next starts."""
    if not (isinstance(described, list) and len(described) == 2 and type(described[0]) is str
            and _DTYPE.fullmatch(described[0]) and isinstance(described[1], list) and len(described[1]) <= MAX_DIMS
            and all(type(n) is int and n >= 0 for n in described[1])):
        raise ValueError("bad array description")
    dtype = np.dtype(described[0])
    size = math.prod(described[1]) * dtype.itemsize
    if at + size > len(body):
        raise ValueError("sizes do not add up")
    return np.frombuffer(body, dtype, count=size // dtype.itemsize, offset=at).reshape(described[1]), at + size


def send(sock: socket.socket, header: dict[str, Any], arrays: list[np.ndarray] = ()) -> None:
    sock.sendall(pack(header, list(arrays)))


def _read_exact(sock: socket.socket, n: int, deadline: float | None) -> bytes:
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([sock], [], [], left)[0]:
                raise Timeout()
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise PeerClosed("connection closed")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def recv(sock: socket.socket, timeout: float | None = None,
         limit: int = MAX_MESSAGE) -> tuple[dict[str, Any], list[np.ndarray]]:
    deadline = None if timeout is None else time.monotonic() + timeout
    (size,) = struct.unpack(">Q", _read_exact(sock, 8, deadline))
    if size > limit:
        raise TooLarge(f"a reply of {size} bytes is over the {limit}-byte limit")
    body = _read_exact(sock, size, deadline)
    try:
        (hlen,) = struct.unpack(">I", body[:4])
        header = json.loads(body[4 : 4 + hlen])
        if not isinstance(header, dict):
            raise ValueError("the header is not an object")
        described = header.pop("_arrays")
        if not isinstance(described, list):
            raise ValueError("bad array list")
        arrays, at = [], 4 + hlen
        for d in described:
            array, at = _array(d, body, at)
            arrays.append(array)
        if at != len(body):
            raise ValueError("sizes do not add up")
    except (ValueError, TypeError, KeyError, AttributeError, struct.error, EOFError, OSError, RecursionError) as exc:
        raise ProtocolError(f"malformed message ({exc})") from None
    return header, arrays
