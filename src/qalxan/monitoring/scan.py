"""Scanning public posts: which watched defenders each post concerns, and what it does to them.

A post *concerns* a watched defender when it names them (the watch-list matcher: names,
handles and aliases, tolerant of script, inflection and typos) or when a detector finds the
defender's own stored details in it (doxing that does not name its target). The analysis
engine runs on every post of the batch; the monitor keeps the posts that concern someone,
and those of a coordinated group that touches a defender (see ``signals``).

Pure: posts in, scanned posts out; no database and no network.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qalxan.analysis.message import AnalysisContext, Finding, Message
from qalxan.analysis.pipeline import MessageAnalysis, analyse_messages
from qalxan.monitoring.posts import Post
from qalxan.monitoring.watchlist import WatchListMatcher

#: Top-level codes that make a post an attack on the defender it concerns.
ATTACK_CODES = frozenset({"harassment", "smear", "disinformation"})
DOXING_CODE = "doxing"
#: Findings below this score do not count towards alerts.
MIN_SCORE = 0.5


@dataclass(frozen=True, slots=True)
class ScannedPost:
    """A post, the watched defenders it concerns (maybe none), and what the engine found."""

    post: Post
    defenders: frozenset[str]
    codes: tuple[str, ...]
    physical_risk: bool

    @property
    def attack(self) -> bool:
        return any(code.split('.')[0] in ATTACK_CODES for code in self.codes)

    @property
    def doxing(self) -> bool:
        return any(code.split('.')[0] == DOXING_CODE for code in self.codes)


def message_of(post: Post) -> Message:
    """The analysis engine's view of a post."""
    return Message(text=post.text, author=post.author_name or post.author_id,
                   timestamp=post.when, urls=post.urls, platform=post.platform,
                   source_id=post.message_id)


def _named_in_findings(findings: Iterable[Finding]) -> set[str]:
    return {f.details["defender_id"] for f in findings if f.details.get("defender_id")}


def _codes(result: MessageAnalysis) -> tuple[str, ...]:
    return tuple(sorted({f.code for f in result.findings if f.score >= MIN_SCORE}))


def scan_posts(posts: Sequence[Post], matcher: WatchListMatcher,
               context: AnalysisContext) -> list[ScannedPost]:
    """Every post with the watched defenders it concerns and its findings' codes (nothing
    when nobody is watched: then there is nothing to look for)."""
    if not posts or not context.watched:
        return []
    results = analyse_messages([message_of(p) for p in posts], context)
    scanned = []
    for post, result in zip(posts, results, strict=True):
        named = matcher.mentions(post.text, author_handle=post.author_name)  # not own posts
        defenders = {m.defender_id for m in named} | _named_in_findings(result.findings)
        scanned.append(ScannedPost(post, frozenset(defenders), _codes(result),
                                   result.physical_risk))
    return scanned


def concerning(scanned: Sequence[ScannedPost]) -> list[ScannedPost]:
    """The scanned posts that concern at least one watched defender."""
    return [s for s in scanned if s.defenders]
