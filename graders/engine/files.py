"""Writing results so that a crash never leaves half a file, and fingerprints for skipping work."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from graders import ROOT, __version__


def write_json_atomic(path: Path, data: Any) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path`` (atomic on POSIX)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, allow_nan=True)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def suite_fingerprint(name: str) -> str:
    """Changes whenever the grader of ``name`` could grade differently: the engine's version, the
    suite's files and the reference."""
    from graders.reference import reference_dir

    h = hashlib.sha256(__version__.encode())
    graders, reference = ROOT / "graders", reference_dir()
    files = [(ROOT, f) for f in sorted((graders / name).rglob("*.py"))]
    files.append((reference.parent, reference / name / f"{name}.py"))
    files += [(ROOT, f) for f in sorted(graders.glob("*.py"))]
    for base, f in files:
        if f.is_file():
            h.update(f.relative_to(base).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]
