"""Shared set-up of the kit's own tests."""
import os
import shutil
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


def apt_install(package: str) -> str:
    """Install a Debian package for a test that needs it (as root with apt-get, on a machine that may
    have never fetched package lists); '' when done, else why it could not be."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return f"{package} can only be installed as root with apt-get"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", package]
    done = subprocess.run(install, capture_output=True, text=True, timeout=900, env=env)
    if done.returncode != 0:  # no package lists yet (a fresh machine): fetch them, then once more
        subprocess.run(["apt-get", "update"], capture_output=True, timeout=900, env=env)
        done = subprocess.run(install, capture_output=True, text=True, timeout=900, env=env)
    return "" if done.returncode == 0 else f"apt-get install {package} failed: {(done.stderr or done.stdout)[-300:]}"


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed where it is missing and this is root, for tests that render pages."""
    why = "" if shutil.which("chromium") else apt_install("chromium")
    found = shutil.which("chromium")
    if not found:
        pytest.skip(f"no headless Chromium to render pages with: {why}")
    return found
