"""Shared set-up of the kit's own tests."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def packs(tmp_path_factory) -> Path:
    """The student packs, built once per session as make release builds them (in a process of their
    own: the build imports the grader suites)."""
    out = tmp_path_factory.mktemp("pack")
    subprocess.run([sys.executable, "-m", "studentpack.build", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True, timeout=600)
    return out
