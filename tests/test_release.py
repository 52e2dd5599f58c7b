"""make release: the committed student notebooks are up to date, leak nothing, and carry the rubric."""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import subprocess
from collections import defaultdict

import pytest

from graders import ASSIGNMENTS, ROOT
from graders.plugin import points_of

PRESENT = [n for n in ASSIGNMENTS if (ROOT / "reference" / n / f"{n}.py").is_file()]
HIDDEN = re.compile(r"^[^\n]*BEGIN HIDDEN TESTS.*?END HIDDEN TESTS[^\n]*(\n|$)", re.S | re.M)
SOLUTION = re.compile(r"^\s*### BEGIN SOLUTION\s*$(.*?)^\s*### END SOLUTION\s*$", re.S | re.M)


def load_release():
    spec = importlib.util.spec_from_file_location("release", ROOT / "reference" / "release.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


release = load_release()


def released_path(name):
    return ROOT / "assignments" / name / f"{name}.ipynb"


def released(name) -> dict:
    path = released_path(name)
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make release` and commit it")
    return json.loads(path.read_text(encoding="utf-8"))


def text_of(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def reference_cells(name) -> dict:
    """{grade_id: cell} of the jupytext source, as release.py reads it."""
    nb = release.source_notebook(ROOT / "reference" / name / f"{name}.py")
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells}


def solution_lines(name) -> set[str]:
    """Lines that appear in the reference only inside solution regions (blank lines aside)."""
    text = (ROOT / "reference" / name / f"{name}.py").read_text(encoding="utf-8")
    inside = {line.strip() for region in SOLUTION.findall(text) for line in region.splitlines()}
    outside = {line.strip() for line in SOLUTION.sub("", text).splitlines()}
    return {line for line in inside - outside if line}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """Every present assignment released again, into a scratch course (own gradebook too)."""
    tmp = tmp_path_factory.mktemp("release")
    release.release(PRESENT, source_dir=tmp / "source", release_dir=tmp / "release", gradebook=tmp / "gradebook.db")
    return tmp / "release"


@pytest.mark.parametrize("name", PRESENT)
def test_committed_release_is_up_to_date(name, fresh):
    """Is assignments/NAME/NAME.ipynb byte for byte what `make release` makes from the reference now?"""
    made = (fresh / name / f"{name}.ipynb").read_bytes()
    path = released_path(name)
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run `make release` and commit it"
    assert made == path.read_bytes(), (
        f"{path.relative_to(ROOT)} is stale (reference/{name}/{name}.py changed since): run `make release` and commit it")


@pytest.mark.parametrize("name", PRESENT)
def test_release_holds_only_the_notebook(name, fresh):
    """Is the notebook the only file released (never the reference's NAME.py)?

    (Reproducibility needs no test of its own: the stale check compares two releases made at
    different times, in different folders, byte for byte.)"""
    assert sorted(p.name for p in (fresh / name).iterdir()) == [f"{name}.ipynb"]
    assert sorted(p.name for p in released_path(name).parent.iterdir()) == [f"{name}.ipynb"]


@pytest.mark.parametrize("name", PRESENT)
def test_release_leaks_no_solution_and_no_hidden_test(name):
    """Is the released notebook free of solution code, hidden tests and grader imports?"""
    nb = released(name)
    whole = released_path(name).read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "run_part"):
        assert marker not in whole, f"the released {name} notebook contains {marker!r}"
    code_lines = {line.strip() for c in nb["cells"] if c["cell_type"] == "code" for line in text_of(c).splitlines()}
    assert not any(re.match(r"(from|import)\s+graders\b", line) for line in code_lines)
    leaked = sorted(code_lines & solution_lines(name))
    assert not leaked, f"the released {name} notebook contains solution lines: {leaked}"


@pytest.mark.parametrize("name", PRESENT)
def test_every_solution_region_became_a_stub(name):
    """Does each solution cell raise NotImplementedError once per solution region of the reference?"""
    ref = reference_cells(name)
    cells = [c for c in released(name)["cells"] if c["metadata"].get("nbgrader", {}).get("solution")]
    assert cells, f"the released {name} notebook has no solution cell"
    for cell in cells:
        grade_id = cell["metadata"]["nbgrader"]["grade_id"]
        regions = len(SOLUTION.findall(ref[grade_id].source))
        stubs = text_of(cell).count("raise NotImplementedError()")
        assert regions and stubs == regions, f"{grade_id}: {stubs} stub(s) for {regions} solution region(s)"


@pytest.mark.parametrize("name", PRESENT)
def test_release_keeps_markdown_checks_and_grade_cells(name):
    """Are all of the reference's cells released in order: markdown and public checks as written,
    grade cells with only their hidden region gone?"""
    ref = reference_cells(name)
    cells = released(name)["cells"]
    assert [c["metadata"]["nbgrader"]["grade_id"] for c in cells] == list(ref)
    assert [c["id"] for c in cells] == [re.sub(r"[^A-Za-z0-9_-]", "-", g)[:56] for g in ref], "cell ids are not the grade ids"
    for cell in cells:
        source, meta = ref[cell["metadata"]["nbgrader"]["grade_id"]], cell["metadata"]["nbgrader"]
        if cell["cell_type"] == "markdown" or "checks" in cell["metadata"].get("tags", []):
            assert text_of(cell) == source.source, f"{meta['grade_id']} changed in the release"
        elif meta.get("grade") and not meta.get("solution"):
            visible = HIDDEN.sub("", source.source).rstrip("\n")
            assert text_of(cell) == visible, f"grade cell {meta['grade_id']}: not its source minus the hidden tests"


class _Rubric:
    """Sums @pytest.mark.points per part over a collected grader suite."""

    def __init__(self):
        self.points = defaultdict(float)

    def pytest_collection_modifyitems(self, items):
        for item in items:
            value, part = points_of(item)
            self.points[part] += value


def suite_rubric(name) -> dict[str, float]:
    rubric = _Rubric()
    args = [str(ROOT / "graders" / name), "-c", str(ROOT / "graders" / "pytest.ini"), "--rootdir", str(ROOT / "graders"),
            "-p", "graders.plugin", "--collect-only", "-q", "--assert=plain"]
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = pytest.main(args, plugins=[rubric])
    assert code == 0, f"the grader suite of {name} does not collect:\n{out.getvalue()[-2000:]}"
    return dict(rubric.points)


@pytest.mark.parametrize("name", PRESENT)
def test_grade_cells_match_the_suite_rubric(name):
    """Do the notebook's grade cells (grade_id, points) match the suite's points per part?"""
    if not list((ROOT / "graders" / name).glob("test_*.py")):
        pytest.skip(f"graders/{name}/ has no grader suite yet")
    cells = {c["metadata"]["nbgrader"]["grade_id"]: float(c["metadata"]["nbgrader"]["points"])
             for c in released(name)["cells"] if c["metadata"].get("nbgrader", {}).get("grade")}
    assert cells == suite_rubric(name), f"{name}: grade cells (left) and grader suite points per part (right) differ"


def test_gradebook_is_kept_out_of_git(monkeypatch):
    """Does a release record its gradebook in gradebook/ (git-ignored), or where BACKPROP_GRADEBOOK says?"""
    monkeypatch.delenv("BACKPROP_GRADEBOOK", raising=False)
    db = release.default_gradebook()
    assert db == ROOT / "gradebook" / "gradebook.db"
    ignored = subprocess.run(["git", "check-ignore", "-q", str(db.relative_to(ROOT))], cwd=ROOT)
    assert ignored.returncode == 0, "gradebook/gradebook.db is not git-ignored"
    monkeypatch.setenv("BACKPROP_GRADEBOOK", "/elsewhere/gb.db")
    assert str(release.default_gradebook()) == "/elsewhere/gb.db"
