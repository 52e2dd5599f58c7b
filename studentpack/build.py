"""``python -m studentpack.build``: what a course hands to students, per assignment.

dist/pack/NAME/ holds the released notebook and the package NAME_checks/ (the public grader tests,
cut out of graders/NAME/ by :mod:`studentpack.extract`, the helpers they use, the runtime and the
reference's values they need, recorded here and stored as data); dist/pack/NAME.zip holds the same.
A package rather than one file: the graders' modules keep their own names and code, so two tests'
helpers of one name (each layer's ``backward_mistakes``) never collide, and no line is rewritten.
"""
from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
import types
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from studentpack import runtime  # noqa: E402
from studentpack.extract import Cutter, _marks  # noqa: E402

# The pack's inputs come from this seed, never from the grading seed (graders.plugin.DEFAULT_SEED or
# a course's --grading-seed): the pack reproduces its own public inputs and nothing else.
PACK_SEED = 11_2026
# Assignments whose public tests call ref only with inputs they drew themselves (so values can be
# recorded); backprop and softmax_dim are not packed yet.
PACKED = ("activations", "softmax_loss")
CATALOG = ROOT / "tests" / "submissions"
# Helpers of the public tests that compute a right answer (each is, or contains, a solution): the
# pack gets their values on the public inputs, recorded here, and not their code.
# graders.gradcheck's central difference is most of backprop's numerical_gradient: no pack ships it.
SHARED_ORACLES = {"graders.gradcheck": ["numerical_gradient"]}
ORACLES = {"activations": SHARED_ORACLES,
           "softmax_loss": {**SHARED_ORACLES, "graders.softmax_loss.cases": ["softmax_over", "exact_loss"],
                            "graders.softmax_loss.test_cross_entropy": ["exact"]}}


class Recording:
    """``ref`` while recording: calls the reference and keeps each value under its input's digest."""

    def __init__(self, reference):
        self._reference, self.values, self.kinds, self.inside = reference, {}, {}, False

    def __getattr__(self, name):
        fn = getattr(self._reference, name)

        def record(*args, **kwargs):
            if self.inside:  # an oracle's own calls (numerical_gradient's of f) are not needed
                return fn(*args, **kwargs)
            self.inside = name.startswith("oracle:")
            try:
                value = fn(*args, **kwargs)
            finally:
                self.inside = False
            key = runtime.digest(name, args, kwargs)
            self.values[key] = np.asarray(value, dtype=np.float64)
            self.kinds[key] = "array" if isinstance(value, np.ndarray) else "float"
            return value
        record.recorded_name = name
        return record


def part_points(cutter: Cutter) -> dict[str, float]:
    """Every test's points by part, public and hidden (the notebook's grade cells show them too)."""
    totals: dict[str, float] = {}
    for name, module in cutter.modules.items():
        if name.split(".")[-1].startswith("test_"):
            for stmt in module.tree.body:
                if getattr(stmt, "name", "").startswith("test_"):
                    _, points, part = _marks(stmt)
                    totals[part] = totals.get(part, 0.0) + points
    return totals


def record(assignment: str, tests) -> Recording:
    """Run the graders' own public tests with the reference as the student, recording every value of
    ``ref`` and of the ORACLES they use; each test must pass."""
    from graders.reference import load_reference

    reference = load_reference(assignment)
    modules = {t.module: importlib.import_module(f"graders.{assignment}.{t.module}") for t in tests}
    oracles = {}
    for dotted, names in ORACLES.get(assignment, {}).items():
        for name in names:
            oracles[f"oracle:{name}"] = getattr(importlib.import_module(dotted), name)
    recording = Recording(types.SimpleNamespace(**vars(reference), **oracles))
    patches = []  # (module, name, original): every graders module that holds an oracle, by name
    for key, original in oracles.items():
        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("graders.") and \
                    getattr(module, key[len("oracle:"):], None) is original:
                patches.append((module, key[len("oracle:"):], original))
                setattr(module, key[len("oracle:"):], getattr(recording, key))
    # The graders' helpers catch the graders' StudentError: the runtime raises that one while recording.
    from graders.student.errors import StudentError
    shipped_error, runtime.StudentError = runtime.StudentError, StudentError
    try:
        student = runtime.Student(vars(reference))
        for test in tests:
            rng = runtime.rng_for(PACK_SEED, f"{test.module}.py::{test.name}")
            ok, message = runtime.run_test(getattr(modules[test.module], test.name), student, recording, rng)
            if not ok:
                raise RuntimeError(f"the reference fails its own public check {test.name}: {message}")
        # A diagnosis runs only on a failure, sometimes on inputs of its own (softmax's SQUARE batch
        # after a raise): the catalog's mistakes take the tests down those paths, so their values are
        # recorded too (the catalog is the kit's own, trusted code). A mistake none of them makes may
        # still find a value missing: the pack's check then fails saying it could not run on the
        # student's values, where the graders name the mistake; the verdict is theirs, as such
        # paths run only after a check has failed.
        for folder in sorted((CATALOG / assignment / "buggy").glob("*")):
            files = [f for f in (folder / f"{assignment}.py", folder / f"{assignment}.ipynb") if f.is_file()]
            if files:
                mistaken = runtime.Student(runtime.load_submission(files[0]))
                for test in tests:
                    rng = runtime.rng_for(PACK_SEED, f"{test.module}.py::{test.name}")
                    runtime.run_test(getattr(modules[test.module], test.name), mistaken, recording, rng)
    finally:
        runtime.StudentError = shipped_error
        for module, name, original in patches:
            setattr(module, name, original)
    return recording


def build_one(assignment: str, out: Path) -> Path:
    cutter = Cutter(assignment, ORACLES.get(assignment))
    tests = cutter.cut()
    folder = out / assignment
    shutil.rmtree(folder, ignore_errors=True)
    package = folder / f"{assignment}_checks"
    package.mkdir(parents=True)
    for module in cutter.modules:
        text = cutter.source(module)
        if text is not None:
            (package / f"{module.split('.')[-1]}.py").write_text(text)
    shutil.copy(Path(runtime.__file__), package / "_runtime.py")
    (package / "__init__.py").write_text(
        f'"""Public checks of {assignment}: check("part") in the notebook, or python -m {assignment}_checks '
        f'NOTEBOOK.ipynb."""\nfrom ._runtime import notebook_check as check\n')
    (package / "__main__.py").write_text("import sys\n\nfrom ._runtime import main\n\nsys.exit(main())\n")
    recording = record(assignment, tests)
    np.savez_compressed(package / "expected.npz", **recording.values)
    manifest = {"assignment": assignment, "seed": PACK_SEED, "parts": part_points(cutter),
                "tests": [vars(t) for t in tests], "kinds": recording.kinds}
    (package / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    shutil.copy(ROOT / "assignments" / assignment / f"{assignment}.ipynb", folder)
    archive = out / f"{assignment}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                z.write(path, path.relative_to(out))
    return folder


def main(*, assignments: list[str], out: Path) -> list[Path]:
    return [build_one(name, out) for name in assignments]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", default=list(PACKED))
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "pack")
    args = parser.parse_args()
    for folder in main(assignments=args.assignments, out=args.out):
        print(f"studentpack: {folder} and {folder}.zip")
