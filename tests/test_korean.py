"""Grading in Korean: the same scores as in English, and no English left in what a Korean student
or TA reads (the result's messages, the feedback page, `make check`, the class report) beyond
code, names and numbers.

The catalog submissions of KOREAN_ASSIGNMENTS (default activations, the smallest: about 30 s on
two cores; "all" for every assignment, several minutes) are graded by `python -m graders batch` once per language. A message of a
suite whose Korean has not landed yet (tests/test_messages.py's ``complete``) is left out of the
English check, and the test says so; the headings, reasons and notes around it are always checked.
"""
from __future__ import annotations

import ast
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from graders import ASSIGNMENTS, ROOT
from graders.collect.feedback import render
from graders.collect.results import Collected, sum_parts
from graders.diagnoses import MISSING, MISTAKE, RAISED, UNWRITTEN, as_json, group
from graders.messages import use
from graders.report.plots import hangul_font
from test_messages import complete

CATALOG = Path(__file__).parent / "submissions"
CHOSEN = os.environ.get("KOREAN_ASSIGNMENTS", "activations")
GRADED = list(ASSIGNMENTS) if CHOSEN == "all" else CHOSEN.split(",")

# What "no English left" means. Out first: backquoted code, a Python exception's name and message
# (raised by the student's code or numpy, quoted as it was), code (calls, dotted names, names with
# underscores, options, anything holding an operator or a path), numbers and shapes. Then no run of
# 3 or more ASCII English words may remain; only a Korean word or a sentence's end breaks a run
# (code and numbers do not: "use np.sum(e) for the rows" is English).
_BACKQUOTED = re.compile(r"`[^`]*`")
# An exception's message ends where the graders' words resume: its location, Korean, or the line's end.
_EXCEPTION = re.compile(r"\b[A-Z]\w*(?:Error|Exception|Warning|Exit|Interrupt)\b"
                        r"(?::[^\n]*?(?=\((?:cell|셀) \d|[\uac00-\ud7a3]|\n|$))?", re.ASCII)
_CODE = re.compile(r"[A-Za-z_][\w.]*\((?:[^()]|\([^()]*\))*\)|[A-Za-z_]\w*(?:\.\w+)+|\w*_\w*|(?<!\S)--?[a-z][\w-]*"
                   r"|\S*[/\\<>=@*+\[\]{}|~^$%#&]\S*", re.ASCII)
_WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")
def _layer_names() -> set[str]:
    """The classes the reference modules define (Affine, SoftmaxWithLoss...): in a Korean message
    such a word is code ("Affine -> Relu -> Affine"), not English left behind."""
    return {node.name for path in sorted((ROOT / "reference").glob("*/*.py"))
            for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.ClassDef)}


# The kit's and the tools' names, Jupyter's menu, the contract's short names that are no English
# words (its plain-word names, loss or params, still count as English when three come in a row).
NAMES = {"Backprop", "Lab", "Kernel", "Restart", "Clear", "Output", "Jupyter", "PyTorch", "NumPy", "nbgrader",
         "Gradescope", "GitHub", "ReLU", "forward", "backward", "dout", "dx", "dW", "db", "dim", "softmax",
         "sigmoid", "relu", "mean", "sum", "none"} | _layer_names()


def english_left(text: str) -> list[str]:
    """The runs of 3+ English words left in ``text`` once code, exceptions and numbers are out."""
    text = _CODE.sub(" ", _EXCEPTION.sub(" 。 ", _BACKQUOTED.sub(" ", text)))
    runs, run = [], []
    for token in text.split():
        bare = token.strip(".,;:!?()\"'")
        if _WORD.fullmatch(bare) and (len(bare) > 1 or bare == "a") and bare not in NAMES:
            run.append(bare)
            if token[-1] not in ".;:!?":
                continue
        elif re.fullmatch(r"[\d\W]*", token, re.ASCII) and token[-1:] not in ".;:!?":
            continue  # a number, a shape, punctuation: no word, and no break
        if len(run) >= 3:
            runs.append(" ".join(run))
        run = []
    return runs + ([" ".join(run)] if len(run) >= 3 else [])


def test_english_left_finds_words_not_code():
    """Does the check find a sentence left in English, and only that?"""
    assert english_left("점수: the tests were skipped.") == ["the tests were skipped"]
    assert english_left("np.sum(e, axis=-1, keepdims=True)를 쓰세요: `dx = (y - t) / N`, self.mask") == []
    assert english_left("IndexError: arrays used as indices must be integers (cell 1, line 16) 예외가 발생했습니다") == []
    assert english_left("IndexError: arrays must be integers (셀 1, 16번째 줄) 예외가 발생했습니다. "
                        "예상되는 실수: t may be one-hot") == ["may be one-hot"]
    assert english_left("(4, 5) 배치에서 cross_entropy_error의 값이 1e-07만큼 틀립니다") == []
    assert english_left("SoftmaxWithLoss.forward on a (4, 5) batch") == ["on a batch"]
    assert english_left("use np.sum(e) for the rows; 행마다 x, t, N") == ["use for the rows"]
    assert english_left("순전파는 Affine -> Relu -> Affine 순서입니다") == []
    assert {"Affine", "SoftmaxWithLoss", "dout", "forward"} <= NAMES


