"""The student pack (studentpack.build): nothing hidden in it, only numpy needed, and the same public
outcomes as the graders on every catalog submission."""
from __future__ import annotations

import ast
import concurrent.futures
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from graders import ROOT
from graders.engine.grade import grade
from graders.plugin import DEFAULT_SEED
from studentpack.build import PACK_SEED, PACKED
from studentpack.extract import _marks

CATALOG = ROOT / "tests" / "submissions"
# Lines the pack may share with reference/, each with its reason.
SHARED_WITH_REFERENCE = {
    # test_cross_entropy.probabilities turns random normals into rows that sum to 1. Normalising by
    # the sum is no secret (the notebook's markdown states the formula); what makes the reference's
    # softmax right for any input, the max shift before exp, is not on that line.
    "return e / np.sum(e, axis=-1, keepdims=True)",
}


@pytest.fixture(scope="module")
def numpy_only(tmp_path_factory) -> Path:
    """A folder holding only numpy (linked from this venv), for python -I -S: no site-packages, so
    neither the kit nor pytest can be imported."""
    folder = tmp_path_factory.mktemp("numpy-only")
    site = Path(np.__file__).resolve().parent.parent
    for name in ("numpy", "numpy.libs"):
        if (site / name).exists():
            (folder / name).symlink_to(site / name)
    return folder


def run_isolated(numpy_only: Path, pack: Path, code: str, *args: str) -> subprocess.CompletedProcess:
    prelude = f"import sys; sys.path[:0] = [{str(pack)!r}, {str(numpy_only)!r}]\n"
    return subprocess.run([sys.executable, "-I", "-S", "-c", prelude + code, *args], cwd=pack,
                          capture_output=True, text=True, timeout=600)


def normalised_lines(source: str) -> set[str]:
    """Non-trivial code lines, whitespace collapsed: no comments, imports, decorators, docstring
    quotes or short lines (a `return x` is in every program)."""
    lines = set()
    for line in source.splitlines():
        text = re.sub(r"\s+", " ", line.split("  #")[0].strip())
        if len(text) < 24 or text.startswith(("#", "import ", "from ", "@", '"""')):
            continue
        lines.add(text)
    return lines


def body_dumps(source: str) -> set[str]:
    """ast.dump of every function body (docstring dropped) with at least two statements."""
    dumps = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body[1:] if ast.get_docstring(node) else node.body
            if len(body) >= 2:
                dumps.add(ast.dump(ast.Module(body=body, type_ignores=[])))
    return dumps


def hidden_tests(assignment: str) -> tuple[list[str], set[str]]:
    """(source of each hidden test function, normalised lines of graders/NAME outside them): a line
    a hidden test shares with a public test or helper is public already; the rest is hidden."""
    hidden, elsewhere = [], set()
    for path in sorted((ROOT / "graders" / assignment).glob("*.py")):
        source = path.read_text()
        rest = source
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_") and not _marks(node)[0]:
                text = ast.get_source_segment(source, node)
                hidden.append(text)
                rest = rest.replace(text, "")
        elsewhere |= normalised_lines(rest)
    return hidden, elsewhere


def pack_source(packs: Path, assignment: str) -> str:
    return "\n".join(p.read_text() for p in sorted((packs / assignment).rglob("*.py")))


@pytest.mark.parametrize("assignment", PACKED)
def test_pack_holds_no_line_or_body_of_the_reference(packs, assignment):
    """Does any non-trivial line or function body of reference/ (every assignment's: one pack must not
    hand out another's solution, e.g. backprop's numerical_gradient) appear in the pack?"""
    shipped = pack_source(packs, assignment)
    reference = "\n".join(p.read_text() for p in sorted((ROOT / "reference").glob("*/*.py")))  # the solutions
    assert not (normalised_lines(shipped) & normalised_lines(reference)) - SHARED_WITH_REFERENCE
    assert not body_dumps(shipped) & body_dumps(reference)


