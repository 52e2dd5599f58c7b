"""``make messages``: refresh the Korean catalogues from the code, then compile them (Babel).

Each domain's template is what the code marks today: every ``_("...")`` / ``N_("...")`` literal
under the domain's folders, plus every hint (a hints.py :class:`~graders.checks.Mistake`, keyed by
its identifier). The Korean ``.po`` keeps its translations across a refresh (Babel's update: a
changed English text becomes fuzzy, a removed one obsolete), and is compiled to the ``.mo`` that
grading reads. Staff tooling: Babel comes with nbgrader; grading needs only the ``.mo`` files.

    python -m graders.messages.catalog            # refresh and compile every domain
    python -m graders.messages.catalog --check    # exit 1 if a catalogue is stale or untranslated
"""
from __future__ import annotations

import argparse
import ast
import importlib
import io
import sys
from pathlib import Path
from typing import Callable, Iterator

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from graders.messages import LOCALE, notebooks

ROOT = Path(__file__).resolve().parents[2]
SUITES = ("activations", "softmax_loss", "backprop", "softmax_dim")
Entry = tuple[str, str | None, str]  # msgid, msgctxt (a hint's identifier) or None, location

# Folders (or files) whose marked texts belong to each domain; "common" takes the rest of graders/.
FOLDERS = {name: [ROOT / "graders" / name] for name in SUITES}
FOLDERS["common"] = [ROOT / "graders", ROOT / "studentpack"]
# Extra sources of entries per domain (the notebooks' markdown registers its own here).
EXTRA: dict[str, list[Callable[[], Iterator[Entry]]]] = {}
# The notebooks' markdown cells, keyed by notebook and grade_id (graders/messages/notebooks.py).
FOLDERS["notebooks"], EXTRA["notebooks"] = [], [notebooks.entries]


def _python_files(domain: str) -> Iterator[Path]:
    others = [folder for name, folders in FOLDERS.items() if name != domain for folder in folders]
    for folder in FOLDERS[domain]:
        for path in sorted(folder.rglob("*.py")):
            # A file belongs to the most specific domain whose folder holds it.
            owner = max((f for f in FOLDERS[domain] + others if f in path.parents),
                        key=lambda f: len(f.parts), default=None)
            if owner in FOLDERS[domain] and "messages" not in path.relative_to(ROOT).parts[:2]:
                yield path


def unmarkable(path: Path) -> list[str]:
    """Calls of _() whose argument is not one string literal: gettext cannot look those up."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_"):
            if len(node.args) != 1 or not (isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _in_fstrings(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of the _() / N_() calls inside f-strings, which Babel's extractor reads as one
    string token and never looks into (``f"<th>{_('Part')}</th>"``)."""
    tree = ast.parse(path.read_text())
    for fstring in ast.walk(tree):
        if isinstance(fstring, ast.JoinedStr):
            for node in ast.walk(fstring):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_")
                        and len(node.args) == 1 and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str)):
                    yield node.lineno, node.args[0].value


def _hints(domain: str) -> Iterator[Entry]:
    if domain not in SUITES:
        return
    module = importlib.import_module(f"graders.{domain}.hints")
    for name, value in vars(module).items():
        if getattr(value, "id", None):
            yield str(value), value.id, f"graders/{domain}/hints.py"


def entries(domain: str) -> list[Entry]:
    found: list[Entry] = []
    for path in _python_files(domain):
        for lineno, message, _comments, context in extract_from_file("python", str(path), keywords=DEFAULT_KEYWORDS):
            if isinstance(message, str) and message:
                found.append((message, context, f"{path.relative_to(ROOT)}:{lineno}"))
        for lineno, message in _in_fstrings(path):
            found.append((message, None, f"{path.relative_to(ROOT)}:{lineno}"))
    found.extend(_hints(domain))
    for source in EXTRA.get(domain, []):
        found.extend(source())
    return found


def template(domain: str) -> Catalog:
    catalog = Catalog(project="backprop-lab", domain=domain)
    for message, context, location in entries(domain):
        file, _, line = location.partition(":")
        catalog.add(message, context=context, locations=[(file, int(line) if line else None)],
                    flags=["python-brace-format"] if "{" in message else [])
    return catalog


def po_path(domain: str, lang: str = "ko") -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


def refreshed(domain: str, lang: str = "ko") -> Catalog:
    path = po_path(domain, lang)
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang, domain=domain)
    else:
        catalog = Catalog(locale=lang, domain=domain, project="backprop-lab")
    created = catalog.creation_date
    catalog.update(template(domain), no_fuzzy_matching=True)
    # The template is made now, but a refresh that changes no message must change no byte: a
    # timestamp in every .po and .mo would make each developer's refresh conflict with the others'.
    catalog.creation_date = created
    return catalog


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def domain_names() -> list[str]:
    return ["common", *SUITES, *sorted(set(EXTRA) - {"common", *SUITES})]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a catalogue is stale")
    args = parser.parse_args(argv)
    problems = [f"_() needs one string literal: {where}" for d in domain_names() for p in _python_files(d)
                for where in unmarkable(p)]
    for domain in domain_names():
        catalog = refreshed(domain)
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        po, mo = po_path(domain), po_path(domain).with_suffix(".mo")
        text = io.BytesIO()
        write_po(text, catalog, width=100, omit_header=False, sort_output=False, include_previous=True)
        if args.check:
            if not mo.exists() or mo.read_bytes() != compiled(catalog):
                problems.append(f"{mo.relative_to(ROOT)} is stale: run make messages")
        else:
            po.parent.mkdir(parents=True, exist_ok=True)
            po.write_bytes(text.getvalue())
            mo.write_bytes(compiled(catalog))
        problems += [f"{domain}: no Korean for {mid!r}" for mid in missing[:5]]
        if len(missing) > 5:
            problems.append(f"{domain}: ... and {len(missing) - 5} more without Korean")
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
