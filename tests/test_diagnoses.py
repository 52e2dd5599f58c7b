"""One diagnosis per mistake: graders/diagnoses.py, and every place a result is shown to a student.

Over every catalog submission (graded once by tests/test_catalog.py, which calls
:func:`shown_once` on each result) and each assignment's blank notebook: the feedback page, the
Markdown output, `make check`'s text and the student pack's text name each diagnosed mistake once,
and a blank notebook gets one line per function it has not written, not one per test.
"""
from __future__ import annotations

import ast
import contextlib
import html
import importlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graders import ASSIGNMENTS, ROOT
from graders.cli import check_text
from graders.collect.feedback import render as page_of
from graders.collect.results import Collected, sum_parts
from graders.diagnoses import LIKELY, MISSING, MISTAKE, RAISED, UNWRITTEN, group, text_lines, where
from graders.engine.feedback_md import escape, render_md
from graders.engine.feedback_text import render as text_of
from graders.softmax_loss import hints as softmax_hints
from studentpack.build import PACKED

CATALOG = Path(__file__).parent / "submissions"
STUB = "NotImplementedError"


def failed(name, message, mistake=None, part="p", points=1.0):
    return {"name": name, "passed": False, "message": message, "mistake": mistake, "part": part, "points": points}


def test_one_mistake_in_several_tests_is_one_diagnosis_listing_its_cases():
    """Do three failures naming one mistake id become one diagnosis with its three cases, in order?"""
    hint = "divide by the batch size N"
    tests = [failed("t1", f"loss on a (4, 5) batch: 4 times too large.{LIKELY}{hint}.", "a.n"),
             {"name": "t2", "passed": True, "message": "", "mistake": None, "part": "p", "points": 1.0},
             failed("t3", "softmax on a row: NaN in the result.", None, part="q"),
             failed("t4", f"Layer.forward on a batch: 4 times too large.{LIKELY}{hint}.", "a.n", part="r")]
    found = group(tests)
    assert [(d.kind, d.mistake) for d in found] == [(MISTAKE, "a.n"), ("failure", None)]
    assert found[0].text == hint and found[0].parts == ["p", "r"] and found[0].points == 2.0
    assert found[0].cases == [("t1", "loss on a (4, 5) batch: 4 times too large"),
                              ("t4", "Layer.forward on a batch: 4 times too large")]
    lines = "\n".join(text_lines(found))
    assert lines.count(hint) == 1 and "t1" in lines and "t4" in lines and "Seen in 2 tests:" in lines


def test_a_stub_is_one_line_per_function_whatever_the_tests():
    """Does a stub that several tests reach, with different cases, become one line naming it and its cell?"""
    at = where("softmax", 9, "the cell starting `def softmax(x):`", "raise NotImplementedError()")
    tests = [failed("t1", f"softmax on a (4, 5) input: raised {STUB} ({at})."),
             failed("t2", f"softmax on a 1-D vector: raised {STUB} ({at})."),
             failed("t3", f"your code raised {STUB} ({where('Layer.forward', 3, 'cell In[7]')})"),
             failed("t4", f"Layer.forward on a batch: raised {STUB} ({where('Layer.forward', 3, 'cell In[7]')}).")]
    found = group(tests)
    assert [(d.kind, d.text, d.cell, d.tests) for d in found] == [
        (UNWRITTEN, "softmax", "the cell starting `def softmax(x):`", ["t1", "t2"]),
        (UNWRITTEN, "Layer.forward", "cell In[7]", ["t3", "t4"])]
    assert text_lines(found) == [
        "  - softmax (the cell starting `def softmax(x):`): not written yet, it still raises NotImplementedError; "
        "2 tests need it",
        "  - Layer.forward (cell In[7]): not written yet, it still raises NotImplementedError; 2 tests need it"]


