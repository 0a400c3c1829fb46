"""HTML of a post (Mastodon ``content``, a feed's description) to plain text and links.

Paragraphs and line breaks become new lines; the text of links is kept (Mastodon splits a
long URL into visible and invisible spans: both are kept, so the URL reads whole). Links
are the ``href`` of anchors that are not mentions or hashtags. Scripts and styles are
dropped. Entities are decoded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
                     "tr", "ul", "ol", "table"})
_DROPPED = frozenset({"script", "style", "template"})
_NOT_LINKS = frozenset({"mention", "hashtag", "u-url"})


@dataclass(frozen=True, slots=True)
class Plain:
    text: str
    links: tuple[str, ...]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self._dropping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a":
            self._anchor(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self._dropping = max(0, self._dropping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data)

    def _anchor(self, attrs: dict[str, str | None]) -> None:
        href = (attrs.get("href") or "").strip()
        classes = set((attrs.get("class") or "").split())
        rel = set((attrs.get("rel") or "").split())
        if href.startswith(("http://", "https://")) and not classes & _NOT_LINKS \
                and "tag" not in rel and href not in self.links:
            self.links.append(href)


_SPACES = re.compile(r"[ \t\r\f\v]+")
_BREAKS = re.compile(r"\n{3,}")


def html_to_plain(html: str) -> Plain:
    """Plain text (lines trimmed, at most one blank line in a row) and the links of ``html``."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(reader.parts).split("\n"))
    text = _BREAKS.sub("\n\n", "\n".join(lines)).strip()
    return Plain(text=text, links=tuple(reader.links))
