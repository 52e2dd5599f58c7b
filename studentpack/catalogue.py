"""The Korean a pack ships: the kit's compiled catalogues cut down to the texts the pack's own code can
show, so no hidden test's text (nor the text of cases only hidden tests use) leaves the course staff.
Staff side only (Babel, as ``make messages``); the pack reads the result with the standard library.
"""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

from studentpack.extract import _targets


def shipped_texts(package: Path, assignment: str) -> set[tuple[str, str | None]]:
    """(msgid, msgctxt) of every text the pack's code can show: each _() / N_() literal of its own .py
    files (Babel's extractor, plus those inside f-strings, as the catalog tool reads them) and each
    hint its hints.py defines (by identifier). A hidden test's text is in no shipped file, so it is
    not here."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

    from graders.messages.catalog import _in_fstrings

    found = set()
    for path in sorted(package.glob("*.py")):
        for _line, message, _comments, context in extract_from_file("python", str(path), keywords=DEFAULT_KEYWORDS):
            if isinstance(message, str) and message:
                found.add((message, context))
        found |= {(message, None) for _line, message in _in_fstrings(path)}
    if (package / "hints.py").is_file():
        hints = importlib.import_module(f"graders.{assignment}.hints")
        for stmt in ast.parse((package / "hints.py").read_text()).body:
            for name in _targets(stmt):
                value = getattr(hints, name, None)
                if getattr(value, "id", None):
                    found.add((str(value), value.id))
    return found


def ship_catalogues(package: Path, wanted: set[tuple[str, str | None]], lang: str = "ko") -> list[Path]:
    """The kit's compiled catalogues of ``lang`` (the .mo files grading reads), each cut down to the
    ``wanted`` texts and written under the same name in NAME_checks/locale/: the pack's messages module
    looks them up in the graders' own order, so each text reads as the graders show it."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import read_mo, write_mo

    from graders.messages import LOCALE

    written, hints = [], {context for _text, context in wanted if context}
    target = package / "locale" / lang / "LC_MESSAGES"
    for mo in sorted((LOCALE / lang / "LC_MESSAGES").glob("*.mo")):
        with mo.open("rb") as f:
            full = read_mo(f)
        kept = Catalog(locale=lang, domain=mo.stem, project="backprop-lab")
        for message in full:
            # A hint goes by its identifier (its English may be newer than the catalogue: then it is
            # looked up, and missed, as the graders miss it).
            if message.id and message.string and ((message.id, message.context) in wanted or message.context in hints):
                kept.add(message.id, message.string, context=message.context)
        if len(kept):
            target.mkdir(parents=True, exist_ok=True)
            with (target / mo.name).open("wb") as f:
                write_mo(f, kept)
            written.append(target / mo.name)
    return written
