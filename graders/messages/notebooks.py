"""The student notebooks in another language: the released English notebook, each markdown cell
replaced by its translation from the ``notebooks`` gettext domain, every code cell kept as it is.

    python -m graders.messages.notebooks [NAME ...] [--lang ko]   (make release runs it after reference/release.py)

A markdown cell's key is ``NAME.ipynb#GRADE_ID`` (the msgctxt; the English text is the msgid).
The grade_id is the cell's nbgrader identifier, written by the author in reference/NAME/NAME.py:
unique in its notebook (nbgrader insists), untouched by a change of wording, and the cell id too
(release.py derives the id from it). A reworded English cell becomes fuzzy in notebooks.po
(``make messages``) and stays English here, named in a warning, until it is translated again.

The translation goes to ``assignments/ko/NAME/NAME.ipynb``: a folder per language, the file name
unchanged. nbgrader knows a notebook by its file name: ``nbgrader autograde`` skips a
``NAME.ko.ipynb`` as an unknown notebook, while a Korean ``NAME.ipynb`` is the gradebook's notebook
with the same grade cells, ids and points, so either language is graded as it is (by nbgrader and
by ``python -m graders``, which looks for NAME.ipynb). A course releases it with nbgrader's own
``--CourseDirectory.release_directory=assignments/ko``, and the English folder keeps one notebook.

Locked cells carry nbgrader's checksum of their text: each translated cell gets its own, so
``nbgrader validate`` does not report a Korean notebook as tampered with (autograde puts the
gradebook's English text back into locked cells anyway, which changes no score). The only code
that may differ is a public check cell (tagged ``checks``, never graded) that calls the student
pack's ``check("part")``: it passes the language, once the pack's ``check`` takes ``lang``.
"""
from __future__ import annotations

import argparse
import copy
import gettext
import inspect
import os
import re
import sys
import textwrap
from pathlib import Path
from typing import Iterator

from graders import ASSIGNMENTS, ROOT
from graders.messages import LANGS, LOCALE

DOMAIN = "notebooks"
CHECK_TAG = "checks"
_CHECK_CALL = re.compile(r"""\bcheck\((["'][A-Za-z0-9_]+["'])\)""")
# The words of a packed assignment's check cell (reference/release.py writes the cell with them),
# so a Korean notebook's check cell speaks Korean too: its comment and the sentence shown when the
# pack's folder is missing. Keyed by CHECK_CONTEXT in the notebooks domain.
CHECK_CONTEXT = "check-cell"
CHECK_COMMENT = ("Public checks: run this cell. Each check says what it tried and, when it fails, what went "
                 "wrong and the likely mistake; they come in the folder {package}/ beside this notebook.")
NO_PACK = ("The public checks need the folder {package}/ that comes with this notebook in {name}.zip: put it "
           "in {folder}, the folder this notebook runs in, then run this cell again.")


def context(name: str, grade_id: str) -> str:
    """The msgctxt of a markdown cell: which notebook, which cell."""
    return f"{name}.ipynb#{grade_id}"


