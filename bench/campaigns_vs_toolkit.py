"""Campaign networks: ``qalxan campaigns`` vs the coordination-network-toolkit, end to end.

**End to end** (the figure that counts): each side is the commands a user runs on the same
CSV file of ``--size`` generated posts (``campaigns_generate``), as processes, timed by
CPU time (``bench/harness.py``: the process and the children it waited for) and peak
resident memory. Ours: ``qalxan campaigns FILE.csv --network co-post,co-link,co-share,
co-reply --graphml OUT`` (reading, the four networks the toolkit also has with
near-identical texts grouped at 0.8 -- work the toolkit does not do --, communities, the
summary printed and the networks written). Theirs: ``compute_networks DB preprocess
FILE.csv`` and one ``compute_networks DB compute KIND --output_file K.graphml`` (its CSV output
fails in the pinned version) for each of
``co_tweet``, ``co_link``, ``co_retweet`` (``--n_cpus --threads``) and ``co_reply``, on a
fresh database each run; CPU time summed over the five commands, memory the largest.

**Inner step**, printed beside it: from posts in memory to edges, exact texts only
(``similarity=1.0``, so that co-post equals the toolkit's co-tweet), in a worker process
per run: ours ``build_networks``; theirs loading its SQLite database and each network.
The edges of both sides are asserted equal here, on the generated set and on the
CooRTweet share logs in ``../shared/data/coordination/coortweet/`` when present.

Both sides get ``--warmup`` unmeasured runs and ``--runs`` measured ones, interleaved;
every run is printed with the load average, and the ratios are of median CPU times.
Recall and precision of the injected campaigns follow.

    nice .venv/bin/python bench/campaigns_vs_toolkit.py                    # 200,000 posts
    nice .venv/bin/python bench/campaigns_vs_toolkit.py --runs 5 --skip-coortweet
    nice .venv/bin/python bench/campaigns_vs_toolkit.py --skip-toolkit     # ours only
    nice .venv/bin/python bench/campaigns_vs_toolkit.py --baseline-src /tmp/base/src

``--baseline-src DIR`` adds ``qalxan campaigns`` run on another version's sources (``DIR``
first on ``PYTHONPATH``; e.g. ``git archive BASE src | tar -x -C /tmp/base``) as a third
side of the end-to-end runs, interleaved, and checks that both print the same summary.

Needs the ``dev`` extra (it pins coordination-network-toolkit).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from campaigns_generate import Generated, generate, write_csv
from harness import Run, Side, load, measure, ratio_line, report_step, run_command, step_run, timed
from harness import summary as side_summary

from qalxan.monitoring.campaigns.networks import NetworkOptions, build_networks
from qalxan.monitoring.exports import read_posts
from qalxan.monitoring.posts import Post

ROOT = Path(__file__).resolve().parents[1]
COORTWEET = ROOT.parent / "shared" / "data" / "coordination" / "coortweet"
THEIRS = {"co-post": "co_tweet", "co-link": "co_link", "co-share": "co_retweet",
          "co-reply": "co_reply"}
KINDS = ["co-post", "co-link", "co-share", "co-reply"]
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
    """Memory (PSS) of ``root`` and its descendants, in bytes (used by ``ray_scaling``)."""
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


def _tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else shutil.which(name) or name


# ---- end to end: the commands a user runs -------------------------------------------

def ours_command(csv_file: Path, folder: Path, args: argparse.Namespace,
                 source: Path | None = None) -> Run:
    """``qalxan campaigns``; with ``source``, another version's sources (``src/``) run it."""
    env = dict(os.environ, PYTHONPATH=str(source.resolve())) if source else None
    name = "base" if source else "ours"
    return run_command([_tool("qalxan"), "campaigns", str(csv_file), "--network",
                        ",".join(KINDS), "--window", f"{args.window:g}", "--min-weight",
                        str(args.min_weight), "--graphml", str(folder / f"{name}.graphml")],
                       stdout=folder / f"{name}.txt", env=env)


def toolkit_commands(csv_file: Path, folder: Path, args: argparse.Namespace) -> Run:
    """The toolkit's five commands on a fresh database: CPU summed, memory the largest."""
    database = folder / "toolkit.db"
    database.unlink(missing_ok=True)
    tool = _tool("compute_networks")
    runs = [run_command([tool, str(database), "preprocess", "--format", "csv", str(csv_file)])]
    for kind in KINDS:
        runs.append(run_command([tool, str(database), "compute", THEIRS[kind], "--time_window",
                                 f"{args.window:g}", "--min_edge_weight", str(args.min_weight),
                                 "--n_cpus", str(args.threads), "--output_file",
                                 str(folder / f"{THEIRS[kind]}.graphml"), "--output_format",
                                 "graphml"]))
    return Run(sum(r.wall for r in runs), sum(r.cpu for r in runs), max(r.peak for r in runs),
               runs[0].load)


# ---- inner step: posts in memory to edges, in a worker process per run ------------------

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
    if args.worker == "ours":
        run, edges = timed(lambda: ours(posts, kinds, args.window, args.min_weight))
    else:
        run, edges = timed(lambda: toolkit(posts, kinds, args.window, args.min_weight,
                                           args.threads))
    report_step(args.output, run)
    with args.output.with_suffix(".edges").open("wb") as stream:
        pickle.dump(edges, stream)


