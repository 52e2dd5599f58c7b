"""The student's code in this very process: the namespace of a notebook's kernel.

Used by the hidden part of nbgrader's autograder cells (see :mod:`graders.notebook`), where the
student's code already runs in the kernel nbgrader started. Values still cross through
:mod:`graders.student.wire`, so grader tests see the same copies they get from the sandbox.
It gives no isolation: ``make grade`` (the sandboxed path) is the authoritative grade.
"""
from __future__ import annotations

from typing import Any

from graders.student.api import Student
from graders.student.errors import StudentError
from graders.student.server import Server, student_line
from graders.student.wire import encode


class LocalStudent(Student):
    def __init__(self, namespace: dict[str, Any]):
        self.server = Server(namespace)

    def _request(self, op: str, **fields: Any) -> Any:
        tree, arrays = encode(fields)
        args = self.server.incoming(tree, arrays)
        try:
            value = self.server.handle(op, args)
        except StudentError:
            raise
        except Exception as exc:  # student code raised: report it as the student's error
            raise StudentError(type(exc).__name__, str(exc), student_line(exc)) from None
        out_tree, out_arrays = self.server.outgoing(value)
        return self._decode(out_tree, out_arrays)
