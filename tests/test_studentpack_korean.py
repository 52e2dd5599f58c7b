"""The student pack in Korean: its catalogue holds only what its own code can show (no hidden test's
text), it shows the graders' very Korean messages, and it picks its language as the graders do
(check(part, lang=), --lang, GRADERS_LANG, the locale) with only numpy installed."""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from test_studentpack import (CATALOG, PACK_OUTCOMES, numpy_only, outcomes, run_isolated,  # noqa: F401
                              without_numbers)

from graders import ROOT
from graders.engine.grade import grade
from graders.messages import ENV, use
from graders.messages.catalog import entries
from studentpack.build import PACK_SEED, PACKED
from studentpack.extract import _targets

HANGUL = re.compile("[\uac00-\ud7a3]")


def catalogue(package: Path) -> set[tuple[str, str | None]]:
    """(msgid, msgctxt) of every Korean text the pack ships."""
    found = set()
    for mo in sorted((package / "locale" / "ko" / "LC_MESSAGES").glob("*.mo")):
        with mo.open("rb") as f:
            found |= {(m.id, m.context) for m in read_mo(f) if m.id}
    return found


def shown_by_code(package: Path, assignment: str) -> tuple[set[str], set[str]]:
    """(every string literal of the pack's .py files, the hint ids its hints.py defines)."""
    literals, hint_ids = set(), set()
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text())
        literals |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        if path.name == "hints.py":
            hint_ids |= {f"{assignment}.{name.lower()}" for stmt in tree.body for name in _targets(stmt)}
    return literals, hint_ids


def leaked(package: Path, assignment: str) -> list[tuple[str, str | None]]:
    """Entries of the shipped catalogue that no shipped code can show: a hidden test's (or its cases')
    text, or a hint only a hidden test names."""
    literals, hint_ids = shown_by_code(package, assignment)
    return sorted((m, c) for m, c in catalogue(package)
                  if (c is None and m not in literals) or (c is not None and c not in hint_ids))


def unshipped_texts(package: Path, assignment: str) -> set[tuple[str, str | None]]:
    """The suite's own texts (graders/NAME: its _() / N_() literals and hints) that the pack's code
    does not hold: those of hidden tests and of the cases only they use."""
    literals, hint_ids = shown_by_code(package, assignment)
    return {(m, c) for m, c, _where in entries(assignment)
            if (c is None and m not in literals) or (c is not None and c not in hint_ids)}


@pytest.mark.parametrize("assignment", PACKED)
def test_shipped_catalogue_holds_only_what_the_pack_can_show(packs, assignment, tmp_path):
    """Is every Korean text of the pack one its own code shows, none of the suite's hidden texts among
    them, and does the check catch a hidden text slipped into a catalogue?"""
    package = packs / assignment / f"{assignment}_checks"
    shipped = catalogue(package)
    assert len(shipped) > 20, "the pack ships Korean for its checks, hints and runtime"
    assert ("PASS", None) in shipped and any(c for _m, c in shipped), "the runtime's texts and hints ship"
    assert not leaked(package, assignment)
    hidden = unshipped_texts(package, assignment)
    assert hidden, "every suite has texts only hidden tests show: the check must see some"
    assert not hidden & shipped
    # The same check on a copy whose catalogue carries one hidden text (with some Korean) flags it.
    tampered = tmp_path / package.name
    shutil.copytree(package, tampered)
    mo = next((tampered / "locale" / "ko" / "LC_MESSAGES").glob("*.mo"))
    with mo.open("rb") as f:
        cat = read_mo(f)
    text, context = sorted(hidden, key=lambda e: (e[0], e[1] or ""))[0]
    cat.add(text, "숨은 테스트의 문장", context=context)
    with mo.open("wb") as f:
        write_mo(f, cat)
    assert leaked(tampered, assignment) == [(text, context)]


