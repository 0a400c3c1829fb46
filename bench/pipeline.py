"""The whole analysis pipeline (every registered detector plus the escalation rules):
messages/s in one process, per detector and end to end, and the peak memory.

Messages: the SYNTHETIC multilingual doxing set (``eval/doxing/generate_synthetic.py``),
messages with links (a tenth on shipped indicator domains, some defanged) and short plain
posts, shuffled. One process, batches of 256, detectors built before timing.

Each figure is the best of ``--repeat`` runs, the configurations interleaved (a shared
machine's load drifts), as wall-clock messages/s and as messages per CPU-second of this
process (steadier when other work shares the cores); the spread (worst to best wall-clock
run) of the whole pipeline is printed too.

    .venv/bin/python bench/pipeline.py [--per-entity 50] [--workers 1] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval" / "doxing"))

from generate_synthetic import generate

from qalxan.analysis.indicators import load_indicators
from qalxan.analysis.message import AnalysisContext, Message
from qalxan.analysis.pipeline import analyse_stream, available_detectors, get_detector

TARGET = 5_000  # messages/s, one process, all detectors (issue 3)
PLAIN = [
    "Thank you all for coming to the workshop on digital security today!",
    "Спасибо всем за поддержку, мы продолжаем работу.",
    "Bugün mahkemede duruşma var, destek için gelin.",
    "Bu gün məhkəmədə iclas var, dəstək üçün gəlin.",
    "شكرا لكم جميعا على الدعم والتضامن",
    "Gracias por vuestro apoyo, seguimos adelante.",
    "Merci à toutes et à tous pour votre soutien.",
    "از حمایت همه شما سپاسگزاریم",
]


def link_messages(count: int, rng: random.Random) -> list[Message]:
    domains = sorted(load_indicators().values("domain"))
    out = []
    for i in range(count):
        if i % 10 == 0:
            host = rng.choice(domains).replace(".", "[.]")
            out.append(Message(f"Please update: hxxps://{host}/u/{i}"))
        else:
            out.append(Message(f"Read https://news{i}.example{i % 50}.org/article/{i} today"))
    return out


def messages(per_entity: int, seed: int) -> list[Message]:
    rng = random.Random(seed)
    found = [Message(r["text"]) for r in generate(per_entity, seed)]
    found += link_messages(len(found) // 3, rng)
    found += [Message(rng.choice(PLAIN)) for _ in range(len(found) // 2)]
    rng.shuffle(found)
    return found


def rate(batch: list[Message], names: list[str], workers: int) -> tuple[float, float]:
    """(messages/s wall clock, messages per CPU-second of this process)."""
    start, cpu = time.perf_counter(), time.process_time()
    for _ in analyse_stream(batch, AnalysisContext(), names, workers=workers):
        pass
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    return len(batch) / wall, len(batch) / max(used, 1e-9)


def best_rates(
    batch: list[Message], configs: dict[str, tuple[list[str], int]], repeat: int
) -> dict[str, list[tuple[float, float]]]:
    """Every run of every configuration, the configurations interleaved."""
    runs: dict[str, list[tuple[float, float]]] = {label: [] for label in configs}
    for _ in range(repeat):
        for label, (names, workers) in configs.items():
            runs[label].append(rate(batch, names, workers))
    return runs


def _line(label: str, runs: list[tuple[float, float]], note: str) -> str:
    wall = max(r[0] for r in runs)
    cpu = max(r[1] for r in runs)
    return f"{label:10} {wall:>10,.0f} messages/s  ({cpu:>8,.0f} per CPU-second) {note}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-entity", type=int, default=50)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--detectors", help="comma-separated subset (default: all registered)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    names = args.detectors.split(",") if args.detectors else available_detectors()
    start = time.perf_counter()
    for name in names:
        get_detector(name)
    print(f"detectors {', '.join(names)} built in {time.perf_counter() - start:.2f}s")
    batch = messages(args.per_entity, args.seed)
    print(f"messages: {len(batch)}; best of {args.repeat} interleaved runs")
    threats = [n for n in names if n != "language"]
    configs = {name: ([name], 1) for name in names}
    configs["but-lang"] = (threats, args.workers)
    configs["pipeline"] = (names, args.workers)
    rate(batch, names, args.workers)  # warm-up: lazily loaded metadata (phone regions)
    runs = best_rates(batch, configs, args.repeat)
    for name in names:
        print(_line(f"  {name}", runs[name], "(+ escalation rules)"))
    print(_line("pipeline", runs["but-lang"], "(all detectors but language ID)"))
    total = runs["pipeline"]
    print(_line("pipeline", total, f"({args.workers} process(es), all detectors)"))
    walls = sorted(r[0] for r in total)
    print(f"pipeline spread: {walls[0]:,.0f} to {walls[-1]:,.0f} messages/s over {len(walls)} runs")
    verdict = "PASS" if walls[-1] >= TARGET else "MISS"
    print(f"target >= {TARGET:,} messages/s per process (best run): {verdict}")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak_mib:,.0f} MiB (max resident set of this process)")


if __name__ == "__main__":
    main()
