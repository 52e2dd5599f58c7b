"""The walls around student code, under every condition a grader meets: as root, as a normal user,
as root without CAP_SYS_ADMIN, in a default container (no CAP_SYS_ADMIN, no user namespaces), and
as a normal user without user namespaces (where grading must refuse).

For each, a class is graded by ``python -m graders batch`` under that condition (tests/conditions.py
makes it; CI runs as root): the hostile catalog of tests/test_hostile_submissions.py, the attacks on
the walls in tests/submissions/hostile_walls/ (aimed at the real paths), honest classmates and the
relu-only control. Every attack must fail, the honest students keep full marks, and nothing on disk
that the grader owns changes. The grading runs on a copy of the kit, so the uid level's permission
changes never touch the checkout.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from graders import ROOT
from conditions import CONDITIONS, account, wrap
from test_hostile_submissions import CASES, CONTROL, HOSTILE

WALLS = Path(__file__).parent / "submissions" / "hostile_walls"
ATTACKS = sorted(p.name for p in WALLS.iterdir() if p.is_dir())
HONEST = ("honest1", "honest2", "honest3")
LEVEL = {"root": "namespaces", "user": "userns", "root_no_sys_admin": "userns", "container": "uid"}

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="making the other conditions needs root (CI runs as root)")


@pytest.fixture(scope="module")
def python_reachable():
    """The venv's Python lies under /root here (0700): let other users traverse, not list, its
    folders while these tests run, as they could on a machine where Python is in /usr."""
    changed = []
    for folder in Path(os.path.realpath(sys.executable)).parents:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            os.chmod(folder, stat.S_IMODE(mode) | stat.S_IXOTH)
            changed.append((folder, mode))
    yield
    for folder, mode in changed:
        os.chmod(folder, stat.S_IMODE(mode))


class Listener:
    """A local TCP server that records every connection (for the network attack)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.heard: list[bytes] = []
        self.sock.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.heard.append(conn.recv(100) or b"(connected)")
                except OSError:
                    self.heard.append(b"(connected)")

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    return text


