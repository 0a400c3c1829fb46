"""The whole analysis pipeline (every registered detector plus the escalation rules):
messages/s in one process, per detector and end to end, and the peak memory.

Messages: the SYNTHETIC multilingual doxing set (``eval/doxing/generate_synthetic.py``),
messages with links (a tenth on shipped indicator domains, some defanged) and short plain
posts, shuffled. One process, batches of 256, detectors built before timing.

    .venv/bin/python bench/pipeline.py [--per-entity 50] [--workers 1]
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


def rate(batch: list[Message], names: list[str], workers: int) -> float:
    start = time.perf_counter()
    for _ in analyse_stream(batch, AnalysisContext(), names, workers=workers):
        pass
    return len(batch) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-entity", type=int, default=50)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--detectors", help="comma-separated subset (default: all registered)")
    args = parser.parse_args()
    names = args.detectors.split(",") if args.detectors else available_detectors()
    start = time.perf_counter()
    for name in names:
        get_detector(name)
    print(f"detectors {', '.join(names)} built in {time.perf_counter() - start:.2f}s")
    batch = messages(args.per_entity, args.seed)
    print(f"messages: {len(batch)}")
    for name in names:
        print(f"  {name:10} {rate(batch, [name], 1):>10,.0f} messages/s (+ escalation rules)")
    threats = [n for n in names if n != "language"]
    without = rate(batch, threats, args.workers)
    total = rate(batch, names, args.workers)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pipeline   {without:>10,.0f} messages/s (all detectors but language ID)")
    print(f"pipeline   {total:>10,.0f} messages/s ({args.workers} process(es), all detectors)")
    print(f"peak memory {peak_mib:,.0f} MiB (max resident set of this process)")


if __name__ == "__main__":
    main()
