"""The text of each mistake identifier, read from the hints module of each assignment.

A result carries only a mistake's identifier (``softmax_loss.swl_backward_n``); its words live in
``graders/<NAME>/hints.py`` as :class:`graders.checks.Mistake` constants. An identifier no hints
module defines any more (a result older than the graders) keeps an empty text.
"""
from __future__ import annotations

import importlib
from typing import Iterable

from graders import ASSIGNMENTS
from graders.checks import Mistake
from graders.messages import hint


def hint_texts(assignments: Iterable[str] = ASSIGNMENTS) -> dict[str, str]:
    """{mistake id: its hint text} for every Mistake of every assignment's hints module."""
    texts: dict[str, str] = {}
    for name in assignments:
        try:
            module = importlib.import_module(f"graders.{name}.hints")
        except ImportError:
            continue
        for value in vars(module).values():
            if isinstance(value, Mistake):
                texts[value.id] = hint(value)  # in this process's language
    return texts
