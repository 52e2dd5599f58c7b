"""Which code of a submission runs: code cells only, no tests, checks or magics."""
import json

import pytest

from graders.student.extract import SubmissionNotFound, UnreadableSubmission, cells_of, find_submission, read_cells
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
    """Does a syntax error or an exit in one cell leave the later cells running, and get reported
    by the cell's first line (no count of cells, which would include the markdown ones)?"""
    markdown = {"cell_type": "markdown", "metadata": {}, "source": "# Title"}
    path = notebook(tmp_path, [markdown, code("def f(:\n pass"), markdown, code("# exits\nimport sys\nsys.exit(3)"),
                               code("g = 7")])
    namespace, problems = run_cells(read_cells(path), "m")
    assert namespace["g"] == 7
    assert problems == ["the cell starting `def f(:`: SyntaxError at line 1: invalid syntax",
                        "SystemExit: 3 (line 3 of the cell starting `import sys`: sys.exit(3))"]


def test_a_failure_inside_a_function_names_the_function_and_the_cell(tmp_path):
    """Does an exception raised in a function a cell calls name the function, its line and cell?"""
    path = notebook(tmp_path, [{"cell_type": "markdown", "metadata": {}, "source": "text"},
                               code("class Layer:\n    def forward(self, x):\n        return x[5]\n"),
                               code("Layer().forward([1])")])
    _, problems = run_cells(read_cells(path), "m")
    assert problems == ["IndexError: list index out of range (in Layer.forward, line 3 of the cell starting "
                        "`class Layer:`: return x[5])"]


def test_py_submission_with_percent_cells_drops_test_cells(tmp_path):
    """Does a jupytext .py lose its autograder cells like a notebook does?"""
    path = tmp_path / "activations.py"
    path.write_text('# %%\na = 1\n\n# %% nbgrader={"grade": true, "solution": false}\nraise SystemExit\n')
    assert [c.source.strip() for c in read_cells(path)] == ["a = 1"]


def test_find_submission_in_folder_and_errors(tmp_path):
    """Is NAME.ipynb found inside a folder, and does a folder without it name what was found instead?"""
    (tmp_path / "notes.txt").write_text("")
    with pytest.raises(SubmissionNotFound, match="found: notes.txt"):
        find_submission("backprop", tmp_path)
    (tmp_path / "backprop.ipynb").write_text("{}")
    assert find_submission("backprop", tmp_path).name == "backprop.ipynb"


def test_broken_notebook_is_unreadable(tmp_path):
    """Is a notebook that is not JSON reported as unreadable rather than crashing?"""
    path = tmp_path / "backprop.ipynb"
    path.write_text('{"cells": [')
    with pytest.raises(UnreadableSubmission, match="not valid JSON"):
        read_cells(path)


CORRECT = "import numpy as np\n\ndef relu(x):\n    \"\"\"max(0, x) \u00e9l\u00e9ment par \u00e9l\u00e9ment\"\"\"\n    return np.maximum(0, x)\n"


def runs(cells) -> dict:
    namespace, problems = run_cells(cells, "m")
    assert problems == []
    return namespace


@pytest.mark.parametrize("prefix, encoding", [(b"\xef\xbb\xbf", "utf-8"), (b"# -*- coding: latin-1 -*-\n", "latin-1"),
                                              (b"# vim: set fileencoding=cp1252 :\n", "cp1252")], ids=["bom", "latin1", "cp1252"])
def test_py_is_decoded_as_python_decodes_it(prefix, encoding):
    """Does a .py with a BOM or a PEP 263 cookie give the same text (and code) Python would run?"""
    cells = cells_of("relu.py", prefix + CORRECT.encode(encoding))
    assert "\ufeff" not in cells[0].source
    assert runs(cells)["relu"].__doc__ == "max(0, x) \u00e9l\u00e9ment par \u00e9l\u00e9ment"


@pytest.mark.parametrize("data, message", [
    (b"\xff\xfe\x00junk\x93", "not UTF-8 and declares no encoding"),
    (b"# -*- coding: no-such-codec -*-\nx = 1\n", "unknown encoding"),
    (b"# coding: ascii\nx = '\xc3\xa9'\n", "byte 21 is not ascii"),
    (b"x = 1\n\x00\n", "NUL bytes"),
], ids=["binary", "unknown_codec", "wrong_cookie", "nul"])
def test_py_that_python_would_not_read_is_unreadable(data, message):
    """Is a .py that Python itself would refuse reported with a sentence, never a traceback?"""
    with pytest.raises(UnreadableSubmission, match=message):
        cells_of("relu.py", data)


def test_notebook_with_bom_and_nbformat3_worksheets():
    """Are a BOM in a notebook and nbformat 3's worksheets (code in 'input') read like nbformat 4?"""
    nb3 = {"nbformat": 3, "worksheets": [{"cells": [{"cell_type": "heading", "source": "t"},
                                                    {"cell_type": "code", "input": CORRECT.splitlines(True)}]},
                                         {"cells": [{"cell_type": "code", "input": "y = 2"}]}]}
    cells = cells_of("relu.ipynb", b"\xef\xbb\xbf" + json.dumps(nb3).encode())
    assert [c.index for c in cells] == [2, 3]
    assert runs(cells)["y"] == 2


@pytest.mark.parametrize("data, message", [
    (b"[1, 2]", "not an object with cells"),
    (b'{"cells": 5}', "no list of cells"),
    (b'{"cells": [], "metadata": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    (b"\x89PNG\r\n\x1a\n", "byte 0 is not UTF-8"),
], ids=["list", "cells_not_a_list", "deeply_nested", "binary"])
def test_malformed_notebooks_are_unreadable(data, message):
    """Is every notebook shape we cannot read a sentence, not a TypeError or RecursionError?"""
    with pytest.raises(UnreadableSubmission, match=message):
        cells_of("relu.ipynb", data)


def test_odd_cells_are_skipped_and_the_rest_runs():
    """Do non-dict cells, odd metadata and non-text sources cost only themselves, with a note?"""
    nb = {"cells": [5, None, {"cell_type": "code", "metadata": [], "source": "a = 1"},
                    {"cell_type": "code", "metadata": {"nbgrader": "x", "tags": "checks"}, "source": "b = 2"},
                    {"cell_type": "code", "source": {"not": "text"}}, {"cell_type": "code", "source": ["c = 3", 4]},
                    {"cell_type": "code", "metadata": {"nbgrader": {"grade": True}}, "source": "d = 4"}]}
    notes = []
    namespace = runs(cells_of("m.ipynb", json.dumps(nb).encode(), notes))
    assert (namespace["a"], namespace["b"]) == (1, 2) and not {"c", "d"} & set(namespace)
    assert notes == ["code cell 3: its source is not text, so it was skipped",
                     "code cell 4: its source is not text, so it was skipped"]


def test_py_markers_jupytext_rejects_still_run():
    """Does a .py whose '# %%' marker jupytext rejects (tags=5) still run its code cells, minus autograder cells?"""
    text = ('# %% nbgrader={"grade": false, "solution": true}\na = 1\n'
            '# %% nbgrader={"grade": true, "solution": false}\nraise SystemExit\n'
            "# %% [markdown]\n# prose\n# %% tags=5\nb = 2\n")
    notes = []
    cells = cells_of("m.py", text.encode(), notes)
    assert runs(cells)["b"] == 2 and [c.index for c in cells] == [1, 4]
