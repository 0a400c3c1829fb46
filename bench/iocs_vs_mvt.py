"""URL matching against indicator feeds: Qalxan's links detector vs MVT's ``Indicators``.

Both load the same STIX 2.1 files (every feed shipped in ``src/qalxan/data/iocs``, about
11,000 indicators as MVT counts them) and check the same unique URLs: URLs on indicator
domains, on their subdomains, on indicator IPs, and on clean domains. The script asserts
that both find the same matches, except where Qalxan's parent-domain walk finds a
subdomain of a listed *sub*domain, which MVT (full host or registered domain only) misses;
those are counted and printed. Then it prints URLs/s for each and the ratio.

Qalxan is timed through ``LinksDetector.match_urls`` (a list of URLs at once, as the links
detector matches a batch's observables; cold: nothing is cached between repeats) and, for
reference, through ``match_url`` one URL at a time; the two must give identical answers.
MVT has no batch interface: ``check_url`` one URL at a time, one cold run (it is cached).

MVT pins versions that clash with Qalxan's own pins, so run this in a separate virtual
environment (see bench/requirements-mvt.txt), after ``pip install -e .`` of the project in
its own environment has built the compiled host matcher (``_hosts.c``) in place:

    PYTHONPATH=src .venv-bench/bin/python bench/iocs_vs_mvt.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mvt.common.indicators import Indicators
from mvt.common.url import SHORTENER_DOMAINS

from qalxan.analysis.detectors.links import LinksDetector
from qalxan.analysis.indicators import load_indicators, shipped_feed_dir
from qalxan.analysis.psl import default_psl
from qalxan.analysis.urls import host_of


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


def time_it(
    check: Callable[[str], object], urls: list[str], repeat: int
) -> tuple[float, list[object]]:
    best, results = float("inf"), []
    for _ in range(repeat):
        start = time.perf_counter()
        results = [check(u) for u in urls]
        best = min(best, time.perf_counter() - start)
    return best, results


def time_batch(
    check: Callable[[list[str]], list[object]], urls: list[str], repeat: int
) -> tuple[float, list[object]]:
    best, results = float("inf"), []
    for _ in range(repeat):
        start = time.perf_counter()
        results = check(urls)
        best = min(best, time.perf_counter() - start)
    return best, results


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    files = sorted(str(p) for p in Path(shipped_feed_dir()).glob("*.stix2"))
    mvt = Indicators()
    mvt.load_indicators_files(files, load_default=False)
    ours = LinksDetector(load_indicators())
    # Listed "domains" without a dot (a few feed entries) are not hostnames; left out.
    domains = sorted(
        {i.value for i in mvt.get_iocs("domains") if not i.value[-1].isdigit() and "." in i.value}
    )
    ips = sorted({i.value for i in mvt.get_iocs("domains") if i.value[-1].isdigit()})
    urls = build_urls(domains, ips, args.seed)

    def mvt_check(url: str) -> object:
        return mvt.check_url(url)

    mvt_s, mvt_hits = time_it(mvt_check, urls, 1)  # check_url is lru-cached: one cold run
    one_s, one_hits = time_it(ours.match_url, urls, args.repeat)
    our_s, our_hits = time_batch(ours.match_urls, urls, args.repeat)
    assert our_hits == one_hits, "match_urls and match_url disagree"
    counts = compare(urls, our_hits, mvt_hits)
    matched = sum(h is not None for h in our_hits)
    print(f"indicators: MVT {mvt.total_ioc_count}, Qalxan {len(ours.indicators)} (matchable kinds)")
    print(
        f"urls checked: {len(urls)}, Qalxan matches {matched}; identical answers {counts['same']}"
    )
    print(
        f"  explained differences: {counts['level']} matched on another listed level of the "
        f"same host, {counts['deeper']} deeper-subdomain matches only Qalxan makes, "
        f"{counts['mvt_substring']} MVT substring false positives"
    )
    print(f"MVT     {len(urls) / mvt_s:>14,.0f} URLs/s")
    print(f"Qalxan  {len(urls) / our_s:>14,.0f} URLs/s (match_urls, the whole list at once)")
    print(f"ratio   {mvt_s / our_s:>14.1f}x")
    print(f"Qalxan  {len(urls) / one_s:>14,.0f} URLs/s (match_url, one URL per call)")
    print(f"ratio   {mvt_s / one_s:>14.1f}x")


if __name__ == "__main__":
    sys.exit(main())
