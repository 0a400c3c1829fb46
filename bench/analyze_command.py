"""``qalxan analyze`` as a user runs it: messages per CPU-second, start-up included.

Writes ``--messages`` messages (``ray_scaling.write_messages``: eight languages, ordinary
posts, insults and threats, doxing, smears, links) as JSON Lines, then runs
``qalxan analyze FILE`` (every detector, language identification on) as its own process,
``--warmup`` times unmeasured (the first start decompresses the language model into the
cache) and ``--runs`` times measured; and the same command on a one-message file, the
start-up alone. Each run is timed by CPU time of the process (``bench/harness.py``) with
its peak memory and the load average; the figure is messages per CPU-second of the whole
command at the median run, against the target of 5,000.

    nice .venv/bin/python bench/analyze_command.py [--messages 20000] [--runs 3]

``--baseline-src DIR`` adds the same commands run on another version's sources (``DIR``
first on ``PYTHONPATH``, e.g. ``git archive BASE src | tar -x -C /tmp/base``), interleaved
with this one's, so that before and after meet the same load.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Side, load, measure, run_command
from harness import summary as side_summary
from ray_scaling import write_messages

TARGET = 5_000


def qalxan() -> str:
    found = Path(sys.executable).parent / "qalxan"
    return str(found) if found.exists() else "qalxan"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--baseline-src", type=Path, help="another version's src/ folder")
    args = parser.parse_args()
    print(f"at start: {load()}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source, one = folder / "messages.jsonl", folder / "one.jsonl"
        write_messages(source, args.messages, args.seed)
        write_messages(one, 1, args.seed)
        sides = [Side("start-up", lambda: run_command([qalxan(), "analyze", str(one)])),
                 Side(f"{args.messages}", lambda: run_command([qalxan(), "analyze", str(source)],
                                                           stdout=folder / "out.jsonl"))]
        if args.baseline_src:
            env = dict(os.environ, PYTHONPATH=str(args.baseline_src.resolve()))
            sides += [Side("base start-up", lambda: run_command([qalxan(), "analyze", str(one)],
                                                                env=env)),
                      Side(f"base {args.messages}", lambda: run_command(
                          [qalxan(), "analyze", str(source)], stdout=folder / "base.jsonl",
                          env=env))]
        measure(sides, args.runs, args.warmup)
    for side in sides:
        print(side_summary(side))
    for label, (startup, whole) in (("", sides[:2]), ("baseline ", sides[2:4])):
        if not label or args.baseline_src:
            _verdict(label, args.messages, startup, whole)
    print(f"at end: {load()}")


def _verdict(label: str, messages: int, startup: Side, whole: Side) -> None:
    rate = messages / whole.median()
    after = messages / max(whole.median() - startup.median(), 1e-9)
    print(f"{label}qalxan analyze, {messages:,} messages: {rate:,.0f} messages per CPU-second "
          f"end to end (start-up {startup.median():.2f} CPU-s included)  target >= {TARGET:,}: "
          f"{'PASS' if rate >= TARGET else 'MISS'}  |  after start-up: {after:,.0f} per CPU-s")


if __name__ == "__main__":
    main()
