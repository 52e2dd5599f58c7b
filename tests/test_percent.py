"""graders.percent reads jupytext's percent format as jupytext does, without jupytext."""
from __future__ import annotations

from pathlib import Path

import pytest

from graders import ASSIGNMENTS
from graders.percent import read_percent
from graders.reference import reference_dir

jupytext = pytest.importorskip("jupytext", reason="the comparison needs jupytext (the staff install)")


def _view(cells):
    return [(c.cell_type, dict(c.metadata).get("nbgrader"), dict(c.metadata).get("tags"),
             c.source if c.cell_type == "code" else None) for c in cells]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_reference_cells_match_jupytext(name):
    """Does every reference give the same cells, metadata and code as jupytext reads?"""
    text = (reference_dir() / name / f"{name}.py").read_text()
    assert _view(read_percent(text)) == _view(jupytext.reads(text, fmt="py:percent").cells)


def test_text_before_the_first_marker_is_a_code_cell_and_bad_metadata_is_ignored():
    """Is leading code kept, and does metadata that is not JSON leave the cell's code alone?"""
    text = 'import numpy as np\n\n# %% tags=["checks" nbgrader={"grade": true}\nx = 1\n# %% [markdown]\n# hi\n'
    cells = read_percent(text)
    assert [c.cell_type for c in cells] == ["code", "code", "markdown"]
    assert cells[0].source == "import numpy as np"
    assert cells[1].source == "x = 1" and cells[1].metadata == {"nbgrader": {"grade": True}}
