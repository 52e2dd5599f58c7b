"""python -m graders grade --format text|json|md|gradescope, and --json OUT beside it."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from graders import ROOT

BUGGY = ROOT / "tests" / "submissions" / "softmax_loss" / "buggy" / "softmax_no_max_shift"


def grade(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graders", "grade", "softmax_loss", str(BUGGY), *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """--json OUT with --format json: the file and what was printed."""
    out = tmp_path_factory.mktemp("fmt") / "r.json"
    done = grade("--json", out, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text()), json.loads(done.stdout)


def test_json_format_prints_the_file_written(written):
    """Is --format json exactly the contract's JSON that --json wrote?"""
    saved, printed = written
    assert printed == saved and saved["score"] < saved["max_score"]


@pytest.mark.parametrize("fmt, shows", [
    ("text", ["FAIL", "Likely mistake"]),
    ("md", ["| part | score | tests passed |", "What to fix:", "Likely mistake"]),
])
def test_text_and_md_show_the_messages_of_failed_tests(fmt, shows):
    """Do text and md print each failed test's diagnosis, not only the score?"""
    done = grade("--format", fmt)
    assert done.returncode == 0, done.stderr
    assert all(s in done.stdout for s in shows), done.stdout[:1000]


def test_gradescope_format_maps_visibility_and_status():
    """Does --format gradescope give 'visible' public tests, hidden ones as chosen, only passed/failed?"""
    done = grade("--format", "gradescope", "--hidden-visibility", "after_due_date")
    results = json.loads(done.stdout)
    assert {t["visibility"] for t in results["tests"]} == {"visible", "after_due_date"}
    assert {t["status"] for t in results["tests"]} <= {"passed", "failed"}


def test_public_only_grades_only_public_checks(written):
    """Does --public-only drop every hidden test?"""
    saved, _ = written
    done = grade("--public-only", "--format", "json")
    public = json.loads(done.stdout)
    assert public["tests"] and all(t["public"] for t in public["tests"])
    assert len(public["tests"]) == sum(t["public"] for t in saved["tests"]) < len(saved["tests"])


@pytest.mark.parametrize("text", ["[click](http://x.example)", "![i](http://x.example/a.png)", "<img src=x onerror=y>",
                                  "a | forged\n--- | ---", "# heading", "- item", "**bold** _it_ `code`",
                                  "1. first", "> quoted"])
def test_markdown_escape_makes_no_markup(text):
    """Rendered by a CommonMark renderer (tables on), is a student's text plain text: no link,
    image, tag, table, heading, list, quote or emphasis, and every character kept?"""
    markdown_it = pytest.importorskip("markdown_it", reason="rendered with markdown-it-py (comes with jupytext)")
    from graders.engine.feedback_md import escape

    html = markdown_it.MarkdownIt("commonmark").enable("table").render(escape(text))
    for tag in ("<a ", "<img", "<h1", "<ul", "<ol", "<strong", "<em", "<code", "<table", "<blockquote"):
        assert tag not in html, html
    assert escape(text).replace("\\", "").replace("&lt;", "<").replace("&gt;", ">").replace("  \n", "\n") == text


def test_markdown_escape_breaks_bare_addresses():
    """Are bare addresses, which GitHub would link, broken up?"""
    from graders.engine.feedback_md import escape

    out = escape("see http://x.example and www.y.example")
    assert "http://" not in out and "www." not in out
