"""The slim install, made once per test session: the kit's wheel and venvs holding only it.

Shared by test_slim_install, test_gradescope and test_github_workflow (a module-level cache, so
each is built once per pytest process; removed when the process ends). pip reaches the same
indexes and wheel cache as the rest of the machine.
"""
from __future__ import annotations

import atexit
import functools
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from graders import ROOT

_SESSION = Path(tempfile.mkdtemp(prefix="backprop-slim-"))
atexit.register(shutil.rmtree, _SESSION, True)


def pyenv_python(version: str) -> str | None:
    """A python of this minor version (pyenv's, or on PATH), or None."""
    found = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    return found[-1] if found else shutil.which(f"python{version}")


@functools.lru_cache(maxsize=None)
def wheel() -> Path:
    """The kit's wheel, built as make gradescope builds it."""
    from graders.gradescope.build import build_wheel

    return build_wheel(_SESSION / "wheel")


@functools.lru_cache(maxsize=None)
def venv(version: str) -> Path:
    """bin/python of a fresh venv of Python ``version`` with only the slim package installed."""
    python = pyenv_python(version)
    if python is None:
        raise FileNotFoundError(f"no python{version} on this machine")
    where = _SESSION / f"venv-{version}"
    subprocess.run([python, "-m", "venv", str(where)], check=True, timeout=300)
    pip = [str(where / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, str(wheel())], check=True, timeout=600)
    return where / "bin" / "python"


def installed(python: Path) -> set[str]:
    """Names of the distributions installed in a venv, lower-case."""
    code = "import importlib.metadata as m; print('\\n'.join(d.metadata['Name'] for d in m.distributions()))"
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True).stdout
    return {line.strip().lower().replace("_", "-") for line in out.splitlines() if line.strip()}


GRADE_ALL = """
import json, sys
from graders.engine.grade import grade
out = {}
for label, name, path in json.loads(sys.argv[1]):
    r = grade(name, path)
    out[label] = {t["name"]: t["score"] for t in r["tests"]}
print(json.dumps(out))
"""


def grade_all(python: Path | str, cases: list[tuple[str, str, str]]) -> dict[str, dict[str, float]]:
    """{label: {test name: score}} for (label, assignment, path) cases, graded in one process
    of ``python`` (run from a folder outside the checkout, so only the installed package counts)."""
    import json

    done = subprocess.run([str(python), "-c", GRADE_ALL, json.dumps(cases)], capture_output=True, text=True,
                          cwd=_SESSION, timeout=1800, env={**os.environ, "PYTHONPATH": ""})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
