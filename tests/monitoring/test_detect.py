"""Communities, the summary's wording, defenders named and the GraphML document."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import igraph

from qalxan.monitoring.campaigns.detect import Detection, detect, detection_graphml
from qalxan.monitoring.campaigns.graphml import write_graphml
from qalxan.monitoring.campaigns.networks import NetworkOptions
from qalxan.monitoring.posts import Post

from .conftest import post

SMEAR = "Leyla Aliyeva is a foreign agent, share before they delete it"


def two_campaigns() -> list[Post]:
    """Accounts a1-a4 post the smear and its link together three times; b1-b3 retweet
    together twice; n1 and n2 post alone."""
    posts: list[Post] = []
    for burst in range(3):
        for i in range(1, 5):
            posts.append(post(f"a{i}-{burst}", f"a{i}", burst * 3600 + i * 5, SMEAR,
                              urls=("https://smear.example/leyla",), author_name=f"Acc {i}"))
    for burst in range(2):
        posts += [post(f"b{i}-{burst}", f"b{i}", 90_000 + burst * 600 + i, repost_id="777")
                  for i in range(1, 4)]
    posts += [post("n1", "n1", 50_000, "a normal day"), post("n2", "n2", 50_010, "lunch")]
    return posts


def run(**options: object) -> Detection:
    return detect(two_campaigns(), options=NetworkOptions(**options),  # type: ignore[arg-type]
                  watchlist={"leyla": ["Leyla Aliyeva", "@leyla_a"]})


def test_each_group_of_accounts_is_one_community() -> None:
    detection = run()
    groups = sorted(sorted(g.accounts) for g in detection.summary.groups)
    assert groups == [["a1", "a2", "a3", "a4"], ["b1", "b2", "b3"]]
    assert detection.summary.groups[0].accounts == ("a1", "a2", "a3", "a4")  # largest first


def test_the_summary_counts_accounts_posts_time_and_what_was_shared() -> None:
    summary = run().summary
    smear, shares = summary.groups
    assert (smear.posts, smear.span_seconds) == (12, 2 * 3600 + 15)
    assert smear.first == "1970-01-01T00:00:05+00:00"
    assert smear.texts == [(SMEAR, 12)] and smear.links == [("smear.example/leyla", 12)]
    assert smear.edges == {"co-post": 6, "co-link": 6, "co-share": 0, "co-reply": 0,
                           "co-hashtag": 0}
    assert smear.account_names == ("Acc 1", "Acc 2", "Acc 3", "Acc 4")
    assert shares.shared_posts == [("777", 6)] and shares.texts == []
    assert (summary.accounts, summary.posts) == (7, 18)


def test_the_defenders_named_come_from_the_watch_list() -> None:
    summary = run().summary
    assert summary.groups[0].defenders_named == {"leyla": 12}
    assert summary.groups[1].defenders_named == {}
    assert summary.defenders_named == {"leyla": 12}


def test_results_say_coordinated_and_never_inauthentic(tmp_path: Path) -> None:
    detection = run()
    words = json.dumps(dataclasses.asdict(detection.summary)).lower()
    write_graphml(tmp_path / "g.graphml", detection_graphml(detection))
    words += (tmp_path / "g.graphml").read_text(encoding="utf-8").lower()
    assert "inauthentic" not in words
    assert "coordinated" in detection.summary.statement
    assert all("coordinated" in g.statement and "unconfirmed" in g.statement
               for g in detection.summary.groups)
    assert detection.summary.label == "coordinated"
    assert detection.summary.review.startswith("unconfirmed")


def test_graphml_holds_accounts_communities_and_one_edge_per_network(tmp_path: Path) -> None:
    detection = run()
    path = tmp_path / "campaign.graphml"
    write_graphml(path, detection_graphml(detection))
    graph = igraph.Graph.Read_GraphML(str(path))
    assert graph.is_directed() and graph.vcount() == 7
    assert sorted(set(graph.es["network"])) == ["co-link", "co-post", "co-share"]
    assert graph.ecount() == sum(len(n.edges) for n in detection.networks)
    node = graph.vs.find(id="a1")
    assert node["label"] == "Acc 1" and node["community"] == 0
    assert node["coordinated_posts"] == 3
    assert graph["label"] == "coordinated" and graph["window_seconds"] == 60.0
    root = ET.parse(path).getroot()  # noqa: S314 (our own file)
    assert root.tag == "{http://graphml.graphdrawing.org/xmlns}graphml"


def test_nothing_coordinated_gives_an_empty_summary() -> None:
    summary = detect([post("1", "a", 0, "hello"), post("2", "b", 9999, "hello")]).summary
    assert (summary.accounts, summary.posts, summary.groups) == (0, 0, [])
    assert summary.statement == ("No coordinated accounts found "
                                 "(window 60 s, minimum weight 2).")


def test_an_estimated_window_is_used_and_reported() -> None:
    detection = detect(two_campaigns(), ["co-share"], NetworkOptions(), estimate=True)
    assert detection.interval is not None and detection.summary.interval_estimated
    assert detection.options.window == detection.interval.seconds


def test_shared_texts_count_their_variants_together() -> None:
    posts = [post("1", "a", 0, "Vote NO today"), post("2", "b", 3, "@x vote  no today"),
             post("3", "a", 500, "Vote NO today"), post("4", "b", 503, "VOTE NO TODAY")]
    (group,) = detect(posts, ["co-post"]).summary.groups
    assert group.texts == [("Vote NO today", 4)]
