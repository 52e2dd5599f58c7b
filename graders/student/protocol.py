"""Messages between the grading side and the worker: a JSON header and numpy arrays (.npy).

Frame: 8-byte big-endian length of the rest, 4-byte length of the JSON header, the header, then
the arrays as .npy blobs whose sizes the header lists under "_sizes". Arrays are read with
``allow_pickle=False``; the reader caps every size, so a worker that sends garbage only breaks
its own grade (:class:`ProtocolError`).
"""
from __future__ import annotations

import io
import json
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


def pack(header: dict[str, Any], arrays: list[np.ndarray]) -> bytes:
    blobs = []
    for a in arrays:
        buf = io.BytesIO()
        np.save(buf, a, allow_pickle=False)
        blobs.append(buf.getvalue())
    head = json.dumps({**header, "_sizes": [len(b) for b in blobs]}).encode()
    body = struct.pack(">I", len(head)) + head + b"".join(blobs)
    return struct.pack(">Q", len(body)) + body


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
        sizes = header.pop("_sizes")
        if not isinstance(sizes, list) or not all(type(s) is int and s >= 0 for s in sizes):
            raise ValueError("bad sizes")
        if 4 + hlen + sum(sizes) != len(body):
            raise ValueError("sizes do not add up")
        arrays, at = [], 4 + hlen
        for s in sizes:
            arrays.append(np.load(io.BytesIO(body[at : at + s]), allow_pickle=False))
            at += s
    except (ValueError, TypeError, KeyError, AttributeError, struct.error, EOFError, OSError, RecursionError) as exc:
        raise ProtocolError(f"malformed message ({exc})") from None
    return header, arrays
