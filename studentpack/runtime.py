"""The public checks' runtime, shipped in every pack as NAME_checks/_runtime.py (pure numpy).

It stands in for what pytest and the grading side give a grader test: the ``student`` (here the
student's own code, run in this process: it is their machine; _student.py), the ``ref`` (values
recorded from the reference at release time, looked up by the exact input, or for an object of the
reference's by its history of calls; _recorded.py; no reference code ships) and the ``rng`` (seeded
from the pack's own seed, which is not the grading seed).
"""
from __future__ import annotations

import functools
import inspect
import json
import linecache
import sys
import types
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from . import _student, diagnoses  # diagnoses: graders/diagnoses.py (pure Python), copied into the pack
from .messages import _, use  # graders/messages/__init__.py, with the pack's own catalogue (studentpack.build)
from ._recorded import NotRecorded, Recorded
from ._student import MissingName, Student, StudentError  # noqa: F401 - the cut checks import them from here

HERE = Path(__file__).resolve().parent


def oracle(name: str):
    """A grading-side helper that computes a right answer, as recorded values (see studentpack.build)."""
    def lookup(*args, **kwargs):
        return getattr(load_pack()[1], f"oracle:{name}")(*args, **kwargs)
    return lookup


def rng_for(seed: int, nodeid: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(nodeid.encode())])


def node_id(assignment: str, module: str, name: str) -> str:
    """The test's pytest node id as the graders run it (rootdir graders/): with the pack's seed, the
    graders draw the very inputs the pack draws."""
    return f"{assignment}/{module}.py::{name}"


@functools.lru_cache(maxsize=None)
def load_pack():
    manifest = json.loads((HERE / "manifest.json").read_text())
    with np.load(HERE / "expected.npz") as data:
        values = {key: data[key] for key in data.files}
    return manifest, Recorded(values, manifest["kinds"])


class Outcome(tuple):
    """(passed, message) of one check, as a pair; ``mistake`` is the id of the diagnosed mistake the
    message names, or None (a pair still, so every caller that unpacks two keeps working)."""

    mistake: str | None

    def __new__(cls, passed: bool, message: str, mistake: str | None = None) -> "Outcome":
        made = super().__new__(cls, (passed, message))
        made.mistake = mistake
        return made


def run_test(fn, student, ref, rng) -> Outcome:
    fixtures = {"student": student, "ref": ref, "rng": rng}
    kwargs = {p: fixtures[p] for p in inspect.signature(fn).parameters}
    try:
        fn(**kwargs)
        return Outcome(True, "")
    except AssertionError as exc:
        return Outcome(False, str(exc.args[0]) if exc.args else _("a check failed"), getattr(exc, "mistake", None))
    except _student.StudentError as exc:  # build.record swaps in the graders' own while recording
        return Outcome(False, _("your code raised {error}").format(error=exc))
    except NotRecorded as exc:
        return Outcome(False, _("this check could not run on your values ({reason})").format(reason=exc))
    except Exception as exc:  # noqa: BLE001 - as the graders word it (graders.plugin.student_message)
        return Outcome(False, _("the grader could not check this ({kind}: {reason})").format(kind=type(exc).__name__,
                                                                                            reason=exc))


def results(part: str, namespace: dict) -> list[dict]:
    """Each public check of one part on the student's names: name, points, passed, message, the
    diagnosed mistake's id (or None) and the part."""
    import importlib

    manifest, ref = load_pack()
    if part not in manifest["parts"]:
        raise ValueError(_("no part {part!r}; the parts are {parts}").format(part=part, parts=", ".join(manifest["parts"])))
    student, done = Student(namespace), []
    for test in manifest["tests"]:
        if test["part"] == part:
            module = importlib.import_module(f"{__package__}.{test['module']}")
            rng = rng_for(manifest["seed"], node_id(manifest["assignment"], test["module"], test["name"]))
            outcome = run_test(getattr(module, test["name"]), student, ref, rng)
            done.append({"name": test["name"], "points": test["points"], "passed": outcome[0], "message": outcome[1],
                         "mistake": getattr(outcome, "mistake", None), "part": part})
    return done


