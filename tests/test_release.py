"""make release: the committed student notebooks are up to date, leak nothing, and carry the rubric; the
student packs it builds in dist/pack/ are up to date too, and one built from an older kit is found stale."""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import defaultdict

import pytest

from graders import ASSIGNMENTS, ROOT
from graders.plugin import points_of
from studentpack.build import PACKED

PRESENT = [n for n in ASSIGNMENTS if (ROOT / "reference" / n / f"{n}.py").is_file()]
HIDDEN = re.compile(r"^[^\n]*BEGIN HIDDEN TESTS.*?END HIDDEN TESTS[^\n]*(\n|$)", re.S | re.M)
BARE_KEYWORD = re.compile(r"(else|try|finally|pass|break|continue)\s*:?")
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
    """Lines that appear in the reference only inside solution regions (blank lines aside, and lines
    that are a bare keyword such as `else:`, which reveal nothing and which a check cell may need)."""
    text = (ROOT / "reference" / name / f"{name}.py").read_text(encoding="utf-8")
    inside = {line.strip() for region in SOLUTION.findall(text) for line in region.splitlines()}
    outside = {line.strip() for line in SOLUTION.sub("", text).splitlines()}
    return {line for line in inside - outside if line and not BARE_KEYWORD.fullmatch(line)}


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
    """Are all of the reference's cells released in order: markdown and public checks as release.py
    writes them (source_notebook), grade cells with only their hidden region gone?"""
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


@pytest.mark.parametrize("name", PRESENT)
def test_packed_check_cells_call_the_pack_for_the_part_below(name):
    """In a packed assignment, does every check cell call the pack for the part of the grade cell just
    below it (and only there: an unpacked one keeps the reference's asserts)?"""
    cells = released(name)["cells"]
    checks = [i for i, c in enumerate(cells) if "checks" in c["metadata"].get("tags", [])]
    assert checks, f"{name} has no check cell"
    for i in checks:
        below = next(c["metadata"]["nbgrader"] for c in cells[i + 1:] if c["metadata"]["nbgrader"].get("grade"))
        source = text_of(cells[i])
        if name in PACKED:
            assert source == release.pack_check_source(name, below["grade_id"])
            assert f'from {name}_checks import check\n    check("{below["grade_id"]}")' in source
        else:
            assert "_checks import check" not in source


# The pack: dist/pack/NAME/ and dist/pack/NAME.zip, git-ignored (a course hands them out), so unlike
# the notebooks there is no committed copy to hold to; a pack that is there must be what `make release`
# makes now, byte for byte (the build is reproducible: expected.npz included; only the zip's dates vary).

def build_packs(out: Path, names, kit: Path = ROOT, **env) -> Path:
    """studentpack/build.py of ``kit`` (a checkout, or a scratch copy of one) run as make release runs it."""
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BACKPROP_REFERENCE_DIR")}
    done = subprocess.run([sys.executable, str(kit / "studentpack" / "build.py"), *names, "--out", str(out)], cwd=kit,
                          env={**clean, **env}, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def pack_differences(built: Path, fresh: Path, name: str) -> list[str]:
    """The files of ``built``'s pack of ``name`` (folder and zip) that are missing, extra or changed
    against ``fresh``'s, by path relative to the pack's folder (zip members prefixed with the zip)."""
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in (root / name).rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}

    old, new = files(built), files(fresh)
    differ = sorted(path for path in old.keys() | new.keys() if old.get(path) != new.get(path))
    archive = built / f"{name}.zip"
    if not archive.is_file():
        return differ + [f"{name}.zip (missing)"]
    with zipfile.ZipFile(archive) as z:
        zipped = {member: z.read(member) for member in z.namelist()}
    return differ + sorted(f"{name}.zip:{path}" for path in zipped.keys() | new.keys() if zipped.get(path) != new.get(path))


@pytest.fixture(scope="module")
def fresh_packs(tmp_path_factory) -> Path:
    return build_packs(tmp_path_factory.mktemp("packs"), PACKED)


@pytest.mark.parametrize("name", PACKED)
def test_built_pack_is_up_to_date(name, fresh_packs):
    """Is dist/pack/NAME (where `make release` has built it here) what `make release` makes now?"""
    dist = ROOT / "dist" / "pack"
    if not (dist / name).is_dir():
        pytest.skip(f"dist/pack/{name} is not built in this checkout (git-ignored; `make release` builds it)")
    stale = pack_differences(dist, fresh_packs, name)
    assert not stale, (f"dist/pack/{name} is stale (the reference, a grader or the release changed since it was built: "
                       f"{', '.join(stale)} differ): run `make release` before handing it out")


def older_kit(tmp: Path, name: str) -> Path:
    """A scratch copy of what a pack of ``name`` is built from, to be edited into an older kit."""
    kit = tmp / "kit"
    for part in ("graders", "studentpack", "reference", f"assignments/{name}", f"tests/submissions/{name}"):
        shutil.copytree(ROOT / part, kit / part, ignore=shutil.ignore_patterns("__pycache__", "*.ipynb"))
    shutil.copy(ROOT / "assignments" / name / f"{name}.ipynb", kit / "assignments" / name)
    return kit


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {path}: pick another edit"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_pack_built_from_an_older_grader_or_reference_is_stale(fresh_packs, tmp_path):
    """Is a pack built from an older kit (a grader's hint worded otherwise; the reference's sigmoid in
    its naive form, right but not bit for bit the same) found stale, naming what changed, while one
    built from an unchanged copy is not?"""
    name = "activations"
    kit = older_kit(tmp_path, name)
    same = build_packs(tmp_path / "same", [name], kit)
    assert pack_differences(same, fresh_packs, name) == []
    replace_in(kit / "graders" / name / "hints.py", "check the sign inside exp", "mind the sign inside exp")
    older_grader = build_packs(tmp_path / "older-grader", [name], kit)
    assert pack_differences(older_grader, fresh_packs, name) == [f"{name}/{name}_checks/hints.py",
                                                                 f"{name}.zip:{name}/{name}_checks/hints.py"]
    shutil.copytree(kit / "reference", tmp_path / "older-reference")
    replace_in(tmp_path / "older-reference" / name / f"{name}.py",
               "    z = np.exp(-np.abs(x))\n    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))",
               "    return 1.0 / (1.0 + np.exp(-x))")
    shutil.rmtree(kit / "graders")
    shutil.copytree(ROOT / "graders", kit / "graders", ignore=shutil.ignore_patterns("__pycache__"))
    older_reference = build_packs(tmp_path / "older-reference-pack", [name], kit,
                                  BACKPROP_REFERENCE_DIR=str(tmp_path / "older-reference"))
    stale = pack_differences(older_reference, fresh_packs, name)
    recorded = {f"{where}{name}/{name}_checks/{data}" for where in ("", f"{name}.zip:")
                for data in ("expected.npz", "manifest.json")}  # the reference's values, and their kinds by input
    assert f"{name}/{name}_checks/expected.npz" in stale and set(stale) <= recorded, stale
