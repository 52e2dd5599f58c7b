"""grades.csv by nbgrader's own `nbgrader export` (its CSV plugin): one row per student and
assignment of the gradebook, raw score (a TA's manual score where there is one), penalty, score."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from graders import ROOT
from graders.collect import default_db_url, nbgrader_ready


def main(*, to: Path, db_url: str | None = None) -> Path:
    """Export the gradebook at ``db_url`` (default: the course's) to the CSV file ``to``."""
    db_url = db_url or default_db_url()
    env = nbgrader_ready(db_url)
    to = Path(to).resolve()
    to.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "nbgrader", "export", f"--to={to}",
           f"--CourseDirectory.db_url={db_url}", "--log-level=WARN"]
    # cwd: nbgrader reads the course's nbgrader_config.py from the folder it runs in.
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0 or not to.is_file():
        raise RuntimeError(f"nbgrader export failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    return to
