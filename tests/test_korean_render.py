"""Korean pages render with Korean glyphs, not boxes: a Korean feedback page and a Korean notebook
(exported to HTML by nbconvert), each screenshot by headless Chromium.

Glyphs or boxes is told apart by a twin page: the same page with every Hangul syllable replaced by
a CJK ideograph no installed font has, which Chromium draws as the missing-glyph box ("tofu").
Without a Korean font the Hangul is drawn as those same boxes, and the two screenshots are the same
pixels (seen on this machine before fonts-nanum: 0 values differ, on both pages); with one,
they differ.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import apt_install
from graders import ROOT

HANGUL = re.compile("[\uac00-\ud7a3]")
# Flags from /work/.library/env/machines/python.md: no sandbox as root, no network chatter.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
STUDENT = "김민준"  # a student id in Hangul: a feedback page shows it whatever the messages' language
# Ideographs of CJK Extensions G and H: no common font has them, and they break lines as Hangul does
# (private-use characters do not: a page of them wraps differently, so its pixels differ anyway).
STAND_INS = (0x30000, 0x30001, 0x31350, 0x31351)
SUBMISSION = ROOT / "tests" / "submissions" / "activations" / "buggy" / "sigmoid_sign_flipped"


def _fc(*args: str) -> str:
    return subprocess.run(["fc-" + args[0], *args[1:]], capture_output=True, text=True, timeout=60).stdout


def _korean_fonts() -> str:
    return _fc("list", ":lang=ko", "family").strip()


@pytest.fixture(scope="module")
def korean_font(chromium) -> str:
    """A font with Hangul, installing Debian's fonts-nanum (as root) when fontconfig knows none."""
    if shutil.which("fc-list") is None:
        pytest.skip("no fontconfig (fc-list) to find or check a Korean font")
    if not _korean_fonts():
        why = apt_install("fonts-nanum")
        if why or not _korean_fonts():
            pytest.skip(f"no Korean font installed, and fonts-nanum could not be: {why or 'fc-list finds none'}")
    return _korean_fonts()


@pytest.fixture(scope="module")
def missing(korean_font) -> list[str]:
    """Characters no installed font covers, each drawn as the same missing-glyph box."""
    found = [chr(code) for code in STAND_INS if not _fc("list", f":charset={code:x}", "family").strip()]
    if len(found) < 2:
        pytest.skip("the stand-ins for a missing glyph (CJK Extension G and H ideographs) have fonts here")
    return found


@pytest.fixture(scope="module")
def tofu(missing) -> str:
    return missing[0]


def screenshots(pages: dict[Path, Path], size: str) -> None:
    """Screenshot each HTML file into its PNG, all at once (one Chromium each, own profile)."""
    running = {png: subprocess.Popen([shutil.which("chromium"), *FLAGS, f"--user-data-dir={png.with_suffix('.profile')}",
                                      f"--window-size={size}", f"--screenshot={png}", html_file.as_uri()],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for html_file, png in pages.items()}
    for png, browser in running.items():
        _, err = browser.communicate(timeout=120)
        assert png.is_file(), f"Chromium wrote no screenshot (exit {browser.returncode}): {err[-500:]}"


def pixels(png: Path) -> np.ndarray:
    image_module = pytest.importorskip("PIL.Image", reason="Pillow (matplotlib's) reads the screenshots")
    with image_module.open(png) as image:
        return np.asarray(image.convert("RGB"))


def assert_glyphs_not_boxes(page: str, name: str, folder: Path, tofu: str, size: str = "1000,1200") -> None:
    """Screenshot ``page`` and its twin with every Hangul syllable replaced by ``tofu``: different
    pixels mean the Hangul was drawn with real glyphs."""
    assert len(HANGUL.findall(page)) >= 2, f"the {name} holds no Korean text to render"
    real, twin = folder / f"{name}.html", folder / f"{name}-tofu.html"
    real.write_text(page, encoding="utf-8")
    twin.write_text(HANGUL.sub(tofu, page), encoding="utf-8")
    screenshots({real: folder / f"{name}.png", twin: folder / f"{name}-tofu.png"}, size)
    changed = int(np.count_nonzero(pixels(folder / f"{name}.png") != pixels(folder / f"{name}-tofu.png")))
    assert changed > 500, f"the {name}'s Hangul renders as boxes: its screenshot is the all-tofu twin's ({changed} values differ)"


def test_fontconfig_picks_a_font_with_hangul_for_korean(korean_font):
    """Does fontconfig answer a request for Korean text with a font that has Hangul (가, U+AC00)?"""
    picked = _fc("match", "-f", "%{file}", "sans-serif:lang=ko").strip()
    with_hangul = _fc("list", ":charset=ac00", "file").split()
    assert picked and any(line.rstrip(":") == picked for line in with_hangul), \
        f"fc-match gives {picked!r} for Korean, which has no Hangul; fonts with Hangul: {korean_font}"


def test_tofu_twin_detects_boxes(missing, tmp_path):
    """Can the check fail: are two different missing characters drawn as the same pixels, as Hangul
    without a Korean font would be?"""
    for index, char in enumerate(missing[:2]):
        page = f"<!DOCTYPE html><html><body style=\"font-size: 40px\"><p>{char * 6} {char * 3}</p></body></html>"
        (tmp_path / f"{index}.html").write_text(page, encoding="utf-8")
    screenshots({tmp_path / f"{i}.html": tmp_path / f"{i}.png" for i in range(2)}, "600,200")
    assert np.array_equal(pixels(tmp_path / "0.png"), pixels(tmp_path / "1.png")), "two missing characters differ"


def test_korean_feedback_page_renders_hangul(tofu, tmp_path):
    """Does a feedback page graded in Korean (GRADERS_LANG=ko) show its Korean text as glyphs?"""
    from graders.collect.feedback import render
    from graders.collect.results import Collected, sum_parts

    out = tmp_path / "result.json"
    env = dict(os.environ, GRADERS_LANG="ko")
    done = subprocess.run([sys.executable, "-m", "graders", "grade", "activations", str(SUBMISSION), "--student", STUDENT,
                           "--json", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode == 3:
        pytest.skip(f"grading refuses here (no isolation level): {done.stderr.strip()[-300:]}")
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["score"] < result["max_score"], "the buggy submission lost no point: no message to show"
    page = render(Collected("activations", STUDENT, result, parts=sum_parts(result)))
    assert_glyphs_not_boxes(page, "feedback", tmp_path, tofu)


def test_korean_notebook_renders_hangul(tofu, tmp_path):
    """Does the released Korean notebook, exported to HTML by nbconvert, show Korean glyphs?"""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(ROOT / "assignments" / "ko" / "activations" / "activations.ipynb", as_version=4)
    page, _ = HTMLExporter().from_notebook_node(nb)
    assert_glyphs_not_boxes(page, "notebook", tmp_path, tofu, "1000,900")
