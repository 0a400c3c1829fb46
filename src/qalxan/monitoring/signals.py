"""Why an alert is raised: the signals that scanned posts give about a watched defender.

Three kinds, as analysts asked for them:

* **a post** that attacks (harassment, smear, disinformation) or doxes a watched defender;
* **a spike**: the posts about a defender in the last hour, or their share of attacks,
  far above the defender's own baseline (the days before);
* **a coordinated group** (campaign detection over the batch) whose posts touch a defender.

Signals are facts; the alert service merges the signals about one defender into one alert
per episode. Pure: no database and no network.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from qalxan.monitoring.campaigns.detect import detect
from qalxan.monitoring.campaigns.networks import NetworkOptions
from qalxan.monitoring.campaigns.summary import coordinated_posts
from qalxan.monitoring.posts import Post
from qalxan.monitoring.scan import ScannedPost


class Reason(StrEnum):
    ATTACK_POST = "attack_post"
    DOXING_POST = "doxing_post"
    VOLUME_SPIKE = "volume_spike"
    ABUSE_SPIKE = "abuse_spike"
    CAMPAIGN = "campaign"


@dataclass(frozen=True, slots=True)
class Signal:
    """One reason to alert about one defender, with the posts behind it (by ``Post.key``)."""

    defender_id: str
    reason: Reason
    post_keys: tuple[str, ...]
    at: float
    detail: Mapping[str, Any] = field(default_factory=dict)


def post_signals(scanned: Sequence[ScannedPost]) -> list[Signal]:
    """An attack or doxing signal for each defender each such post concerns."""
    found = []
    for item in scanned:
        reasons = [r for r, on in ((Reason.ATTACK_POST, item.attack),
                                   (Reason.DOXING_POST, item.doxing)) if on]
        for defender_id in sorted(item.defenders):
            found += [Signal(defender_id, reason, (item.post.key,), item.post.timestamp,
                             {"codes": list(item.codes), "physical_risk": item.physical_risk})
                      for reason in reasons]
    return found


@dataclass(frozen=True, slots=True)
class Activity:
    """Posts about a defender in a period, and how many of them attack."""

    posts: int
    attacks: int
    hours: float

    @property
    def rate(self) -> float:
        return self.posts / self.hours if self.hours > 0 else 0.0

    @property
    def share(self) -> float:
        return self.attacks / self.posts if self.posts else 0.0


@dataclass(frozen=True, slots=True)
class SpikeRule:
    """When the last ``window_hours`` count as a spike against the ``baseline_days`` before.

    Volume: at least ``min_posts`` posts and more than the baseline hourly rate plus
    ``z`` Poisson standard deviations. Abuse share: at least ``min_attacks`` attacking posts
    and a share of attacks ``share_jump`` above the baseline share.
    """

    window_hours: float = 1.0
    baseline_days: float = 7.0
    min_posts: int = 10
    z: float = 3.0
    min_attacks: int = 5
    share_jump: float = 0.25


def volume_threshold(baseline: Activity, window_hours: float, z: float) -> float:
    expected = baseline.rate * window_hours
    return expected + z * math.sqrt(expected)


def spike_signals(defender_id: str, window: Activity, baseline: Activity, rule: SpikeRule,
                  at: float, post_keys: tuple[str, ...]) -> list[Signal]:
    """Volume and abuse-share spikes of one defender's last window against their baseline."""
    found = []
    threshold = volume_threshold(baseline, rule.window_hours, rule.z)
    if window.posts >= rule.min_posts and window.posts > threshold:
        found.append(Signal(defender_id, Reason.VOLUME_SPIKE, post_keys, at, {
            "posts": window.posts, "baseline_per_hour": round(baseline.rate, 3),
            "threshold": round(threshold, 3), "window_hours": rule.window_hours}))
    if window.attacks >= rule.min_attacks and window.share >= baseline.share + rule.share_jump:
        found.append(Signal(defender_id, Reason.ABUSE_SPIKE, post_keys, at, {
            "attacks": window.attacks, "posts": window.posts,
            "share": round(window.share, 3), "baseline_share": round(baseline.share, 3)}))
    return found


def campaign_signals(posts: Sequence[Post], scanned: Sequence[ScannedPost],
                     options: NetworkOptions | None = None) -> list[Signal]:
    """A signal per defender touched by each coordinated group found among ``posts``."""
    concerns = {s.post.key: s.defenders for s in scanned}
    if len(posts) < 2 or not concerns:
        return []
    detection = detect(posts, options=options)
    by_community = coordinated_posts(detection.corpus, detection.networks, detection.membership)
    groups = {g.community: g for g in detection.summary.groups}
    found = []
    for community, indices in sorted(by_community.items()):
        group_posts = [detection.corpus.posts[i] for i in sorted(indices)]
        touched = set().union(*(concerns.get(p.key, frozenset()) for p in group_posts))
        group = groups[community]
        detail = {"accounts": len(group.accounts), "posts": group.posts,
                  "networks": dict(group.edges), "statement": group.statement,
                  "label": group.label, "window_seconds": detection.options.window}
        ids = tuple(p.key for p in group_posts)
        at = max(p.timestamp for p in group_posts)
        found += [Signal(d, Reason.CAMPAIGN, ids, at, detail) for d in sorted(touched)]
    return found


def with_campaign_members(scanned: Sequence[ScannedPost],
                          signals: Sequence[Signal]) -> list[ScannedPost]:
    """The posts to keep: those that concern a defender, and the posts of a coordinated group
    that touches a defender, kept for that defender too (a group's posts need not all name
    its target: a lone common surname, a pronoun, a link)."""
    members: dict[str, set[str]] = {}
    for signal in signals:
        if signal.reason is Reason.CAMPAIGN:
            for key in signal.post_keys:
                members.setdefault(key, set()).add(signal.defender_id)
    kept = []
    for item in scanned:
        extra = members.get(item.post.key, set()) - item.defenders
        if extra:
            item = replace(item, defenders=item.defenders | frozenset(extra))
        if item.defenders:
            kept.append(item)
    return kept
