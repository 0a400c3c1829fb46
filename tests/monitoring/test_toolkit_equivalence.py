"""Our co-post and co-link networks equal the coordination-network-toolkit's co-tweet and
co-link networks on its own test data, for the same window and minimum weight.

Both read the same posts: the toolkit through its ``preprocess_data`` (its CSV reader
splits ``urls`` on spaces, which on its own sample's list literals would give tokens like
``['http://...',``). Exact text only (``similarity=1.0``): the toolkit's co-tweet has no
near-duplicates. Co-share and co-reply are compared too (its co-retweet and co-reply).
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from qalxan.monitoring.campaigns.networks import NetworkOptions, build_networks
from qalxan.monitoring.exports import read_posts
from qalxan.monitoring.posts import Post

toolkit = pytest.importorskip(
    "coordination_network_toolkit", reason="coordination-network-toolkit is not installed "
    "(it is in the dev extra)")

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "coordination"
QUT = DATA / "qut_cnt"
OURS_TO_THEIRS = {"co-post": "co_tweet", "co-link": "co_link", "co-share": "co_retweet",
                  "co-reply": "co_reply"}

pytestmark = pytest.mark.skipif(
    not QUT.is_dir(), reason=f"the toolkit's test data is not at {QUT} (shared/ beside the clone)")

Edges = dict[tuple[str, str], int]


def toolkit_networks(
    posts: list[Post], window: float, min_weight: int, db: Path
) -> dict[str, Edges]:
    from coordination_network_toolkit import compute_networks as cn
    from coordination_network_toolkit.graph import get_edge_rows
    from coordination_network_toolkit.preprocess import preprocess_data

    rows = [(p.message_id, p.author_id, p.author_name, p.repost_id, p.reply_id, p.text,
             p.timestamp, list(p.urls)) for p in posts]
    with contextlib.redirect_stdout(io.StringIO()):
        preprocess_data(str(db), rows)
        cn.compute_co_tweet_network(str(db), window, min_edge_weight=min_weight, n_threads=1)
        cn.compute_co_link_network(str(db), window, min_edge_weight=min_weight, n_threads=1)
        cn.compute_co_retweet_parallel(str(db), window, min_edge_weight=min_weight, n_threads=1)
        cn.compute_co_reply_network(str(db), window, min_edge_weight=min_weight, n_threads=1)
    return {name: {(a, b): w for a, b, w, _ in get_edge_rows(str(db), name)}
            for name in OURS_TO_THEIRS.values()}


@pytest.mark.parametrize("name", ["sample_data.csv", "coretweet_test_input.csv"])
@pytest.mark.parametrize("window, min_weight", [(60, 1), (59, 2), (3600, 2)])
def test_networks_equal_the_toolkits(name: str, window: int, min_weight: int,
                                     tmp_path: Path) -> None:
    posts = read_posts(QUT / name)
    theirs = toolkit_networks(posts, window, min_weight, tmp_path / "toolkit.db")
    options = NetworkOptions(window=window, min_weight=min_weight, similarity=1.0)
    _, networks = build_networks(posts, list(OURS_TO_THEIRS), options)
    for network in networks:
        assert network.edges == theirs[OURS_TO_THEIRS[network.kind]], network.kind
    if name == "sample_data.csv" and window == 60 and min_weight == 1:
        assert len(networks[0].edges) == 8 and len(networks[1].edges) == 86  # not vacuous
