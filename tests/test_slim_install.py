"""The slim install: pip install . of the kit grades on Python 3.10 to 3.13 exactly as the full kit."""
from __future__ import annotations

import functools
import subprocess
import sys
import zipfile

import pytest
import slim_env

from graders import ASSIGNMENTS, ROOT

CATALOG = ROOT / "tests" / "submissions"
STAFF_ONLY = {"nbgrader", "jupytext", "tqdm", "notebook", "jupyter-server", "nbconvert", "torch"}


def catalog() -> list[tuple[str, str, str]]:
    """(label, assignment, folder) of every correct and buggy catalog submission."""
    return [(f"{name}/{kind}/{folder.name}", name, str(folder))
            for name in ASSIGNMENTS for kind in ("correct", "buggy")
            for folder in sorted((CATALOG / name / kind).glob("*/"))]


def python_or_skip(version: str):
    if slim_env.pyenv_python(version) is None:
        pytest.skip(f"no python{version} on this machine to build the venv with")
    return slim_env.venv(version)


def test_wheel_holds_every_suite_and_reference_and_no_staff_code():
    """Does the wheel carry each assignment's suite and reference, and leave the staff packages
    (graders.collect, graders.report) out?"""
    names = set(zipfile.ZipFile(slim_env.wheel()).namelist())
    for name in ASSIGNMENTS:
        assert f"graders/_reference/{name}/{name}.py" in names
        suite = {p.name for p in (ROOT / "graders" / name).glob("*.py")}
        assert {f"graders/{name}/{f}" for f in suite} <= names, f"{name}: files of its suite are missing"
    assert "graders/pytest.ini" in names
    assert not any(n.startswith(("graders/collect/", "graders/report/")) for n in names)
    packages = {p.parent.name for p in (ROOT / "graders").glob("*/__init__.py")}
    missing = {p for p in packages - {"collect", "report"} if f"graders/{p}/__init__.py" not in names}
    assert not missing, f"packages neither in pyproject.toml's list nor left out on purpose: {missing}"


@pytest.mark.parametrize("version", ["3.10", "3.13"])
def test_slim_venv_installs_only_the_grading_dependencies(version):
    """Does pip install . bring numpy and pytest but none of the staff tools?"""
    have = slim_env.installed(python_or_skip(version))
    assert {"numpy", "pytest", "pytest-json-report", "backprop-lab"} <= have
    assert not have & STAFF_ONLY, f"staff tools in the slim install: {sorted(have & STAFF_ONLY)}"


@functools.lru_cache(maxsize=None)
def full_kit(cases: tuple) -> dict:
    python = ROOT / ".venv" / "bin" / "python"
    return slim_env.grade_all(python if python.is_file() else sys.executable, list(cases))


def sample(cases: list) -> list:
    """One correct and one buggy submission of each assignment."""
    first = {}
    for case in cases:
        first.setdefault(case[0].rsplit("/", 1)[0], case)
    return list(first.values())


@pytest.mark.parametrize("version, which", [("3.10", "every"), ("3.13", "sample")])
def test_slim_venv_grades_the_catalog_like_the_full_kit(version, which):
    """Does each catalog submission get the same score, test by test, as in the kit's venv?
    Every one on 3.10 (Gradescope's python3); one correct and one buggy per assignment on 3.13."""
    python = python_or_skip(version)
    cases = catalog() if which == "every" else sample(catalog())
    slim = slim_env.grade_all(python, cases)
    full = full_kit(tuple(cases))
    assert len(slim) == len(cases) and sum(len(t) for t in slim.values()) > 10 * len(cases) // 2
    differ = [label for label in full if full[label] != slim.get(label)]
    assert not differ, f"graded differently on Python {version}: {differ}"


def test_grade_runs_from_any_folder_without_the_checkout(tmp_path):
    """Does python -m graders grade work from an unrelated folder, the reference found in the package?"""
    python = python_or_skip("3.10")
    done = subprocess.run([str(python), "-c", "import graders.reference as r; print(r.reference_dir())"],
                          cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "site-packages/graders/_reference" in done.stdout and str(ROOT) not in done.stdout
    sub = CATALOG / "activations" / "correct" / sorted(p.name for p in (CATALOG / "activations" / "correct").iterdir())[0]
    done = subprocess.run([str(python), "-m", "graders", "grade", "activations", str(sub), "--format", "text"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("activations: ") and " FAIL " not in done.stdout
