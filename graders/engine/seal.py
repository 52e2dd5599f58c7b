"""Results the batch wrote itself: an HMAC over each result, keyed by a secret in the results folder.

A batch skips a submission whose result is up to date. Were that judged from the file alone, a
result forged by anyone who could write into results/ (student code under ``--isolation none``, a
classmate with access to a shared folder) would be kept as a grade. Each result the batch writes
carries ``seal``: an HMAC-SHA256 of its content under a key only the grading user can read
(``results/.seal-key``, mode 0600); a result without a valid seal is regraded, never kept.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

KEY_FILE = ".seal-key"


def key_for(results: Path) -> bytes:
    """The results folder's key, made on first use (readable by its owner only)."""
    path = Path(results) / KEY_FILE
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as f:
            key = f.read(64)
        if len(key) == 32:
            return key
    except OSError:
        pass
    Path(results).mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    tmp = path.with_name(f"{KEY_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    os.replace(tmp, path)
    return key


def _digest(result: dict[str, Any], key: bytes) -> str:
    body = {k: v for k, v in result.items() if k != "seal"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=True)
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def sealed(result: dict[str, Any], key: bytes) -> dict[str, Any]:
    """``result`` with its seal (a new dict)."""
    return {**result, "seal": _digest(result, key)}


def is_sealed(result: Any, key: bytes) -> bool:
    """Did the batch holding ``key`` write this result, unchanged since?"""
    if not isinstance(result, dict) or not isinstance(result.get("seal"), str):
        return False
    return hmac.compare_digest(result["seal"], _digest(result, key))
