"""The student's code as the public checks call it, in this process (it is the student's own machine):
the pack's stand-in for the graders' ``student`` (graders.student.api), with the same behaviour a
check can see. Arguments reach student code as over the graders' wire (its own copy of every array;
an array put() there, a handle's object, a probe function built by name), values come back as
copies or as handles, and a raise becomes StudentError located as the graders locate it. Shipped in
every pack as NAME_checks/_student.py.
"""
from __future__ import annotations

import linecache
import sys
import traceback
import warnings

import numpy as np

from . import diagnoses
from .messages import _


class StudentError(Exception):
    """The student's code raised; ``kind`` is the exception's type name, ``where`` the student's line."""

    def __init__(self, kind: str, message: str, where: str = ""):
        self.kind, self.message, self.where = kind, message, where
        text = f"{kind}: {message}" if message else kind
        super().__init__(f"{text} ({where})" if where else text)


class MissingName(StudentError):
    """The submission does not define a name the contract asks for."""

    def __init__(self, name: str):
        super().__init__("NameError", _("your code defines no '{name}'").format(name=name))
        self.name = name


# Student code is compiled under this file name plus ":<cell number>" (0: a whole module), its source
# in linecache, as the graders compile it, so a raise is located the way the graders locate it.
STUDENT_FILE = "<submission>"
# The probe functions the checks hand to student code (numerical_gradient's f), by name: the pack's
# copy of graders/student/probes.py, or that module itself while the pack is recorded (build.record).
PROBES: dict | None = None


def student_line(exc: BaseException) -> str:
    """Where the student's code raised, as the graders name it (diagnoses.student_line, the same file
    in the pack and the kit), or, in a notebook's kernel, by the cell as Jupyter names it; or ''."""
    return diagnoses.student_line(exc, STUDENT_FILE) or _kernel_line(exc)


def _kernel_line(exc: BaseException) -> str:
    """In a notebook's kernel (check() on the names its cells defined), the deepest frame of a cell,
    named as Jupyter names it ('cell In[5]'), or ''."""
    ipython = sys.modules.get("IPython")
    shell = getattr(ipython, "get_ipython", lambda: None)() if ipython is not None else None
    named = getattr(getattr(shell, "compile", None), "format_code_name", None)
    found = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        try:
            cell = named(frame.f_code.co_filename) if named is not None else None
        except Exception:  # noqa: BLE001 - an IPython that names cells otherwise: no cell named
            cell = None
        if cell:
            found = frame, lineno, f"cell {cell[1]}"
    if found is None:
        return ""
    frame, lineno, cell = found
    return diagnoses.where(diagnoses.function_of(frame), lineno, cell, linecache.getline(frame.f_code.co_filename, lineno))


class _Held:
    """An array left on the student's side (Student.put): passed as is, so a change shows in fetch."""

    def __init__(self, value):
        self.value = value

    def set_item(self, attr: str, key, value) -> None:
        _student_do(lambda: _set_item(self.value, attr, key, value))


class _Probe:
    """Student.fn(name, *args): a probe function, built on the student's side when it is passed."""

    def __init__(self, name: str, args: tuple):
        self.name, self.args = name, args


def _set_item(obj, attr: str, key, value) -> None:
    getattr(obj, attr)[key][...] = _to_student(value)


def _to_student(value):
    """What the student's code receives, as over the graders' wire: its own copy of every array and
    container (so the checks' inputs never change under them), the very array put there with put(),
    the student's own object for one of its handles, and a probe function built from its name."""
    if isinstance(value, _Held):
        return value.value
    if isinstance(value, Handle):
        return value._obj
    if isinstance(value, _Probe):
        probes = PROBES
        if probes is None:
            from ._probes import PROBES as probes  # noqa: N811 - the shipped copy
        return probes[value.name](*(_to_student(a) for a in value.args))
    if isinstance(value, np.ndarray):
        return np.array(value, copy=True, subok=False)
    if isinstance(value, np.generic):
        return np.array(value)[()]
    if isinstance(value, (tuple, list)):
        return type(value)(_to_student(v) for v in value)
    if isinstance(value, dict):
        return {k: _to_student(v) for k, v in value.items()}
    return value


def _student_do(fn):
    """fn() in the student's code: a raise becomes StudentError, located as the graders locate it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # costs no points: graders only note it
            return _wrap(fn())
    except KeyboardInterrupt:
        raise
    except StudentError:
        raise
    except BaseException as exc:  # SystemExit too: a refusal to compute, as the graders see it
        raise StudentError(type(exc).__name__, str(exc), student_line(exc)) from None


def _student_call(fn, *args, **kwargs):
    args = tuple(_to_student(a) for a in args)
    kwargs = {k: _to_student(v) for k, v in kwargs.items()}
    return _student_do(lambda: fn(*args, **kwargs))


class Handle:
    """An object of the student's (a layer, a net), as the graders' handle to it: ``layer.forward(x)``
    calls a method, ``layer.get("dW")`` reads an attribute, ``net.set_item("params", "W1", v)`` does
    ``net.params["W1"][...] = v``. Named as the graders' (graders.student.wire.Handle): a check that
    gets one where it wanted numbers names its type."""

    def __init__(self, obj):
        object.__setattr__(self, "_obj", obj)

    def get(self, name: str):
        return _student_do(lambda: getattr(self._obj, name))

    def set_item(self, attr: str, key, value) -> None:
        _student_do(lambda: _set_item(self._obj, attr, key, value))

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *a, **k: _student_call(lambda *a2, **k2: getattr(self._obj, name)(*a2, **k2), *a, **k)


# What crosses the graders' wire as data (numeric and boolean arrays); anything else stays on the
# student's side and comes back as a handle.
_PLAIN_KINDS = set("biufc")


def _wrap(value, depth: int = 0):
    """A value coming back from student code, as the graders' wire hands it over: plain data as a
    fresh copy (later changes to the student's own arrays do not show), objects as handles."""
    if depth > 20:
        return Handle(value)
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, np.ndarray) and value.dtype.kind in _PLAIN_KINDS:
        return np.array(value, copy=True, subok=False)
    if isinstance(value, np.generic) and value.dtype.kind in _PLAIN_KINDS:
        return np.array(value)[()]
    if type(value) in (list, tuple):
        return type(value)(_wrap(v, depth + 1) for v in value)
    if type(value) is dict and all(type(k) is str for k in value):
        return {k: _wrap(v, depth + 1) for k, v in value.items()}
    return Handle(value)


class Student:
    """The names a submission defined, called as the graders call them."""

    def __init__(self, namespace: dict):
        self._ns = namespace

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)

        def call(*args, **kwargs):  # looked up when called, as the graders' student does
            if name not in self._ns:
                raise MissingName(name)
            return _student_call(self._ns[name], *args, **kwargs)
        return call

    def put(self, value):
        return _Held(_to_student(value))

    def fetch(self, handle):
        return _wrap(handle.value)

    def has(self, name: str) -> bool:
        return name in self._ns

    @staticmethod
    def fn(name: str, *args):
        return _Probe(name, args)
