"""Instructions per URL: MVT's ``check_url`` vs Qalxan's ``LinksDetector.match_urls``.

Wall-clock ratios on a shared machine follow the load (MVT is timed by one cold run), so
this counts instructions instead, which do not depend on it. The script runs itself under
valgrind's callgrind (``--dump-before=math_erfc``) on the URLs and indicators of
``bench/iocs_vs_mvt.py``, calling ``math.erfc`` between the parts so that each part's
instructions are dumped on their own, and prints instructions per URL and the ratio. The
worker runs with ``PYTHONHASHSEED=0``, so that a rerun of the same code gives the same count.

Qalxan's parts run on every URL, after one warm-up call: ``match_urls`` (what the
benchmark times), then its two steps, ``hosts_of`` and ``match_hosts`` (with
``to_ascii_hosts``). MVT's ``check_url`` (cached: the cache is cleared first) runs on the
first ``--mvt-urls`` URLs of the shuffled list, as under callgrind it runs about a minute
per 2,000, after one warm-up call that builds its automaton of the listed domains. Needs
valgrind and the MVT environment (see bench/requirements-mvt.txt):

    PYTHONPATH=src .venv-bench/bin/python bench/iocs_instructions.py [--mvt-urls 2000]
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PARTS = ("setup", "mvt", "match_urls", "hosts_of", "match_hosts")


def worker(mvt_urls: int, seed: int) -> None:
    """The measured run: each part ends with a call to ``math.erfc`` (a callgrind dump)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from iocs_vs_mvt import build_urls
    from mvt.common.indicators import Indicators

    from qalxan.analysis.detectors.links import LinksDetector
    from qalxan.analysis.indicators import load_indicators, shipped_feed_dir
    from qalxan.analysis.urls import hosts_of, to_ascii_hosts

    logging.disable(logging.CRITICAL)
    files = sorted(str(p) for p in Path(shipped_feed_dir()).glob("*.stix2"))
    mvt = Indicators()
    mvt.load_indicators_files(files, load_default=False)
    ours = LinksDetector(load_indicators())
    values = {i.value for i in mvt.get_iocs("domains")}
    domains = sorted(v for v in values if not v[-1].isdigit() and "." in v)
    ips = sorted(v for v in values if v[-1].isdigit())
    urls = build_urls(domains, ips, seed)
    sample = urls[:mvt_urls]
    ours.match_urls(urls)  # warm-up: the first call pays for one-time allocations
    hosts = hosts_of(urls)
    mvt.check_url(urls[-1])  # warm-up: builds MVT's Aho-Corasick automaton of the domains
    getattr(mvt.check_url, "cache_clear", lambda: None)()
    print(len(urls), len(sample), file=sys.stderr)
    math.erfc(0.0)  # dump: setup

    for url in sample:
        mvt.check_url(url)
    math.erfc(0.0)  # dump: MVT
    ours.match_urls(urls)
    math.erfc(0.0)  # dump: match_urls
    hosts_of(urls)
    math.erfc(0.0)  # dump: hosts_of
    ours.indicators.match_hosts(to_ascii_hosts(hosts))
    math.erfc(0.0)  # dump: match_hosts


def measure(mvt_urls: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--dump-before=math_erfc",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "--worker",
            f"--mvt-urls={mvt_urls}",
            f"--seed={seed}",
        ]
        # A fixed string-hash seed: dictionary probes, and so the counts, repeat exactly.
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
        n_urls, n_sample = (int(x) for x in _worker_line(done.stderr).split())
        totals = [_total(p) for p in sorted(Path(tmp).glob("callgrind.out.*"), key=_dump_no)]
    if len(totals) < len(PARTS):
        raise SystemExit(f"expected {len(PARTS)} callgrind dumps, found {len(totals)}")
    parts = dict(zip(PARTS, totals, strict=False))
    per_url = {
        "mvt": parts["mvt"] / n_sample,
        **{name: parts[name] / n_urls for name in PARTS[2:]},
    }
    print(f"URLs: {n_urls} (MVT: the first {n_sample}); instructions per URL (callgrind Ir)")
    print(f"MVT    check_url       {per_url['mvt']:>10,.0f}")
    print(f"Qalxan match_urls      {per_url['match_urls']:>10,.0f}")
    print(f"  of which hosts_of    {per_url['hosts_of']:>10,.0f}")
    print(f"  and match_hosts      {per_url['match_hosts']:>10,.0f} (with to_ascii_hosts)")
    ratio = per_url["mvt"] / per_url["match_urls"]
    print(f"ratio                  {ratio:>10.1f}x  {'PASS' if ratio >= 100 else 'MISS'} (>= 100x)")


def _worker_line(stderr: str) -> str:
    """The worker's "<URLs> <MVT sample>" line (valgrind writes its own lines around it)."""
    for line in stderr.splitlines():
        if re.fullmatch(r"\d+ \d+", line.strip()):
            return line.strip()
    raise SystemExit("the worker did not report its URL counts:\n" + stderr[-2000:])


def _dump_no(path: Path) -> int:
    suffix = path.name.rpartition(".")[2]
    return int(suffix) if suffix.isdigit() else 1_000_000  # the final dump comes last


def _total(path: Path) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise SystemExit(f"no instruction total in {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mvt-urls", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.mvt_urls, args.seed)
    else:
        measure(args.mvt_urls, args.seed)


if __name__ == "__main__":
    main()
