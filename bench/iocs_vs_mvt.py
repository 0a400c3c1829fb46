"""URL matching against indicator feeds: Qalxan's links detector vs MVT's ``Indicators``.

Two feed sets: every feed shipped in ``src/qalxan/data/iocs`` (about 11,000 indicators as
MVT counts them), and a generated STIX 2.1 bundle of ``--generated`` domain indicators
(10,000 by default). For each, the same unique URLs are checked by both: URLs on indicator
domains, on their subdomains, on indicator IPs, and on clean domains. The script asserts
that both find the same matches, except where Qalxan's parent-domain walk finds a
subdomain of a listed *sub*domain, which MVT (full host or registered domain only) misses;
those are counted and printed.

Measured the way ``bench/harness.py`` measures (CPU time, the same warm-up and number of
runs for both, interleaved, every run printed with the load):

- **end to end**: a process per run that starts, imports its side, loads the feed files,
  builds its matcher and checks every URL (Qalxan: ``LinksDetector.match_urls`` on the
  whole list; MVT: ``check_url`` on each), timed by the process's CPU time;
- **inner step**: in this process, matching only, after one warm-up pass each (MVT's first
  call builds its automaton; its ``check_url`` cache is cleared before every run, so each
  run matches every URL), CPU time of each run; ``match_url`` one URL per call is given
  for reference.

The ratio printed first is end to end (median CPU times); the inner step's is beside it.
Target: at least 100x on both feed sets.

MVT pins versions that clash with Qalxan's own pins, so run this in a separate virtual
environment (see bench/requirements-mvt.txt), after ``pip install -e .`` of the project in
its own environment has built the compiled host matcher (``_hosts.c``) in place:

    PYTHONPATH=src .venv-bench/bin/python bench/iocs_vs_mvt.py [--runs 3] [--generated 10000]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Run, Side, load, measure, ratio_line, run_command
from harness import summary as side_summary
from mvt.common.indicators import Indicators
from mvt.common.url import SHORTENER_DOMAINS

from qalxan.analysis.detectors.links import LinksDetector
from qalxan.analysis.indicators import IndicatorSet, load_feed_dir, shipped_feed_dir
from qalxan.analysis.psl import default_psl
from qalxan.analysis.urls import host_of

TARGET = 100.0


def build_urls(domains: list[str], ips: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    urls = [f"https://{d}/p/{i}" for i, d in enumerate(domains)]
    urls += [f"http://www.{d}/login?id={i}" for i, d in enumerate(domains)]
    urls += [f"http://{ip}/x/{i}" for i, ip in enumerate(ips)]
    words = ["news", "shop", "mail", "blog", "cdn", "static", "api", "portal"]
    tlds = ["com", "org", "net", "co.uk", "com.tr", "az", "ru", "fr", "es", "ir"]
    urls += [
        f"https://{rng.choice(words)}{i}.clean-site{i % 997}.{rng.choice(tlds)}/a/{i}?q={i}"
        for i in range(2 * len(domains))
    ]
    clean = [u for u in urls if not any(s in u for s in SHORTENER_DOMAINS)]
    rng.shuffle(clean)
    return clean


def _is_self_or_parent(host: str, value: str) -> bool:
    return host == value or host.endswith("." + value)


def compare(urls: list[str], ours: list[object], theirs: list[object]) -> dict[str, int]:
    """Assert the same matches, allowing only explained differences, which are counted:
    ``deeper``: a listed domain below the registered domain matched through a subdomain
    of it (MVT checks the full host and the registered domain only); ``level``: both
    matched, on different listed levels of one host; ``mvt_substring``: MVT's fallback
    substring match on a host it cannot parse (``191.101.31.21`` inside ``191.101.31.214``),
    a false positive."""
    psl = default_psl()
    counts = {"same": 0, "deeper": 0, "level": 0, "mvt_substring": 0}
    for url, mine, peer in zip(urls, ours, theirs, strict=True):
        mine_value = getattr(mine, "value", None)
        peer_value = getattr(getattr(peer, "ioc", None), "value", None)
        host = host_of(url)
        if mine_value == peer_value:
            counts["same"] += 1
        elif peer_value is not None and not _is_self_or_parent(host, peer_value):
            mine_ok = mine_value is None or _is_self_or_parent(host, mine_value)
            assert peer_value in url and mine_ok, (url, mine_value, peer_value)
            counts["mvt_substring"] += 1
        elif mine_value is not None and peer_value is not None:
            assert _is_self_or_parent(host, mine_value), (url, mine_value, peer_value)
            counts["level"] += 1
        else:
            assert peer is None and mine_value is not None, (url, mine_value, peer_value)
            assert psl.registered_domain(mine_value) != mine_value, (url, mine_value)
            counts["deeper"] += 1
    return counts


def generated_feed(folder: Path, count: int, seed: int) -> Path:
    """A STIX 2.1 bundle of ``count`` domain indicators of one malware, in ``folder``."""
    rng = random.Random(seed)
    tlds = ("com", "net", "org", "info", "xyz", "co.uk", "com.tr", "az", "ru", "io")
    letters = "abcdefghijklmnopqrstuvwxyz"
    malware = {"type": "malware", "spec_version": "2.1", "id": "malware--generated",
               "name": "Generated", "is_family": False}
    objects: list[dict[str, object]] = [malware]
    names: set[str] = set()
    while len(names) < count:
        label = "".join(rng.choice(letters) for _ in range(rng.randint(6, 14)))
        names.add(f"{label}.{rng.choice(tlds)}")
    for i, name in enumerate(sorted(names)):
        objects.append({"type": "indicator", "spec_version": "2.1", "id": f"indicator--g{i}",
                        "pattern": f"[domain-name:value='{name}']", "pattern_type": "stix",
                        "valid_from": "2026-01-01T00:00:00Z"})
        objects.append({"type": "relationship", "spec_version": "2.1", "id": f"relationship--g{i}",
                        "relationship_type": "indicates", "source_ref": f"indicator--g{i}",
                        "target_ref": "malware--generated"})
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "generated.stix2").write_text(json.dumps({"type": "bundle", "id": "bundle--g",
                                                        "objects": objects}))
    return folder


def feed_files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.glob("*.stix2"))


def load_mvt(folder: Path) -> Indicators:
    mvt = Indicators()
    mvt.load_indicators_files(feed_files(folder), load_default=False)
    return mvt


def load_ours(folder: Path) -> LinksDetector:
    return LinksDetector(IndicatorSet(load_feed_dir(folder)))


#: One end-to-end run of each side, as its own process importing only that side: load the
#: feed files, build the matcher, check every URL (argv: feed folder, file of URLs).
END_TO_END = {
    "ours": (
        "import sys; from pathlib import Path\n"
        "from qalxan.analysis.detectors.links import LinksDetector\n"
        "from qalxan.analysis.indicators import IndicatorSet, load_feed_dir\n"
        "urls = Path(sys.argv[2]).read_text().splitlines()\n"
        "detector = LinksDetector(IndicatorSet(load_feed_dir(Path(sys.argv[1]))))\n"
        "print(sum(h is not None for h in detector.match_urls(urls)))\n"
    ),
    "mvt": (
        "import logging, sys; from pathlib import Path\n"
        "logging.disable(logging.CRITICAL)\n"
        "from mvt.common.indicators import Indicators\n"
        "urls = Path(sys.argv[2]).read_text().splitlines()\n"
        "mvt = Indicators()\n"
        "mvt.load_indicators_files(sorted(str(p) for p in Path(sys.argv[1]).glob('*.stix2')),\n"
        "                          load_default=False)\n"
        "print(sum(mvt.check_url(u) is not None for u in urls))\n"
    ),
}


def inner_run(check: Callable[[], object], before: Callable[[], object] = lambda: None) -> Run:
    before()
    load_now = os.getloadavg()[0]
    start, cpu = time.perf_counter(), time.process_time()
    check()
    return Run(time.perf_counter() - start, time.process_time() - cpu, 0, load_now)


def compare_feed(name: str, folder: Path, args: argparse.Namespace, work: Path) -> None:
    mvt = load_mvt(folder)
    ours = load_ours(folder)
    # Listed "domains" without a dot (a few feed entries) are not hostnames; left out.
    domains = sorted(
        {i.value for i in mvt.get_iocs("domains") if not i.value[-1].isdigit() and "." in i.value}
    )
    ips = sorted({i.value for i in mvt.get_iocs("domains") if i.value[-1].isdigit()})
    urls = build_urls(domains, ips, args.seed)
    clear = getattr(mvt.check_url, "cache_clear", lambda: None)
    our_hits = ours.match_urls(urls)
    assert our_hits == [ours.match_url(u) for u in urls], "match_urls and match_url disagree"
    clear()
    counts = compare(urls, our_hits, [mvt.check_url(u) for u in urls])
    print(f"\n{name}: indicators MVT {mvt.total_ioc_count}, Qalxan {len(ours.indicators)} "
          f"(matchable kinds); {len(urls):,} URLs, Qalxan matches "
          f"{sum(h is not None for h in our_hits)}; identical answers {counts['same']}; "
          f"explained differences: {counts['level']} on another listed level of the host, "
          f"{counts['deeper']} deeper-subdomain matches only Qalxan makes, "
          f"{counts['mvt_substring']} MVT substring false positives; {load()}")
    urls_file = work / f"{name}.urls"
    urls_file.write_text("\n".join(urls))
    def command(side: str) -> list[str]:
        return [sys.executable, "-c", END_TO_END[side], str(folder), str(urls_file)]

    e2e = [Side("qalxan", lambda: run_command(command("ours"))),
           Side("mvt", lambda: run_command(command("mvt")))]
    measure(e2e, args.runs, args.warmup, "e2e ")
    inner = [Side("qalxan", lambda: inner_run(lambda: ours.match_urls(urls))),
             Side("mvt", lambda: inner_run(lambda: [mvt.check_url(u) for u in urls], clear)),
             Side("qalxan-1", lambda: inner_run(lambda: [ours.match_url(u) for u in urls]))]
    measure(inner, args.runs, args.warmup, "inner ")
    for side in (*e2e, *inner):
        print("  " + side_summary(side))
    print(f"{name}: " + ratio_line(e2e[0], e2e[1], TARGET, (inner[0], inner[1])))
    print(f"{name}: inner step, match_url one URL per call: "
          f"{inner[1].median() / max(inner[2].median(), 1e-9):.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="measured runs per side")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs per side first")
    parser.add_argument("--generated", type=int, default=10_000,
                        help="indicators in the generated feed (0: shipped feeds only)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    print(f"{args.warmup} warm-up and {args.runs} measured runs per side, interleaved; "
          f"at start: {load()}")
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        compare_feed("shipped feeds", Path(shipped_feed_dir()), args, work)
        if args.generated:
            feed = generated_feed(work / "generated", args.generated, args.seed)
            compare_feed(f"generated feed of {args.generated:,}", feed, args, work)
    print(f"at end: {load()}")


if __name__ == "__main__":
    main()
