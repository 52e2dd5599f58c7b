"""The message catalogues: every text has its Korean, Korean keeps the English's numbers, code and
placeholders, the compiled .mo files are what the .po sources say, and the language is chosen as
documented (graders/messages)."""
from __future__ import annotations

import ast
import re
import string
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import graders.messages as messages
from graders import ROOT
from graders.messages import catalog

DOMAINS = catalog.domain_names()
# Code as messages write it: a backquoted span, a call (np.sum(e, axis=-1)), a dotted name
# (self.mask, grades.csv), a name with an underscore (cross_entropy_error), an option (--isolation).
_BACKQUOTED = re.compile(r"`[^`]*`")
# ASCII \w only: Korean particles follow code directly ("summary.csv를"). "page(s)" is no call.
_CALL = re.compile(r"[A-Za-z_][\w.]*\((?!s\))(?:[^()]|\([^()]*\))*\)", re.ASCII)
_NAME = re.compile(r"(?<![\w.-])(?:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|[A-Za-z]\w*_\w*|--?[a-z][\w-]*)(?![\w(])",
                   re.ASCII)
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?", re.ASCII)


def korean(domain: str):
    """The Korean catalogue of ``domain`` as stored (its .po), or None when there is none yet."""
    path = catalog.po_path(domain)
    if not path.exists():
        return None
    with path.open("rb") as f:
        return read_po(f, locale="ko", domain=domain)


def started(domain: str) -> bool:
    """Whether anyone translated ``domain`` yet: a domain whose translator's branch has not landed
    has no Korean at all, and is held to completeness as soon as it has any."""
    po = korean(domain)
    return po is not None and any(m.id and m.string for m in po)


def missing(domain: str) -> list[str]:
    """The texts the code marks in ``domain`` that have no usable Korean (none, empty or fuzzy)."""
    po = korean(domain)
    wanted = {(m.id, m.context) for m in catalog.template(domain) if m.id}
    return sorted(f"{ctx or ''} {mid!r}" for mid, ctx in wanted
                  if po is None or not po.get(mid, ctx) or not po.get(mid, ctx).string or po.get(mid, ctx).fuzzy)


def complete(domain: str) -> bool:
    """Whether every text of ``domain`` has its Korean (tests/test_korean.py checks those fully)."""
    return started(domain) and not missing(domain)


def placeholders(text: str) -> Counter:
    return Counter(field for _text, field, _spec, _conv in string.Formatter().parse(text) if field is not None)


def code_spans(text: str) -> Counter:
    """The code a message quotes, in the order found, backquoted spans first (then out of the text)."""
    spans = _BACKQUOTED.findall(text)
    rest = _BACKQUOTED.sub(" ", text)
    calls = _CALL.findall(rest)
    rest = _CALL.sub(" ", rest)
    rest = re.sub(r"\{\w*\}", " ", rest)  # a placeholder is no code of its own
    rest = re.sub(r"\b(?:e\.g|i\.e)\.", " ", rest)  # English abbreviations, not code (Korean says 예:)
    return Counter(spans + calls + _NAME.findall(rest))


def numbers(text: str) -> Counter:
    without_code = _CALL.sub(" ", _BACKQUOTED.sub(" ", text))
    return Counter(_NUMBER.findall(re.sub(r"\{\w*\}", " ", without_code)))


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_identifier_has_korean_and_english(domain):
    """Does every text the code marks (and every hint, by its identifier) have English (its msgid)
    and a Korean translation that is neither empty nor fuzzy?"""
    if domain != "common" and not started(domain):
        pytest.skip(f"no Korean for {domain} on this branch yet (its translator's branch brings it)")
    wanted = {(m.id, m.context) for m in catalog.template(domain) if m.id}
    assert wanted, f"{domain}: the code marks no text"
    assert all(isinstance(mid, str) and mid.strip() for mid, _ctx in wanted)
    without = missing(domain)
    assert not without, f"{domain}: {len(without)} text(s) without Korean, e.g. {without[:3]}"


def _translated():
    for domain in DOMAINS:
        po = korean(domain)
        for m in po or []:
            if m.id and m.string and not m.fuzzy:
                yield pytest.param(m.id, m.string, id=f"{domain}:{(m.context or m.id)[:40]}")


@pytest.mark.parametrize(("english", "ko"), list(_translated()))
def test_korean_keeps_placeholders_numbers_and_code(english, ko):
    """Does each Korean text keep exactly the English's {placeholders}, numbers and code spans, so
    only words change?"""
    assert placeholders(ko) == placeholders(english)
    assert numbers(ko) == numbers(english)
    assert code_spans(ko) == code_spans(english)
    words = re.sub(r"\{\w*\}", " ", _CALL.sub(" ", _BACKQUOTED.sub(" ", english)))
    assert re.search(r"[\uac00-\ud7a3]", ko) or not re.search(r"[A-Za-z]{3}", words), "no Hangul: still English?"


