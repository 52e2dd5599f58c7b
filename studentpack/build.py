"""``python -m studentpack.build``: what a course hands to students, per assignment.

dist/pack/NAME/ holds the released notebook and the package NAME_checks/ (the public grader tests,
cut out of graders/NAME/ by :mod:`studentpack.extract`, the helpers they use, the runtime with the
student's side and the recorded ref beside it, the graders' probe functions, and the reference's
values the tests need, recorded here and stored as data); dist/pack/NAME.zip holds the same.
The package speaks Korean too: NAME_checks/locale/ko/ holds the kit's Korean for exactly the texts its
own code can show (see :mod:`studentpack.catalogue`). dist/pack/ko/NAME/ and dist/pack/ko/NAME.zip are the
same pack around the Korean notebook (assignments/ko/NAME/NAME.ipynb), whose check cells ask for Korean.
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

from studentpack import _recorded, _student, runtime  # noqa: E402
from studentpack.catalogue import ship_catalogues, shipped_texts  # noqa: E402
from studentpack.extract import Cutter, _marks  # noqa: E402

# The pack's inputs come from this seed, never from the grading seed (graders.plugin.DEFAULT_SEED or
# a course's --grading-seed): the pack reproduces its own public inputs and nothing else.
PACK_SEED = 11_2026
# Every assignment: the public tests call ref only with inputs they drew themselves, and on objects of
# the reference's whose values depend on their own history of calls (runtime.Recorded keys them so).
PACKED = ("activations", "softmax_loss", "backprop", "softmax_dim")
CATALOG = ROOT / "tests" / "submissions"
# Helpers of the public tests that compute a right answer (each is, or contains, a solution): the
# pack gets their values on the public inputs, recorded here, and not their code.
# graders.gradcheck's central difference is most of backprop's numerical_gradient: no pack ships it.
SHARED_ORACLES = {"graders.gradcheck": ["numerical_gradient"]}
# backprop's net_cases.scores (Affine -> Relu -> Affine in closed form, the contract's own sentence) ships
# as code: the checks also run it on a student net's own random initial params, which no recording holds.
ORACLES = {"activations": SHARED_ORACLES,
           "softmax_loss": {**SHARED_ORACLES, "graders.softmax_loss.cases": ["softmax_over", "exact_loss"],
                            "graders.softmax_loss.test_cross_entropy": ["exact"]},
           "backprop": {**SHARED_ORACLES, "graders.backprop.affine_cases": ["exact"],
                        "graders.backprop.net_cases": ["numerical_gradients", "exact_loss", "softmax_rows",
                                                       "epsilon_allowance"]},
           "softmax_dim": {**SHARED_ORACLES, "graders.softmax_dim.test_cross_entropy_loss": ["exact"],
                           "graders.softmax_dim.test_nll_loss": ["picked"],
                           "graders.softmax_dim.test_softmax_layer": ["without_keepdims", "global_max_softmax"]}}


class Book:
    """What a recording keeps: each value under its key, the kind of each (_recorded.restored reads it
    back), and whether an oracle is running (its own calls of ref are not needed)."""

    def __init__(self):
        self.values, self.kinds, self.inside = {}, {}, False


def stored(value, key: str, values: dict):
    """The kind of value (a string, or [container, parts]); its arrays go to values[key.N], N counting
    the leaves in order. An object of the reference's is kept only whole (not inside a container)."""
    leaves = iter(range(1 << 30))

    def leaf(kind, v):
        values[f"{key}.{next(leaves)}"] = np.array(v)  # a copy: the reference may change its own arrays later
        return kind

    def walk(v, top):
        if v is None:
            return "none"
        if isinstance(v, (bool, np.bool_)):
            return leaf("bool", v)
        if isinstance(v, np.ndarray):
            return leaf("array", v)
        if isinstance(v, (float, np.floating)):
            return leaf("float", v)
        if isinstance(v, (int, np.integer)):
            return leaf("int", v)
        if type(v) in (tuple, list):
            return [type(v).__name__, [walk(x, False) for x in v]]
        if type(v) is dict:
            return ["dict", [[k, walk(x, False)] for k, x in v.items()]]
        if top:
            return "object"
        raise TypeError(f"cannot record a {type(v).__name__} inside a {type(value).__name__}")

    return walk(value, True)


class Recording:
    """``ref`` while recording: calls the reference and keeps each value under its call's key
    (_recorded.digest), an object of the reference's as a Recording of its own whose key is its history,
    as _recorded.Recorded looks them up."""

    is_ref = True

    def __init__(self, reference, book: Book | None = None, chain: str = ""):
        self._reference, self._book, self._chain = reference, book or Book(), chain

    @property
    def values(self) -> dict:
        return self._book.values

    @property
    def kinds(self) -> dict:
        return self._book.kinds

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _RecordingPath(self, name, ())


