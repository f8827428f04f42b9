"""A one-line text progress bar on stderr (no dependency needed)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """`label [#####-----]  50%  500,000/1,000,000  12.3 s`, redrawn at most 5 times a second."""

    WIDTH = 30

    def __init__(self, label: str, total: int, *, stream: TextIO | None = None, enabled=True):
        self.label = label
        self.total = max(total, 1)
        self.done_count = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.started = time.monotonic()
        self._drawn_at = 0.0
        self._drawn_count = -1

    def advance(self, count: int) -> None:
        self.done_count += count
        now = time.monotonic()
        if now - self._drawn_at >= 0.2 or self.done_count >= self.total:
            self._draw(now)

    def finish(self) -> float:
        """Draw the final state, end the line and return the seconds taken."""
        elapsed = time.monotonic() - self.started
        if self._drawn_count != self.done_count:
            self._draw(time.monotonic())
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
        return elapsed

    def _draw(self, now: float) -> None:
        self._drawn_at = now
        self._drawn_count = self.done_count
        if not self.enabled:
            return
        share = min(self.done_count / self.total, 1.0)
        filled = int(share * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(
            f"\r{self.label:<14} [{bar}] {share:4.0%}  "
            f"{self.done_count:,}/{self.total:,}  {now - self.started:6.1f} s"
        )
        self.stream.flush()
