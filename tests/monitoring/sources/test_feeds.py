"""RSS and Atom feeds: entries to posts, seen ids with bounded memory, XML attacks refused."""

from __future__ import annotations

import json

import pytest

from qalxan.errors import SourceUnavailable
from qalxan.monitoring.sources import Source, open_source, parse_spec
from qalxan.monitoring.sources.http import HttpClient
from tests.monitoring.recorded_http import RecordedServer, Reply
from tests.monitoring.sources.conftest import NOW, FakeTime

RSS = {"Content-Type": "application/rss+xml"}


def feed(server: RecordedServer, http: HttpClient, path: str, fake_time: FakeTime | None = None,
         **extra: str) -> Source:
    spec = parse_spec("rss", "feed", {"url": server.base_url + path, **extra})
    clock = fake_time.clock if fake_time else (lambda: NOW)
    return open_source(spec, http=http, clock=clock)


def rss(*items: tuple[str, str]) -> bytes:
    """A small RSS 2.0 document of (guid, pubDate) items."""
    body = "".join(f"<item><title>t{guid}</title><guid>{guid}</guid><pubDate>{date}</pubDate>"
                   f"</item>" for guid, date in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{body}' \
           f"</channel></rss>".encode()


def test_rss_items_become_posts_oldest_first(server: RecordedServer, http: HttpClient) -> None:
    server.load("feeds")
    batch = feed(server, http, "/feed/").fetch(None, 10)
    vigil, court, smear = batch.posts
    assert [p.message_id for p in batch.posts] == [
        "https://news.example/?p=4398", "https://news.example/?p=4407",
        "https://news.example/?p=4411"]
    assert smear.text == ("Who is really behind Aysel Mammadova?\n\nQuestions about the foreign "
                          "funding of a well-known activist.\n\nSources: a grant list.")
    assert smear.urls == ("https://news.example/2026/03/14/who-is-behind/",
                          "https://grants.example/list")
    assert smear.author_id == smear.author_name == "Staff writer"
    assert smear.hashtags == ("Politics", "Opinion")
    assert smear.timestamp == 1773480600.0 and smear.platform == "rss"
    assert smear.link == "https://news.example/2026/03/14/who-is-behind/"
    assert court.author_name == "Leyla Quliyeva"
    assert vigil.text == "Vigil for detained journalists\n\nDozens gathered & lit candles."
    assert vigil.author_id == "Baku Observer" and vigil.author_name is None
    assert batch.exhausted


def test_atom_entries_in_html_xhtml_and_text(server: RecordedServer, http: HttpClient,
                                             fake_time: FakeTime) -> None:
    server.load("feeds")
    note, interview, court = feed(server, http, "/atom.xml", fake_time).fetch(None, 10).posts
    assert court.text == "Məhkəmə yenə təxirə salındı\n\nBu gün məhkəmə iş 77 üzrə yenə təxirə " \
                         "salındı."
    assert court.urls == ("https://blog.example/2026/03/14/mehkeme",
                          "https://court.example/case/77")
    assert court.timestamp == 1773465300.0  # 09:15 at +04:00
    assert court.hashtags == ("məhkəmə",) and court.platform == "atom"
    assert interview.text == ("Aysel Məmmədova ilə müsahibə\n\nAysel Məmmədova jurnalistlərin "
                              "hüquqları haqqında danışır.\n\nTam mətn: burada.")
    assert "https://blog.example/full/musahibe" in interview.urls
    assert note.text == "Qısa qeyd\n\nSabah saat 10-da <görüş>."
    assert note.link is None and note.author_id == "Azad Söz bloqu"


def test_seen_entries_are_not_returned_again(server: RecordedServer, http: HttpClient) -> None:
    server.load("feeds")
    source = feed(server, http, "/feed/")
    first = source.fetch(None, 10)
    assert source.fetch(first.checkpoint, 10).posts == ()
    assert source.fetch(None, 10).posts == first.posts  # not saved: the same posts again


def test_more_new_entries_than_the_limit_come_in_the_next_fetches(
        server: RecordedServer, http: HttpClient) -> None:
    server.load("feeds")
    source = feed(server, http, "/feed/")
    first = source.fetch(None, 2)
    rest = source.fetch(first.checkpoint, 2)
    assert [len(first.posts), first.exhausted] == [2, False]
    assert [len(rest.posts), rest.exhausted] == [1, True]
    assert rest.posts[0].message_id == "https://news.example/?p=4411"


def test_memory_of_seen_ids_is_bounded_by_a_time_floor(server: RecordedServer,
                                                       http: HttpClient) -> None:
    days = [(str(n), f"Sat, {n:02d} Mar 2026 09:00:00 +0000") for n in range(1, 6)]
    server.add("GET", "/f", {}, Reply(200, RSS, rss(*days)))
    source = feed(server, http, "/f", max_seen="2")
    batch = source.fetch(None, 10)
    state = json.loads(batch.checkpoint or "")
    assert [i for i, _t in state["seen"]] == ["4", "5"]
    assert state["floor"] == 1772528400.0  # 3 March 09:00, the newest forgotten
    assert source.fetch(batch.checkpoint, 10).posts == ()
    server.add("GET", "/f", {}, Reply(200, RSS, rss(*days, ("late", days[0][1]),
                                                    ("6", "Fri, 06 Mar 2026 09:00:00 +0000"))))
    assert [p.message_id for p in source.fetch(batch.checkpoint, 10).posts] == ["6"]


def test_undated_entries_take_the_time_they_were_first_fetched(
        server: RecordedServer, http: HttpClient, fake_time: FakeTime) -> None:
    body = (b'<rss version="2.0"><channel><title>f</title><item><title>a</title>'
            b"<link>https://news.example/a</link></item></channel></rss>")
    server.add("GET", "/f", {}, Reply(200, RSS, body))
    source = feed(server, http, "/f", fake_time)
    batch = source.fetch(None, 10)
    assert batch.posts[0].timestamp == NOW and batch.posts[0].message_id == \
        "https://news.example/a"
    fake_time.now += 3600
    assert source.fetch(batch.checkpoint, 10).posts == ()


@pytest.mark.parametrize(("path", "message"), [
    ("/bomb.xml", "refused: the XML declares a DTD or entities"),
    ("/xxe.xml", "refused: the XML declares a DTD or entities"),
    ("/news/", "answered text/html; charset=utf-8, not an RSS or Atom feed"),
    ("/truncated.xml", "is not well-formed XML"),
    ("/sitemap.xml", "is XML but not an RSS 2.0 or Atom feed"),
])
def test_attacks_and_wrong_content_are_refused(server: RecordedServer, http: HttpClient,
                                               path: str, message: str) -> None:
    server.load("feeds")
    with pytest.raises(SourceUnavailable, match=message) as caught:
        feed(server, http, path).fetch(None, 10)
    assert "lol" not in caught.value.detail and "passwd" not in caught.value.detail


def test_a_small_memory_loses_nothing_when_read_in_small_batches(
        server: RecordedServer, http: HttpClient) -> None:
    same_time = "Sun, 01 Mar 2026 09:00:00 +0000"
    items = [("a", same_time), ("b", same_time), ("c", same_time),
             ("d", "Mon, 02 Mar 2026 09:00:00 +0000"), ("e", "Tue, 03 Mar 2026 09:00:00 +0000")]
    server.add("GET", "/f", {}, Reply(200, RSS, rss(*items, ("c", same_time))))
    source = feed(server, http, "/f", max_seen="1")
    ids, checkpoint, exhausted = [], None, False
    while not exhausted:
        batch = source.fetch(checkpoint, 2)
        ids += [p.message_id for p in batch.posts]
        checkpoint, exhausted = batch.checkpoint, batch.exhausted
    assert ids == ["a", "b", "c", "d", "e"]
    assert source.fetch(checkpoint, 2).posts == ()
