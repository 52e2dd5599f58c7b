"""The public tests of a grader suite, cut out of graders/ with exactly the helpers they use.

A grader suite mixes public and hidden tests in one module and shares helpers between them. The
pack must carry the public ones (the same code, so the pack and the graders cannot disagree) and
nothing a hidden test alone uses. This module follows names through the AST: starting from every
test marked ``@pytest.mark.public``, it keeps each top-level statement of a graders module whose
names the kept code uses, across ``from graders... import`` lines, and nothing else. Imports of
graders modules are rewritten as imports inside the pack's package; pytest disappears (the points
and parts of the public tests are returned as data).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

GRADERS = Path(__file__).resolve().parent.parent / "graders"
# graders modules whose source may enter a pack (generic helpers, plus the assignment's own suite).
# graders.messages goes too (the checks' texts pass through its _()); studentpack.catalogue ships its Korean.
SHARED = {"graders.checks": GRADERS / "checks.py", "graders.gradcheck": GRADERS / "gradcheck.py",
          "graders.messages": GRADERS / "messages" / "__init__.py"}
# Stands in for graders.student.errors in the pack (the pack's runtime defines StudentError).
ERRORS = "graders.student.errors"


@dataclass
class PublicTest:
    module: str  # e.g. "test_functions"
    name: str
    points: float
    part: str


@dataclass
class Module:
    name: str  # dotted, e.g. graders.activations.hints
    tree: ast.Module
    source: str
    defined: dict[str, ast.stmt] = field(default_factory=dict)  # top-level name -> statement
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # local -> (module, name or None)


def _targets(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [stmt.name]
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    return []


def load(name: str, path: Path) -> Module:
    source = path.read_text()
    module = Module(name, ast.parse(source), source)
    for stmt in module.tree.body:
        for target in _targets(stmt):
            module.defined[target] = stmt
        if isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.module.startswith("graders"):
            for alias in stmt.names:
                dotted = f"{stmt.module}.{alias.name}"
                is_module = (GRADERS.parent / (dotted.replace(".", "/") + ".py")).is_file()
                module.imports[alias.asname or alias.name] = (dotted, None) if is_module else (stmt.module, alias.name)
    return module


def _marks(func: ast.FunctionDef) -> tuple[bool, float | None, str | None]:
    public, points, part = False, None, None
    for deco in func.decorator_list:
        text = ast.unparse(deco)
        if text == "pytest.mark.public":
            public = True
        elif isinstance(deco, ast.Call) and ast.unparse(deco.func) == "pytest.mark.points":
            points = float(ast.literal_eval(deco.args[0]))
            part = next(ast.literal_eval(k.value) for k in deco.keywords if k.arg == "part")
    return public, points, part


def _helper_decorators(stmt: ast.stmt) -> list[ast.expr]:
    """The decorators that ship with a statement: a helper's, never a test's (pytest's marks)."""
    if getattr(stmt, "name", "").startswith("test_"):
        return []
    return list(getattr(stmt, "decorator_list", []))


def _segment(source: str, stmt: ast.stmt) -> str:
    """The statement's source, with the decorators it ships with (ast's own segment starts at def)."""
    text = ast.get_source_segment(source, stmt)
    decorators = _helper_decorators(stmt)
    if decorators:
        lines = source.splitlines()[decorators[0].lineno - 1:stmt.lineno - 1]
        text = "\n".join(line.strip() for line in lines) + "\n" + text
    return text


def _used(stmt: ast.stmt) -> tuple[set[str], set[tuple[str, str]]]:
    """(bare names, (name, attribute) pairs) the statement reads; a test's decorators (pytest's marks)
    are not followed, a helper's are (contextlib.contextmanager)."""
    nodes = [stmt]
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        nodes = [*stmt.body, *stmt.args.defaults, *stmt.args.kw_defaults, *_helper_decorators(stmt)]
        nodes = [n for n in nodes if n is not None]
    names, attributes = set(), set()
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                names.add(sub.id)
            elif isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name):
                attributes.add((sub.value.id, sub.attr))
    return names, attributes


