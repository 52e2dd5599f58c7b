"""Values as plain data: a JSON tree plus a list of numpy arrays.

Both sides of the student boundary use this. :func:`encode` turns a value into ``(tree, arrays)``;
:func:`decode` turns it back, always building fresh objects, so a decoded array is a new,
writable, base-class ``numpy.ndarray`` whatever was sent (a subclass, a view, a read-only array).
Anything that is not plain data is kept on its own side and crosses as a handle reference,
which is all the other side can do with it.

Tree nodes: ``None``, bool, int, float, str as themselves (float NaN and inf included), and
``{"a": i}`` array i, ``{"n": i}`` numpy scalar (a 0-d array i), ``{"l": [...]}`` list,
``{"t": [...]}`` tuple, ``{"d": [[key, node], ...]}`` dict with str keys,
``{"h": id, "type": name}`` an object held on the sending side, ``{"f": name, "args": [...]}``
a probe function (see :mod:`graders.student.probes`).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

# Numeric and boolean arrays only: object arrays would carry pickles.
_PLAIN_KINDS = set("biufc")


class NotPlainData(TypeError):
    """A value has no plain-data form (an object array, a set, a custom class...)."""


def encode(value: Any, keep: Callable[[Any], dict] | None = None) -> tuple[Any, list[np.ndarray]]:
    """Encode ``value``; objects that are not plain data go to ``keep`` (which returns a handle
    node) or, without ``keep``, raise :class:`NotPlainData`."""
    arrays: list[np.ndarray] = []

    def walk(v: Any, depth: int) -> Any:
        if depth > 20:
            raise NotPlainData("value nested more than 20 levels deep")
        if v is None or type(v) in (bool, int, float, str):
            return v
        if isinstance(v, np.ndarray) and v.dtype.kind in _PLAIN_KINDS:
            arrays.append(np.array(v, copy=True, subok=False))
            return {"a": len(arrays) - 1}
        if isinstance(v, np.generic) and v.dtype.kind in _PLAIN_KINDS:
            arrays.append(np.array(v))
            return {"n": len(arrays) - 1}
        if type(v) is list:
            return {"l": [walk(x, depth + 1) for x in v]}
        if type(v) is tuple:
            return {"t": [walk(x, depth + 1) for x in v]}
        if type(v) is dict and all(type(k) is str for k in v):
            return {"d": [[k, walk(x, depth + 1)] for k, x in v.items()]}
        if isinstance(v, (Handle, Fn)):
            return v.node()
        if keep is not None:
            return keep(v)
        raise NotPlainData(f"a {type(v).__name__} is not plain data")

    return walk(value, 0), arrays


def decode(tree: Any, arrays: list[np.ndarray], resolve: Callable[[dict], Any] | None = None) -> Any:
    """Decode a tree made by :func:`encode`; handle and probe nodes go to ``resolve``
    (without it they become :class:`Handle` and :class:`Fn` references)."""

    def array(i: Any) -> np.ndarray:
        if type(i) is not int or not 0 <= i < len(arrays):
            raise ValueError(f"bad array reference {i!r}")
        a = arrays[i]
        if type(a) is not np.ndarray or a.dtype.kind not in _PLAIN_KINDS:
            raise ValueError("array of a kind that is not plain data")
        return np.array(a, copy=True, subok=False)

    def walk(node: Any, depth: int) -> Any:
        if depth > 20:
            raise ValueError("value nested more than 20 levels deep")
        if node is None or type(node) in (bool, int, float, str):
            return node
        if type(node) is not dict or len(node) == 0:
            raise ValueError(f"bad value node {node!r:.80}")
        if "a" in node:
            return array(node["a"])
        if "n" in node:
            return array(node["n"])[()]
        if "l" in node:
            return [walk(x, depth + 1) for x in node["l"]]
        if "t" in node:
            return tuple(walk(x, depth + 1) for x in node["t"])
        if "d" in node:
            return {str(k): walk(x, depth + 1) for k, x in node["d"]}
        if "h" in node or "f" in node:
            if resolve is not None:
                return resolve(node)
            if "h" in node:
                return Handle(None, int(node["h"]), str(node.get("type", "object")))
            return Fn(str(node["f"]), *[walk(x, depth + 1) for x in node.get("args", [])])
        raise ValueError(f"bad value node {node!r:.80}")

    return walk(tree, 0)


class Handle:
    """An object that lives on the student's side (a layer, a net). Call its methods as
    ``h.forward(x)``; read an attribute with ``h.get("dW")``; set ``obj.attr[key][...] = value``
    in place with ``h.set_item("params", "W1", value)``."""

    def __init__(self, owner: Any, hid: int, type_name: str):
        self._owner, self._id, self.type_name = owner, hid, type_name

    def node(self) -> dict:
        return {"h": self._id, "type": self.type_name}

    def get(self, name: str) -> Any:
        return self._owner._request("get", target=self._id, name=name)

    def set_item(self, attr: str, key: Any, value: Any) -> None:
        self._owner._request("set_item", target=self._id, name=attr, key=key, value=value)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)

        def method(*args: Any, **kwargs: Any) -> Any:
            return self._owner._request("call", target=self._id, name=name, args=args, kwargs=kwargs)

        method.__name__ = name
        return method

    def __repr__(self) -> str:
        return f"<student {self.type_name} #{self._id}>"


class Fn:
    """A probe function to pass to student code, built on the student's side from
    :mod:`graders.student.probes` (grader code never crosses the boundary)."""

    def __init__(self, name: str, *args: Any):
        self.name, self.args = name, args

    def node(self) -> dict:
        tree, arrays = encode(list(self.args))
        if arrays:
            raise NotPlainData("probe arguments must be handles, numbers or strings; put() arrays first")
        return {"f": self.name, "args": tree["l"]}