def test_missing_names_and_one_exception_at_one_place_are_grouped_too():
    """Are tests needing an undefined name one diagnosis, and one exception at one line another?"""
    raised = f"IndexError: index 5 is out of bounds ({where('relu', 2, '', 'return x[5]')})"
    found = group([failed("t1", "your code defines no 'Relu'"), failed("t2", "your code defines no 'Relu' (cells...)"),
                   failed("t3", f"relu on a scalar: raised {raised}."), failed("t4", f"relu on a batch: raised {raised}.")])
    assert [(d.kind, d.text, d.tests) for d in found] == [(MISSING, "Relu", ["t1", "t2"]), (RAISED, raised, ["t3", "t4"])]
    assert found[1].cases == [("t3", "relu on a scalar"), ("t4", "relu on a batch")]


def _messages_in(lang: str) -> list[dict]:
    """One failure of each kind, worded by the graders' own templates in ``lang`` (as checks.fail does)."""
    from graders.messages import _, hint, use
    use(lang)
    stub = f"{STUB} ({where('softmax', 9, 'cell In[3]', 'raise NotImplementedError()')})"
    raised = f"IndexError: index 5 is out of bounds ({where('relu', 2, '', 'return x[5]')})"
    mistake = softmax_hints.SOFTMAX_ROW_MAX  # a real hint, so its Korean is the catalogue's
    said = _("{what}: {symptom}.")
    wrong = said.format(what="cross_entropy_error on a (4, 5) batch", symptom=_("got {value}").format(value=9.2))
    wrong += _(" Likely mistake: {likely}.").format(likely=hint(mistake))
    return [failed("t1", said.format(what="softmax on a (4, 5) input", symptom=_("raised {error}").format(error=stub))),
            failed("t2", _("your code raised {error}").format(error=stub)),
            failed("t3", _("your code raised {error}").format(error="NameError: " + _("your code defines no '{name}'").format(name="Relu"))),
            failed("t4", wrong, mistake.id), failed("t5", said.format(what="relu on a scalar", symptom=_("raised {error}").format(error=raised))),
            failed("t6", said.format(what="relu on a batch", symptom=_("raised {error}").format(error=raised))),
            failed("t7", wrong.replace("9.2", "7.5"), mistake.id), failed("t8", said.format(what="relu", symptom=_("got {value}").format(value=1)))]


def test_a_korean_result_groups_as_its_english_twin():
    """Are the same failures worded in Korean grouped exactly as in English, each kind read back
    from the Korean templates (not left as a bare failure), and said in Korean?"""
    from graders.messages import use
    try:
        english = group(_messages_in("en"))
        korean = group(_messages_in("ko"))
        shown = "\n".join(text_lines(korean))
    finally:
        use(None)
    assert [(d.kind, d.mistake, d.tests) for d in korean] == [(d.kind, d.mistake, d.tests) for d in english] == [
        (UNWRITTEN, None, ["t1", "t2"]), (MISSING, None, ["t3"]), (MISTAKE, "softmax_loss.softmax_row_max", ["t4", "t7"]),
        (RAISED, None, ["t5", "t6"]), ("failure", None, ["t8"])]
    assert [d.cell for d in korean] == [d.cell for d in english] and korean[0].text == "softmax"
    assert korean[1].text == "Relu" and korean[3].cases == [("t5", "relu on a scalar"), ("t6", "relu on a batch")]
    assert not korean[2].whole and "9.2" in korean[2].cases[0][1] and korean[2].text != english[2].text
    assert "Seen in" not in shown and "not written yet" not in shown and "테스트 2개" in shown


def test_result_json_tests_group_like_the_packs():
    """Do the result JSON's tests (status, output, max_score) group as the pack's dicts do?"""
    message = f"f on x: wrong.{LIKELY}h."
    as_json = [{"name": "p: t", "part": "p", "status": "failed", "output": message, "mistake": "a.h", "max_score": 2.0},
               {"name": "p: u", "part": "p", "status": "passed", "output": "", "mistake": None, "max_score": 1.0}]
    as_pack = [failed("p: t", message, "a.h", points=2.0), {**failed("p: u", ""), "passed": True}]
    assert group(as_json) == group(as_pack) and len(group(as_json)) == 1


