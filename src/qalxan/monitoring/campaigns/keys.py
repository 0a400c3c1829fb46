"""What each network compares: normalised texts, links, shared and replied-to posts, tags.

The text normalisation is the coordination-network-toolkit's, so that exact co-post
networks equal its co-tweet networks: lower case, ``@mentions`` removed, runs of white
space folded. Links are refanged, then normalised as indicators are (scheme-less, lower-case
host, no fragment or trailing slash), after an optional unshortening map.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from qalxan.analysis.urls import normalise_url, refang
from qalxan.monitoring.posts import Post

_MENTION = re.compile(r"@.*?(?=(?:\s|$))")
_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")

KeyedPosts = tuple[list[int], list[str]]


def normalise_text(text: str) -> str:
    """Lower case, without @mentions, white space folded (the toolkit's preprocessing)."""
    lower = text.lower()
    return " ".join((_MENTION.sub("", lower) if "@" in lower else lower).split())


def normalise_link(url: str, unshorten: Mapping[str, str] | None = None) -> str:
    """The form links are compared in; ``unshorten`` maps short links to their targets."""
    plain = refang(url.strip()).text
    if unshorten:
        plain = unshorten.get(plain, unshorten.get(normalise_url(plain), plain))
    return normalise_url(plain)


def hashtags_of(post: Post) -> tuple[str, ...]:
    """The post's hashtags (from its column, else from its text), lower case, no ``#``."""
    tags = post.hashtags or tuple(_HASHTAG.findall(post.text))
    return tuple(dict.fromkeys(t.lstrip("#").casefold() for t in tags if t.lstrip("#")))


def _many(posts: Sequence[Post], values: Callable[[Post], Iterable[str]],
          has: Callable[[Post], object]) -> KeyedPosts:
    index: list[int] = []
    keys: list[str] = []
    for i, post in enumerate(posts):
        if post.repost_id is None and has(post):
            found = set(values(post))
            found.discard("")
            index.extend([i] * len(found))
            keys.extend(found)
    return index, keys


def link_keys(posts: Sequence[Post], unshorten: Mapping[str, str] | None = None) -> KeyedPosts:
    """Each original post (not a repost) with each normalised link it carries."""
    seen: dict[str, str] = {}

    def links(post: Post) -> Iterable[str]:
        for url in post.urls:
            if url not in seen:
                seen[url] = normalise_link(url, unshorten)
            yield seen[url]

    return _many(posts, links, lambda p: p.urls)


def hashtag_keys(posts: Sequence[Post]) -> KeyedPosts:
    """Each original post (not a repost) with each hashtag it carries."""
    return _many(posts, hashtags_of, lambda p: p.hashtags or "#" in p.text)


def share_keys(posts: Sequence[Post]) -> KeyedPosts:
    """Each repost with the id of the post it shares."""
    pairs = [(i, p.repost_id) for i, p in enumerate(posts) if p.repost_id]
    return [i for i, _ in pairs], [k for _, k in pairs if k]


def reply_keys(posts: Sequence[Post]) -> KeyedPosts:
    """Each original post that is a reply, with the id of the post it answers."""
    pairs = [(i, p.reply_id) for i, p in enumerate(posts) if p.reply_id and not p.repost_id]
    return [i for i, _ in pairs], [k for _, k in pairs if k]


def text_keys(posts: Sequence[Post]) -> KeyedPosts:
    """Each original post with non-empty text, with its normalised text."""
    index: list[int] = []
    keys: list[str] = []
    for i, post in enumerate(posts):
        if post.repost_id is None and post.text:
            text = normalise_text(post.text)
            if text:
                index.append(i)
                keys.append(text)
    return index, keys