def _grade_id(cell) -> str | None:
    return (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")


def entries() -> Iterator[tuple[str, str, str]]:
    """(English text, msgctxt, location) of every markdown cell of every reference notebook:
    graders.messages.catalog's extractor of the ``notebooks`` domain."""
    import jupytext

    for text in (CHECK_COMMENT, NO_PACK):
        yield text, CHECK_CONTEXT, "graders/messages/notebooks.py"
    for name in ASSIGNMENTS:
        source = ROOT / "reference" / name / f"{name}.py"
        if not source.is_file():
            continue
        lines = source.read_text(encoding="utf-8").splitlines()
        for cell in jupytext.read(source, fmt="py:percent").cells:
            grade_id = _grade_id(cell)
            if cell.cell_type != "markdown" or not cell.source.strip():
                continue
            if not grade_id:
                raise ValueError(f"reference/{name}/{name}.py: a markdown cell has no nbgrader grade_id to key it")
            marker = f'"grade_id": "{grade_id}"'
            line = next((i for i, text in enumerate(lines, 1) if text.startswith("# %%") and marker in text), 0)
            yield cell.source, context(name, grade_id), f"reference/{name}/{name}.py:{line}"


def check_cell(name: str, part: str, words: gettext.NullTranslations | None = None) -> str:
    """The check cell of ``part`` in packed assignment ``name`` (reference/release.py writes the English
    one): without the pack beside the notebook it says in one sentence where to put it, no traceback;
    grading skips the cell (it is tagged "checks"). ``words`` gives its comment and sentence in
    another language; the code is the same."""
    words = words or gettext.NullTranslations()
    package = f"{name}_checks"
    comment = words.pgettext(CHECK_CONTEXT, CHECK_COMMENT).format(package=package)
    no_pack = words.pgettext(CHECK_CONTEXT, NO_PACK).format(package=package, name=f"{name}", folder="{os.getcwd()}")
    quoted = no_pack.replace("\\", "\\\\").replace('"', '\\"')
    return ("".join(f"# {line}\n" for line in textwrap.wrap(comment, 110)) +
            "import importlib.util, os\n"
            "importlib.invalidate_caches()  # finds the folder even if it was put there after the kernel started\n"
            f"if importlib.util.find_spec(\"{package}\") is None:\n"
            f"    print(f\"{quoted}\")\n"
            "else:\n"
            f"    from {package} import check\n"
            f"    check(\"{part}\")")


def catalogue(lang: str) -> gettext.NullTranslations:
    """The compiled ``notebooks`` domain of ``lang`` (no translation at all if it has none)."""
    path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as f:
        return gettext.GNUTranslations(f)


def pack_takes_lang() -> bool:
    """Whether the student pack's check() has a ``lang`` keyword (then check cells pass it)."""
    from studentpack import runtime

    return "lang" in inspect.signature(runtime.check).parameters


def translated(nb, name: str, lang: str, words: gettext.NullTranslations, *, pass_lang: bool = False):
    """A copy of notebook ``nb`` (assignment ``name``) in ``lang``, and the grade ids of the markdown
    cells that have no translation (left in English)."""
    from nbgrader.utils import compute_checksum

    nb = copy.deepcopy(nb)
    missing = []
    for cell in nb.cells:
        before = cell.source
        if cell.cell_type == "markdown" and before.strip():
            grade_id = _grade_id(cell)
            cell.source = words.pgettext(context(name, grade_id), before) if grade_id else before
            if cell.source == before:
                missing.append(grade_id or cell.get("id", "?"))
        elif cell.cell_type == "code" and CHECK_TAG in cell.metadata.get("tags", []):
            called = _CHECK_CALL.search(before)
            if called and before == check_cell(name, called.group(1)[1:-1]):  # the one release.py writes
                cell.source = check_cell(name, called.group(1)[1:-1], words)
            if pass_lang:
                cell.source = _CHECK_CALL.sub(lambda m: f'check({m.group(1)}, lang="{lang}")', cell.source)
        checksum = (cell.metadata.get("nbgrader") or {}).get("checksum")
        if cell.source != before and checksum:
            cell.metadata.nbgrader.checksum = compute_checksum(cell)
    return nb, missing


def release_one(name: str, lang: str, *, release_dir: Path, pass_lang: bool) -> tuple[Path, list[str]]:
    """release_dir/NAME/NAME.ipynb translated into release_dir/LANG/NAME/NAME.ipynb (replaced by
    an atomic rename); the written path and the cells left in English."""
    import nbformat

    english = nbformat.read(release_dir / name / f"{name}.ipynb", as_version=4)
    nb, missing = translated(english, name, lang, catalogue(lang), pass_lang=pass_lang)
    target = release_dir / lang / name / f"{name}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.part")
    # nbgrader writes the English release with nbformat.write: the same writer, the same bytes.
    part.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    os.replace(part, target)
    return target, missing


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m graders.messages.notebooks", description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", metavar="NAME", help="assignments (default: every released one)")
    p.add_argument("--lang", default="ko", choices=[lang for lang in LANGS if lang != "en"])
    p.add_argument("--release-dir", type=Path, default=ROOT / "assignments",
                   help="where the English NAME/NAME.ipynb are (default: assignments/); LANG/NAME/ goes inside")
    args = p.parse_args(argv)
    unknown = sorted(set(args.names) - set(ASSIGNMENTS))
    if unknown:
        p.error(f"unknown assignment(s): {', '.join(unknown)}")
    names = [n for n in ASSIGNMENTS if n in (args.names or ASSIGNMENTS)
             and (args.release_dir / n / f"{n}.ipynb").is_file()]
    pass_lang = pack_takes_lang()
    for name in names:
        path, missing = release_one(name, args.lang, release_dir=args.release_dir, pass_lang=pass_lang)
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"translated {shown}")
        if missing:
            print(f"warning: {shown}: no {args.lang} text for {', '.join(missing)} (left in English): "
                  f"translate them in graders/messages/locale/{args.lang}/LC_MESSAGES/{DOMAIN}.po, then make messages "
                  "and make release", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
