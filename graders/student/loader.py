"""Run a list of cells into a fresh module namespace, the way a notebook runs top to bottom.

A cell that fails (syntax error, exception, ``sys.exit``) is recorded and the next cell still
runs, as in nbgrader's autograde, so one broken cell costs only what depends on it.
"""
from __future__ import annotations

import types
from typing import Iterable

from graders.student.extract import Cell
from graders.student.server import STUDENT_FILE, student_line


def run_cells(cells: Iterable[Cell], module_name: str) -> tuple[dict, list[str]]:
    """Returns the namespace and one message per failed cell."""
    module = types.ModuleType(module_name)
    namespace = module.__dict__
    problems: list[str] = []
    for cell in cells:
        try:
            code = compile(cell.source, f"{STUDENT_FILE}:{cell.index}", "exec")
            exec(code, namespace)
        except SyntaxError as exc:
            problems.append(f"cell {cell.index}: SyntaxError at line {exc.lineno}: {exc.msg}")
        except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
            where = student_line(exc)
            problems.append(f"cell {cell.index}: {type(exc).__name__}: {exc}" + (f" ({where})" if where else ""))
    return namespace, problems