def grade_under(condition: str, base: Path, port: int) -> tuple[subprocess.CompletedProcess, Path, dict]:
    """Lay out a kit copy and a class under ``base``, grade it under ``condition``."""
    kit, submitted, results = base / "kit", base / "submitted", base / "results"
    for folder in ("graders", "reference"):
        shutil.copytree(ROOT / folder, kit / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (kit / "gradebook").mkdir()
    (kit / "gradebook" / "gradebook.db").write_text("the real gradebook")
    reference = (ROOT / "reference" / "activations" / "activations.py").read_text()
    for student in HONEST:
        (submitted / student / "activations").mkdir(parents=True)
        (submitted / student / "activations" / "activations.py").write_text(reference)
    for case in CASES:
        shutil.copytree(HOSTILE / case, submitted / case / "activations")
    values = {"KIT": str(kit), "CLASS": str(submitted), "RESULTS": str(results), "PORT": str(port)}
    for attack in ATTACKS:
        (submitted / attack / "activations").mkdir(parents=True)
        text = (WALLS / attack / "activations.py").read_text()
        (submitted / attack / "activations" / "activations.py").write_text(_fill(text, values))
    results.mkdir()
    if condition in ("user", "user_no_userns"):
        who = account()
        for path in [base, results, *results.rglob("*")]:
            os.chown(path, who.pw_uid, who.pw_gid)
    before = {p: p.read_bytes() for p in [kit / "gradebook" / "gradebook.db",
                                          *[submitted / s / "activations" / "activations.py" for s in HONEST]]}
    env = {**os.environ, "GRADERS_LOAD_TIMEOUT": "3", "GRADERS_CALL_TIMEOUT": "1", "GRADERS_ISOLATION": "auto"}
    command = [sys.executable, "-m", "graders", "batch", str(submitted), "--out", str(results),
               "--jobs", "2", "--quiet", "--assignment", "activations"]
    done = subprocess.run(wrap(condition, command), cwd=kit, env=env, capture_output=True, text=True, timeout=600)
    return done, results, before


@pytest.fixture(scope="module", params=CONDITIONS)
def graded(request, python_reachable):
    base = Path(tempfile.mkdtemp(prefix="bplab-walls-"))
    os.chmod(base, 0o755)
    listener = Listener()
    try:
        done, results, before = grade_under(request.param, base, listener.port)
        found = {p.stem: json.loads(p.read_text()) for p in (results / "activations").glob("*.json")}
    finally:
        listener.close()
    yield request.param, done, found, before, listener.heard
    shutil.rmtree(base, ignore_errors=True)


def test_grading_refuses_or_grades_everyone(graded):
    """Under each condition, does the batch either grade every student or refuse with one clear
    message and exit status 3 (never a traceback, never a silent unwalled run)?"""
    condition, done, found, _, _ = graded
    if condition == "user_no_userns":
        assert done.returncode == 3, done.stderr
        assert "refusing to grade" in done.stderr and "--isolation none" in done.stderr
        assert "Traceback" not in done.stderr and not found
        return
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert set(found) == set(CASES) | set(ATTACKS) | set(HONEST)
    assert {r["isolation_level"] for r in found.values() if r.get("isolation_level")} == {LEVEL[condition]}


def _score(found, student):
    return found[student]["score"]


def test_honest_students_keep_full_marks(graded):
    """Do honest classmates get full marks beside every attack (nobody killed or overwrote them)?"""
    condition, _, found, before, _ = graded
    if condition == "user_no_userns":
        pytest.skip("this condition refuses to grade (tested above)")
    for student in HONEST:
        r = found[student]
        assert r["score"] == r["max_score"] > 0, (student, [t["output"] for t in r["tests"] if t["output"]])
    for path, content in before.items():
        assert path.read_bytes() == content, f"{path} was changed by a submission"


@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_on_the_walls_gains_nothing(graded, attack):
    """Does each attack score no more than its honest relu earns (the control's score)? (The
    process killer may take its own worker down with it: that harms only itself.)"""
    condition, _, found, _, heard = graded
    if condition == "user_no_userns":
        pytest.skip("this condition refuses to grade (tested above)")
    assert _score(found, attack) <= _score(found, CONTROL), found[attack]["tests"]
    if attack == "opens_network" and condition != "container":
        assert not heard, f"a submission reached the network under {condition}: {heard}"


def test_network_is_walled_or_said_to_be_open(graded):
    """Where the network is reachable (the uid level), does the isolation say so?"""
    condition, _, found, _, heard = graded
    if condition == "user_no_userns":
        pytest.skip("this condition refuses to grade (tested above)")
    if heard:
        assert condition == "container"
        assert "network" in found["opens_network"]["isolation"]


def test_nothing_is_left_behind(graded):
    """Are the files and shared memory a submission made gone from the machine after grading?"""
    condition, _, _, _, _ = graded
    if condition == "user_no_userns":
        pytest.skip("this condition refuses to grade (tested above)")
    left = [p for folder in ("/dev/shm", "/tmp") for p in Path(folder).glob("bplab_residue_*")]
    assert not left, left
    segments = Path("/proc/sysvipc/shm").read_text().splitlines()[1:]
    assert not [s for s in segments if s.split()[0] == str(0x42504C42)], segments


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_catalog_earns_no_more_than_it_implements(graded, case):
    """Does every case of the hostile catalog score no more than the control under this condition?"""
    condition, _, found, _, _ = graded
    if condition == "user_no_userns":
        pytest.skip("this condition refuses to grade (tested above)")
    if case == "reads_reference" and condition == "container":
        pytest.skip("at the uid level other copies of the kit on this machine stay readable (this one globs the "
                    "disk for any); the grading kit's own reference is hidden: reads_kit_reference proves it")
    how = CASES[case][0]
    if how == "zero":
        assert _score(found, case) == 0
    elif how == "equal":
        assert _score(found, case) == _score(found, CONTROL), found[case]["tests"]
    else:
        assert _score(found, case) <= _score(found, CONTROL)


def test_score_table_and_feedback_page_say_the_isolation():
    """Do the score table and the feedback page say at what isolation the results were graded?"""
    from graders.collect.feedback import render
    from graders.collect.results import Collected
    from graders.engine.summary import table

    result = {"assignment": "activations", "student": "ada", "score": 9.0, "max_score": 9.0, "tests": [],
              "seed": 7, "isolation_level": "userns", "isolation": "user namespace: no network"}
    assert table([result]).splitlines()[-1] == "isolation: userns: user namespace: no network"
    page = render(Collected("activations", "ada", result=result))
    assert "Graded in isolation: user namespace: no network. Seed 7." in page
