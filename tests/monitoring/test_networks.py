"""The five networks: what each compares, the window's edges, weights and filters."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qalxan.monitoring.campaigns import sweep as sweep_module
from qalxan.monitoring.campaigns.networks import NetworkOptions, build_networks
from qalxan.monitoring.posts import Post

from .conftest import post


def edges(posts: Sequence[Post], kind: str, **options: object) -> dict[tuple[str, str], int]:
    settings_ = {"min_weight": 1, **options}
    _, (network,) = build_networks(posts, [kind], NetworkOptions(**settings_))  # type: ignore[arg-type]
    return network.edges


def test_co_post_matches_normalised_text_of_different_accounts() -> None:
    posts = [post("1", "a", 0, "Vote NO  today @x"), post("2", "b", 30, "vote no today"),
             post("3", "c", 30, "something else"), post("4", "a", 31, "vote no today")]
    assert edges(posts, "co-post") == {("a", "b"): 2, ("b", "a"): 1}


def test_co_post_finds_near_identical_text_above_the_similarity() -> None:
    base = "the defender is a foreign agent paid by them"
    posts = [post("1", "a", 0, base), post("2", "b", 5, base.replace("them", "others"))]
    assert edges(posts, "co-post", similarity=1.0) == {}
    assert edges(posts, "co-post", similarity=0.7) == {("a", "b"): 1, ("b", "a"): 1}


def test_short_texts_are_matched_only_exactly() -> None:
    posts = [post("1", "a", 0, "go home now"), post("2", "b", 5, "go home today")]
    assert edges(posts, "co-post", similarity=0.3) == {}


def test_co_link_compares_normalised_links_and_ignores_reposts() -> None:
    posts = [post("1", "a", 0, urls=("https://Smear.example/story/",)),
             post("2", "b", 10, urls=("hxxp://smear[.]example/story#top",)),
             post("3", "c", 10, urls=("https://smear.example/story",), repost_id="9")]
    assert edges(posts, "co-link") == {("a", "b"): 1, ("b", "a"): 1}


def test_co_link_counts_a_post_once_however_many_links_match() -> None:
    links = ("http://x.example/1", "http://x.example/2")
    posts = [post("1", "a", 0, urls=links), post("2", "b", 1, urls=links)]
    assert edges(posts, "co-link") == {("a", "b"): 1, ("b", "a"): 1}


def test_co_link_unshortens_where_the_map_knows_the_link() -> None:
    posts = [post("1", "a", 0, urls=("https://t.example/abc",)),
             post("2", "b", 1, urls=("https://smear.example/story",))]
    mapping = {"https://t.example/abc": "https://smear.example/story"}
    assert edges(posts, "co-link") == {}
    assert edges(posts, "co-link", unshorten=mapping) == {("a", "b"): 1, ("b", "a"): 1}


def test_co_share_matches_reposts_of_the_same_post() -> None:
    posts = [post("1", "a", 0, repost_id="p"), post("2", "b", 5, repost_id="p"),
             post("3", "c", 5, repost_id="q")]
    assert edges(posts, "co-share") == {("a", "b"): 1, ("b", "a"): 1}


def test_co_reply_matches_replies_to_the_same_post() -> None:
    posts = [post("1", "a", 0, "x", reply_id="p"), post("2", "b", 5, "y", reply_id="p"),
             post("3", "c", 5, "z", reply_id="p", repost_id="r")]
    assert edges(posts, "co-reply") == {("a", "b"): 1, ("b", "a"): 1}


def test_co_hashtag_uses_the_column_or_the_text() -> None:
    posts = [post("1", "a", 0, "shame on her #Traitor"), post("2", "b", 5, hashtags=("#traitor",)),
             post("3", "c", 5, "price is #1 in a#b")]
    assert edges(posts, "co-hashtag") == {("a", "b"): 1, ("b", "a"): 1}


@pytest.mark.parametrize("window, expected", [
    (59, {}), (60, {("a", "b"): 1, ("b", "a"): 1}), (61, {("a", "b"): 1, ("b", "a"): 1}),
])
def test_the_window_includes_its_edges(window: float, expected: dict[tuple[str, str], int]) -> None:
    posts = [post("1", "a", 0, repost_id="p"), post("2", "b", 60, repost_id="p")]
    assert edges(posts, "co-share", window=window) == expected


def test_fractional_times_are_compared_exactly() -> None:
    posts = [post("1", "a", 1606451170.518101, repost_id="p"),
             post("2", "b", 1606451230.518101, repost_id="p"),
             post("3", "c", 1606451230.518102, repost_id="p")]
    assert ("a", "b") in edges(posts, "co-share")
    assert ("a", "c") not in edges(posts, "co-share")


def test_minimum_weight_drops_lighter_edges_per_direction() -> None:
    posts = [post("1", "a", 0, repost_id="p"), post("2", "a", 1, repost_id="q"),
             post("3", "b", 2, repost_id="p"), post("4", "b", 2, repost_id="q"),
             post("5", "c", 2, repost_id="q")]
    assert edges(posts, "co-share", min_weight=2) == {("a", "b"): 2, ("b", "a"): 2}


def test_an_account_is_never_linked_to_itself() -> None:
    posts = [post("1", "a", 0, repost_id="p"), post("2", "a", 1, repost_id="p")]
    assert edges(posts, "co-share") == {}


def test_percentile_keeps_only_the_heaviest_edges() -> None:
    posts = [post(f"{a}{i}", a, i * 1000, repost_id=f"p{i}")
             for a in "ab" for i in range(5)]
    posts += [post("c0", "c", 0, repost_id="p0"), post("d0", "d", 1000, repost_id="p1")]
    everything = edges(posts, "co-share")
    kept = edges(posts, "co-share", percentile=0.9)
    assert everything[("a", "b")] == 5 and len(everything) > 2
    assert kept == {("a", "b"): 5, ("b", "a"): 5}


def test_options_refuse_nonsense() -> None:
    for bad in ({"window": -1}, {"min_weight": 0}, {"percentile": 1.0}, {"similarity": 0}):
        with pytest.raises(ValueError):
            NetworkOptions(**bad)
    with pytest.raises(ValueError, match="unknown network"):
        edges([post("1", "a", 0)], "co-like")


def naive(posts: Sequence[Post], window: float) -> dict[tuple[str, str], int]:
    """The definition, over every pair of posts."""
    weights: dict[tuple[str, str], int] = {}
    for p in posts:
        matched = {q.author_id for q in posts if q.repost_id == p.repost_id
                   and q.author_id != p.author_id and abs(q.timestamp - p.timestamp) <= window}
        for other in matched:
            weights[(p.author_id, other)] = weights.get((p.author_id, other), 0) + 1
    return weights


shares = st.lists(
    st.tuples(st.sampled_from("abcde"), st.integers(0, 200), st.sampled_from("pqr")),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(shares, st.integers(0, 80))
def test_the_sweep_equals_the_definition(rows: list[tuple[str, int, str]], window: int) -> None:
    posts = [post(str(i), a, t, repost_id=k) for i, (a, t, k) in enumerate(rows)]
    assert edges(posts, "co-share", window=window) == naive(posts, window)


def test_chunked_sweeps_give_the_same_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    posts = [post(str(i), f"u{i % 7}", i % 50, repost_id=f"p{i % 3}") for i in range(300)]
    whole = edges(posts, "co-share", window=10)
    monkeypatch.setattr(sweep_module, "CHUNK_PAIRS", 17)
    assert edges(posts, "co-share", window=10) == whole == naive(posts, 10)
