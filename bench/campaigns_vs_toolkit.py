"""Campaign networks: Qalxan's windowed sweep vs the coordination-network-toolkit.

Three inputs: the CooRTweet share logs in ``../shared/data/coordination/coortweet/``
(Russian retweets: co-share vs the toolkit's co-retweet; German election posts: co-link on
``url_id``), and a generated set with injected coordinated bursts (``campaigns_generate``):
co-post (exact text), co-link and co-share vs co-tweet, co-link and co-retweet.

Each side runs in its own process from the same parsed posts and is timed from posts in
memory to edges, best of ``--repeat`` runs (the toolkit: loading its SQLite database, then
each network with ``--threads`` worker processes). Peak memory is that of the process and
its workers (proportional set size, so pages that forked workers share count once), sampled
every 50 ms and never below the process's own exact peak when that came during the run,
less what it held once the posts were loaded. The edges of both sides are asserted equal;
the speed ratio is printed (target: at least 10x). Recall and precision of the injected
campaigns (pairs of accounts in one campaign) are printed for a few minimum weights, then
the time of the whole detection as the command runs it.

    nice .venv/bin/python bench/campaigns_vs_toolkit.py                  # 100,000 generated
    nice .venv/bin/python bench/campaigns_vs_toolkit.py --size 1000000   # the issue's size
    nice .venv/bin/python bench/campaigns_vs_toolkit.py --size 1000000 --skip-toolkit

Needs the ``dev`` extra (it pins coordination-network-toolkit).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from campaigns_generate import Generated, generate

from qalxan.monitoring.campaigns.detect import detect
from qalxan.monitoring.campaigns.networks import NetworkOptions, build_networks
from qalxan.monitoring.exports import read_posts
from qalxan.monitoring.posts import Post

ROOT = Path(__file__).resolve().parents[1]
COORTWEET = ROOT.parent / "shared" / "data" / "coordination" / "coortweet"
THEIRS = {"co-post": "co_tweet", "co-link": "co_link", "co-share": "co_retweet",
          "co-reply": "co_reply"}
TARGET = 10.0
Edges = dict[tuple[str, str], int]


def _own_memory(pid: int) -> int:
    """Proportional set size in bytes (shared pages split between their processes), or
    the resident set where the kernel does not say."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _rss_tree(root: int) -> int:
    """Memory (PSS) of ``root`` and its descendants, in bytes."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                parents.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += _own_memory(pid)
        todo.extend(parents.get(pid, ()))
    return total


def _max_resident() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class PeakMemory:
    """Samples the process tree's resident memory in a thread."""

    def __init__(self) -> None:
        self.base = _rss_tree(os.getpid())
        self._max_before = _max_resident()
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _rss_tree(os.getpid()))

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        exact = _max_resident()
        if exact > self._max_before:  # the process's own peak came during the run
            self.peak = max(self.peak, exact)


def ours(posts: list[Post], kinds: list[str], window: float, min_weight: int) -> dict[str, Edges]:
    options = NetworkOptions(window=window, min_weight=min_weight, similarity=1.0)
    _, networks = build_networks(posts, kinds, options)
    return {n.kind: n.edges for n in networks}


def toolkit(posts: list[Post], kinds: list[str], window: float, min_weight: int,
            threads: int) -> dict[str, Edges]:
    from coordination_network_toolkit import compute_networks as cn
    from coordination_network_toolkit.graph import get_edge_rows
    from coordination_network_toolkit.preprocess import preprocess_data

    compute = {"co-post": cn.compute_co_tweet_network, "co-link": cn.compute_co_link_network,
               "co-share": cn.compute_co_retweet_parallel, "co-reply": cn.compute_co_reply_network}
    with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(io.StringIO()):
        db = str(Path(folder) / "toolkit.db")
        preprocess_data(db, ((p.message_id, p.author_id, p.author_name, p.repost_id, p.reply_id,
                              p.text, p.timestamp, list(p.urls)) for p in posts))
        for kind in kinds:
            compute[kind](db, window, min_edge_weight=min_weight, n_threads=threads)
        return {k: {(a, b): w for a, b, w, _ in get_edge_rows(db, THEIRS[k])} for k in kinds}


def worker(args: argparse.Namespace) -> None:
    with args.input.open("rb") as stream:
        posts = pickle.load(stream)  # noqa: S301 (written by this script)
    kinds = args.kinds.split(",")
    seconds = float("inf")
    with PeakMemory() as memory:
        for _ in range(args.repeat):
            start = time.perf_counter()
            if args.worker == "ours":
                edges = ours(posts, kinds, args.window, args.min_weight)
            else:
                edges = toolkit(posts, kinds, args.window, args.min_weight, args.threads)
            seconds = min(seconds, time.perf_counter() - start)
    with args.output.open("wb") as stream:
        pickle.dump({"seconds": seconds, "memory": memory.peak - memory.base,
                     "edges": edges}, stream)


