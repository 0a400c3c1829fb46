"""What every benchmark here measures, and how it prints it.

Each side of a comparison is a **command a user runs** (start-up, reading, every step,
writing), run as its own process: its CPU time is that process's and its children's
(user + system, as GNU time reports it, so worker processes it waited for count), its
peak memory the largest resident set of the process or of any child it waited for.
Where a benchmark also times the **inner step** (the work after start-up and reading), that
runs in a worker process too, and reports its own CPU time and peak memory the same way.

Both sides get the same number of warm-up runs (not counted: they fill the page cache and
whatever a tool keeps on disk) and then the same number of measured runs, interleaved
(ours, theirs, theirs, ours, ...) so that drift in the machine's load falls on both.
Every run is printed, with the load average before and after; the ratio printed first is
the end-to-end one, by median CPU time, with the inner-step ratio beside it, labelled.

CPU time is much steadier than wall-clock time on a shared machine, but not immune: other
work evicts caches and competes for memory bandwidth, so the load is printed with every
figure.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def load() -> str:
    """The load average (1, 5, 15 minutes) and the cores, as printed with each figure."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


@dataclass(frozen=True)
class Run:
    """One measured run: wall-clock and CPU seconds, peak resident memory in bytes."""

    wall: float
    cpu: float
    peak: int
    load: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        return (f"cpu {self.cpu:8.3f} s  wall {self.wall:8.3f} s  "
                f"peak {self.peak / 2**20:8.1f} MiB  load {self.load:5.2f}")


#: GNU time runs each command: its own small process forks the command, so the command's
#: peak resident set is its own. A child forked straight from this (large) process would
#: start with this process's resident set as its peak (Linux keeps the larger of the two
#: across ``exec``), hiding any peak below it.
GNU_TIME = "/usr/bin/time"


def run_command(argv: Sequence[str], *, stdin: Path | None = None, stdout: Path | None = None,
                env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run ``argv`` to completion and measure it (and every child it waited for).

    ``stdout`` receives the command's output (``/dev/null`` when not given); a non-zero
    exit status raises ``CalledProcessError`` with the command's error output.
    """
    if not os.access(GNU_TIME, os.X_OK):
        raise RuntimeError(f"{GNU_TIME} (GNU time, Debian package 'time') is needed to "
                           "measure a command's own peak memory")
    load_now = os.getloadavg()[0]
    with tempfile.NamedTemporaryFile("r", suffix=".time") as measured:
        command = [GNU_TIME, "-o", measured.name, "-f", "%U %S %M", *argv]
        with (open(stdin, "rb") if stdin else open(os.devnull, "rb")) as source, \
                (open(stdout, "wb") if stdout else open(os.devnull, "wb")) as out:
            start = time.perf_counter()
            done = subprocess.run(command, stdin=source, stdout=out, stderr=subprocess.PIPE,
                                  env=env, cwd=cwd, check=False)
            wall = time.perf_counter() - start
        if done.returncode != 0:
            raise subprocess.CalledProcessError(done.returncode, list(argv),
                                                stderr=done.stderr.decode(errors="replace"))
        user, system, peak_kib = measured.read().split()[-3:]
    return Run(wall, float(user) + float(system), int(peak_kib) * 1024, load_now)


def cpu_seconds() -> float:
    """CPU time of this process and of the children it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_bytes() -> int:
    """The largest resident set of this process or of any child it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) * 1024


def timed(step: Callable[[], Any]) -> tuple[Run, Any]:
    """Run ``step`` in this process: its wall-clock and CPU time (children included), and
    the process's peak memory so far (call it in a fresh worker process to mean the step's)."""
    load_now = os.getloadavg()[0]
    start, cpu = time.perf_counter(), cpu_seconds()
    result = step()
    return Run(time.perf_counter() - start, cpu_seconds() - cpu, peak_bytes(), load_now), result


def report_step(path: Path, run: Run, **extra: Any) -> None:
    """Write an inner step's measurement for ``step_run`` (from a worker process)."""
    path.write_text(json.dumps({"wall": run.wall, "cpu": run.cpu, "peak": run.peak,
                                "load": run.load, "extra": extra}))


def step_run(argv: Sequence[str], result: Path, **kwargs: Any) -> Run:
    """Run a worker that times its own inner step (``report_step``); the whole worker's CPU
    and memory are in ``extra['process']``."""
    process = run_command(argv, **kwargs)
    data = json.loads(result.read_text())
    extra = dict(data["extra"], process=process)
    return Run(data["wall"], data["cpu"], data["peak"], data["load"], extra)


@dataclass
class Side:
    """One side of a comparison: a name and how to make one run of it."""

    name: str
    run: Callable[[], Run]
    runs: list[Run] = field(default_factory=list)

    def median(self, attribute: str = "cpu") -> float:
        return float(statistics.median(getattr(r, attribute) for r in self.runs))


def measure(sides: Sequence[Side], runs: int, warmup: int = 1, label: str = "") -> None:
    """``warmup`` unmeasured runs of each side, then ``runs`` measured runs of each,
    interleaved (the order reversed every round); every run printed as it ends."""
    for _ in range(warmup):
        for side in sides:
            side.run()
    for round_ in range(runs):
        order = sides if round_ % 2 == 0 else list(reversed(sides))
        for side in order:
            run = side.run()
            side.runs.append(run)
            print(f"  {label}{side.name:<10} run {round_ + 1}: {run.line()}", flush=True)


def summary(side: Side) -> str:
    cpus = sorted(r.cpu for r in side.runs)
    return (f"{side.name:<10} cpu median {side.median():8.3f} s (min {cpus[0]:.3f}, "
            f"max {cpus[-1]:.3f})  wall median {side.median('wall'):8.3f} s  "
            f"peak {max(r.peak for r in side.runs) / 2**20:8.1f} MiB")


def ratio_line(ours: Side, theirs: Side, target: float | None = None,
               inner: tuple[Side, Side] | None = None) -> str:
    """The end-to-end ratio (their median CPU time over ours), then the inner step's."""
    ratio = theirs.median() / max(ours.median(), 1e-9)
    memory = max(r.peak for r in ours.runs) / max(max(r.peak for r in theirs.runs), 1)
    text = f"end to end: {ratio:6.2f}x {theirs.name} by CPU time (memory {memory:.2f}x theirs)"
    if target is not None:
        text += f"  target >= {target:g}x: {'PASS' if ratio >= target else 'MISS'}"
    if inner is not None:
        step = inner[1].median() / max(inner[0].median(), 1e-9)
        text += f"  |  inner step alone: {step:6.2f}x"
    return text


def python() -> str:
    return sys.executable