class _Text(html.parser.HTMLParser):
    """A page's visible text; with ``skip_pre``, <pre> blocks (the graders' messages) left out."""

    def __init__(self, skip_pre: bool):
        super().__init__()
        self.skip_pre, self.inside, self.parts = skip_pre, [], []

    def handle_starttag(self, tag, attrs):
        self.inside.append(tag)
        self.parts.append(" ; ")
        self.parts += [f" {value} " for name, value in attrs if name == "alt" and value]

    def handle_endtag(self, tag):
        if tag in self.inside:
            del self.inside[len(self.inside) - 1 - self.inside[::-1].index(tag):]
        self.parts.append(" ; ")

    def handle_data(self, data):
        if not {"style", "script"} & set(self.inside) and not (self.skip_pre and "pre" in self.inside):
            self.parts.append(data)


def page_text(page: str, *, skip_pre: bool = False) -> str:
    parser = _Text(skip_pre)
    parser.feed(page)
    return "".join(parser.parts)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """{lang: {(student, assignment): result}} and the class, every catalog submission of GRADED
    graded once in each language. Students are s000, s001...: a name is no English to find."""
    tmp = tmp_path_factory.mktemp("korean")
    submitted = tmp / "submitted"
    for name in GRADED:
        cases = [c for kind in ("correct", "buggy") for c in sorted((CATALOG / name / kind).glob("*/"))]
        for number, case in enumerate(cases):
            folder = submitted / f"s{number:03d}" / name
            folder.mkdir(parents=True)
            shutil.copy(case / f"{name}.py", folder / f"{name}.py")
        # The released notebook left blank: its stubs raise in notebook cells, so the places named
        # (function, line, the cell by its first line) are in the output too.
        blank = submitted / "s998" / name
        blank.mkdir(parents=True)
        shutil.copy(ROOT / "assignments" / name / f"{name}.ipynb", blank / f"{name}.ipynb")
    found = {}
    for lang in ("en", "ko"):
        out = tmp / f"results-{lang}"
        env = {k: v for k, v in os.environ.items() if k != "GRADERS_LANG"}
        subprocess.run([sys.executable, "-m", "graders", "batch", str(submitted), "--out", str(out), "--quiet",
                        "--jobs", "2", "--lang", lang, *[a for name in GRADED for a in ("--assignment", name)]],
                       check=True, env=env, cwd=ROOT, timeout=900)
        found[lang] = {(r["student"], r["assignment"]): r
                       for r in map(json.loads, map(Path.read_text, out.glob("*/*.json")))}
    yield found, submitted, tmp
    use(None)


def test_scores_are_the_same_in_both_languages(graded):
    """Does every catalog submission get the same score, test by test, in Korean as in English,
    and does each result say which language its messages are in?"""
    results, _submitted, _tmp = graded
    assert results["en"].keys() == results["ko"].keys() and len(results["ko"]) >= 30
    for key, en in results["en"].items():
        ko = results["ko"][key]
        assert (en["language"], ko["language"]) == ("en", "ko")
        assert (ko["score"], ko["max_score"]) == (en["score"], en["max_score"]), key
        assert [(t["name"], t["status"], t["score"], t["mistake"]) for t in ko["tests"]] == \
               [(t["name"], t["status"], t["score"], t["mistake"]) for t in en["tests"]], key
    changed = sum(ko["output"] != en["output"] for key, en in results["en"].items()
                  for ko, en in zip(results["ko"][key]["tests"], en["tests"]) if en["status"] != "passed")
    assert changed, "no message differs between the languages: is --lang reaching the pool processes?"


def test_korean_result_messages_have_no_english_left(graded):
    """Is every message of a Korean result (each test's, the reasons, the isolation) Korean but for
    code, names and numbers?"""
    results, _submitted, _tmp = graded
    left = {}
    for (student, name), r in results["ko"].items():
        texts = [str(r.get(k) or "") for k in ("error", "isolation", "submission_reason")] + r["load_errors"]
        if complete(name):
            texts += [t["output"] for t in r["tests"]]
        found = [run for text in texts for run in english_left(text)]
        if found:
            left[f"{student}/{name}"] = found[:3]
    assert not left, f"English left in {len(left)} Korean result(s): {dict(list(left.items())[:5])}"
    unchecked = [name for name in GRADED if not complete(name)]
    if unchecked:
        pytest.skip(f"checked all but the test messages of {', '.join(unchecked)}: its Korean has not landed yet")


def test_a_korean_result_groups_exactly_as_the_english_one(graded):
    """Does every Korean result group its failures (graders.diagnoses) exactly as its English twin:
    the same kinds, mistakes, tests, parts and points, in the result JSON and when shown?"""
    results, _submitted, _tmp = graded
    grouped = {}
    try:
        for lang in ("en", "ko"):
            use(lang)
            grouped[lang] = {key: as_json(group(r["tests"])) for key, r in results[lang].items()}
    finally:
        use(None)
    for key, en in results["en"].items():
        assert grouped["ko"][key] == grouped["en"][key] == en["diagnoses"] == results["ko"][key]["diagnoses"], key
    kinds = {d["kind"] for found in grouped["ko"].values() for d in found}
    # Mistakes, and failures read back through the Korean templates (a name, an exception, a stub).
    assert MISTAKE in kinds and kinds & {MISSING, RAISED, UNWRITTEN}, kinds


