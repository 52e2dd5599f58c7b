"""Results carry a seal only the batch that wrote them can make (graders.engine.seal)."""
from __future__ import annotations

import os
import stat

from graders.engine.seal import KEY_FILE, is_sealed, key_for, sealed


def test_key_is_made_once_and_private(tmp_path):
    """Is the key made on first use, kept, and readable by its owner only?"""
    key = key_for(tmp_path)
    assert len(key) == 32 and key_for(tmp_path) == key
    assert stat.S_IMODE(os.stat(tmp_path / KEY_FILE).st_mode) == 0o600


def test_a_sealed_result_verifies_and_any_change_breaks_it(tmp_path):
    """Does a sealed result verify, and does changing a score, adding a field or forging a seal fail?"""
    key = key_for(tmp_path)
    result = sealed({"student": "ada", "score": 4.5, "tests": [{"score": 1.0}]}, key)
    assert is_sealed(result, key)
    assert not is_sealed({**result, "score": 9.0}, key)
    assert not is_sealed({**result, "extra": 1}, key)
    assert not is_sealed({**result, "seal": "0" * 64}, key)
    assert not is_sealed({k: v for k, v in result.items() if k != "seal"}, key)
    assert not is_sealed(result, os.urandom(32))
    assert not is_sealed(["not", "a", "dict"], key)