def check(part: str, namespace: dict | None = None, *, out=None, rows: list | None = None,
          lang: str | None = None) -> tuple[float, float]:
    """Run the public checks of one part on the student's names (the notebook's, by default) and
    print each, what to fix (each diagnosis once, with the checks where it showed), then the points.
    Returns (points earned, public points). Given ``rows``, the checks are added to it and what to
    fix is left to the caller, which groups several parts at once. Everything is in ``lang`` ("en",
    "ko"), else GRADERS_LANG's language, else the locale's, else English (messages.use)."""
    out = out or sys.stdout
    use(lang)
    manifest = load_pack()[0]
    done = results(part, namespace if namespace is not None else vars(sys.modules["__main__"]))
    earned = sum(r["points"] for r in done if r["passed"])
    public = sum(r["points"] for r in done)
    print(f"{part}:", file=out)
    for r in done:
        print(f"  {_('PASS') if r['passed'] else _('FAIL')} {r['name']} ({r['points'] if r['passed'] else 0:g} / "
              f"{r['points']:g})", file=out)
    if rows is None:
        _what_to_fix(done, out, "  ")
    else:
        rows.extend(done)
    hidden = manifest["parts"][part] - public
    print("  " + _("public checks: {score} / {max_score} points; {hidden} more points are graded by hidden tests "
                   "after you submit").format(score=f"{earned:g}", max_score=f"{public:g}", hidden=f"{hidden:g}"),
          file=out)
    return earned, public


def _what_to_fix(done: list[dict], out, indent: str) -> None:
    found = diagnoses.group(done)  # each mistake once, with the checks where it showed
    if found:
        print(indent + _("What to fix:"), file=out)
        for line in diagnoses.text_lines(found, indent=indent + "  "):
            print(line, file=out)


def load_submission(path: Path) -> dict:
    """The names a NAME.py or NAME.ipynb defines (its code cells run in order, shell lines and the
    notebook's own check cells skipped; a cell that raises is reported by its first line, as the
    graders report it, and the rest still run)."""
    sources = []  # (the cell's position among all the notebook's cells, 0 for a module; code)
    if path.suffix == ".ipynb":
        cells = [(i, c) for i, c in enumerate(json.loads(path.read_text())["cells"], 1) if c.get("cell_type") == "code"]
        for index, cell in cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if (meta.get("grade") and not meta.get("solution")) or "checks" in cell.get("metadata", {}).get("tags", []):
                continue  # grade cells and the notebook's own check cells: these checks replace them
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            # Magic and shell lines become blank lines, so line numbers stay the graders' (and the notebook's).
            lines = [] if text.lstrip().startswith("%%") else \
                ["" if line.lstrip().startswith(("%", "!")) else line for line in text.splitlines()]
            sources.append((index, "\n".join(lines)))
    else:
        sources.append((0, path.read_text()))
    module = types.ModuleType(path.stem)
    for index, source in sources:
        filename = f"{_student.STUDENT_FILE}:{index}"
        # In linecache, as the graders' loader puts it, so a location quotes the line and names the cell.
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        try:
            exec(compile(source, filename, "exec"), module.__dict__)
        except Exception as exc:
            where = _student.student_line(exc) or (diagnoses.cell_named(diagnoses.first_code_line(source))
                                                   if index else "the module")
            print(f"{path.name}: {type(exc).__name__}: {exc} ({where})", file=sys.stderr)
    return module.__dict__


