"""Student ids are data: a safe file name for each, and safe ways to show them.

A student id is whatever name the class's folder has: any bytes the file system allows (240 bytes
of unicode, spaces, a leading dash, a newline, ``=1+1``, terminal escapes). The real id is kept
inside every result, gradebook entry and feedback folder; these helpers decide what reaches a
file name, a terminal and a CSV cell. Used by every stage (batch, collect), so they agree.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any

# Plain ids are used as they are: short, ASCII letters, digits and a few marks, not starting with
# a dash or dot (a file name a shell, a glob or a dot-file rule would read otherwise).
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,99}")
_SLUG_DROP = re.compile(r"[^\w.-]+")  # letters of any script stay readable
SLUG_BYTES = 80  # of the file name's readable part; with the hash and suffix far below NAME_MAX (255)
# C0 and C1 controls (newline and tab included: a name is one line) and the bidirectional
# overrides, which reorder what a terminal or a page shows; lone surrogates (bytes of a name that
# are not UTF-8) cannot be printed at all.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# OWASP's CSV injection guidance: a cell starting with one of these is a formula to a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def file_stem(student: str) -> str:
    """The name of ``student``'s result file, without suffix: the id itself when short and plain,
    else a readable slug of it and a hash of the whole id (distinct ids, distinct files)."""
    if _PLAIN.fullmatch(student):
        return student
    # \w matches no surrogate (undecodable byte) and no control character: the slug is clean UTF-8.
    slug = _SLUG_DROP.sub("_", student).encode()[:SLUG_BYTES].decode("utf-8", "ignore").strip("._-")
    digest = hashlib.sha256(student.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"{slug or 'student'}-{digest}"


def shown(text: Any, limit: int | None = None, *, lines: bool = False) -> str:
    """``text`` for a terminal or a page: control characters replaced by U+FFFD (newlines kept
    when ``lines``), cut to ``limit`` characters with an ellipsis."""
    if lines:
        return "\n".join(shown(line) for line in str(text).split("\n"))[: limit]
    text = _CONTROL.sub("\N{REPLACEMENT CHARACTER}", str(text))
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "\N{HORIZONTAL ELLIPSIS}"
    return text


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell a spreadsheet reads as data: numbers stay numbers; text loses its
    control characters and gets a leading quote when it would start a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    safe = shown(text)
    return "'" + safe if text.startswith(_FORMULA_START) else safe
