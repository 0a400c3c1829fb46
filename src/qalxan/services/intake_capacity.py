"""How much anonymous intake the instance takes: a refusal comes before anything is stored.

Anyone may send reports, and a report may carry tens of megabytes of files that are sealed
to disk and analysed while the sender waits. Without bounds, a few hundred requests fill the
disk or the server's memory and stop intake for everyone. So each submission (a report, or a
defender's follow-up message) is admitted first, and refused with "nothing was stored, try
again later" (:class:`IntakeUnavailable`, HTTP 503 with ``Retry-After``) when:

- the data directory's disk would have less than ``QALXAN_INTAKE_MIN_FREE_BYTES`` free after
  taking it (the watermark: what is already stored, and the staff's work, keep room);
- the window (``QALXAN_INTAKE_WINDOW_MINUTES``) has already taken
  ``QALXAN_INTAKE_WINDOW_MAX_SUBMISSIONS`` submissions or would exceed
  ``QALXAN_INTAKE_WINDOW_MAX_BYTES``;
- ``QALXAN_INTAKE_MAX_CONCURRENT`` submissions are being analysed and stored already (more
  are refused at once rather than queued).

The counts are instance-wide and identify no one: two numbers per window, no address, no
token, nothing of the sender. With several server processes (``qalxan serve --workers N``)
each process takes an equal share of the window's caps and of the concurrent submissions, so
the instance as a whole stays within them. A submission that fails after admission (invalid,
refused type) gives its share of the window back.
"""

from __future__ import annotations

import math
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from qalxan.config import Settings
from qalxan.errors import IntakeUnavailable

BUSY_RETRY_SECONDS = 30  # all submission slots taken: a few seconds' work each
DISK_RETRY_SECONDS = 3600  # the disk is near full: someone has to make room

FreeBytes = Callable[[], int]


@dataclass(frozen=True, slots=True)
class Limits:
    min_free_bytes: int
    window_seconds: int
    max_submissions: int
    max_bytes: int
    max_concurrent: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        """This process's share of the instance's limits."""
        share = max(1, settings.server_processes)
        return cls(settings.intake_min_free_bytes, settings.intake_window_minutes * 60,
                   math.ceil(settings.intake_window_max_submissions / share),
                   math.ceil(settings.intake_window_max_bytes / share),
                   max(1, settings.intake_max_concurrent // share))


def free_space(path: Path) -> int:
    """Free bytes on the disk that holds ``path`` (or would hold it, before it exists)."""
    while not path.exists() and path.parent != path:
        path = path.parent
    return shutil.disk_usage(path).free


class IntakeCapacity:
    """Admission of anonymous submissions (see the module docstring); one per process."""

    def __init__(self, settings: Settings, clock: Callable[[], datetime],
                 free_bytes: FreeBytes | None = None) -> None:
        self.limits = Limits.of(settings)
        self._clock = clock
        data_dir = settings.data_dir
        self._free_bytes = free_bytes or (lambda: free_space(data_dir))
        self._lock = threading.Lock()
        self._window = -1
        self._submissions = 0
        self._bytes = 0
        self._running = 0

    @contextmanager
    def admit(self, size: int) -> Iterator[None]:
        """Admit a submission of at most ``size`` bytes for the duration of the block, or
        raise :class:`IntakeUnavailable` before it does anything."""
        window = self._take(size)
        try:
            yield
        except BaseException:
            self._give_back(window, size)
            raise
        finally:
            with self._lock:
                self._running -= 1

    def _take(self, size: int) -> int:
        limits = self.limits
        if self._free_bytes() - size < limits.min_free_bytes:
            raise IntakeUnavailable(
                "the server's disk is nearly full, so no report can be taken now; nothing "
                "was stored", DISK_RETRY_SECONDS)
        now = self._clock().timestamp()
        window = int(now // limits.window_seconds)
        with self._lock:
            if window != self._window:
                self._window, self._submissions, self._bytes = window, 0, 0
            if self._submissions + 1 > limits.max_submissions or \
                    self._bytes + size > limits.max_bytes:
                left = limits.window_seconds - int(now % limits.window_seconds)
                raise IntakeUnavailable(
                    "the server has taken as many reports as it can for now; nothing was "
                    "stored", max(1, left))
            if self._running >= limits.max_concurrent:
                raise IntakeUnavailable(
                    "the server is busy with other reports; nothing was stored",
                    BUSY_RETRY_SECONDS)
            self._submissions += 1
            self._bytes += size
            self._running += 1
        return window

    def _give_back(self, window: int, size: int) -> None:
        with self._lock:
            if window == self._window:
                self._submissions -= 1
                self._bytes -= size
