"""make release after make grade: a text fix is released, a change nbgrader cannot take is refused
in one line, and no released notebook ever goes missing (issue 13, item 7).

Everything happens on copies: the reference is copied to a scratch folder and edited there, the
release goes to a scratch assignments folder seeded with the committed notebook, and the gradebook
is a scratch file that `make grade`'s two steps (batch, then the gradebook part of collect) fill
first, as on a fresh clone.
"""
from __future__ import annotations

import importlib.util
import json
import shutil

import pytest

from graders import ROOT
from graders.collect import gradebook as collect_gradebook
from graders.engine.batch import run_batch

NAME = "activations"
TITLE = "# # Activations: Sigmoid and ReLU"
EXTRA_GRADE_CELL = '''
# %% nbgrader={"grade": true, "grade_id": "extra_part", "locked": true, "points": 1, "schema_version": 3, "solution": false}
# Autograded: a part added after grading.
'''


def load_release():
    spec = importlib.util.spec_from_file_location("release", ROOT / "reference" / "release.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


release = load_release()


@pytest.fixture
def course(tmp_path):
    """A graded scratch course: (reference copy, release folder, gradebook file)."""
    reference = tmp_path / "reference"
    (reference / NAME).mkdir(parents=True)
    shutil.copy(ROOT / "reference" / NAME / f"{NAME}.py", reference / NAME)
    released = tmp_path / "assignments"
    (released / NAME).mkdir(parents=True)
    shutil.copy(ROOT / "assignments" / NAME / f"{NAME}.ipynb", released / NAME)
    submitted = tmp_path / "submitted"
    for student, source in [("ann", ROOT / "reference" / NAME / f"{NAME}.py"),
                            ("bob", ROOT / "tests" / "submissions" / "hostile" / "missing_classes" / f"{NAME}.py")]:
        (submitted / student / NAME).mkdir(parents=True)
        shutil.copy(source, submitted / student / NAME / f"{NAME}.py")
    run_batch(submitted, tmp_path / "results", jobs=2, progress=False, assignments=[NAME])
    gradebook = tmp_path / "gradebook.db"
    problems = collect_gradebook.main(results=tmp_path / "results", submitted=submitted, db_url=f"sqlite:///{gradebook}")
    assert not problems, problems
    return reference, released, gradebook


def scores(gradebook) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{gradebook}") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(NAME)}


def edit(reference, old: str, new: str) -> None:
    path = reference / NAME / f"{NAME}.py"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_markdown_fix_is_released_into_a_graded_gradebook(course, tmp_path):
    """Is a fixed markdown typo released over a gradebook holding submissions, keeping their scores?"""
    reference, released, gradebook = course
    before = scores(gradebook)
    assert before["ann"] > before["bob"] > 0
    edit(reference, TITLE, TITLE + " (fixed)")
    notes = []
    paths = release.release([NAME], reference_dir=reference, source_dir=tmp_path / "source", release_dir=released,
                            gradebook=gradebook, notes=notes)
    notebook = json.loads(paths[0].read_text(encoding="utf-8"))
    assert paths == [released / NAME / f"{NAME}.ipynb"]
    assert "".join(notebook["cells"][0]["source"]).startswith("# Activations: Sigmoid and ReLU (fixed)")
    assert scores(gradebook) == before
    assert sorted(p.name for p in (released / NAME).iterdir()) == [f"{NAME}.ipynb"]
    assert notes and "graded cells are unchanged" in notes[0]


def test_new_graded_cell_is_refused_in_one_line_leaving_the_release(course, tmp_path, capsys):
    """Is a graded cell added after grading refused in one line, with the released notebook untouched?"""
    reference, released, gradebook = course
    committed = (released / NAME / f"{NAME}.ipynb").read_bytes()
    edit(reference, TITLE, TITLE + " (fixed)")
    (reference / NAME / f"{NAME}.py").write_text(
        (reference / NAME / f"{NAME}.py").read_text(encoding="utf-8") + EXTRA_GRADE_CELL, encoding="utf-8")
    code = release.main([NAME, "--reference-dir", str(reference), "--release-dir", str(released),
                         "--gradebook", str(gradebook)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"not released {NAME}: the gradebook holds submissions")
    assert "adds extra_part" in err
    assert (released / NAME / f"{NAME}.ipynb").read_bytes() == committed

