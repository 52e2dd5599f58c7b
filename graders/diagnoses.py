"""One diagnosis per mistake: the failed tests of a result, grouped by what went wrong.

A bug usually fails several tests: a missing ``/ N`` fails every test of the loss, a stub that still
raises NotImplementedError fails every test that calls it. Shown test by test, the same hint reads
five times; grouped here, each mistake is said once with the tests (and cases) where it showed:

- ``MISTAKE``: tests whose failure names one diagnosed mistake (the same ``mistake`` id);
- ``UNWRITTEN``: tests stopped by a function or method that still raises NotImplementedError,
  one per function (a blank notebook gets one line per stub it reached, not one per test);
- ``MISSING``: tests that need a name the code does not define, one per name;
- ``RAISED``: tests stopped by the same exception at the same place in the student's code;
- ``FAILURE``: any other failure; tests with the very same message share one.

Pure Python and standard library only: the student pack ships this very file (as
``NAME_checks/diagnoses.py``), so the pack, ``make check``, the feedback pages and the Markdown
output group alike. A test is a dict: ``name``, ``part``, ``mistake`` and either ``passed`` and
``message`` (the pack) or ``status`` and ``output`` (the result JSON); ``max_score`` or ``points``.
Messages are the graders' (graders.checks.fail): "<what>: <symptom>. Likely mistake: <hint>.",
"<what>: raised <Error> (<where>)." or "your code raised <Error> (<where>)"; :func:`where` writes
the ``<where>``, so reading it back here stays in step. A result in another language is read
through the same templates translated (:func:`_templates`), and a diagnosed mistake is grouped by
its id alone, so a Korean result groups exactly as its English twin. The texts shown are whole
templates passed through ``_()``: the kit's graders.messages, or the pack's copy of it beside this
file (``from .messages`` finds either).
"""
from __future__ import annotations

import linecache
import re
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

try:  # graders.messages in the kit, NAME_checks/messages.py in the pack: a sibling either way
    from .messages import _
except ImportError:  # a copy of this file on its own: English
    def _(message: str) -> str:
        return message

MISTAKE, UNWRITTEN, MISSING, RAISED, FAILURE = "mistake", "unwritten", "missing", "raised", "failure"
LIKELY = " Likely mistake: "
REFUSED = ("NotImplementedError",)  # the released stub: not written yet, not a mistake

_RAISED = re.compile(r"^(?:(?P<what>.*?): )?(?:your code )?raised (?P<error>.+?)\.?$", re.S)
_NAME = r"[A-Za-z_][\w.<>]*"
_MISSING = re.compile(r"defines no '(?P<name>[^']{1,100})'")
_IDENTIFIER = re.compile(r"[A-Za-z_][\w.]*")


def _pattern(template: str, **groups: str) -> str:
    """A regex of a translated template: its words as they are, each {field} as ``groups`` says."""
    pieces = re.split(r"\{(\w+)\}", template)
    return "".join(re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>{groups[piece]})" for i, piece in enumerate(pieces))


def _templates() -> tuple[str, list[re.Pattern], list[re.Pattern]]:
    """The graders' templates in this process's language, to read its messages back: the "Likely
    mistake" marker, the missing-name texts and the raised-exception texts (English's own are
    always read too). Each is the very text the graders translate, so the two stay in step."""
    return _compiled(_(" Likely mistake: {likely}."), _("your code defines no '{name}'"), _("raised {error}"),
                     _("{what}: {symptom}."), _("your code raised {error}"))


@lru_cache(maxsize=8)
def _compiled(likely: str, missing: str, said: str, what: str, yours: str) -> tuple[str, list[re.Pattern], list[re.Pattern]]:
    missing_texts, raised = [_MISSING], []
    if missing != "your code defines no '{name}'":  # translated: read its words too
        missing_texts.append(re.compile(_pattern(missing, name=".{1,100}?")))
    if said != "raised {error}":
        for template in (yours, what.replace("{symptom}", said), said):
            template = template.rstrip(".")
            raised.append(re.compile("^" + _pattern(template, what=".*?", error=".+?") + r"(?P<more>.*?)\.?$", re.S))
    return likely.split("{likely}")[0], missing_texts, raised + [_RAISED]


def location_patterns() -> list[re.Pattern]:
    """Regexes reading back a place :func:`where` wrote, with a cell first, in this process's
    language and in English (what a worker without a catalogue writes); groups function, line, cell."""
    return _location_patterns(_("in {function}, line {line} of {cell}"), _("in {function}, line {line}"),
                              _("the cell starting `{first}`"))


@lru_cache(maxsize=8)
def _location_patterns(with_cell: str, without: str, starting: str) -> list[re.Pattern]:
    found = []
    for starts in dict.fromkeys((starting, "the cell starting `{first}`")):
        before, after = starts.split("{first}")
        cell = r"cell In\[\d+\]|" + re.escape(before) + "[^`]*" + re.escape(after)
        for template in dict.fromkeys((with_cell, "in {function}, line {line} of {cell}")):
            found.append(re.compile(_pattern(template, function=_NAME, line=r"\d+", cell=cell)))
    for template in dict.fromkeys((without, "in {function}, line {line}")):
        found.append(re.compile(_pattern(template, function=_NAME, line=r"\d+")))
    return found


