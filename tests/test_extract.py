"""Which code of a submission runs: code cells only, no tests, checks or magics."""
import json

import pytest

from graders.student.extract import SubmissionNotFound, UnreadableSubmission, find_submission, read_cells
from graders.student.loader import run_cells


def notebook(tmp_path, cells):
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "softmax_loss.ipynb"
    path.write_text(json.dumps(nb))
    return path


def code(source, **metadata):
    return {"cell_type": "code", "metadata": metadata, "source": source, "outputs": [], "execution_count": None}


def test_notebook_keeps_code_cells_and_drops_tests_checks_and_magics(tmp_path):
    """Are autograder cells, public-check cells, markdown and magic lines left out?"""
    path = notebook(tmp_path, [
        {"cell_type": "markdown", "metadata": {}, "source": "x = 1"},
        code(["%matplotlib inline\n", "a = 1\n", "!ls\n"]),
        code("b = 2", nbgrader={"grade": True, "solution": False}),
        code("c = 3", tags=["checks"]),
        code("%%time\nd = 4"),
        code("e = 5", nbgrader={"grade": True, "solution": True}),
    ])
    cells = read_cells(path)
    namespace, problems = run_cells(cells, "m")
    assert problems == []
    assert (namespace.get("a"), namespace.get("e")) == (1, 5)
    assert not {"b", "c", "d", "x"} & set(namespace)
    assert [c.index for c in cells] == [2, 5, 6]


def test_a_failing_cell_does_not_stop_the_next(tmp_path):
    """Does a syntax error or an exit in one cell leave the later cells running, and get reported?"""
    path = notebook(tmp_path, [code("def f(:\n pass"), code("import sys\nsys.exit(3)"), code("g = 7")])
    namespace, problems = run_cells(read_cells(path), "m")
    assert namespace["g"] == 7
    assert problems[0].startswith("cell 1: SyntaxError") and problems[1].startswith("cell 2: SystemExit")


def test_py_submission_with_percent_cells_drops_test_cells(tmp_path):
    """Does a jupytext .py lose its autograder cells like a notebook does?"""
    path = tmp_path / "activations.py"
    path.write_text('# %%\na = 1\n\n# %% nbgrader={"grade": true, "solution": false}\nraise SystemExit\n')
    assert [c.source.strip() for c in read_cells(path)] == ["a = 1"]


def test_find_submission_in_folder_and_errors(tmp_path):
    """Is NAME.ipynb found inside a folder, and does a missing one name what was found instead?"""
    (tmp_path / "notes.py").write_text("")
    with pytest.raises(SubmissionNotFound, match="found: notes.py"):
        find_submission("backprop", tmp_path)
    (tmp_path / "backprop.ipynb").write_text("{}")
    assert find_submission("backprop", tmp_path).name == "backprop.ipynb"


def test_broken_notebook_is_unreadable(tmp_path):
    """Is a notebook that is not JSON reported as unreadable rather than crashing?"""
    path = tmp_path / "backprop.ipynb"
    path.write_text('{"cells": [')
    with pytest.raises(UnreadableSubmission, match="not valid JSON"):
        read_cells(path)