# --- every place a result is shown -----------------------------------------------------------

def hints(tests: list[dict]) -> set[str]:
    """The hint text of each diagnosed mistake among the failed tests."""
    return {t["output"].split(LIKELY, 1)[1].rstrip(". ") for t in tests
            if t["status"] != "passed" and t.get("mistake") and LIKELY in t["output"]}


def stub_functions(tests: list[dict]) -> set[str]:
    """The functions whose NotImplementedError stopped a test, read from the messages."""
    return {m for t in tests if t["status"] != "passed" for m in re.findall(rf"{STUB} \(in ([\w.]+), line", t["output"])}


def public_view(result: dict) -> dict:
    """The result as `make check` grades it (python -m graders grade --public-only: the same public tests)."""
    public = [t for t in result["tests"] if t.get("public")]
    return {**result, "tests": public, "score": sum(t["score"] for t in public),
            "max_score": sum(t["max_score"] for t in public)}


def shown_once(result: dict) -> list[str]:
    """What goes wrong in showing a graded result: a hint said other than once on the feedback
    page, in the Markdown or in `make check`'s text, or a stub said other than once."""
    entry = Collected(result["assignment"], str(result["student"]), result, parts=sum_parts(result))
    check = check_text(public_view(result))
    # Markdown escapes a hint as it does the whole line that holds it ("Likely mistake: <hint>").
    shown = {"page": (page_of(entry, {}), html.escape), "markdown": (render_md(result), lambda h: escape(LIKELY + h)),
             "text": (text_of(result), str)}
    problems = []
    for hint in hints(result["tests"]):
        for where_, (text, quoted) in shown.items():
            if text.count(quoted(hint)) != 1:
                problems.append(f"{where_} says {hint!r} {text.count(quoted(hint))} times")
    for hint in hints(public_view(result)["tests"]):
        if check.count(hint) != 1:
            problems.append(f"make check says {hint!r} {check.count(hint)} times")
    for where_, text in (("text", text_of(result)), ("make check", check_text(public_view(result)))):
        stubs = [line for line in text.splitlines() if STUB in line]
        tests = result["tests"] if where_ == "text" else public_view(result)["tests"]
        if len(stubs) != len(stub_functions(tests)):
            problems.append(f"{where_}: {len(stubs)} lines say {STUB} for {sorted(stub_functions(tests))}")
    return problems


def stubs_of_notebook(name: str) -> set[str]:
    """Qualified names of the released notebook's functions and methods whose body raises NotImplementedError."""
    cells = json.loads((ROOT / "assignments" / name / f"{name}.ipynb").read_text())["cells"]
    found = set()
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"])
        for node in tree.body:
            inside = [(f"{node.name}.{m.name}", m) for m in node.body if isinstance(m, ast.FunctionDef)] \
                if isinstance(node, ast.ClassDef) else [(getattr(node, "name", ""), node)]
            for qualname, fn in inside:
                if isinstance(fn, ast.FunctionDef) and any(
                        isinstance(n, ast.Raise) and STUB in ast.unparse(n) for n in ast.walk(fn)):
                    found.add(qualname)
    return found


@pytest.fixture(scope="module")
def blanks():
    from graders.engine.grade import grade

    return {name: grade(name, ROOT / "assignments" / name / f"{name}.ipynb") for name in ASSIGNMENTS}


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_a_blank_notebook_gets_one_line_per_unwritten_function(blanks, name):
    """Does the released notebook, graded as is, get one line per stub its tests reach (each a real
    stub of the notebook), not one per failed test, on every page and text?"""
    result = blanks[name]
    reached = stub_functions(result["tests"])
    assert reached and reached <= stubs_of_notebook(name), (reached, stubs_of_notebook(name))
    assert len(reached) < sum(t["status"] != "passed" for t in result["tests"])
    assert not shown_once(result), shown_once(result)
    page = page_of(Collected(name, "blank", result, parts=sum_parts(result)), {})
    section = page[page.index("What went wrong"):]
    assert section.count(STUB) == len(reached) and all(f"{f} (the cell starting" in section for f in reached)
    assert render_md(result).count(STUB) == len(reached)
    assert [d["kind"] for d in result["diagnoses"]] == [UNWRITTEN] * len(reached)