@pytest.mark.parametrize("assignment", PACKED)
def test_pack_holds_no_hidden_test(packs, assignment):
    """Does any hidden test's name, non-trivial line (one no public test shares) or body ship?"""
    shipped = pack_source(packs, assignment)
    hidden, not_hidden = hidden_tests(assignment)
    assert hidden, "every suite has hidden tests: the check must see some"
    for text in hidden:
        name = text.split("(")[0].split()[-1]
        assert name not in shipped
        assert not (normalised_lines(text) - not_hidden) & normalised_lines(shipped), name
        assert not body_dumps(text) & body_dumps(shipped), name


@pytest.mark.parametrize("assignment", PACKED)
def test_pack_imports_neither_kit_nor_pytest_and_seeds_apart_from_grading(packs, assignment):
    """Does the pack stand alone (no graders or pytest import) with a seed that is not the grading seed?"""
    for path in (packs / assignment).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not any(n.split(".")[0] in ("graders", "pytest", "reference") for n in names), path
    manifest = json.loads((packs / assignment / f"{assignment}_checks" / "manifest.json").read_text())
    assert manifest["seed"] != DEFAULT_SEED
    with zipfile.ZipFile(packs / f"{assignment}.zip") as z:
        zipped = {n for n in z.namelist()}
    on_disk = {str(p.relative_to(packs)) for p in (packs / assignment).rglob("*") if p.is_file()
               and "__pycache__" not in p.parts}
    assert zipped == on_disk


def test_pack_runs_from_the_shell_with_only_numpy(packs, numpy_only):
    """python -m activations_checks on a correct and a buggy module, with only numpy importable."""
    pack = packs / "activations"
    probe = run_isolated(numpy_only, pack, "import graders")
    assert "ModuleNotFoundError" in probe.stderr
    run = "import runpy; runpy.run_module('activations_checks', run_name='__main__')"
    good = run_isolated(numpy_only, pack, run, str(CATALOG / "activations/correct/book_style_naive_sigmoid/activations.py"))
    assert good.returncode == 0, good.stderr
    assert "all parts: public checks 5 / 5 points; 4 more points are graded by hidden tests" in good.stdout
    bad = run_isolated(numpy_only, pack, run, str(CATALOG / "activations/buggy/relu_backward_no_mask/activations.py"))
    assert bad.returncode == 1
    assert "FAIL test_relu_layer_backward_matches_numerical_gradient" in bad.stdout
    assert "Likely mistake: backward lets dout through where x > 0" in bad.stdout


@pytest.mark.parametrize("assignment", PACKED)
def test_every_pack_runs_from_the_shell_with_only_numpy(packs, numpy_only, assignment):
    """python -m NAME_checks with only numpy importable: a correct catalog submission passes every
    public check (exit 0), the blank released notebook beside the pack fails them (exit 1)."""
    run = f"import runpy; runpy.run_module('{assignment}_checks', run_name='__main__')"
    correct = sorted((CATALOG / assignment / "correct").iterdir())[0]
    file = next(f for f in (correct / f"{assignment}.py", correct / f"{assignment}.ipynb") if f.exists())
    good = run_isolated(numpy_only, packs / assignment, run, str(file))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "FAIL" not in good.stdout
    blank = run_isolated(numpy_only, packs / assignment, run, f"{assignment}.ipynb")
    assert blank.returncode == 1, blank.stdout + blank.stderr
    assert "NotImplementedError" in blank.stdout


