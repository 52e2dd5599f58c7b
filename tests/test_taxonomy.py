"""The mistake taxonomy: every kind of mistake students make has a buggy submission that shows it.

Format (data only, read by this module and by tests/test_catalog.py):

tests/submissions/NAME/taxonomy.json, one entry per kind of mistake in assignment NAME:
    {"state": "what goes wrong with a layer's cache between calls or instances", ...}
    A kind is a short lower-case word or snake_case phrase (state, defaults, axes, broadcasting,
    batch_factor, numerical_range, label_format, in_place, formula, naming, return_type...), its
    value a sentence a TA can read.

tests/submissions/NAME/buggy/<case>/expect.json gains two fields:
    "kind":     one key of NAME's taxonomy.json;
    "mistakes": the ids of the hints (graders/NAME/hints.py constants, as graders.checks.Mistake
                ids: "NAME.constant_lower") that the case's failed tests must name, exactly
                ([] for a bug whose failures state a symptom and name no cause).
    tests/test_catalog.py checks the ids against real grading; this module checks the data alone.

Every kind has at least one buggy case, every case has a kind of its assignment's taxonomy, and
every id in "mistakes" is a hint that exists.
"""
from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from graders import ASSIGNMENTS
from graders.checks import Mistake

CATALOG = Path(__file__).parent / "submissions"


def taxonomy(name: str) -> dict:
    return json.loads((CATALOG / name / "taxonomy.json").read_text())


def buggy_cases(name: str) -> dict[str, dict]:
    return {folder.parent.name: json.loads(folder.read_text())
            for folder in sorted((CATALOG / name / "buggy").glob("*/expect.json"))}


def known_hints(name: str) -> set[str]:
    module = importlib.import_module(f"graders.{name}.hints")
    return {value.id for value in vars(module).values() if isinstance(value, Mistake)}


def require_taxonomy(name: str) -> dict:
    if not (CATALOG / name / "taxonomy.json").exists():
        if not any("kind" in expect for expect in buggy_cases(name).values()):
            pytest.skip(f"{name}'s catalog is not classified yet: no taxonomy.json and no case with a kind")
        pytest.fail(f"{name}'s buggy cases have kinds but there is no {name}/taxonomy.json")
    return taxonomy(name)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_kind_of_mistake_has_a_buggy_case(name):
    """Does each kind of mistake in the taxonomy have at least one buggy submission?"""
    kinds = require_taxonomy(name)
    assert kinds and all(isinstance(v, str) and v.strip() for v in kinds.values()), f"{name}: empty kinds"
    shown = {expect.get("kind") for expect in buggy_cases(name).values()}
    assert not set(kinds) - shown, f"{name}: kinds with no buggy case: {sorted(set(kinds) - shown)}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_buggy_case_is_classified_with_known_hints(name):
    """Does each buggy case name a kind of its taxonomy and only hints that exist?"""
    kinds, hints = require_taxonomy(name), known_hints(name)
    for case, expect in buggy_cases(name).items():
        assert expect.get("kind") in kinds, f"{name}/{case}: kind {expect.get('kind')!r} is not in taxonomy.json"
        mistakes = expect.get("mistakes")
        assert isinstance(mistakes, list), f"{name}/{case}: expect.json needs a \"mistakes\" list ([] for none)"
        unknown = set(mistakes) - hints
        assert not unknown, f"{name}/{case}: no hint has the id {sorted(unknown)} (graders/{name}/hints.py)"
