"""How far a batch is: tqdm's bar on a terminal, a plain line every few seconds in a log.

tqdm redraws its bar with carriage returns; written to a pipe or a CI log that is one line that
never ends. Off a terminal, :class:`LogLines` writes a whole line instead (done / total, rate,
time left) at most every ``interval`` seconds, and one at the end. What it shows of a student's
name has its control characters replaced: a name must not move the TA's cursor.
"""
from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

from graders.names import shown
from graders.messages import _

LOG_INTERVAL_S = 5.0


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class LogLines:
    """A progress reporter for logs: ``update(label)`` after each item, ``close()`` at the end."""

    def __init__(self, total: int, *, file: TextIO | None = None, interval: float = LOG_INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic, desc: str | None = None):
        desc = _("grading") if desc is None else desc
        self.total, self.done, self.file, self.interval, self.clock, self.desc = total, 0, file, interval, clock, desc
        self.started = self.last = clock()

    def line(self) -> str:
        elapsed = self.clock() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        if rate and self.done < self.total:
            return _("{what}: {done}/{total} done, {rate}/s, {elapsed} so far, about {left} left").format(
                what=self.desc, done=self.done, total=self.total, rate=f"{rate:.1f}", elapsed=_duration(elapsed),
                left=_duration((self.total - self.done) / rate))
        return _("{what}: {done}/{total} done, {rate}/s, {elapsed} so far").format(
            what=self.desc, done=self.done, total=self.total, rate=f"{rate:.1f}", elapsed=_duration(elapsed))

    def _write(self, text: str) -> None:
        out = self.file or sys.stderr
        out.write(text + "\n")
        out.flush()

    def update(self, label: str = "") -> None:
        self.done += 1
        now = self.clock()
        if now - self.last >= self.interval:
            self.last = now
            self._write(self.line() + (" " + _("(last: {label})").format(label=shown(label, 60)) if label else ""))

    def close(self) -> None:
        if self.total:
            self._write(self.line())


class Bar:
    """tqdm on a terminal; the postfix is the last graded submission, its name made safe to show."""

    def __init__(self, total: int, *, file: TextIO | None = None, desc: str | None = None):
        from tqdm import tqdm

        desc = _("grading") if desc is None else desc
        self.bar = tqdm(total=total, unit="sub", desc=desc, dynamic_ncols=True, file=file or sys.stderr)

    def update(self, label: str = "") -> None:
        self.bar.set_postfix_str(shown(label, 40), refresh=False)
        self.bar.update()

    def close(self) -> None:
        self.bar.close()


class Silent:
    def update(self, label: str = "") -> None:
        pass

    def close(self) -> None:
        pass


def reporter(total: int, *, enabled: bool = True, file: TextIO | None = None) -> Bar | LogLines | Silent:
    """The reporter for ``total`` items: none when disabled or nothing to do, a bar on a
    terminal, log lines otherwise."""
    out = file or sys.stderr
    if not enabled or not total:
        return Silent()
    isatty = getattr(out, "isatty", lambda: False)
    return Bar(total, file=out) if isatty() else LogLines(total, file=out)