def inner_side(side: str, posts_file: Path, kinds: list[str], args: argparse.Namespace,
               edges: dict[str, dict[str, Edges]]) -> Callable[[], Run]:
    output = posts_file.with_suffix(f".{side}.json")
    command = [sys.executable, __file__, "--worker", side, "--input", str(posts_file),
               "--output", str(output), "--kinds", ",".join(kinds), "--window",
               f"{args.window:g}", "--min-weight", str(args.min_weight),
               "--threads", str(args.threads)]

    def run() -> Run:
        result = step_run(command, output)
        with output.with_suffix(".edges").open("rb") as stream:
            edges[side] = pickle.load(stream)  # noqa: S301 (written by this script)
        return result

    return run


def inner(name: str, posts: list[Post], kinds: list[str], args: argparse.Namespace,
          folder: Path) -> tuple[Side, Side | None, dict[str, Edges]]:
    """The inner step of both sides on ``posts``; their edges asserted equal."""
    posts_file = folder / f"{name}.pickle"
    with posts_file.open("wb") as stream:
        pickle.dump(posts, stream)
    edges: dict[str, dict[str, Edges]] = {}
    sides = [Side("qalxan", inner_side("ours", posts_file, kinds, args, edges))]
    if not args.skip_toolkit:
        sides.append(Side("toolkit", inner_side("toolkit", posts_file, kinds, args, edges)))
    print(f"inner step, {name}: {len(posts):,} posts, {', '.join(kinds)}; {load()}")
    measure(sides, args.runs, args.warmup, "inner ")
    for side in sides:
        print("  " + side_summary(side))
    if len(sides) == 2:
        for kind in kinds:
            assert edges["ours"][kind] == edges["toolkit"][kind], f"{name}: {kind} edges differ"
        count = sum(len(e) for e in edges["ours"].values())
        print(f"  same edges ({count:,}); inner step alone: "
              f"{sides[1].median() / max(sides[0].median(), 1e-9):.2f}x the toolkit by CPU time")
    return sides[0], sides[1] if len(sides) == 2 else None, edges["ours"]


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


def coortweet(args: argparse.Namespace, folder: Path) -> None:
    if not COORTWEET.is_dir():
        print(f"CooRTweet share logs not found at {COORTWEET}: skipped")
        return
    russian = read_posts(COORTWEET / "russian_coord_tweets__russian_coord_tweets.csv")
    inner("coortweet-russian", russian, ["co-share"], args, folder)
    german = read_posts(COORTWEET / "german_elections__german_elections.csv")
    inner("coortweet-german", german, ["co-link"], args, folder)


def end_to_end(csv_file: Path, folder: Path, args: argparse.Namespace) -> tuple[Side, Side | None]:
    sides = [Side("qalxan", lambda: ours_command(csv_file, folder, args))]
    if not args.skip_toolkit:
        sides.append(Side("toolkit", lambda: toolkit_commands(csv_file, folder, args)))
    if args.baseline_src:
        sides.append(Side("base", lambda: ours_command(csv_file, folder, args,
                                                       args.baseline_src)))
    print(f"end to end, {csv_file.name}: {', '.join(KINDS)}; {load()}")
    measure(sides, args.runs, args.warmup, "e2e ")
    for side in sides:
        print("  " + side_summary(side))
    if args.baseline_src:
        same = (folder / "ours.txt").read_bytes() == (folder / "base.txt").read_bytes()
        print(f"  summary printed by the baseline and by this version: "
              f"{'the same' if same else 'DIFFERENT'}")
    return sides[0], sides[1] if not args.skip_toolkit else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=200_000, help="generated posts")
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--min-weight", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="the toolkit's processes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3, help="measured runs per side")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs per side first")
    parser.add_argument("--skip-toolkit", action="store_true", help="time ours only")
    parser.add_argument("--skip-coortweet", action="store_true")
    parser.add_argument("--skip-inner", action="store_true", help="end to end only")
    parser.add_argument("--baseline-src", type=Path,
                        help="also run qalxan campaigns on another version's src/ folder")
    parser.add_argument("--worker", choices=("ours", "toolkit"), help=argparse.SUPPRESS)
    for name in ("--input", "--output"):
        parser.add_argument(name, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--kinds", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    print(f"window {args.window:g} s, minimum weight {args.min_weight}, toolkit with "
          f"{args.threads} processes; {args.warmup} warm-up and {args.runs} measured runs "
          f"per side, interleaved; at start: {load()}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        generated = generate(args.size, args.seed)
        csv_file = folder / f"posts-{args.size}.csv"
        write_csv(generated.posts, csv_file)
        ours_e2e, theirs_e2e = end_to_end(csv_file, folder, args)
        inner_sides = None
        if not args.skip_inner:
            posts = read_posts(csv_file)
            ours_inner, theirs_inner, _ = inner(f"generated-{args.size}", posts, KINDS,
                                                     args, folder)
            if theirs_inner is not None:
                inner_sides = (ours_inner, theirs_inner)
        if not args.skip_coortweet:
            coortweet(args, folder)
    if theirs_e2e is not None:
        print(ratio_line(ours_e2e, theirs_e2e, TARGET, inner_sides))
        memory = max(r.peak for r in ours_e2e.runs) / max(r.peak for r in theirs_e2e.runs)
        print(f"peak memory {memory:.2f}x the toolkit's  target <= 2x: "
              f"{'PASS' if memory <= 2 else 'MISS'}")
    report_accuracy(generated, KINDS, args)
    print(f"at end: {load()}")


if __name__ == "__main__":
    main()
