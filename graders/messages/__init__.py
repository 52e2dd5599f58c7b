"""Every student-facing text in English and Korean, through Python's own gettext.

The English text in the code is the message's key (gettext's msgid); a hint's key is also its
stable identifier (``activations.sigmoid_formula``, the msgctxt), so a translation follows the
mistake, not a sentence that happens to be equal. Catalogues live in ``locale/ko/LC_MESSAGES/``,
one domain per area (``common``, one per assignment, ``notebooks``) so each is edited on its own;
the ``.mo`` files beside the ``.po`` sources are compiled by ``make messages`` (Babel) and
committed, so grading needs nothing beyond the standard library (tests/test_messages.py checks
they match their sources).

In code::

    from graders.messages import _
    fail(what, _("expected shape {want}, got {got}").format(want=..., got=...))

The language is chosen once per process: :func:`use` (``--lang``), else ``GRADERS_LANG``, else
the locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as gettext reads them), else English.
Numbers, shapes and code are placeholders, so they are the same in every language.
"""
from __future__ import annotations

import gettext
import os
from pathlib import Path

LANGS = ("en", "ko")
LOCALE = Path(__file__).resolve().parent / "locale"
ENV = "GRADERS_LANG"

_active: gettext.NullTranslations | None = None
_lang = "en"


def domains(lang: str) -> list[Path]:
    """The compiled catalogues of one language, in a stable order."""
    return sorted((LOCALE / lang / "LC_MESSAGES").glob("*.mo"))


def _load(lang: str) -> gettext.NullTranslations:
    chain = gettext.NullTranslations()
    for path in reversed(domains(lang)):  # each domain falls back on the next, the last on English
        try:
            with path.open("rb") as f:
                catalogue = gettext.GNUTranslations(f)
        except OSError:  # a catalogue this process may not read: its texts stay English
            continue
        catalogue.add_fallback(chain)
        chain = catalogue
    return chain


def chosen(lang: str | None = None) -> str:
    """The language to use: ``lang`` if given, else GRADERS_LANG, else the locale; 'en' if none is known."""
    candidates = [lang] if lang else [os.environ.get(ENV, "")]
    if not lang and not candidates[0]:
        for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            if os.environ.get(var):
                candidates = os.environ[var].split(":")
                break
    for candidate in candidates:
        code = candidate.split(".")[0].split("_")[0].lower()
        if code in LANGS:
            return code
    if lang:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}")
    return "en"


def use(lang: str | None = None) -> str:
    """Make ``lang`` (or the environment's choice, see :func:`chosen`) this process's language."""
    global _active, _lang
    _lang = chosen(lang)
    _active = _load(_lang)
    return _lang


def language() -> str:
    if _active is None:
        use()
    return _lang


def _(message: str) -> str:
    """``message`` in this process's language (itself in English, or where no translation exists)."""
    if not message:  # gettext's "" is the catalogue's header
        return message
    if _active is None:
        use()
    return _active.gettext(message)


def N_(message: str) -> str:
    """Marks a text for the catalogue where it is defined; :func:`translate` it where it is shown."""
    return message


def translate(message: str) -> str:
    """A text marked with N_() where it was defined (a variable here, which _() refuses, so that
    every _() argument stays a literal the catalogue can find), in this process's language."""
    return _(message)


def hint(text: str) -> str:
    """A likely mistake in this process's language, looked up by its identifier when it has one."""
    if not text:
        return text
    if _active is None:
        use()
    key = getattr(text, "id", None)
    return _active.pgettext(key, str(text)) if key else _active.gettext(str(text))
