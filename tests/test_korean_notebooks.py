"""make release's Korean notebooks (assignments/ko/NAME/NAME.ipynb): the English release's code and
rubric, every markdown cell in Korean, and never out of date."""
from __future__ import annotations

import gettext
import json
import re
import shutil
from collections import Counter

import nbformat
import pytest
from nbgrader.utils import compute_checksum

from graders import ASSIGNMENTS, ROOT
from graders.messages import notebooks

PRESENT = [n for n in ASSIGNMENTS if (ROOT / "assignments" / n / f"{n}.ipynb").is_file()]
MATH = re.compile(r"\$\$.+?\$\$|\$.+?\$", re.S)
CODE = re.compile(r"`[^`]+`", re.S)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_'-]+")


def english_path(name):
    return ROOT / "assignments" / name / f"{name}.ipynb"


def korean_path(name):
    return ROOT / "assignments" / "ko" / name / f"{name}.ipynb"


def cells(path) -> list[dict]:
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make release` and commit it")
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def text_of(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def code_of(source: str) -> str:
    """A check cell's code without its words: comment lines out, the printed sentence a marker."""
    kept = [line for line in source.splitlines() if not line.lstrip().startswith("#")]
    return re.sub(r'print\(f"(?:[^"\\]|\\.)*"\)', 'print(SENTENCE)', "\n".join(kept))


def pairs(name):
    en, ko = cells(english_path(name)), cells(korean_path(name))
    assert [c["id"] for c in ko] == [c["id"] for c in en], f"{name}: the two notebooks' cells differ"
    return list(zip(en, ko))


def spans(text) -> tuple[Counter, Counter, str]:
    """(maths, code spans, the prose left when both are taken out)."""
    maths = MATH.findall(text)
    rest = MATH.sub(" ", text)
    code = CODE.findall(rest)
    return Counter(maths), Counter(code), CODE.sub(" ", rest)


@pytest.mark.parametrize("name", PRESENT)
def test_code_cells_are_the_english_ones(name):
    """Is every code cell of the Korean notebook the English one, character for character (a check
    cell may only pass lang="ko" to the student pack's check)?"""
    for en, ko in pairs(name):
        assert ko["cell_type"] == en["cell_type"]
        if en["cell_type"] != "code":
            continue
        if text_of(ko) != text_of(en):
            assert "checks" in en["metadata"].get("tags", []), f"{name}: code cell {en['id']} differs"
            assert code_of(text_of(ko).replace(', lang="ko")', ")")) == code_of(text_of(en)), \
                f"{name}: check cell {en['id']} differs in its code"
            assert HANGUL.search(text_of(ko)), f"{name}: check cell {en['id']} changed but says nothing in Korean"
        assert {k: v for k, v in ko.items() if k not in ("source", "metadata")} == \
               {k: v for k, v in en.items() if k not in ("source", "metadata")}


@pytest.mark.parametrize("name", PRESENT)
def test_same_rubric_for_nbgrader(name):
    """Do both notebooks carry the same nbgrader cells (grade ids, points, grade/solution/locked) and
    tags, under the same file name, so nbgrader's gradebook takes either as notebook NAME?"""
    assert korean_path(name).name == english_path(name).name
    for en, ko in pairs(name):
        meta_en, meta_ko = dict(en["metadata"]), dict(ko["metadata"])
        nb_en, nb_ko = dict(meta_en.pop("nbgrader")), dict(meta_ko.pop("nbgrader"))
        nb_en.pop("checksum"), nb_ko.pop("checksum")
        assert (nb_ko, meta_ko) == (nb_en, meta_en), f"{name}: cell {en['id']}'s metadata differs"
    points = [(c["metadata"]["nbgrader"]["grade_id"], c["metadata"]["nbgrader"].get("points"))
              for c in cells(korean_path(name)) if c["metadata"]["nbgrader"].get("grade")]
    assert points and points == [(c["metadata"]["nbgrader"]["grade_id"], c["metadata"]["nbgrader"].get("points"))
                                 for c in cells(english_path(name)) if c["metadata"]["nbgrader"].get("grade")]


@pytest.mark.parametrize("name", PRESENT)
def test_checksums_are_nbgraders_own(name):
    """Does every cell's nbgrader checksum match its text, so `nbgrader validate` finds no locked
    cell changed in a Korean notebook as released?"""
    for cell in nbformat.read(korean_path(name), as_version=4).cells:
        assert cell.metadata.nbgrader.checksum == compute_checksum(cell), f"{name}: {cell.id}'s checksum is stale"


@pytest.mark.parametrize("name", PRESENT)
def test_every_markdown_cell_is_korean(name):
    """Is each markdown cell Korean (every paragraph with words in it holds Hangul; few Latin words
    are left outside maths and code), with the English cell's maths and code spans all kept?"""
    for en, ko in pairs(name):
        if en["cell_type"] != "markdown":
            continue
        en_maths, en_code, en_prose = spans(text_of(en))
        ko_maths, ko_code, ko_prose = spans(text_of(ko))
        where = f"{name}: markdown cell {en['id']}"
        assert ko_maths == en_maths, f"{where}: maths changed: {(en_maths - ko_maths) + (ko_maths - en_maths)}"
        assert not en_code - ko_code, f"{where}: code spans lost: {en_code - ko_code}"
        for block in re.split(r"\n\s*\n|\n(?=- )", ko_prose):
            if len(LATIN_WORD.findall(block)) >= 3:
                assert HANGUL.search(block), f"{where}: a paragraph is still English: {block.strip()[:120]!r}"
        # Names (numpy, float64, PyTorch, Affine...) stay in Latin letters; the sentences do not.
        assert len(LATIN_WORD.findall(ko_prose)) <= len(LATIN_WORD.findall(en_prose)) // 4, \
            f"{where}: too many English words left: {LATIN_WORD.findall(ko_prose)}"


@pytest.mark.parametrize("name", PRESENT)
def test_korean_release_is_up_to_date(name, tmp_path):
    """Is assignments/ko/NAME/NAME.ipynb byte for byte what `make release` makes now from the English
    release and notebooks.mo? (tests/test_release.py checks the English release against reference/.)"""
    shutil.copytree(english_path(name).parent, tmp_path / name)
    made, missing = notebooks.release_one(name, "ko", release_dir=tmp_path, pass_lang=notebooks.pack_takes_lang())
    assert not missing, f"{name}: no Korean for {missing}: translate them in notebooks.po, then make messages"
    assert made.read_bytes() == korean_path(name).read_bytes(), (
        f"assignments/ko/{name}/{name}.ipynb is stale: run `make release` and commit it")


class _OneChanged(gettext.NullTranslations):
    """The Korean catalogue with one cell's text changed, as after an edit of notebooks.po."""

    def __init__(self, key, real):
        super().__init__()
        self.key, self.real = key, real

    def pgettext(self, context, message):
        text = self.real.pgettext(context, message)
        return text + "\n\n(고침)" if context == self.key else text


def test_stale_check_sees_an_out_of_date_korean_notebook(tmp_path, monkeypatch):
    """Does the up-to-date check fail when the English code changed, or a translation did, since the
    Korean notebook was made?"""
    name = PRESENT[0]
    committed = korean_path(name).read_bytes()
    shutil.copytree(english_path(name).parent, tmp_path / name)
    english = nbformat.read(tmp_path / name / f"{name}.ipynb", as_version=4)
    code = next(c for c in english.cells if c.cell_type == "code")
    code.source += "\n# changed"
    nbformat.write(english, tmp_path / name / f"{name}.ipynb")
    made, _ = notebooks.release_one(name, "ko", release_dir=tmp_path, pass_lang=False)
    assert made.read_bytes() != committed
    shutil.copy(english_path(name), tmp_path / name / f"{name}.ipynb")
    first_md = next(c for c in english.cells if c.cell_type == "markdown")
    changed = _OneChanged(notebooks.context(name, first_md.id), notebooks.catalogue("ko"))
    monkeypatch.setattr(notebooks, "catalogue", lambda lang: changed)
    made, _ = notebooks.release_one(name, "ko", release_dir=tmp_path, pass_lang=False)
    assert made.read_bytes() != committed and "(고침)" in made.read_text(encoding="utf-8")


def test_without_translations_the_step_changes_nothing(tmp_path):
    """With an empty catalogue, is the "translated" notebook the English one byte for byte (the step
    rewrites no code, no metadata, no formatting), every markdown cell reported as missing?"""
    name = PRESENT[0]
    english = nbformat.read(english_path(name), as_version=4)
    same, missing = notebooks.translated(english, name, "ko", gettext.NullTranslations())
    assert nbformat.writes(same) + "\n" == english_path(name).read_text(encoding="utf-8")
    assert missing == [c.metadata.nbgrader.grade_id for c in english.cells if c.cell_type == "markdown"]


def test_check_cells_pass_the_language_to_the_pack():
    """With a pack whose check() takes lang, does a check cell's check("part") get lang="ko" (and a
    fresh checksum), while a code cell that is not a check cell stays as it is?"""
    def cell(source, tags):
        made = nbformat.v4.new_code_cell(source, id=f"c{len(tags)}")
        made.metadata = {"tags": tags, "nbgrader": {"grade_id": f"c{len(tags)}", "locked": True, "grade": False,
                                                    "solution": False, "schema_version": 3, "checksum": "old"}}
        return made
    nb = nbformat.v4.new_notebook(cells=[cell('from p import check\ncheck("sigmoid")', ["checks"]),
                                         cell('check("sigmoid")', [])])
    out, _ = notebooks.translated(nb, "activations", "ko", gettext.NullTranslations(), pass_lang=True)
    assert out.cells[0].source == 'from p import check\ncheck("sigmoid", lang="ko")'
    assert out.cells[0].metadata.nbgrader.checksum == compute_checksum(out.cells[0])
    assert out.cells[1].source == 'check("sigmoid")' and out.cells[1].metadata.nbgrader.checksum == "old"
    kept, _ = notebooks.translated(nb, "activations", "ko", gettext.NullTranslations(), pass_lang=False)
    assert kept.cells[0].source == nb.cells[0].source


def test_make_messages_extracts_every_markdown_cell():
    """Does the notebooks domain's extractor (registered with make messages) list every markdown cell
    of every released notebook, keyed by notebook and grade id, with the English text?"""
    from graders.messages import catalog

    assert notebooks.entries in catalog.EXTRA["notebooks"]
    found = {context: text for text, context, _ in notebooks.entries() if context != notebooks.CHECK_CONTEXT}
    wanted = {notebooks.context(n, c["metadata"]["nbgrader"]["grade_id"]): text_of(c)
              for n in PRESENT for c in cells(english_path(n)) if c["cell_type"] == "markdown"}
    assert found == wanted


@pytest.mark.parametrize("name", PRESENT)
def test_korean_check_cell_without_its_pack_says_where_to_put_it_in_korean(name, tmp_path, monkeypatch, capsys):
    """Run where no NAME_checks folder is, does the Korean check cell print one Korean sentence
    naming the folder (and the English one the English sentence), with no traceback?"""
    monkeypatch.chdir(tmp_path)
    import sys
    from pathlib import Path

    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", ".")])
    for module in [m for m in sys.modules if m.split(".")[0] == f"{name}_checks"]:  # a pack another test loaded
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if not (Path(p) / f"{name}_checks").exists()])
    for path, hangul in ((korean_path(name), True), (english_path(name), False)):
        check_cells = [c for c in cells(path) if "checks" in c["metadata"].get("tags", [])]
        assert check_cells, f"{name}: no check cell"
        exec(compile(text_of(check_cells[0]), "check cell", "exec"), {})
        said = capsys.readouterr().out
        assert f"{name}_checks/" in said and str(tmp_path) in said
        assert bool(HANGUL.search(said)) is hangul, said