def located(text: str) -> re.Match | None:
    """The last place named in ``text`` (the student's own line comes last), or None."""
    for pattern in location_patterns():
        matches = list(pattern.finditer(text))
        if matches:
            return matches[-1]
    return None


@dataclass
class Diagnosis:
    """One thing to fix. ``text``: the hint (MISTAKE), the function (UNWRITTEN), the name (MISSING),
    the exception and where (RAISED) or the message (FAILURE); ``cell``: where an UNWRITTEN
    function is; ``cases``: (test name, what went wrong in that test), in the tests' order."""
    kind: str
    text: str
    cell: str = ""
    mistake: str | None = None
    cases: list[tuple[str, str]] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    points: float = 0.0  # the points of the tests concerned
    whole: bool = False  # MISTAKE: ``text`` is a whole message (no English "Likely mistake:" to cut at)

    @property
    def tests(self) -> list[str]:
        return [name for name, _ in self.cases]


def where(function: str, line: int, cell: str = "", code: str = "") -> str:
    """A place in the student's code as messages name it: the function (none for a cell's own
    top-level code), the line, the cell (as Jupyter shows it, ``cell In[5]``, or by its first
    line; none for a plain module), then the line's code."""
    if function and cell:
        text = _("in {function}, line {line} of {cell}").format(function=function, line=line, cell=cell)
    elif function:
        text = _("in {function}, line {line}").format(function=function, line=line)
    elif cell:
        text = _("line {line} of {cell}").format(line=line, cell=cell)
    else:
        text = _("line {line}").format(line=line)
    return text + (": " + code.strip() if code.strip() else "")


def function_of(frame: Any) -> str:
    """The qualified name of a frame's function ('' for a cell's or module's top level); Python 3.10
    has no co_qualname, so a method's class is read from its ``self``."""
    code = frame.f_code
    name = getattr(code, "co_qualname", None)
    if name is None:
        this = frame.f_locals.get("self") if code.co_varnames[:1] == ("self",) else None
        name = f"{type(this).__name__}.{code.co_name}" if this is not None else code.co_name
    return "" if name == "<module>" else name


def cell_named(first_line: str) -> str:
    """A code cell named by its first line of code ("the cell starting `def softmax(x):`")."""
    first = first_line.strip().replace("`", "'")
    if len(first) > 60:
        first = first[:57] + "..."
    return _("the cell starting `{first}`").format(first=first)


def student_line(exc: BaseException, prefix: str) -> str:
    """Where the deepest student frame of a traceback is, as :func:`where` names it ('in softmax,
    line 9 of the cell starting `def softmax(x):`: raise NotImplementedError()'), or ''. Student
    code is compiled as ``PREFIX:INDEX`` (index 0: a whole module) with its source in linecache,
    which gives the cell's first line and the code; the graders' worker and the pack both do so."""
    found = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename.startswith(prefix):
            found = frame, lineno
    if found is None:
        return ""
    frame, lineno = found
    filename = frame.f_code.co_filename
    source = linecache.getlines(filename)
    cell = cell_named(first_code_line("".join(source))) if source and filename != f"{prefix}:0" else ""
    text = source[lineno - 1] if 0 < lineno <= len(source) else ""
    return where(function_of(frame), lineno, cell, text)


def first_code_line(source: str) -> str:
    """The cell's first line that is code (not blank, not a comment), else its first non-blank line."""
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    return next((line for line in lines if not line.startswith("#")), lines[0] if lines else "")


def _fields(test: dict[str, Any]) -> tuple[bool, str, float]:
    passed = bool(test["passed"]) if "passed" in test else test.get("status") == "passed"
    message = test.get("message") if "message" in test else test.get("output")
    points = test.get("max_score", test.get("points", 0.0))
    return passed, str(message or "").strip(), float(points or 0.0)


def _likely(message: str, marker: str) -> tuple[str, str] | None:
    """(the case, the hint) of a message that names its likely mistake, in English or ``marker``'s language."""
    for said in (marker, LIKELY):
        if said.strip() and said in message:
            case, hint = message.split(said, 1)
            return case.rstrip(". "), hint.rstrip(". ")
    return None