class Shown:
    """What a check cell shows: the report as plain text (every front end and the shell) and, where the
    front end renders HTML (classic Notebook, JupyterLab, VS Code), the same text wrapped for the page:
    long diagnoses wrap instead of scrolling, PASS and FAIL in colour. Only markup is added, so the
    HTML reads as the same text, and every character of the report is escaped (it quotes student code)."""

    def __init__(self, text: str):
        self.text = text.rstrip("\n")

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        import html

        lines = []
        # The marks and the summary as check() wrote them, in the language it wrote them in.
        marks = {html.escape(_("PASS"), quote=False): "#1a7f37", html.escape(_("FAIL"), quote=False): "#cf222e"}
        summary = _("public checks: {score} / {max_score} points; {hidden} more points are graded by hidden tests "
                    "after you submit").partition("{")[0]
        for line in self.text.split("\n"):
            escaped = html.escape(line, quote=False)
            mark = next((m for m in marks if escaped.lstrip().startswith(m + " ")), None)
            if mark is not None:
                at = escaped.index(mark)
                escaped = f'{escaped[:at]}<b style="color: {marks[mark]}">{mark}</b>{escaped[at + len(mark):]}'
            elif line.lstrip().startswith(summary):
                escaped = f"<b>{escaped}</b>"
            lines.append(escaped)
        return ('<pre style="white-space: pre-wrap; overflow-wrap: anywhere; margin: 0">' + "\n".join(lines)
                + "</pre>")


def _shell():
    """The IPython shell this runs in, or None (plain python: no IPython is imported for it)."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    return get() if get is not None else None


def show(text: str) -> None:
    """Show a report: displayed as text and HTML in an IPython kernel, printed anywhere else."""
    shell = _shell()
    if shell is None:
        print(text, end="" if text.endswith("\n") else "\n")
        return
    from IPython.display import display

    display(Shown(text))


def notebook_check(part: str, namespace: dict | None = None, **options) -> None:
    """check() as a notebook cell calls it: the report shown as a whole (text, or text and HTML in a
    kernel), with no value left over for Jupyter to print as the cell's result. The student's own
    prints, made while their code runs, go out as they happen, before the report. Other keywords
    (lang="ko", as the Korean notebook's check cells pass it) go to check() as they are."""
    import io

    report = io.StringIO()
    check(part, namespace, out=report, **options)
    show(report.getvalue())


def main(argv: list[str] | None = None) -> int:
    """python -m NAME_checks [--lang ko] NOTEBOOK.ipynb|MODULE.py: every part's public checks, then the
    total. Exit 0 when every public check passes, 1 when one fails, 2 on misuse (one sentence, no traceback)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = None
    if len(argv) == 3 and "--lang" in argv[:2]:  # --lang ko FILE, or FILE --lang ko
        at = argv.index("--lang")
        lang, argv = argv[at + 1], argv[:at] + argv[at + 2:]
    elif len(argv) == 2 and argv[0].startswith("--lang="):
        lang, argv = argv[0].partition("=")[2], argv[1:]
    try:
        use(lang)
    except ValueError as exc:  # an unknown language, named with the known ones
        print(f"{__package__}: {exc}", file=sys.stderr)
        return 2
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print(f"usage: python -m {__package__} [--lang en|ko] NOTEBOOK.ipynb|MODULE.py", file=sys.stderr)
        return 2
    path = Path(argv[0])
    if not path.is_file() or path.suffix not in (".ipynb", ".py"):
        print(f"{__package__}: " + _("{path} is not a notebook (.ipynb) or a module (.py) file").format(path=path),
              file=sys.stderr)
        return 2
    manifest = load_pack()[0]
    try:
        namespace = load_submission(path)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:  # json's errors are ValueErrors
        print(f"{__package__}: " + _("could not read {path} as a notebook ({kind}: {reason})").format(
            path=path, kind=type(exc).__name__, reason=exc), file=sys.stderr)
        return 2
    earned, public, rows = 0.0, 0.0, []
    for part in manifest["parts"]:
        e, p = check(part, namespace, rows=rows, lang=lang)
        earned, public = earned + e, public + p
    _what_to_fix([{**r, "name": f"{r['part']}: {r['name']}"} for r in rows], sys.stdout, "")  # a mistake of two parts once
    total = sum(manifest["parts"].values())
    print(_("all parts: public checks {score} / {max_score} points; {hidden} more points are graded by hidden tests "
            "after you submit").format(score=f"{earned:g}", max_score=f"{public:g}", hidden=f"{total - public:g}"))
    return 0 if earned == public else 1