def test_code_span_rules():
    """Do the rules above see code where messages put it (so the test before can fail)?"""
    text = "use np.sum(e, axis=-1, keepdims=True) and `self.mask`, not dout.T @ x2 in cross_entropy_error (N = 4)"
    assert code_spans(text) == Counter(["`self.mask`", "np.sum(e, axis=-1, keepdims=True)", "dout.T",
                                        "cross_entropy_error"])
    assert numbers(text) == Counter(["4"])
    assert code_spans("밑에서 np.sum(e)를") != code_spans("under np.sum(e, axis=-1)")
    assert placeholders("{a} and {b}") != placeholders("{a}")


def test_mo_files_match_their_po():
    """Is each compiled .mo exactly what its .po (refreshed from today's code) compiles to, as
    ``make messages`` leaves it?"""
    stale = []
    for domain in DOMAINS:
        mo = catalog.po_path(domain).with_suffix(".mo")
        if korean(domain) is not None and (not mo.exists() or mo.read_bytes() != catalog.compiled(catalog.refreshed(domain))):
            stale.append(domain)
    assert not stale, f"stale catalogues (run make messages): {stale}"


def test_every_marked_text_is_one_literal():
    """Is every _() / N_() argument one string literal the catalogue can find?"""
    found = [where for d in DOMAINS for p in catalog._python_files(d) for where in catalog.unmarkable(p)]
    assert not found


def _stores_of_underscore(node: ast.AST) -> list[int]:
    """Lines where ``_`` is assigned in the scope of ``node``'s module or functions (a comprehension's
    own variable lives in the comprehension's scope and shadows nothing outside it)."""
    found = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        if isinstance(child, ast.Name) and child.id == "_" and isinstance(child.ctx, ast.Store):
            found.append(child.lineno)
        found += _stores_of_underscore(child)
    return found


def test_no_module_shadows_the_translation_function():
    """Does no module that imports _ also assign the name _ (``ok, _ = ...`` makes every _() of that
    function fail)?"""
    shadowing = []
    for path in sorted((ROOT / "graders").rglob("*.py")) + sorted((ROOT / "studentpack").rglob("*.py")):
        tree = ast.parse(path.read_text())
        if any(isinstance(n, ast.ImportFrom) and n.module == "graders.messages"
               and any(a.name == "_" for a in n.names) for n in ast.walk(tree)):
            shadowing += [f"{path.relative_to(ROOT)}:{line}" for line in _stores_of_underscore(tree)]
    assert not shadowing
    assert _stores_of_underscore(ast.parse("def f():\n    ok, _ = g()\n")) == [2]
    assert _stores_of_underscore(ast.parse("x = [a for a, _ in y]\n")) == []


def test_texts_inside_fstrings_are_in_the_catalogue():
    """Are texts marked inside an f-string ({_('Part')}) found too (Babel's extractor skips them)?"""
    ids = {m.id for m in catalog.template("common") if m.id}
    assert {"Part", "Score per part", "What went wrong"} <= ids


@pytest.fixture
def restore_language():
    before = messages.language()
    yield
    messages.use(before)


@pytest.mark.parametrize(("env", "expected"), [
    ({"GRADERS_LANG": "ko"}, "ko"),
    ({"GRADERS_LANG": "en", "LANG": "ko_KR.UTF-8"}, "en"),
    ({"LANG": "ko_KR.UTF-8"}, "ko"),
    ({"LANGUAGE": "ko:en", "LANG": "C.UTF-8"}, "ko"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({}, "en"),
])
def test_language_from_the_environment(monkeypatch, restore_language, env, expected):
    """Is the language GRADERS_LANG, else the locale, else English?"""
    for var in ("GRADERS_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert messages.use(None) == expected == messages.language()


def test_an_explicit_language_wins_and_a_wrong_one_is_refused(monkeypatch, restore_language):
    """Does --lang beat the environment, and is an unknown language an error, not English?"""
    monkeypatch.setenv("GRADERS_LANG", "ko")
    assert messages.use("en") == "en" and messages._("passed") == "passed"
    assert messages.use("ko") == "ko" and messages._("passed") == "통과"
    with pytest.raises(ValueError):
        messages.use("kr")
    assert messages._("") == "" and messages.translate("") == ""  # never gettext's header