class Cutter:
    """Follows names from the public tests of one assignment and collects what they need."""

    def __init__(self, assignment: str, oracles: dict[str, list[str]] | None = None):
        """oracles: {dotted module: [function names]} of helpers that compute a right answer (a
        stable softmax, the exact loss, a numerical gradient): they ship as recorded values, never as code."""
        self.assignment = assignment
        self.oracles = {(m, n) for m, names in (oracles or {}).items() for n in names}
        self.modules: dict[str, Module] = {name: load(name, path) for name, path in SHARED.items()}
        folder = GRADERS / assignment
        for path in sorted(folder.glob("*.py")):
            if path.name != "__init__.py":
                name = f"graders.{assignment}.{path.stem}"
                self.modules[name] = load(name, path)
        self.kept: dict[str, set[str]] = {name: set() for name in self.modules}
        self.tests: list[PublicTest] = []

    def need(self, module: str, name: str) -> None:
        if module == ERRORS or module not in self.modules or name in self.kept[module]:
            return
        mod = self.modules[module]
        if name in mod.imports:
            target, attr = mod.imports[name]
            if attr is not None:
                self.need(target, attr)
            self.kept[module].add(name)
            return
        stmt = mod.defined.get(name)
        if stmt is None:
            return  # a builtin, a parameter or a local name
        if (module, name) in self.oracles:
            self.kept[module].add(name)
            return  # its code stays behind: the pack looks its values up
        for target in _targets(stmt):
            self.kept[module].add(target)
        names, attributes = _used(stmt)
        for used in names:
            self.need(module, used)
        for owner, attr in attributes:
            if owner in mod.imports and mod.imports[owner][1] is None:
                self.need(mod.imports[owner][0], attr)

    def cut(self) -> list[PublicTest]:
        for module, mod in self.modules.items():
            if not module.split(".")[-1].startswith("test_"):
                continue
            for stmt in mod.tree.body:
                if isinstance(stmt, ast.FunctionDef) and stmt.name.startswith("test_"):
                    public, points, part = _marks(stmt)
                    if public:
                        self.tests.append(PublicTest(module.split(".")[-1], stmt.name, points, part))
                        self.need(module, stmt.name)
        # Calls at the top of a kept module (hints' name_mistakes(...)) run in the pack too.
        for module, mod in self.modules.items():
            if self.kept[module]:
                for stmt in mod.tree.body:
                    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                        self.need(module, ast.unparse(stmt.value.func))
        return self.tests

    def source(self, module: str) -> str | None:
        """The kept part of one module, as the pack's module ``short_name.py``, or None if nothing is kept."""
        kept, mod = self.kept[module], self.modules[module]
        if not kept:
            return None
        out = [f'"""Cut from {module} by studentpack: only what the public checks use."""']
        for stmt in mod.tree.body:
            if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
                out.append(ast.get_source_segment(mod.source, stmt))
            elif isinstance(stmt, ast.Import):
                names = [a for a in stmt.names if a.name != "pytest"]
                if names:
                    out.append("import " + ", ".join(ast.unparse(a) for a in names))
            elif isinstance(stmt, ast.ImportFrom):
                out.extend(self._import(stmt, kept))
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                out.append(ast.get_source_segment(mod.source, stmt))
            elif isinstance(stmt, ast.FunctionDef) and (module, stmt.name) in self.oracles:
                if stmt.name in kept:  # an oracle only hidden tests use ships not even as a name
                    out.append(f"{stmt.name} = oracle({stmt.name!r})  # recorded at release: no code ships")
            elif any(t in kept for t in _targets(stmt)):
                out.append(_segment(mod.source, stmt))
        if any(m == module and n in kept for m, n in self.oracles):
            at = 2 if len(out) > 1 and out[1].startswith("from __future__") else 1
            out.insert(at, "from ._runtime import oracle")
        text = out[0]
        for before, part in zip(out, out[1:]):
            imports = all(p.startswith(("from ", "import ")) for p in (before, part))
            text += ("\n" if imports else "\n\n\n") + part
        return text + "\n"

    def _import(self, stmt: ast.ImportFrom, kept: set[str]) -> list[str]:
        names = [a for a in stmt.names if (a.asname or a.name) in kept or not stmt.module.startswith("graders")]
        if not names:
            return []
        if stmt.module == ERRORS:
            return ["from ._runtime import " + ", ".join(ast.unparse(a) for a in names)]
        if stmt.module.startswith("graders"):
            tail = stmt.module.split(".")[-1]
            module = "" if tail in (self.assignment,) else tail
            return [f"from .{module} import " + ", ".join(ast.unparse(a) for a in names)]
        return ["from " + stmt.module + " import " + ", ".join(ast.unparse(a) for a in names)]
