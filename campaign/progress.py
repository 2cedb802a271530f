"""A one-line progress bar on stderr, redrawn in place, for long runs of many tasks."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """``[#####     ] 500/1,000 scenarios, 12 s, about 12 s left``, redrawn at most 10 times a second.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> bar = ProgressBar(4, "scenarios", stream=out, width=8)
    >>> for _ in range(4):
    ...     bar.update()
    >>> bar.close()
    >>> "[########] 4/4 scenarios" in out.getvalue()
    True
    """

    def __init__(self, total: int, what: str = "tasks", *, stream: TextIO | None = None,
                 width: int = 30):
        self.total, self.what, self.width = int(total), what, width
        self.stream = stream if stream is not None else sys.stderr
        self.done = self._shown = 0
        self._start = self._drawn = time.perf_counter()
        self._draw()

    def update(self, n: int = 1) -> None:
        """Count ``n`` more tasks done."""
        self.done += n
        now = time.perf_counter()
        if now - self._drawn >= 0.1 or self.done >= self.total:
            self._drawn = now
            self._draw()

    def close(self) -> None:
        """Draw the final state and end the line."""
        if self._shown != self.done:
            self._draw()
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        self._shown = self.done
        share = self.done / self.total if self.total else 1.0
        filled = int(round(share * self.width))
        elapsed = time.perf_counter() - self._start
        left = f", about {elapsed / self.done * (self.total - self.done):.0f} s left" \
            if 0 < self.done < self.total else ""
        self.stream.write(f"\r[{'#' * filled}{' ' * (self.width - filled)}] {self.done:,}/"
                          f"{self.total:,} {self.what}, {elapsed:.0f} s{left}")
        self.stream.flush()