def _classify(message: str, mistake: str | None) -> tuple[str, str, str, str]:
    """(kind, key, headline, the case: what went wrong in this test) of one failure. The key holds
    no word of any language: a mistake's id, a name, the exception as raised, a message's own text."""
    marker, missing_texts, raised_texts = _templates()
    if mistake:  # one diagnosed mistake, whatever the words (cut short, or another language)
        split = _likely(message, marker)
        return (MISTAKE, mistake, split[1], split[0]) if split else (MISTAKE, mistake, message, "")
    missing = next((m for m in (p.search(message) for p in missing_texts) if m), None)
    if missing:
        return MISSING, missing["name"], missing["name"], message
    raised = next((m for m in (p.match(message) for p in raised_texts) if m), None)
    if raised:
        error, what = raised["error"].strip(), (raised.groupdict().get("what") or "").strip()
        key = error + (raised.groupdict().get("more") or "")  # English keeps what follows in ``error``
        kind = re.split(r"[:\s(]", error, 1)[0]
        if kind in REFUSED:
            found = located(error)
            named = _IDENTIFIER.search(what)  # English "relu on a (7,) input", Korean "(7,) 입력에 대한 relu"
            function = found["function"] if found else (named[0] if named else "?")
            return UNWRITTEN, function, function, (found.groupdict().get("cell") or "") if found else ""
        return RAISED, key.strip(), error, what or message
    return FAILURE, message, message, ""


def group(tests: Iterable[dict[str, Any]]) -> list[Diagnosis]:
    """The failed tests grouped into diagnoses, in the order their first test comes."""
    found: dict[tuple[str, str], Diagnosis] = {}
    for test in tests:
        passed, message, points = _fields(test)
        if passed:
            continue
        kind, key, title, case = _classify(message, test.get("mistake"))
        diagnosis = found.get((kind, key))
        if diagnosis is None:
            diagnosis = found[(kind, key)] = Diagnosis(kind, title, mistake=test.get("mistake") if kind == MISTAKE else None)
        if kind == UNWRITTEN:
            diagnosis.cell = diagnosis.cell or case
            case = ""
        elif kind == MISTAKE and not case:
            diagnosis.whole = diagnosis.whole or not diagnosis.cases
        diagnosis.cases.append((str(test.get("name", "?")), case))
        part = str(test.get("part", ""))
        if part and part not in diagnosis.parts:
            diagnosis.parts.append(part)
        diagnosis.points += points
    return list(found.values())


def _need(d: Diagnosis) -> str:
    return _("1 test needs it") if len(d.cases) == 1 else _("{count} tests need it").format(count=len(d.cases))


def headline(d: Diagnosis) -> str:
    """The diagnosis in one line (a FAILURE's message may hold more), said once."""
    if d.kind == UNWRITTEN:
        if d.cell:
            return _("{function} ({cell}): not written yet, it still raises NotImplementedError; {need}").format(
                function=d.text, cell=d.cell, need=_need(d))
        return _("{function}: not written yet, it still raises NotImplementedError; {need}").format(
            function=d.text, need=_need(d))
    if d.kind == MISSING:
        return _("{name}: your code does not define it; {need}").format(name=d.text, need=_need(d))
    if d.kind == MISTAKE:
        return d.text if d.whole else _("Likely mistake: {hint}.").format(hint=d.text)
    if d.kind == RAISED:
        return _("Your code raised {error}.").format(error=d.text)
    return d.text


def seen_in(d: Diagnosis) -> str:
    """The heading of the list of places a diagnosis showed."""
    return _("Seen in 1 test:") if len(d.cases) == 1 else _("Seen in {count} tests:").format(count=len(d.cases))


def case_line(name: str, case: str) -> str:
    """One place a diagnosis showed: the case, then the test."""
    case = " ".join(case.split())
    return "{case} [{test}]".format(case=case, test=name) if case else "[{test}]".format(test=name)


def listed(d: Diagnosis) -> bool:
    """Whether the places a diagnosis showed are listed under it: not for a name not written or not
    defined (one line says it all), nor for a failure of one test (its message is the case)."""
    return d.kind not in (UNWRITTEN, MISSING) and not (d.kind == FAILURE and len(d.cases) == 1)


MESSAGE_LINES = 6  # of a message shown in a terminal: the rest is on the feedback page


def text_lines(diagnoses: list[Diagnosis], indent: str = "  ") -> list[str]:
    """Plain text: each diagnosis once, then where it showed."""
    lines = []
    for d in diagnoses:
        first, *more = headline(d).splitlines() or [""]
        lines.append(f"{indent}- {first}")
        lines.extend(f"{indent}  {line}" for line in more[:MESSAGE_LINES - 1])
        if not listed(d):
            if d.kind == FAILURE:
                lines.append(f"{indent}  {case_line(d.cases[0][0], '')}")
            continue
        lines.append(f"{indent}  {seen_in(d)}")
        lines.extend(f"{indent}    {case_line(name, case)}" for name, case in d.cases)
    return lines


def as_json(diagnoses: list[Diagnosis]) -> list[dict[str, Any]]:
    """The diagnoses as the result JSON's top-level ``diagnoses``: each once, with the names of its
    tests. No text: the words are in each test's own ``output``, where every later step (paths
    replaced, sizes bounded) already reaches them, and nothing the student wrote is copied twice."""
    return [{"kind": d.kind, "mistake": d.mistake, "tests": d.tests, "parts": d.parts, "points": d.points}
            for d in diagnoses]