class _RecordingPath:
    """ref.name, or obj.attr[key]...: _recorded._RecordedPath's twin, on the reference itself."""

    is_ref_path = True

    def __init__(self, root: Recording, name: str, items: tuple):
        self._root, self._name, self._items = root, name, items

    @property
    def recorded_name(self) -> str:
        path = self._name + "".join(_recorded.item_step(i) for i in self._items)
        return f"{self._root._chain}.{path}" if self._root._chain else path

    def _target(self):
        target = getattr(self._root._reference, self._name)
        for item in self._items:
            target = target[item]
        return target

    def __call__(self, *args, **kwargs):
        root, book = self._root, self._root._book
        real = [a._reference if isinstance(a, Recording) else a for a in args]
        if book.inside:
            return self._target()(*real, **kwargs)
        key = _recorded.digest(self.recorded_name, args, kwargs)  # before the call, as the pack sees the inputs
        book.inside = self._name.startswith("oracle:")
        try:
            value = self._target()(*real, **kwargs)
        finally:
            book.inside = False
        book.kinds[key] = stored(value, key, book.values)
        if root._chain:
            root._chain = key
        return Recording(value, book, key) if book.kinds[key] == "object" else value

    def __getitem__(self, item):
        return _RecordingPath(self._root, self._name, self._items + (item,))

    def __setitem__(self, item, value):
        root = self._root
        if root._chain and not root._book.inside:
            root._chain = _recorded.digest(f"{self.recorded_name}{_recorded.item_step(item)}=", (value,), {})
        self._target()[item] = value


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
    # The graders' helpers catch the graders' StudentError and MissingName: the pack's student raises
    # those while recording, and builds probe functions from the graders' own module.
    from graders.student import probes
    from graders.student.errors import MissingName, StudentError
    shipped = _student.StudentError, _student.MissingName, _student.PROBES
    _student.StudentError, _student.MissingName, _student.PROBES = StudentError, MissingName, probes.PROBES
    try:
        student = runtime.Student(vars(reference))
        for test in tests:
            rng = runtime.rng_for(PACK_SEED, runtime.node_id(assignment, test.module, test.name))
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
                    rng = runtime.rng_for(PACK_SEED, runtime.node_id(assignment, test.module, test.name))
                    runtime.run_test(getattr(modules[test.module], test.name), mistaken, recording, rng)
    finally:
        _student.StudentError, _student.MissingName, _student.PROBES = shipped
        for module, name, original in patches:
            setattr(module, name, original)
    return recording


def zipped(folder: Path, base: Path) -> Path:
    """folder as base/NAME.zip, its paths relative to base (so it unpacks to NAME/)."""
    archive = folder.parent / f"{folder.name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                z.write(path, path.relative_to(base))
    return archive


def build_one(assignment: str, out: Path, langs: tuple[str, ...] = ("en", "ko")) -> Path:
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
    for module in (runtime, _student, _recorded):  # the runtime, the student's side, the recorded ref
        shutil.copy(Path(module.__file__), package / f"_{module.__name__.split('.')[-1].lstrip('_')}.py")
    # The probe functions handed to student code (f(x) = sum(c * x**3)): the student side's own module.
    shutil.copy(ROOT / "graders" / "student" / "probes.py", package / "_probes.py")
    # The runtime groups as the graders do; a graders.messages import becomes the pack's own module.
    diagnosed = (ROOT / "graders" / "diagnoses.py").read_text()
    (package / "diagnoses.py").write_text(diagnosed.replace("from graders.messages import", "from .messages import"))
    # The whole messages module (stdlib only; the cut copy may lack use(), which check(lang=) calls).
    shutil.copy(ROOT / "graders" / "messages" / "__init__.py", package / "messages.py")
    (package / "__init__.py").write_text(
        f'"""Public checks of {assignment}: check("part") in the notebook, or python -m {assignment}_checks '
        f'NOTEBOOK.ipynb."""\nfrom ._runtime import notebook_check as check\n')
    (package / "__main__.py").write_text("import sys\n\nfrom ._runtime import main\n\nsys.exit(main())\n")
    recording = record(assignment, tests)
    np.savez_compressed(package / "expected.npz", **recording.values)
    manifest = {"assignment": assignment, "seed": PACK_SEED, "parts": part_points(cutter),
                "tests": [vars(t) for t in tests], "kinds": recording.kinds}
    (package / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    ship_catalogues(package, shipped_texts(package, assignment))
    shutil.copy(ROOT / "assignments" / assignment / f"{assignment}.ipynb", folder)
    zipped(folder, out)
    for lang in langs:
        if lang != "en":  # the same package, around the notebook in that language
            notebook = ROOT / "assignments" / lang / assignment / f"{assignment}.ipynb"
            if not notebook.is_file():  # make release writes it (graders.messages.notebooks) before this runs
                print(f"studentpack: no {notebook.relative_to(ROOT)}, so no {lang} pack of {assignment}", file=sys.stderr)
                continue
            translated = out / lang / assignment
            shutil.rmtree(translated, ignore_errors=True)
            shutil.copytree(package, translated / package.name, ignore=shutil.ignore_patterns("__pycache__"))
            shutil.copy(notebook, translated)
            zipped(translated, out / lang)
    return folder


def main(*, assignments: list[str], out: Path, langs: tuple[str, ...] = ("en", "ko")) -> list[Path]:
    return [build_one(name, out, langs) for name in assignments]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", default=list(PACKED))
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "pack")
    parser.add_argument("--lang", dest="langs", action="append", choices=("en", "ko"),
                        help="a notebook language to pack (repeat it; default: en and ko, ko in OUT/ko/)")
    args = parser.parse_args()
    langs = tuple(dict.fromkeys(["en", *(args.langs or ["ko"])]))  # the English pack is always built
    for folder in main(assignments=args.assignments, out=args.out, langs=langs):
        print(f"studentpack: {folder} and {folder}.zip" + "".join(
            f"; {folder.parent / lang / folder.name}(.zip)" for lang in langs if lang != "en"))