def test_pack_checks_the_blank_released_notebook_as_unwritten(packs, numpy_only):
    """check("part") on the released notebook's names: every public check fails, the summary says so."""
    pack = packs / "softmax_loss"
    code = ("from softmax_loss_checks._runtime import load_submission, check\n"
            "check('softmax_with_loss', load_submission(__import__('pathlib').Path('softmax_loss.ipynb')))")
    done = run_isolated(numpy_only, pack, code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("FAIL ") == 2 and "NotImplementedError" in done.stdout
    assert "public checks: 0 / 2 points; 2 more points are graded by hidden tests after you submit" in done.stdout


def test_check_in_a_notebook_reads_the_names_the_notebook_defined(packs, numpy_only):
    """check("part") with no namespace, as a notebook cell calls it: the kernel's own names are checked."""
    solution = CATALOG / "activations/correct/book_style_naive_sigmoid/activations.py"
    code = (f"exec(open({str(solution)!r}).read())\n"
            "from activations_checks import check\n"
            "check('sigmoid_layer')\n")
    done = run_isolated(numpy_only, packs / "activations", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == ("  public checks: 1.5 / 1.5 points; 1.5 more points are graded by hidden "
                                            "tests after you submit")


PACK_OUTCOMES = """
import json, sys
from pathlib import Path
import numpy as np
import {name}_checks._runtime as runtime
manifest, _ = runtime.load_pack()
run_test, drew = runtime.run_test, set()


def watched(fn, *args):
    # Did the student's code draw from numpy's global generator while this check ran?
    before = np.random.get_state()
    outcome = run_test(fn, *args)
    after = np.random.get_state()
    if not (np.array_equal(before[1], after[1]) and before[2] == after[2]):
        drew.add(fn.__name__)
    return outcome


runtime.run_test = watched
found = {{}}
for path in sys.argv[2:]:
    names = runtime.load_submission(Path(path))
    drew.clear()
    done = [r for part in manifest["parts"] for r in runtime.results(part, names)]
    found[path] = {{r["name"]: [r["passed"], r["message"], r["name"] in drew] for r in done}}
Path(sys.argv[1]).write_text(json.dumps(found))
"""


def outcomes(result: dict) -> dict[str, tuple[bool, str]]:
    """(passed, message) per test of a graded JSON, by test name (the JSON names it "part: name")."""
    return {t["name"].split(": ")[-1]: (t["status"] == "passed", t["output"]) for t in result["tests"]}


def without_numbers(message: str) -> str:
    return re.sub(r"-?\d+(\.\d+)?(e[-+]?\d+)?", "#", message)


@pytest.mark.parametrize("assignment", PACKED)
def test_pack_make_check_and_grade_give_the_same_public_outcomes_on_every_catalog_submission(
        packs, numpy_only, tmp_path, assignment):
    """Pass or fail, and the very message, of every public test on every catalog submission, from the
    pack (only numpy), make check's engine (grade --public-only) and python -m graders grade, all on
    the pack's seed (with it the graders draw the pack's inputs). Where the student's code drew from
    numpy's global generator during a check (a net's initial weights: unseeded in the graders too, so
    two gradings of one submission differ there), the messages are compared without their numbers.
    The blank released notebook goes along: its raises are located by notebook cell."""
    folders = sorted(p for kind in ("correct", "buggy") for p in (CATALOG / assignment / kind).iterdir() if p.is_dir())
    files = [str(next(f for f in (folder / f"{assignment}.py", folder / f"{assignment}.ipynb") if f.exists()))
             for folder in folders]
    folders.append(ROOT / "assignments" / assignment / f"{assignment}.ipynb")
    files.append(str(folders[-1]))
    out = tmp_path / "pack.json"
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # the pack runs while the graders grade
        pack_run = pool.submit(run_isolated, numpy_only, packs / assignment, PACK_OUTCOMES.format(name=assignment),
                               str(out), *files)
        results = [(grade(assignment, folder, seed=PACK_SEED, public_only=True),
                    grade(assignment, folder, seed=PACK_SEED)) for folder in folders]
        done = pack_run.result()
    assert done.returncode == 0, done.stderr
    from_pack = json.loads(out.read_text())
    manifest = json.loads((packs / assignment / f"{assignment}_checks" / "manifest.json").read_text())
    points = {t["name"]: t["points"] for t in manifest["tests"]}
    disagree, failures = [], 0
    for folder, file, (checked, graded) in zip(folders, files, results):
        assert {t["name"].split(": ")[-1]: t["max_score"] for t in checked["tests"]} == points, folder.name
        sources = {"make check": outcomes(checked), "grade": outcomes(graded)}
        for name in points:
            ok, message, drew = from_pack[file][name]
            seen = {"pack": (ok, message), **{source: found[name] for source, found in sources.items()}}
            shown = {source: (passed, without_numbers(m) if drew else m) for source, (passed, m) in seen.items()}
            if len(set(shown.values())) > 1:
                disagree.append(f"{folder.name} {name}: " + "; ".join(f"{s} {v}" for s, v in shown.items()))
            failures += not ok
    assert failures, "the catalog's mistakes fail public checks: the comparison must see some"
    assert not disagree, "\n".join(disagree)