def run_side(side: str, posts_file: Path, kinds: list[str], args: argparse.Namespace) -> Any:
    output = posts_file.with_suffix(f".{side}.pickle")
    command = [sys.executable, __file__, "--worker", side, "--input", str(posts_file),
               "--output", str(output), "--kinds", ",".join(kinds), "--window",
               str(args.window), "--min-weight", str(args.min_weight),
               "--threads", str(args.threads), "--repeat", str(args.repeat)]
    subprocess.run(command, check=True)
    with output.open("rb") as stream:
        return pickle.load(stream)  # noqa: S301 (written by this script)


def compare(name: str, posts: list[Post], kinds: list[str], args: argparse.Namespace,
            folder: Path) -> dict[str, Edges]:
    posts_file = folder / f"{name}.pickle"
    with posts_file.open("wb") as stream:
        pickle.dump(posts, stream)
    mine = run_side("ours", posts_file, kinds, args)
    line = (f"{name:<22} {len(posts):>9,} posts  {', '.join(kinds):<26} "
            f"edges {sum(len(e) for e in mine['edges'].values()):>7,}  "
            f"ours {mine['seconds']:7.2f} s {mine['memory'] / 2**20:7.1f} MiB")
    if args.skip_toolkit:
        print(line, flush=True)
        return dict(mine["edges"])
    theirs = run_side("toolkit", posts_file, kinds, args)
    for kind in kinds:
        assert mine["edges"][kind] == theirs["edges"][kind], f"{name}: {kind} edges differ"
    ratio = theirs["seconds"] / mine["seconds"]
    print(f"{line}  toolkit {theirs['seconds']:8.2f} s {theirs['memory'] / 2**20:7.1f} MiB  "
          f"same edges  {ratio:6.1f}x {'PASS' if ratio >= TARGET else 'MISS'}", flush=True)
    return dict(mine["edges"])


def accuracy(generated: Generated, edges: dict[str, Edges]) -> tuple[float, float, int]:
    """Recall and precision of the campaigns' account pairs, and the pairs found."""
    found = {(min(a, b), max(a, b)) for kind in edges.values() for a, b in kind}
    truth = generated.true_pairs()
    hits = len(found & truth)
    return hits / len(truth), hits / len(found) if found else 1.0, len(found)


def report_accuracy(generated: Generated, kinds: list[str], args: argparse.Namespace) -> None:
    print(f"injected: {len(generated.campaigns)} campaigns, "
          f"{sum(map(len, generated.campaigns))} accounts, {len(generated.true_pairs())} pairs")
    for weight in (1, 2, 3, 4):
        recall, precision, found = accuracy(
            generated, ours(generated.posts, kinds, args.window, weight))
        print(f"  min weight {weight}: {found:>7,} pairs found  recall {recall:.3f}  "
              f"precision {precision:.3f}")


def report_detection(generated: Generated, args: argparse.Namespace) -> None:
    """The whole detection as the command runs it: five networks, near-identical texts,
    communities and summary; how many campaigns come out whole in one community."""
    start = time.perf_counter()
    detection = detect(generated.posts, options=NetworkOptions(window=args.window,
                                                               min_weight=args.min_weight))
    seconds = time.perf_counter() - start
    whole = 0
    for members in generated.campaigns:
        found = {detection.membership.get(m) for m in members}
        whole += len(found) == 1 and None not in found
    print(f"full detection (five networks, near-identical texts at 0.8, communities, "
          f"summary): {seconds:.1f} s, {len(detection.summary.groups)} groups; "
          f"{whole}/{len(generated.campaigns)} campaigns found whole in one group")


def coortweet(args: argparse.Namespace, folder: Path) -> None:
    if not COORTWEET.is_dir():
        print(f"CooRTweet share logs not found at {COORTWEET}: skipped")
        return
    russian = read_posts(COORTWEET / "russian_coord_tweets__russian_coord_tweets.csv")
    compare("coortweet-russian", russian, ["co-share"], args, folder)
    german = read_posts(COORTWEET / "german_elections__german_elections.csv")
    compare("coortweet-german", german, ["co-link"], args, folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="generated posts")
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--min-weight", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="the toolkit's processes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs per side; the best time counts (a shared machine drifts)")
    parser.add_argument("--skip-toolkit", action="store_true", help="time ours only")
    parser.add_argument("--skip-coortweet", action="store_true")
    parser.add_argument("--worker", choices=("ours", "toolkit"), help=argparse.SUPPRESS)
    for name in ("--input", "--output"):
        parser.add_argument(name, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--kinds", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    print(f"window {args.window:g} s, minimum weight {args.min_weight}, toolkit with "
          f"{args.threads} processes, best of {args.repeat}; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if not args.skip_coortweet:
            coortweet(args, folder)
        generated = generate(args.size, args.seed)
        kinds = ["co-post", "co-link", "co-share"]
        compare(f"generated-{args.size}", generated.posts, kinds, args, folder)
    report_accuracy(generated, kinds, args)
    report_detection(generated, args)


if __name__ == "__main__":
    main()
