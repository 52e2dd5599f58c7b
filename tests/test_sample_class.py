"""The bundled sample class: what `make grade` grades by default."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from graders import ASSIGNMENTS, ROOT
from graders.engine.batch import run_batch

SAMPLE = ROOT / "examples" / "submitted"


def load_maker():
    spec = importlib.util.spec_from_file_location("make_sample_class", ROOT / "examples" / "make_sample_class.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.ipynb"))}


def test_sample_class_is_what_the_maker_makes(tmp_path):
    """Is examples/submitted exactly what examples/make_sample_class.py makes from assignments/ and reference/?"""
    load_maker().main(["--out", str(tmp_path)])
    made, committed = files(tmp_path), files(SAMPLE)
    assert made, "the maker wrote nothing: are the released notebooks in assignments/?"
    stale = sorted(set(made) ^ set(committed)) + sorted(k for k in made.keys() & committed.keys() if made[k] != committed[k])
    assert not stale, f"examples/submitted is stale, run `python examples/make_sample_class.py`: {stale}"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    results = run_batch(SAMPLE, tmp_path_factory.mktemp("results"), jobs=0, progress=False)
    return {(r["student"], r["assignment"]): r for r in results}


def test_correct_student_gets_full_marks_and_blank_student_zero(graded):
    """Does ada_correct get full marks and ben_blank zero, in every assignment?"""
    for name in ASSIGNMENTS:
        if (SAMPLE / "ada_correct" / name).is_dir():
            ada, ben = graded[("ada_correct", name)], graded[("ben_blank", name)]
            assert ada["score"] == ada["max_score"] > 0, [t["output"] for t in ada["tests"] if t["status"] != "passed"]
            assert ben["score"] == 0 and all("NotImplementedError" in t["output"] for t in ben["tests"])


def test_buggy_students_land_in_between(graded):
    """Does each buggy student lose some points, but not all, in every assignment?"""
    maker = load_maker()
    for student, bugs in maker.BUGS.items():
        for name in bugs:
            result = graded[(student, name)]
            assert 0 < result["score"] < result["max_score"], (student, name, result["score"])