# --- the student pack ----------------------------------------------------------------------

def pack_files(name: str) -> list[Path]:
    folders = sorted(p for kind in ("correct", "buggy") for p in (CATALOG / name / kind).iterdir() if p.is_dir())
    files = [next(f for f in (d / f"{name}.py", d / f"{name}.ipynb") if f.exists()) for d in folders]
    return files + [ROOT / "assignments" / name / f"{name}.ipynb"]


@pytest.mark.parametrize("name", PACKED)
def test_the_pack_says_each_mistake_once_and_each_stub_once(packs, name, monkeypatch):
    """Does `python -m NAME_checks` (every part at once) name each diagnosed mistake of a catalog
    submission once, and each stub of the blank notebook on one line?"""
    monkeypatch.syspath_prepend(str(packs / name))
    runtime = importlib.import_module(f"{name}_checks._runtime")  # the kit's catalog code, run as the pack runs it
    manifest, _ = runtime.load_pack()
    problems = []
    for file in pack_files(name):
        with contextlib.redirect_stderr(io.StringIO()):
            namespace = runtime.load_submission(file)
        rows = [r for part in manifest["parts"] for r in runtime.results(part, namespace)]
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            runtime.main([str(file)])
        text = out.getvalue()
        for hint in {r["message"].split(LIKELY, 1)[1].rstrip(". ") for r in rows if r["mistake"] and LIKELY in r["message"]}:
            if text.count(hint) != 1:
                problems.append(f"{file.parent.name}: {hint!r} {text.count(hint)} times")
        stubs = {f for r in rows for f in re.findall(rf"{STUB} \(in ([\w.]+), line", r["message"])}
        if len([line for line in text.splitlines() if STUB in line]) != len(stubs):
            problems.append(f"{file.parent.name}: {STUB} lines for {sorted(stubs)}:\n{text}")
    assert not problems, "\n".join(problems)
    with contextlib.redirect_stderr(io.StringIO()):
        blank = [r for part in manifest["parts"] for r in runtime.results(part, runtime.load_submission(pack_files(name)[-1]))]
    reached = {f for r in blank for f in re.findall(rf"{STUB} \(in ([\w.]+), line \d+ of the cell starting", r["message"])}
    assert not any(r["passed"] for r in blank) and all(STUB in r["message"] for r in blank)
    assert reached and reached <= stubs_of_notebook(name) and len(reached) < len(blank), reached


KERNEL = """
from IPython.testing.globalipapp import start_ipython
shell = start_ipython()
for cell in ["import numpy as np", "def softmax(x):\\n    raise NotImplementedError()",
             "from softmax_loss_checks import check", "check('softmax', globals())"]:
    shell.run_cell(cell, store_history=True)
"""


def test_in_a_notebook_kernel_a_stub_is_named_by_its_cell_as_jupyter_shows_it(packs):
    """In an IPython kernel, does check() name the stub's cell as Jupyter does (In[2]), on one line?"""
    pytest.importorskip("IPython", reason="an IPython shell stands in for the notebook's kernel")
    done = subprocess.run([sys.executable, "-c", KERNEL], cwd=packs / "softmax_loss", capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((packs / "softmax_loss" / "softmax_loss_checks" / "manifest.json").read_text())
    checks = sum(t["part"] == "softmax" for t in manifest["tests"])
    stubs = [line.strip() for line in done.stdout.splitlines() if STUB in line]
    assert stubs == [f"- softmax (cell In[2]): not written yet, it still raises NotImplementedError; {checks} tests need it"], \
        done.stdout
