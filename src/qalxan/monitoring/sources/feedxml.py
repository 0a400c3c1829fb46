"""RSS 2.0 and Atom 1.0 documents to entries, refusing XML attacks.

Parsing goes through ``defusedxml`` with DTDs forbidden: a document that declares a DTD
(the carrier of entity expansion "billion laughs" and external entity attacks) is refused
before any entity is expanded. Entry HTML becomes plain text and links (``markup``).
Hostile documents cannot stop the reading: Atom XHTML nested deeper than ``MAX_DEPTH``
is read as its text alone (serialising it would recurse past Python's limit), and a date
outside the times a post can carry (``posts.plausible_time``: year 9999, before 1970)
counts as no date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from qalxan.errors import SourceUnavailable
from qalxan.monitoring.posts import plausible_time
from qalxan.monitoring.sources.markup import html_to_plain

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Entry:
    """One feed entry: a stable id, text, permalink, author, time (None if undated), tags."""

    id: str
    text: str
    link: str | None
    author: str | None
    published: float | None
    categories: tuple[str, ...]
    links: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Feed:
    kind: str
    title: str
    entries: tuple[Entry, ...]


def parse_feed(body: bytes, where: str) -> Feed:
    """The feed in ``body``; ``SourceUnavailable`` naming ``where`` for anything else."""
    try:
        root = fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise SourceUnavailable(f"{where} was refused: the XML declares a DTD or entities "
                                f"({type(exc).__name__}), which feeds need not do") from None
    except ParseError as exc:
        raise SourceUnavailable(f"{where} is not well-formed XML ({exc})") from None
    if root.tag == "rss" and root.find("channel") is not None:
        channel = root.find("channel")
        assert channel is not None
        return Feed("rss", _text(channel, "title"), tuple(_rss_entries(channel)))
    if root.tag == f"{ATOM}feed":
        return Feed("atom", _text(root, f"{ATOM}title"), tuple(_atom_entries(root)))
    raise SourceUnavailable(f"{where} is XML but not an RSS 2.0 or Atom feed (root "
                            f"{root.tag!r})")


def _text(element: Element, path: str) -> str:
    found = element.find(path)
    return "".join(found.itertext()).strip() if found is not None else ""


def _rss_entries(channel: Element) -> Iterator[Entry]:
    for item in channel.iter("item"):
        html = _text(item, f"{CONTENT}encoded") or _text(item, "description")
        link = _text(item, "link") or None
        title = _text(item, "title")
        plain = html_to_plain(html)
        yield Entry(
            id=_text(item, "guid") or link or _fallback_id(title, plain.text),
            text=_joined(title, plain.text),
            link=link,
            author=_text(item, f"{DC}creator") or _text(item, "author") or None,
            published=_rfc822(_text(item, "pubDate")) or _iso(_text(item, f"{DC}date")),
            categories=tuple(t for c in item.iter("category") if (t := "".join(c.itertext())
                                                                      .strip())),
            links=_with(link, plain.links),
        )


def _atom_entries(feed: Element) -> Iterator[Entry]:
    for entry in feed.iter(f"{ATOM}entry"):
        link = _atom_link(entry)
        title = _text(entry, f"{ATOM}title")
        plain = html_to_plain(_atom_html(entry.find(f"{ATOM}content"))
                              or _atom_html(entry.find(f"{ATOM}summary")))
        yield Entry(
            id=_text(entry, f"{ATOM}id") or link or _fallback_id(title, plain.text),
            text=_joined(title, plain.text),
            link=link,
            author=_text(entry, f"{ATOM}author/{ATOM}name") or None,
            published=_iso(_text(entry, f"{ATOM}published") or _text(entry, f"{ATOM}updated")),
            categories=tuple(c.get("term", "").strip() for c in entry.iter(f"{ATOM}category")
                             if c.get("term", "").strip()),
            links=_with(link, plain.links),
        )


def _atom_link(entry: Element) -> str | None:
    for link in entry.iter(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return None


def _atom_html(element: Element | None) -> str:
    """Atom text constructs: ``text`` is escaped into HTML, ``html`` kept, ``xhtml`` read."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    text = "".join(element.itertext())
    if kind == "text":
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>")
    return text if kind == "html" else _xhtml(element)


def _xhtml(element: Element) -> str:
    """The XHTML inside an Atom text construct, as HTML without namespaces (as escaped
    text alone when it is nested deeper than ``MAX_DEPTH``)."""
    if _deeper_than(element, MAX_DEPTH):
        return "".join(element.itertext()).replace("&", "&amp;").replace("<", "&lt;")
    for child in element.iter():
        child.tag = child.tag.rpartition("}")[2]
    return "".join(tostring(child, encoding="unicode", method="html") for child in element)


def _deeper_than(element: Element, most: int) -> bool:
    """Whether elements nest more than ``most`` levels under ``element`` (no recursion)."""
    stack = [(element, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > most:
            return True
        stack.extend((child, depth + 1) for child in node)
    return False


def _joined(title: str, body: str) -> str:
    if not title or body.startswith(title):
        return body
    return f"{title}\n\n{body}" if body else title


def _with(link: str | None, links: tuple[str, ...]) -> tuple[str, ...]:
    return links if link is None or link in links else (link, *links)


def _fallback_id(title: str, text: str) -> str:
    return "sha256:" + hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()[:32]


def _rfc822(text: str) -> float | None:
    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return _iso(text)
    return _seconds(moment)


def _iso(text: str) -> float | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return _seconds(moment)


def _seconds(moment: datetime) -> float | None:
    """Seconds since the epoch of a time a post can carry; None (undated) for another."""
    try:
        seconds = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    except (ValueError, OverflowError):
        return None
    return seconds if plausible_time(seconds) else None
