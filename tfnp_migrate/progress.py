"""A one-line progress display on a terminal's stderr: files done of total, and the rate.

Only on a terminal, never with `-q` or a machine format (the CLI decides). Result lines go to
stdout on the same terminal, so the status line is cleared before each of them and drawn
again after, at most ten times a second.
"""

from __future__ import annotations

import time
from typing import TextIO

_CLEAR = "\r\x1b[K"


class Progress:
    def __init__(self, stream: TextIO, total: int, clock: object = time.monotonic) -> None:
        self.stream, self.total = stream, total
        self.clock = clock
        self.done = 0
        self.start = self._now()
        self.drawn_at = -1.0
        self.visible = False

    def _now(self) -> float:
        return self.clock()  # type: ignore[operator,no-any-return]

    def clear(self) -> None:
        """Before other output on the terminal."""
        if self.visible:
            self.stream.write(_CLEAR)
            self.stream.flush()
            self.visible = False

    def advance(self) -> None:
        self.done += 1
        now = self._now()
        if now - self.drawn_at >= 0.1 or self.done == self.total:
            self.draw(now)

    def draw(self, now: float | None = None) -> None:
        now = self._now() if now is None else now
        rate = self.done / max(now - self.start, 1e-6)
        width = len(str(self.total))
        self.stream.write(f"{_CLEAR}[{self.done:>{width}}/{self.total}] {rate:.0f} files/s")
        self.stream.flush()
        self.drawn_at, self.visible = now, True

    def finish(self) -> None:
        self.clear()
