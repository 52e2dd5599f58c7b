"""The student's side of the interface: a namespace of loaded code and a table of held objects.

:class:`Server` answers the requests of :class:`graders.student.api.Student`. It runs in the
sandboxed worker (remote grading) or in the notebook's own kernel (local grading); either way it
is the only place student code is called from.
"""
from __future__ import annotations

from typing import Any

from graders import diagnoses
from graders.student import probes
from graders.student.errors import MissingName
from graders.student.wire import NotPlainData, decode, encode

STUDENT_FILE = "<submission>"  # the filename student code is compiled under, for tracebacks


def student_line(exc: BaseException) -> str:
    """Where the deepest student frame of a traceback is (graders.diagnoses.student_line), or ''.
    Cells are compiled as ``<submission>:INDEX`` with their source in linecache (graders.student.loader)."""
    return diagnoses.student_line(exc, STUDENT_FILE)


class Server:
    def __init__(self, namespace: dict[str, Any]):
        self.namespace = namespace
        self.held: dict[int, Any] = {}

    # -- values in and out -------------------------------------------------------------------
    def keep(self, obj: Any) -> dict:
        hid = len(self.held) + 1
        self.held[hid] = obj
        return {"h": hid, "type": type(obj).__name__}

    def resolve(self, node: dict) -> Any:
        if "h" in node:
            try:
                return self.held[int(node["h"])]
            except (KeyError, ValueError, TypeError):
                raise ValueError(f"unknown handle {node['h']!r}") from None
        args = [self.resolve(a) if isinstance(a, dict) else a for a in node.get("args", [])]
        return probes.build(str(node["f"]), args)

    def incoming(self, tree: Any, arrays: list) -> Any:
        return decode(tree, arrays, resolve=self.resolve)

    def outgoing(self, value: Any) -> tuple[Any, list]:
        if isinstance(value, _Held):
            return value.node, []
        try:
            return encode(value, keep=self.keep)
        except NotPlainData:
            return self.keep(value), []

    # -- requests ----------------------------------------------------------------------------
    def lookup(self, target: int | None, name: str) -> Any:
        if target is None:
            if name not in self.namespace:
                raise MissingName(name)
            return self.namespace[name]
        return getattr(self.held[int(target)], name)

    def handle(self, op: str, fields: dict[str, Any]) -> Any:
        """Do one request; returns the plain value (the caller encodes it)."""
        if op == "call":
            fn = self.lookup(fields.get("target"), fields["name"])
            return fn(*fields.get("args", ()), **fields.get("kwargs", {}))
        if op == "get":
            return self.lookup(fields.get("target"), fields["name"])
        if op == "set_item":
            container = self.lookup(fields.get("target"), fields["name"])
            container[fields["key"]][...] = fields["value"]
            return None
        if op == "put":
            return _Held(self.keep(fields["value"]))
        if op == "fetch":
            return self.held[int(fields["target"])]
        if op == "has":
            return fields["name"] in self.namespace
        raise ValueError(f"unknown request {op!r}")


class _Held:
    """Marks a put() result: the handle node itself goes back, not the held value."""

    def __init__(self, node: dict):
        self.node = node
