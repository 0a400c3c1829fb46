"""Watch-list matching: posts/s with 10 and with 1,000 watched defenders.

Posts: the SYNTHETIC posts of ``eval/watchlist/generate.py`` (names in every condition,
and none) mixed with real posts from the shared data folder when ``--real`` names it
(OLID, ru_paradetox, OffensEval tr/ar), shuffled. The matcher is built before timing
(``build`` is printed on its own). Each figure is the best of ``--repeat`` runs, the sizes
interleaved, as wall-clock posts/s and posts per CPU-second. A fresh matcher is timed
each run, so the per-word cache starts empty: the cold figure. ``--warm`` times a second
pass over the same posts as well (a monitor sees the same words again and again).

    .venv/bin/python bench/watchlist_matching.py [--posts 20000] [--real ../shared/data]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval" / "watchlist"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))

from generate import generate
from watchlist_matching import real_texts

from qalxan.monitoring.watchlist import WatchListMatcher

SIZES = (10, 1000)


def posts(count: int, real: Path | None, seed: int) -> list[str]:
    _, synthetic = generate(500, seed)
    texts = [p.text for p in synthetic]
    if real:
        texts += [t for ts in real_texts(real, 5000).values() for t in ts]
    rng = random.Random(seed)
    return [rng.choice(texts) for _ in range(count)]


def timed(size: int, texts: list[str], seed: int, warm: bool) -> tuple[float, float, float]:
    """(build seconds, posts per wall-clock second, posts per CPU-second)."""
    people, _ = generate(size, seed)
    t0 = time.perf_counter()
    matcher = WatchListMatcher(p.defender() for p in people)
    build = time.perf_counter() - t0
    if warm:
        for text in texts:
            matcher.mentions(text)
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        matcher.mentions(text)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return build, len(texts) / wall, len(texts) / max(cpu, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--real", type=Path, help="shared data folder (optional)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--warm", action="store_true", help="time a second pass too")
    args = parser.parse_args()
    texts = posts(args.posts, args.real, args.seed)
    best: dict[tuple[int, bool], tuple[float, float, float]] = {}
    for _ in range(args.repeat):
        for size in SIZES:
            for warm in (False, True) if args.warm else (False,):
                run = timed(size, texts, args.seed, warm)
                old = best.get((size, warm))
                best[size, warm] = run if old is None or run[1] > old[1] else old
    print(f"{len(texts)} posts, best of {args.repeat}")
    print("| defenders | cache | build (s) | posts/s | posts per CPU-second |")
    print("|---:|---|---:|---:|---:|")
    for (size, warm), (build, rate, cpu_rate) in sorted(best.items()):
        cache = "warm" if warm else "cold"
        print(f"| {size} | {cache} | {build:.2f} | {rate:,.0f} | {cpu_rate:,.0f} |")


if __name__ == "__main__":
    main()
