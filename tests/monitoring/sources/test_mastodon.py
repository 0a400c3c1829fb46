"""Mastodon timelines read forwards over recorded responses: pages, checkpoints, mapping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qalxan.errors import InvalidInput, SourceUnavailable
from qalxan.monitoring.posts import Post
from qalxan.monitoring.sources import Batch, Source, open_source, parse_spec
from qalxan.monitoring.sources.http import HttpClient
from qalxan.monitoring.sources.mastodon import snowflake_at
from tests.monitoring.recorded_http import RECORDINGS, RecordedServer, Reply
from tests.monitoring.sources.conftest import NOW, FakeTime

SMEAR = RECORDINGS / "mastodon_smear"
SUMMARY: dict[str, Any] = json.loads((SMEAR / "summary.json").read_text(encoding="utf-8"))
SINCE = "2026-03-14T07:00:00Z"
TAG_PATH = "/api/v1/timelines/tag/azfreedom"


def recorded_ids() -> list[str]:
    ids = []
    for page in sorted(SMEAR.glob("page_*.json")):
        ids += [s["id"] for s in json.loads(page.read_text(encoding="utf-8"))["response"]["body"]]
    return sorted(ids, key=lambda i: (len(i), i))


def tag_source(server: RecordedServer, http: HttpClient, tag: str = "azfreedom",
               **extra: str) -> Source:
    params = {"base_url": server.base_url, "hashtag": tag, "since": SINCE, **extra}
    return open_source(parse_spec("mastodon", "azfreedom", params), http=http)


def read_all(source: Source, limit: int) -> list[Batch]:
    batches = [source.fetch(None, limit)]
    while not batches[-1].exhausted:
        batches.append(source.fetch(batches[-1].checkpoint, limit))
    return batches


@pytest.mark.parametrize("limit", [40, 100, 1000])
def test_every_status_comes_once_in_order_across_pages(server: RecordedServer, http: HttpClient,
                                                       limit: int) -> None:
    server.load("mastodon_smear")
    batches = read_all(tag_source(server, http), limit)
    ids = [post.message_id for batch in batches for post in batch.posts]
    assert ids == recorded_ids()
    assert len(ids) == SUMMARY["statuses"] == 125
    assert all(len(batch.posts) <= limit for batch in batches)


def test_a_big_limit_follows_the_link_header_to_newer_pages(server: RecordedServer,
                                                            http: HttpClient) -> None:
    server.load("mastodon_smear")
    batch = tag_source(server, http).fetch(None, 1000)
    assert len(batch.posts) == 125 and batch.exhausted
    asked = [r.query for r in server.requested(TAG_PATH)]
    assert asked[0] == {"limit": "40", "min_id": snowflake_at(1773471600.0)}
    assert [q["min_id"] for q in asked[1:]] == [
        ids[-1] for ids in (recorded_ids()[:40], recorded_ids()[:80], recorded_ids()[:120])]


def test_a_crash_before_saving_gives_the_same_posts_and_saving_moves_on(
        server: RecordedServer, http: HttpClient) -> None:
    server.load("mastodon_smear")
    source = tag_source(server, http)
    first = source.fetch(None, 40)
    again = source.fetch(None, 40)  # the checkpoint was never saved
    assert again.posts == first.posts and again.checkpoint == first.checkpoint
    following = source.fetch(first.checkpoint, 40)
    assert following.posts[0].message_id == recorded_ids()[40]
    assert {p.message_id for p in first.posts}.isdisjoint(p.message_id for p in following.posts)


def test_an_empty_timeline_keeps_the_start_as_its_checkpoint(server: RecordedServer,
                                                             http: HttpClient) -> None:
    start = snowflake_at(1773471600.0)
    server.add("GET", "/api/v1/timelines/tag/quiet", {"limit": "40", "min_id": start},
               Reply(200, {"Content-Type": "application/json"}, b"[]"))
    batch = tag_source(server, http, "quiet").fetch(None, 40)
    assert batch.posts == () and batch.exhausted
    assert batch.checkpoint == json.dumps({"after": start}, separators=(",", ":"))


def test_without_since_a_new_source_starts_a_day_ago(server: RecordedServer, http: HttpClient,
                                                     fake_time: FakeTime) -> None:
    params = {"base_url": server.base_url, "timeline": "local"}
    source = open_source(parse_spec("mastodon", "local", params), http=http,
                         clock=fake_time.clock)
    with pytest.raises(SourceUnavailable, match="HTTP 404"):
        source.fetch(None, 20)
    asked = next(server.requested("/api/v1/timelines/public")).query
    assert asked == {"local": "true", "limit": "20", "min_id": snowflake_at(NOW - 86400)}


def test_smear_statuses_become_posts_with_their_fields(server: RecordedServer,
                                                       http: HttpClient) -> None:
    server.load("mastodon_smear")
    posts = {p.message_id: p for p in tag_source(server, http).fetch(None, 1000).posts}
    burst = [posts[i] for i in SUMMARY["burst"]["statuses"]]
    assert {p.author_name for p in burst} == set(SUMMARY["burst"]["accounts"])
    assert sum(p.reply_id == SUMMARY["defender"]["status_id"] for p in burst) == 9
    first = burst[0]
    assert first.text == ("Aysel Mammadova is a paid foreign agent and a traitor, she must be "
                          "stopped #azfreedom")
    assert first.hashtags == ("azfreedom",) and first.platform == "mastodon"
    assert first.link == f"https://social.example/@{first.author_name}/{first.message_id}"
    assert burst[2].text.startswith("@aysel_m is a paid foreign agent")


def test_reblogs_replies_warnings_and_links_are_mapped(server: RecordedServer,
                                                       http: HttpClient) -> None:
    server.load("mastodon_misc")
    params = {"base_url": server.base_url, "account_id": "109876543210987654", "since": SINCE}
    posts = open_source(parse_spec("mastodon", "acct", params), http=http).fetch(None, 40).posts
    plain, boost, reply = posts
    assert plain == Post(message_id="116226500000000001", author_id="109876543210987654",
                         timestamp=1773475800.0, text="Sabahınız xeyir.",
                         author_name="heqiqet_sesi", platform="mastodon",
                         link="https://social.example/@heqiqet_sesi/116226500000000001",
                         network=server.base_url.removeprefix("http://"))
    assert boost.repost_id == "116226590000000000"
    assert boost.text == "Aysel Məmmədova xaindir!"
    assert boost.author_id == "109876543210987654"
    assert boost.link == "https://other.example/@milli_ruh/111"
    assert reply.reply_id == "116226605187113871"
    assert reply.text == ("politics\n\n@aysel_m who pays you? See "
                          "https://smear.example/dossier?id=7&lang=en\nShare it & spread it "
                          "#AzFreedom")
    assert reply.urls == ("https://smear.example/dossier?id=7&lang=en",)
    assert reply.hashtags == ("azfreedom",)


@pytest.mark.parametrize(("tag", "message"), [
    ("broken", "answered malformed JSON"),
    ("walled", "answered text/html; charset=utf-8, not JSON"),
    ("odd", "answered something other than statuses"),
])
def test_wrong_responses_are_refused(server: RecordedServer, http: HttpClient, tag: str,
                                     message: str) -> None:
    server.load("mastodon_misc")
    with pytest.raises(SourceUnavailable, match=message):
        tag_source(server, http, tag).fetch(None, 40)


def test_a_status_without_its_fields_is_refused(server: RecordedServer,
                                                http: HttpClient) -> None:
    body = json.dumps([{"id": "116226500000000001", "content": "<p>x</p>"}]).encode()
    server.add("GET", "/api/v1/timelines/tag/thin",
               {"limit": "40", "min_id": snowflake_at(1773471600.0)},
               Reply(200, {"Content-Type": "application/json"}, body))
    with pytest.raises(SourceUnavailable, match="without the fields of a Mastodon status"):
        tag_source(server, http, "thin").fetch(None, 40)


def test_rate_limited_pages_wait_and_lose_nothing(server: RecordedServer, http: HttpClient,
                                                  fake_time: FakeTime) -> None:
    server.load("mastodon_smear")
    server.script(TAG_PATH, Reply(429, {"Retry-After": "30"}), Reply(503, {}))
    batch = tag_source(server, http).fetch(None, 1000)
    assert len(batch.posts) == 125
    assert fake_time.sleeps == [30.0, 1.5]  # Retry-After, then the second back-off step


def test_the_recording_matches_its_readme() -> None:
    readme = (Path(SMEAR) / "README.md").read_text(encoding="utf-8")
    assert f"{SUMMARY['statuses']} statuses from {SUMMARY['accounts']} accounts" in readme
    assert f"{len(SUMMARY['burst']['accounts'])} accounts" in readme
    assert ", ".join(SUMMARY["burst"]["accounts"]) in readme.replace("\n  ", " ")


def test_statuses_at_or_before_the_checkpoint_are_never_returned_again(
        server: RecordedServer, http: HttpClient) -> None:
    page = json.loads((SMEAR / "page_1.json").read_text(encoding="utf-8"))["response"]["body"]
    checkpoint = json.dumps({"after": page[0]["id"]})  # the newest status of page 1
    server.add("GET", TAG_PATH, {"limit": "40", "min_id": page[0]["id"]},
               Reply(200, {"Content-Type": "application/json"}, json.dumps(page).encode()))
    batch = tag_source(server, http).fetch(checkpoint, 40)  # a server that ignored min_id
    assert batch.posts == () and batch.exhausted
    assert batch.checkpoint == json.dumps({"after": page[0]["id"]}, separators=(",", ":"))


def _status(i: int, status_id: str) -> dict[str, Any]:
    return {"id": status_id, "created_at": f"2026-03-14T08:{i // 60:02d}:{i % 60:02d}.000Z",
            "content": f"<p>post {i}</p>", "account": {"id": f"acc{i % 3}", "acct": "someone"},
            "url": f"https://social.example/@someone/{status_id}"}


def _serve_newest_first(server: RecordedServer, statuses: list[dict[str, Any]],
                        size: int) -> None:
    """A server whose ids are not in time order, paging newest first with rel="next"."""
    newest_first = list(reversed(statuses))
    query: dict[str, str] = {"limit": str(size)}
    for start in range(0, len(newest_first), size):
        page = newest_first[start:start + size]
        older = {"limit": str(size), "max_id": page[-1]["id"]}
        link = f'<{server.base_url}{TAG_PATH}?limit={size}&max_id={page[-1]["id"]}>; rel="next"'
        server.add("GET", TAG_PATH, query, Reply(200, {"Content-Type": "application/json",
                                                       "Link": link}, json.dumps(page).encode()))
        query = older
    server.add("GET", TAG_PATH, query, Reply(200, {"Content-Type": "application/json"}, b"[]"))


UNORDERED = ["zq9", "A01", "m7k", "0bx", "Yy2", "k00", "b3c", "Q9a", "x1x", "c55", "777",
             "aaa", "Z0z"]


def test_a_server_whose_ids_are_not_in_time_order_is_read_by_time(
        server: RecordedServer, http: HttpClient) -> None:
    statuses = [_status(i, status_id) for i, status_id in enumerate(UNORDERED)]
    _serve_newest_first(server, statuses, 5)
    source = tag_source(server, http, ids="unordered")
    batches = read_all(source, 5)
    assert [p.message_id for b in batches for p in b.posts] == UNORDERED  # by time, each once
    assert all(len(b.posts) <= 5 for b in batches)
    assert source.fetch(batches[-1].checkpoint, 5).posts == ()


def test_unordered_ids_after_a_checkpoint_give_only_the_new_statuses(
        server: RecordedServer, http: HttpClient) -> None:
    first = [_status(i, status_id) for i, status_id in enumerate(UNORDERED[:6])]
    _serve_newest_first(server, first, 4)
    source = tag_source(server, http, ids="unordered")
    done = read_all(source, 4)[-1].checkpoint
    later = [*first, *(_status(i, s) for i, s in enumerate(UNORDERED[6:], start=6))]
    _serve_newest_first(server, later, 4)
    batches = [source.fetch(done, 4)]
    while not batches[-1].exhausted:
        batches.append(source.fetch(batches[-1].checkpoint, 4))
    assert [p.message_id for b in batches for p in b.posts] == UNORDERED[6:]


def test_account_ids_may_be_letters_and_digits_but_no_path() -> None:
    base = {"base_url": "https://social.example", "ids": "unordered"}
    parse_spec("mastodon", "a", {**base, "account_id": "AbC123xyz"})
    with pytest.raises(InvalidInput, match="letters, digits"):
        parse_spec("mastodon", "a", {**base, "account_id": "../../admin"})


def test_unordered_ids_at_one_instant_split_across_batches_come_once(
        server: RecordedServer, http: HttpClient) -> None:
    same = [{**_status(0, status_id), "created_at": "2026-03-14T08:00:00.000Z"}
            for status_id in ("p2", "a9", "Zz", "k1", "m0")]
    _serve_newest_first(server, same, 2)
    ids = [p.message_id for b in read_all(tag_source(server, http, ids="unordered"), 2)
           for p in b.posts]
    assert sorted(ids) == sorted(s["id"] for s in same) and len(ids) == 5
