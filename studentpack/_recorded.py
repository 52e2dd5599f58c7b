"""``ref`` in the pack: the reference's values on the public checks' inputs, recorded at release time
(studentpack.build.record) and looked up by a digest of the call; no reference code ships. Shipped
in every pack as NAME_checks/_recorded.py.
"""
from __future__ import annotations

import hashlib

import numpy as np

from .messages import _


class NotRecorded(LookupError):
    """A value of ref this pack does not hold: a call, or a history of calls, no recorded check made."""


def digest(name: str, args: tuple, kwargs: dict) -> str:
    """The key of one call of ref: its name (after an object's history, see Recorded) and its inputs."""
    h = hashlib.sha256(name.encode())

    def feed(value):
        if getattr(type(value), "is_ref", False):  # ref, or an object of ref's: by its history
            h.update(f"ref{value._chain}".encode())
        elif getattr(type(value), "is_ref_path", False):  # ref.softmax and the like, here or while recording
            h.update(f"r{value.recorded_name}".encode())
        elif callable(value) and hasattr(value, "__code__"):  # a check's own lambda: its code and captures
            # Its name and the globals it reads (stable across Python versions, unlike bytecode).
            h.update(f"f{value.__code__.co_name}{value.__code__.co_names}".encode())
            for cell in value.__closure__ or ():
                feed(cell.cell_contents)
        elif isinstance(value, (np.ndarray, np.generic)):  # numpy scalars too: their repr changed in numpy 2
            value = np.asarray(value)
            h.update(f"a{value.dtype.str}{value.shape}".encode())
            h.update(np.ascontiguousarray(value).tobytes())
        elif isinstance(value, (tuple, list)):
            h.update(f"l{len(value)}".encode())
            for item in value:
                feed(item)
        elif isinstance(value, dict):  # a net's params: every key and value, in key order
            h.update(f"d{len(value)}".encode())
            for key in sorted(value, key=repr):
                feed(key)
                feed(value[key])
        else:
            h.update(f"s{type(value).__name__}:{value!r}".encode())

    feed(args)
    feed(sorted(kwargs.items()))
    return "k" + h.hexdigest()[:32]


def item_step(item) -> str:
    """One [item] of a path into a reference object (net.params["W1"]), as text for a key."""
    return f"[{digest('', (item,), {})}]"


def restored(kind, key: str, values: dict, make_object):
    """A recorded value from its kind (see studentpack.build.stored) and the arrays stored under key;
    an object of the reference's becomes make_object(key)."""
    leaves = iter(range(1 << 30))

    def build(kind):
        if isinstance(kind, list):  # ["tuple" | "list" | "dict", parts]
            if kind[0] == "dict":
                return {k: build(v) for k, v in kind[1]}
            return (tuple if kind[0] == "tuple" else list)(build(v) for v in kind[1])
        if kind == "none":
            return None
        if kind == "object":
            return make_object(key)
        value = values[f"{key}.{next(leaves)}"]
        return {"float": float, "int": int, "bool": bool}.get(kind, np.array)(value)

    return build(kind)


class Recorded:
    """``ref`` in the pack: each value the public checks need, recorded at release time.

    ``ref.softmax(x)`` looks its value up by the call's digest. An object of the reference's
    (``ref.Softmax(dim=0)``, ``ref.TwoLayerNet(4, 3, 2)``) is looked up by its history instead: each
    call on it, and each ``obj.attr[key][...] = value`` into it, extends a chain of digests that starts
    at its constructor's call, so a value depends on the object's every earlier call, as it does in
    the reference."""

    is_ref = True

    def __init__(self, values: dict, kinds: dict, chain: str = ""):
        self._values, self._kinds, self._chain = values, kinds, chain

    def _found(self, key: str, what: str):
        if key not in self._kinds:
            raise NotRecorded(_("ref.{what} on an input this pack did not record").format(what=what))
        return restored(self._kinds[key], key, self._values, lambda k: Recorded(self._values, self._kinds, k))

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _RecordedPath(self, name)


class _RecordedPath:
    """ref.name, or obj.attr[key]...: callable (a function or method) or assignable into."""

    is_ref_path = True

    def __init__(self, root: Recorded, path: str):
        self._root, self._path = root, path

    @property
    def recorded_name(self) -> str:  # the object's history so far, then the path
        return f"{self._root._chain}.{self._path}" if self._root._chain else self._path

    def __call__(self, *args, **kwargs):
        root = self._root
        key = digest(self.recorded_name, args, kwargs)
        value = root._found(key, self._path)
        if root._chain:  # an object's call is part of its history; ref's own functions have none
            root._chain = key
        return value

    def __getitem__(self, item):
        return _RecordedPath(self._root, self._path + item_step(item))

    def __setitem__(self, item, value):
        root = self._root
        if not root._chain:
            raise NotRecorded(_("ref.{path}[...] = is not something the reference's checks do").format(path=self._path))
        root._chain = digest(f"{self.recorded_name}{item_step(item)}=", (value,), {})
