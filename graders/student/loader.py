"""Run a list of cells into a fresh module namespace, the way a notebook runs top to bottom.

A cell that fails (syntax error, exception, ``sys.exit``) is recorded and the next cell still
runs, as in nbgrader's autograde, so one broken cell costs only what depends on it.
"""
from __future__ import annotations

import linecache
import types
from typing import Iterable

from graders.diagnoses import cell_named, first_code_line
from graders.student.extract import Cell
from graders.student.server import STUDENT_FILE, student_line


def run_cells(cells: Iterable[Cell], module_name: str) -> tuple[dict, list[str]]:
    """Returns the namespace and one message per failed cell."""
    module = types.ModuleType(module_name)
    namespace = module.__dict__
    problems: list[str] = []
    for cell in cells:
        # Named by its first line (a count of cells would include markdown ones Jupyter shows no
        # number for); a whole module (index 0) needs no name. Its source goes into linecache so a
        # traceback's location can quote the line (graders.student.server.student_line).
        filename = f"{STUDENT_FILE}:{cell.index}"
        linecache.cache[filename] = (len(cell.source), None, cell.source.splitlines(True), filename)
        label = cell_named(first_code_line(cell.source)) + ": " if cell.index else ""
        try:
            code = compile(cell.source, filename, "exec")
            exec(code, namespace)
        except SyntaxError as exc:
            problems.append(f"{label}SyntaxError at line {exc.lineno}: {exc.msg}")
        except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
            where = student_line(exc)
            problems.append(f"{type(exc).__name__}: {exc} ({where})" if where else f"{label}{type(exc).__name__}: {exc}")
    return namespace, problems
