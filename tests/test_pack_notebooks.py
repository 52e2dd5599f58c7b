"""The released notebooks as a student runs them: each packed notebook executed by nbclient in a
temp folder holding only the pack, in a kernel whose environment has numpy and ipykernel and
nothing of the kit, filled with a correct solution and with catalog bugs (issue 11's first
"Done when")."""
from __future__ import annotations

import ast
import html.parser
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from graders import ROOT
from graders.engine.grade import grade
from studentpack.build import PACKED

CATALOG = ROOT / "tests" / "submissions"
BUGS_PER_ASSIGNMENT = 2  # each costs a kernel start; two, in different parts, show the diagnosis reaches the cell
# The first cell of every run: the kernel must find neither the kit nor pytest, only the pack beside it.
PROBE = ("import importlib.util\n"
         "assert importlib.util.find_spec('numpy') is not None\n"
         "for name in ('graders', 'studentpack', 'reference', 'pytest'):\n"
         "    assert importlib.util.find_spec(name) is None, f'{name} is importable in the kernel'")


@pytest.fixture(scope="session")
def kernel_python(tmp_path_factory) -> Path:
    """bin/python of a venv holding only numpy and ipykernel (with what ipykernel needs; not even pip:
    this venv's pip installs into it), at the versions this venv has, so pip takes them from the
    local cache; built once per session."""
    where = tmp_path_factory.mktemp("kernel-venv")
    pins = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True)
    # Only name==version lines: a constraint may not be a link (an editable or local install).
    (where / "pins.txt").write_text("".join(line + "\n" for line in pins.stdout.splitlines()
                                            if re.fullmatch(r"[A-Za-z0-9_.\-]+==[^\s@]+", line)))
    python = where / "venv" / "bin" / "python"
    steps = [[sys.executable, "-m", "venv", "--without-pip", str(where / "venv")],
             [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-compile",
              "--disable-pip-version-check", "-c", str(where / "pins.txt"), "numpy", "ipykernel"]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            pytest.skip(f"cannot build a numpy-only kernel venv here ({' '.join(step[2:5])}...): {done.stderr[-400:]}")
    return python


@pytest.fixture(scope="session")
def kernel_spec(kernel_python, tmp_path_factory):
    """A kernelspec manager that knows one kernel, "numpy-only", run by that venv."""
    from jupyter_client.kernelspec import KernelSpecManager

    kernels = tmp_path_factory.mktemp("kernels")
    (kernels / "numpy-only").mkdir()
    (kernels / "numpy-only" / "kernel.json").write_text(json.dumps({
        "argv": [str(kernel_python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "numpy only", "language": "python"}))
    return KernelSpecManager(kernel_dirs=[str(kernels)])


def kernel_env() -> dict[str, str]:
    """The kernel's environment: this one without anything that would put the kit on its path."""
    import os

    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


def defined(stmt: ast.stmt) -> set[str]:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def fill(notebook: nbformat.NotebookNode, module: str) -> nbformat.NotebookNode:
    """The released notebook with a submission module typed into its solution cells: each cell gets
    the module's definitions of the names its stub defines, and the first one the whole module as
    well, so that every check, wherever it runs, sees the module's code as the graders do (a module
    may use, in an early class, a function the notebook asks for later)."""
    nb = nbformat.reads(nbformat.writes(notebook), as_version=4)
    cells = [c for c in nb.cells if (c.metadata.get("nbgrader") or {}).get("solution")]
    home = {name: id(cell) for cell in cells for stmt in ast.parse(cell.source).body for name in defined(stmt)}
    lines, typed = module.splitlines(), {id(c): [] for c in cells}
    for stmt in ast.parse(module).body:
        owners = {home[name] for name in defined(stmt) if name in home}
        first = min((d.lineno for d in getattr(stmt, "decorator_list", [])), default=stmt.lineno)
        for owner in owners - {id(cells[0])}:
            typed[owner].append("\n".join(lines[first - 1:stmt.end_lineno]))
    cells[0].source = module
    for cell in cells[1:]:
        cell.source = "\n\n\n".join(typed[id(cell)])
    return nb


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def shown(cell: nbformat.NotebookNode) -> str:
    """What a check cell showed, as text; an HTML output must read as exactly its text/plain."""
    text = []
    for output in cell.outputs:
        if output.output_type == "stream" and output.name == "stdout":
            text.append(output.text)
        elif output.output_type in ("display_data", "execute_result"):
            plain = output.data["text/plain"]
            if "text/html" in output.data:
                parser = _Text()
                parser.feed(output.data["text/html"])
                assert "".join(parser.parts) == plain, "the HTML report does not read as its plain text"
            text.append(plain + "\n")
    return "".join(text)


def run(nb: nbformat.NotebookNode, folder: Path, kernel_spec) -> nbformat.NotebookNode:
    """Execute the notebook in ``folder`` in the numpy-only kernel; any error in any cell fails."""
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    nb.cells.insert(0, nbformat.v4.new_code_cell(PROBE))
    km = AsyncKernelManager(kernel_name="numpy-only", kernel_spec_manager=kernel_spec)
    client = NotebookClient(nb, km=km, timeout=120, allow_errors=False, resources={"metadata": {"path": str(folder)}})
    client.execute(env=kernel_env())
    return nb


def student_folder(packs: Path, name: str, tmp_path: Path) -> Path:
    """A folder as a student unzips the pack: the notebook and NAME_checks/, nothing else."""
    folder = tmp_path / name
    shutil.copytree(packs / name, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def check_cells(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    """{part: its executed check cell}: each check cell is followed by its part's grade cell."""
    found, pending = {}, None
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader") or {}
        if "checks" in cell.metadata.get("tags", []):
            pending = cell
        elif meta.get("grade") and not meta.get("solution") and pending is not None:
            found[meta["grade_id"]], pending = pending, None
    return found


def part_points(nb: nbformat.NotebookNode) -> dict[str, float]:
    return {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"])
            for c in nb.cells if (c.metadata.get("nbgrader") or {}).get("grade")}


def public_by_part(graded: dict) -> dict[str, list[dict]]:
    """The graders' public tests of one submission by part (the JSON names a test "part: test_name")."""
    parts: dict[str, list[dict]] = {}
    for test in graded["tests"]:
        parts.setdefault(test["name"].split(": ")[0], []).append(test)
    return parts


def summary(earned: float, public: float, hidden: float) -> str:
    return (f"public checks: {earned:g} / {public:g} points; {hidden:g} more points are graded by hidden tests "
            f"after you submit")


def likely(message: str) -> str:
    return message.split("Likely mistake: ", 1)[1] if "Likely mistake: " in message else ""


def chosen_bugs(name: str) -> list[tuple[Path, dict]]:
    """A few catalog bugs that fail a public check, each in a part the others do not, with their
    public results from the graders (every failure diagnosed, so its message names the mistake)."""
    chosen, parts_seen = [], set()
    for folder in sorted((CATALOG / name / "buggy").iterdir()):
        if len(chosen) == BUGS_PER_ASSIGNMENT or not (folder / f"{name}.py").is_file():
            continue
        if set(json.loads((folder / "expect.json").read_text())["loses"]) <= parts_seen:
            continue  # it loses points only in parts already shown (grading it to see would cost time)
        graded = grade(name, folder, public_only=True)
        failing = [t for t in graded["tests"] if t["status"] != "passed"]
        parts = {t["name"].split(": ")[0] for t in failing}
        if failing and not parts & parts_seen and all(likely(t["output"]) for t in failing):
            chosen.append((folder, graded))
            parts_seen |= parts
    return chosen


@pytest.mark.parametrize("name", PACKED)
def test_correct_notebook_passes_every_check_in_a_numpy_only_kernel(name, packs, kernel_spec, tmp_path):
    """Filled with a correct style, does every check cell pass every public check and say so, with the
    points the graders give and the hidden points still to come?"""
    folder = student_folder(packs, name, tmp_path)
    correct = sorted(p for p in (CATALOG / name / "correct").iterdir() if (p / f"{name}.py").is_file())[0]
    released = nbformat.read(folder / f"{name}.ipynb", as_version=4)
    nb = run(fill(released, (correct / f"{name}.py").read_text()), folder, kernel_spec)
    points, cells = part_points(nb), check_cells(nb)
    graded = public_by_part(grade(name, correct, public_only=True))
    assert set(cells) == set(points) == set(graded)
    for part, tests in graded.items():
        public = sum(t["max_score"] for t in tests)
        assert all(t["status"] == "passed" for t in tests), f"the graders fail {correct.name} in {part}"
        text = shown(cells[part])
        assert summary(public, public, points[part] - public) in text, text
        assert "FAIL" not in text, text


@pytest.mark.parametrize("name", PACKED)
def test_buggy_notebooks_show_the_graders_diagnosis(name, packs, kernel_spec, tmp_path):
    """Filled with catalog bugs, does each check cell show the graders' likely mistake for each
    public check they fail, and the points the graders give?"""
    bugs = chosen_bugs(name)
    assert bugs, f"no catalog bug of {name} fails a public check with a diagnosis"
    for folder, graded in bugs:
        where = student_folder(packs, name, tmp_path / folder.name)
        released = nbformat.read(where / f"{name}.ipynb", as_version=4)
        nb = run(fill(released, (folder / f"{name}.py").read_text()), where, kernel_spec)
        points, cells = part_points(nb), check_cells(nb)
        for part, tests in public_by_part(graded).items():
            text = shown(cells[part])
            earned, public = sum(t["score"] for t in tests), sum(t["max_score"] for t in tests)
            assert summary(earned, public, points[part] - public) in text, f"{folder.name}, {part}:\n{text}"
            for test in tests:
                if test["status"] != "passed":
                    assert likely(test["output"]) in text, f"{folder.name}, {part}: {test['name']} not diagnosed:\n{text}"


@pytest.mark.parametrize("name", PACKED)
def test_notebook_without_its_pack_says_where_to_put_it(name, packs, kernel_spec, tmp_path):
    """Opened without NAME_checks/ beside it, does each check cell print one sentence naming the
    folder and where it goes, rather than a traceback (run() fails on any error)?"""
    (tmp_path / "alone").mkdir()
    shutil.copy(packs / name / f"{name}.ipynb", tmp_path / "alone")
    nb = run(nbformat.read(tmp_path / "alone" / f"{name}.ipynb", as_version=4), tmp_path / "alone", kernel_spec)
    cells = check_cells(nb)
    assert cells
    for part, cell in cells.items():
        text = shown(cell)
        assert text.count("\n") == 1 and text.count(". ") == 0, f"{part}: not one sentence:\n{text}"
        assert f"{name}_checks/" in text and str(tmp_path / "alone") in text, text


@pytest.mark.parametrize("name", PACKED)
def test_pack_checks_a_filled_notebook_from_the_shell(name, packs, kernel_python, tmp_path):
    """python -m NAME_checks my.ipynb in the numpy-only venv: a correct notebook passes (exit 0), a
    missing file is one sentence and exit 2."""
    folder = student_folder(packs, name, tmp_path)
    correct = sorted(p for p in (CATALOG / name / "correct").iterdir() if (p / f"{name}.py").is_file())[0]
    released = nbformat.read(folder / f"{name}.ipynb", as_version=4)
    nbformat.write(fill(released, (correct / f"{name}.py").read_text()), folder / "mine.ipynb")
    done = subprocess.run([str(kernel_python), "-m", f"{name}_checks", "mine.ipynb"], cwd=folder, env=kernel_env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    public = sum(t["max_score"] for t in grade(name, correct, public_only=True)["tests"])
    hidden = sum(part_points(released).values()) - public
    assert f"all parts: public checks {public:g} / {public:g} points; {hidden:g} more points" in done.stdout
    missing = subprocess.run([str(kernel_python), "-m", f"{name}_checks", "nowhere.ipynb"], cwd=folder,
                             env=kernel_env(), capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr


def test_html_report_escapes_what_the_student_controls_and_reads_as_the_text():
    """A message quoting student code (markup, an ampersand, a stray PASS) shown as HTML: escaped, and
    reading as exactly the plain text, which is what every other front end shows."""
    from studentpack.runtime import Shown

    text = ("softmax:\n  FAIL test_x (0 / 1)\n       your code raised ValueError: <script>alert('PASS')</script> & "
            "</pre><b>\n  PASS test_y (1 / 1)\n  public checks: 1 / 2 points; 2 more points are graded by hidden tests "
            "after you submit\n")
    report = Shown(text)
    markup = report._repr_html_()
    assert "<script>" not in markup and "</pre><b>" not in markup.split(">", 1)[1].rsplit("</pre>", 1)[0]
    parser = _Text()
    parser.feed(markup)
    assert "".join(parser.parts) == repr(report) == text.rstrip("\n")
    assert markup.count("color: #cf222e") == 1 and markup.count("color: #1a7f37") == 1
