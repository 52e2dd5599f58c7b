"""The ``student`` object grader tests call. Subclasses supply the transport (``_request``)."""
from __future__ import annotations

from typing import Any

import numpy as np

from graders.student.wire import Fn, Handle, decode


class Student:
    """The submission, seen from the grading side.

    ``student.softmax(x)`` calls a function; ``student.Affine(W, b)`` builds an object and returns
    a :class:`Handle`. ``student.put(x)`` keeps an array on the student's side (so one array can be
    both a probe's closure and an argument); ``student.fetch(h)`` reads it back;
    ``student.fn("cubes", c)`` names a probe function; ``student.has("Relu")`` asks whether a name
    exists. Every value that comes back is a fresh copy made of plain data.
    """

    def _request(self, op: str, **fields: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._request("call", target=None, name=name, args=args, kwargs=kwargs)

        call.__name__ = name
        return call

    def put(self, value: Any) -> Handle:
        return self._request("put", value=value)

    def fetch(self, handle: Handle) -> Any:
        return self._request("fetch", target=handle._id)

    def has(self, name: str) -> bool:
        return bool(self._request("has", name=name))

    @staticmethod
    def fn(name: str, *args: Any) -> Fn:
        return Fn(name, *args)

    def _decode(self, tree: Any, arrays: list) -> Any:
        """A reply as plain data; objects held by the student come back as this student's Handles."""

        def resolve(node: dict) -> Handle:
            if "h" not in node:
                raise ValueError("the student side sent a probe")
            return Handle(self, int(node["h"]), str(node.get("type", "object"))[:100])

        return decode(tree, arrays, resolve=resolve)

    # Per-test bookkeeping; the remote student enforces a time budget, the local one does not.
    def begin_test(self, budget_s: float) -> None:
        pass

    def close(self) -> None:
        pass

    @property
    def load_report(self) -> str:
        """What happened while the submission's code was loaded (errors per cell), or ''."""
        return ""


def as_array(value: Any) -> np.ndarray:
    """A student's return value as an array, for shape and value checks (numbers become 0-d)."""
    return np.asarray(value)
