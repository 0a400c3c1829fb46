"""Recall and false-match rate of watch-list matching on a SYNTHETIC watch-list and posts.

    python eval/watchlist_matching.py [--defenders 500] [--seed 20260101] [--real DATA]

``eval/watchlist/generate.py`` builds the watch-list (given names and surnames of six
languages, each with its spellings in other scripts) and posts per condition: positives
that name one watched defender in a varied form, negatives that name someone else or no
one. Per condition it prints recall (the post's defender was found) and false matches
(a post matched to a defender it does not name). With ``--real DATA`` (the shared data
folder) it also runs the matcher over real posts (OLID, ru_paradetox, OffensEval tr/ar),
which do not name the synthetic defenders: every match there is a false match.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "watchlist"))

from generate import NEGATIVE, POSITIVE, Person, Post, generate

from qalxan.monitoring.watchlist import WatchListMatcher

REAL_SETS = (
    ("olid/olid-training-v1.0.tsv", 1),
    ("ru_paradetox_russe2022/dev.tsv", 0),
    ("offenseval2020/train_dev/offenseval-tr-training-v1.tsv", 1),
    ("offenseval2020/train_dev/offenseval-ar-dev-v1.tsv", 1),
)


def score(
    matcher: WatchListMatcher, posts: list[Post], people: list[Person]
) -> dict[str, Counter[str]]:
    """Per condition: posts, posts whose defender was found, posts with a false match, and
    of those the posts whose every false match shares the surname the post writes (the
    ambiguity of a surname several watched people carry)."""
    family = {p.defender_id: p.family for p in people}
    counts: dict[str, Counter[str]] = {}
    for post in posts:
        found = matcher.mentioned(post.text)
        wrong = found - post.names
        c = counts.setdefault(post.condition, Counter())
        c["posts"] += 1
        c["found"] += bool(post.names) and post.names <= found
        c["false"] += bool(wrong)
        c["shared"] += bool(wrong) and bool(post.family) and all(
            family[d] == post.family for d in wrong
        )
    return counts


def table(counts: dict[str, Counter[str]]) -> str:
    lines = [
        "| condition | posts | recall | false-match posts | of which same surname | rate |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for group in (POSITIVE, NEGATIVE):
        for name in group:
            c = counts.get(name)
            if not c:
                continue
            recall = f"{c['found']}/{c['posts']} ({c['found'] / c['posts']:.1%})"
            shown = recall if group is POSITIVE else "–"
            rate = f"{c['false'] / c['posts']:.1%}"
            lines.append(
                f"| {name} | {c['posts']} | {shown} | {c['false']} | {c['shared']} | {rate} |"
            )
    for label, group in (("all positives", POSITIVE), ("all negatives", NEGATIVE)):
        total = Counter[str]()
        for n in group:
            total.update(counts.get(n, Counter()))
        rate = f"{total['false'] / max(total['posts'], 1):.1%}"
        lines.append(
            f"| **{label}** | {total['posts']} | | {total['false']} | {total['shared']} | {rate} |"
        )
    return "\n".join(lines)


def real_texts(root: Path, limit: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for relative, column in REAL_SETS:
        path = root / relative
        if path.is_file():
            with path.open(encoding="utf-8") as handle:
                rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                next(rows, None)
                texts = [r[column] for r in islice(rows, limit) if len(r) > column]
                out[relative.rsplit("/", 1)[-1]] = texts
    return out


def real_matches(matcher: WatchListMatcher, root: Path, limit: int) -> str:
    lines = [
        "",
        "Real posts (none names a synthetic defender: every match is false):",
        "| set | posts | posts matched | rate | what matched (surface -> stored) |",
        "|---|---:|---:|---:|---|",
    ]
    for name, texts in real_texts(root, limit).items():
        matched, what = 0, Counter[str]()
        for text in texts:
            mentions = matcher.mentions(text)
            matched += bool(mentions)
            what.update(f"{m.surface} -> {m.matched}" for m in mentions)
        top = "; ".join(f"{k} ({n})" for k, n in what.most_common(6))
        lines.append(f"| {name} | {len(texts)} | {matched} | {matched / len(texts):.2%} | {top} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--defenders", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--real", type=Path, help="shared data folder (optional)")
    parser.add_argument("--real-limit", type=int, default=5000, help="posts per real set")
    args = parser.parse_args()
    people, posts = generate(args.defenders, args.seed)
    matcher = WatchListMatcher(p.defender() for p in people)
    print(f"{len(people)} synthetic defenders, {len(posts)} synthetic posts, seed {args.seed}")
    print(table(score(matcher, posts, people)))
    if args.real:
        print(real_matches(matcher, args.real, args.real_limit))


if __name__ == "__main__":
    main()