def test_korean_feedback_pages_have_no_english_left(graded):
    """Does a Korean feedback page (lang="ko") show only Korean around code, names and numbers?"""
    results, _submitted, _tmp = graded
    use("ko")
    try:
        left = {}
        for (student, name), r in results["ko"].items():
            page = render(Collected(name, student, r, parts=sum_parts(r)))
            assert '<html lang="ko">' in page
            found = english_left(page_text(page, skip_pre=not complete(name)))
            if found:
                left[f"{student}/{name}"] = found[:3]
    finally:
        use(None)
    assert not left, f"English left on {len(left)} Korean page(s): {dict(list(left.items())[:5])}"


def test_make_check_in_korean_has_no_english_left(graded):
    """Does `make check GRADERS_LANG=ko` hand the language on, and its text read as Korean?"""
    dry = subprocess.run(["make", "-n", "-s", "check", "ASSIGNMENT=softmax_loss", "GRADERS_LANG=ko"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert "--lang ko" in dry
    _results, submitted, _tmp = graded
    name = GRADED[0]
    case = submitted / "s999"  # the first buggy case: the one its catalog lists after the correct ones
    buggy = sorted((CATALOG / name / "buggy").glob("*/"))[0]
    shutil.copytree(buggy, case / name, ignore=shutil.ignore_patterns("expect.json"))
    env = {k: v for k, v in os.environ.items() if k != "GRADERS_LANG"}
    shown = subprocess.run([sys.executable, "-m", "graders", "check", name, str(case / name), "--lang", "ko"],
                           capture_output=True, text=True, env=env, cwd=ROOT, timeout=300).stdout
    assert "공개 검사" in shown and "점" in shown
    # A failed test's message lines are indented by 8 spaces (graders.engine.feedback_text).
    kept = [line for line in shown.splitlines() if complete(name) or not line.startswith(" " * 8)]
    assert not [run for line in kept for run in english_left(line)], shown


def test_korean_class_report_has_no_english_left(graded, tmp_path):
    """Does the class report in Korean (headings, tables, hints, figures' descriptions) read as
    Korean around code, names and numbers?"""
    from graders.report.__main__ import main as report_main

    results, _submitted, _tmp = graded
    folder = tmp_path / "results"
    for (student, name), r in results["ko"].items():
        if not complete(name):  # the suite's words (messages and hints) are not in Korean yet
            r = dict(r, tests=[dict(t, output="", mistake=None) for t in r["tests"]])
        path = folder / name / f"{student}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(r))
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            assert report_main([str(folder), "--out", str(tmp_path / "report.html"),
                                "--figures", str(tmp_path / "figures"), "--lang", "ko"]) == 0
    finally:
        use(None)
    page = (tmp_path / "report.html").read_text()
    assert '<html lang="ko">' in page and "반 보고서" in page
    assert not english_left(page_text(page))
    # matplotlib warns of every glyph its font lacks: a Korean figure must draw no empty box.
    boxes = [str(w.message) for w in seen if "missing from" in str(w.message)]
    assert not boxes, boxes[:3]
    if hangul_font() is None:
        pytest.skip("no font with Hangul here (Debian: fonts-nanum): the figures kept English words")


def test_a_result_in_another_language_is_regraded(graded, tmp_path):
    """Is a result written in Korean out of date for an English batch, and up to date for a Korean one?"""
    from graders.engine import batch
    from graders.engine.files import suite_fingerprint
    from graders.engine.seal import key_for, sealed

    results, submitted, _tmp = graded
    (student, name), result = next(iter(results["ko"].items()))
    job = batch.Job(name, student, submitted / student / name, tmp_path / f"{name}.json", result["seed"])
    key = key_for(tmp_path)
    job.out.write_text(json.dumps(sealed(result, key)))
    try:
        assert use("ko") and batch._up_to_date(job, suite_fingerprint(name), key)
        assert use("en") and not batch._up_to_date(job, suite_fingerprint(name), key)
    finally:
        use(None)


def test_a_cell_that_does_not_compile_is_said_in_korean():
    """Is the worker's English load problem (it has no catalogue behind its walls) said in Korean
    on the grading side, with the cell's code, the line and Python's own message kept?"""
    from graders.student.extract import Cell
    from graders.student.loader import run_cells
    from graders.student.remote import _problem

    _namespace, problems = run_cells([Cell(1, "x = 1\n"), Cell(2, "# the layer\ny = (\n")], "korean_syntax_probe")
    assert len(problems) == 1 and "SyntaxError" in problems[0]
    try:
        use("ko")
        said = _problem(problems[0])
    finally:
        use(None)
    assert said != problems[0] and "`y = (`" in said and "2" in said and "SyntaxError" in said
    assert not english_left(said.split("SyntaxError")[0]), said
