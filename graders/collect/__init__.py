"""Results -> nbgrader: the gradebook, grades.csv and feedback pages, one module per job.

    results.py    reads results/<assignment>/<student>.json for every submitted/<student>/<assignment>/
    gradebook.py  writes each grade cell's auto_score into nbgrader's gradebook (never manual_score)
    export.py     runs nbgrader's own export: grades.csv
    feedback.py   one self-contained HTML page per student and assignment
    __main__.py   python -m graders.collect RESULTS_DIR --submitted SUBMITTED_DIR [...]

This stage only reads files of the earlier ones: the results JSON (python -m graders batch), the
class's submitted/ folders and the released notebooks in assignments/ (their grade cells are the
gradebook's rubric). The course's settings come from nbgrader_config.py, as for nbgrader itself.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from graders import ROOT


def course_config() -> Config:
    """nbgrader_config.py as nbgrader reads it (BACKPROP_GRADEBOOK and BACKPROP_SUBMITTED apply)."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()


def course_id() -> str:
    return str(course_config().CourseDirectory.course_id)


def default_db_url() -> str:
    return str(course_config().CourseDirectory.db_url)


def nbgrader_ready(db_url: str) -> dict[str, str]:
    """Make nbgrader usable from this interpreter; returns the environment for its subprocesses.

    nbgrader's Gradebook runs the `alembic` command it finds on PATH when it creates a database,
    and `.venv/bin/python` alone does not put the venv's bin/ there; sqlite needs the folder."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
    if db_url.startswith("sqlite:///"):
        Path(db_url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    _alembic_in_process()
    return dict(os.environ)


def _alembic_in_process() -> None:
    """A new gradebook records the newest revision of nbgrader's migrations, which nbgrader learns
    by starting the `alembic heads` command (a second interpreter: ~2 s). The same answer is read
    here, in this process, from the same migration scripts; the command stays the fallback."""
    import nbgrader.api

    original = nbgrader.api.get_alembic_version
    if getattr(original, "in_process", False):
        return

    def get_alembic_version() -> str:
        try:
            from alembic.script import ScriptDirectory

            head = ScriptDirectory(str(Path(nbgrader.api.__file__).parent / "alembic")).get_current_head()
        except Exception:  # noqa: BLE001 - whatever goes wrong, nbgrader's own way answers
            head = None
        return head or original()

    get_alembic_version.in_process = True  # type: ignore[attr-defined]
    nbgrader.api.get_alembic_version = get_alembic_version