@pytest.mark.parametrize("assignment", PACKED)
def test_korean_pack_is_the_english_pack_around_the_korean_notebook(packs, assignment):
    """dist/pack/ko/NAME/: the same NAME_checks/ byte for byte, the Korean notebook (its check cells
    pass lang="ko"), and ko/NAME.zip holding exactly that folder."""
    english, korean = packs / assignment, packs / "ko" / assignment
    files = {p.relative_to(english) for p in english.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert files == {p.relative_to(korean) for p in korean.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    for path in files:
        if path.suffix != ".ipynb":
            assert (english / path).read_bytes() == (korean / path).read_bytes(), path
    notebook = (korean / f"{assignment}.ipynb").read_bytes()
    assert notebook == (ROOT / "assignments" / "ko" / assignment / f"{assignment}.ipynb").read_bytes()
    cells = [c for c in json.loads(notebook)["cells"] if "checks" in c.get("metadata", {}).get("tags", [])]
    assert cells and all(', lang="ko")' in "".join(c["source"]) for c in cells)
    with zipfile.ZipFile(packs / "ko" / f"{assignment}.zip") as z:
        assert set(z.namelist()) == {f"{assignment}/{p}" for p in files}


def test_pack_chooses_its_language_with_only_numpy(packs, numpy_only):
    """With only numpy: check(part, lang="ko") and --lang ko speak Korean, so does GRADERS_LANG=ko or a
    Korean locale alone; lang="en" wins over GRADERS_LANG, and with nothing chosen it is English."""
    pack = packs / "activations"
    buggy = str(CATALOG / "activations/buggy/relu_backward_no_mask/activations.py")
    in_cell = f"exec(open({buggy!r}).read())\nfrom activations_checks import check\ncheck('relu_layer'{{}})\n"
    module = "import runpy; runpy.run_module('activations_checks', run_name='__main__')"

    def run(code, *args, **env):
        plain = {k: v for k, v in os.environ.items() if k not in (ENV, "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
        prelude = f"import sys; sys.path[:0] = [{str(pack)!r}, {str(numpy_only)!r}]\n"
        return subprocess.run([sys.executable, "-I", "-S", "-c", prelude + code, *args], cwd=pack, env={**plain, **env},
                              capture_output=True, text=True, timeout=600)

    korean = [run(in_cell.format(", lang='ko'")), run(module, "--lang", "ko", buggy),
              run(in_cell.format(""), GRADERS_LANG="ko"), run(in_cell.format(""), LANG="ko_KR.UTF-8")]
    for done in korean:
        assert "실패 test_relu_layer_backward_matches_numerical_gradient" in done.stdout, done.stdout + done.stderr
        assert "공개 검사: 0.75 / 1.5점" in done.stdout and "고칠 점:" in done.stdout
        assert "Likely mistake" not in done.stdout and "PASS" not in done.stdout
    assert "전체 파트: 공개 검사 4.25 / 5점" in korean[1].stdout and korean[1].returncode == 1
    for done in (run(in_cell.format(", lang='en'"), GRADERS_LANG="ko"), run(in_cell.format(""))):
        assert "FAIL test_relu_layer_backward_matches_numerical_gradient" in done.stdout, done.stdout + done.stderr
        assert not HANGUL.search(done.stdout)
    unknown = run(module, "--lang", "xx", buggy)
    assert unknown.returncode == 2 and "unknown language 'xx'" in unknown.stderr


def chosen_submissions(assignment: str) -> list[Path]:
    """A correct catalog submission and a spread of buggy ones (every fourth, in name order)."""
    def folders(kind):
        return sorted(p for p in (CATALOG / assignment / kind).iterdir() if p.is_dir())
    return folders("correct")[:1] + folders("buggy")[::4]


@pytest.mark.parametrize("assignment", PACKED)
def test_korean_pack_shows_the_graders_korean_messages(packs, numpy_only, tmp_path, monkeypatch, assignment):
    """Pass or fail and the very Korean message of every public test, from the pack (only numpy, in
    Korean) and from make check's engine (grade --public-only) in Korean, on the pack's seed."""
    folders = chosen_submissions(assignment)
    files = [str(next(f for f in (d / f"{assignment}.py", d / f"{assignment}.ipynb") if f.exists())) for d in folders]
    out = tmp_path / "pack.json"
    korean = f"import {assignment}_checks.messages as messages\nmessages.use('ko')\n"
    done = run_isolated(numpy_only, packs / assignment, korean + PACK_OUTCOMES.format(name=assignment), str(out), *files)
    assert done.returncode == 0, done.stderr
    from_pack = json.loads(out.read_text())
    monkeypatch.setenv(ENV, "ko")  # anything grading starts speaks Korean too
    use("ko")
    try:
        graded = [grade(assignment, folder, seed=PACK_SEED, public_only=True) for folder in folders]
    finally:
        monkeypatch.delenv(ENV)
        use(None)
    disagree, failed = [], []
    for folder, file, result in zip(folders, files, graded):
        assert result["language"] == "ko"
        for name, (ok, message) in outcomes(result).items():
            passed, mine, drew = from_pack[file][name]
            if drew:  # the student's code drew from numpy's global generator: numbers differ run to run
                message, mine = without_numbers(message), without_numbers(mine)
            if (passed, mine) != (ok, message):
                disagree.append(f"{folder.name} {name}: pack {(passed, mine)}; make check {(ok, message)}")
            if not ok:
                failed.append(message)
    assert failed and all(HANGUL.search(m) for m in failed), "the chosen mistakes fail public checks, in Korean"
    assert not disagree, "\n".join(disagree)


def test_korean_notebooks_check_cell_speaks_korean_with_only_numpy(packs, numpy_only):
    """The Korean notebook's own check cell, run as its kernel runs it (after a correct solution's
    code), beside its pack: Korean PASS lines and total, and the HTML a kernel shows marks them."""
    pack = packs / "ko" / "activations"
    cell = next("".join(c["source"]) for c in json.loads((pack / "activations.ipynb").read_text())["cells"]
                if "checks" in c.get("metadata", {}).get("tags", []))
    solution = CATALOG / "activations/correct/book_style_naive_sigmoid/activations.py"
    html = ("from activations_checks import _runtime\n"
            "print(_runtime.Shown('  실패 test_x (0 / 1)\\n  공개 검사: 0 / 1점. x')._repr_html_())\n")
    done = run_isolated(numpy_only, pack, f"exec(open({str(solution)!r}).read())\n" + cell + "\n" + html)
    assert done.returncode == 0, done.stderr
    assert "통과 test_" in done.stdout and "공개 검사: " in done.stdout and "PASS" not in done.stdout
    assert '<b style="color: #cf222e">실패</b> test_x' in done.stdout and "<b>  공개 검사: 0 / 1점. x</b>" in done.stdout
