"""How grader tests reach a student's code.

Grader tests see one object, ``student`` (see :mod:`graders.student.api`): ``student.softmax(x)``
calls the submission's function, ``student.Affine(W, b)`` builds an object and returns a
:class:`~graders.student.api.Handle` whose methods are called the same way and whose attributes
are read with ``handle.get("dW")``. Values cross as plain data (arrays, numbers, strings, lists,
dicts), always copied, so nothing the student returns can run code on the grading side.

Two implementations share that surface: :mod:`graders.student.remote` (a sandboxed worker
process, used by ``python -m graders grade``) and :mod:`graders.student.local` (the notebook's
own namespace, used by the hidden part of nbgrader's autograder cells).
"""
from graders.student.api import Fn, Handle, Student
from graders.student.errors import StudentCrashed, StudentError, StudentTimeout

__all__ = ["Fn", "Handle", "Student", "StudentCrashed", "StudentError", "StudentTimeout"]
