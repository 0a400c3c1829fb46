"""A generated stream of posts with injected coordinated bursts, and its ground truth.

Organic activity: accounts post on their own at random times over ``days`` days: original
texts (mostly unique, some common phrases), links and hashtags drawn from Zipf-like
popularity (so popular links and tags are shared by chance close in time), reposts of
popular posts, replies. Injected campaigns: groups of 6-16 accounts that, several times,
each post within ``burst_seconds`` of each other the same text (with case, spacing and
@mention variations), the same link, or a repost of the same post. The truth is every pair
of accounts in the same campaign.

    .venv/bin/python bench/campaigns_generate.py --size 1000000 --out posts.csv
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

from qalxan.monitoring.posts import Post

WORDS = ("vote", "court", "rights", "today", "news", "city", "water", "road", "school",
         "price", "bread", "rain", "music", "match", "team", "park", "doctor", "bus", "work",
         "family", "market", "river", "film", "book", "friends", "night", "sun", "tea")
PHRASES = ("good morning", "happy friday", "thank you", "so true", "congratulations")
SMEARS = ("{d} is a foreign agent paid to lie", "{d} betrayed the nation, share this",
          "the truth about {d} they hide from you", "{d} and the grant money scandal")
DEFENDERS = ("Leyla Aliyeva", "Arif Yunus", "Khadija Ismayil", "Anar Mammadli")


@dataclass(frozen=True)
class Generated:
    posts: list[Post]
    campaigns: list[list[str]]

    def true_pairs(self) -> set[tuple[str, str]]:
        return {(a, b) for members in self.campaigns
                for a, b in itertools.combinations(sorted(members), 2)}


def _zipf(rng: random.Random, size: int) -> int:
    """An index in ``[0, size)``, small ones far more often (about Zipf, s = 1)."""
    return min(int(size ** rng.random()) - 1, size - 1)


@dataclass
class _Maker:
    rng: random.Random
    size: int
    span: float
    posts: list[Post]

    def add(self, author: str, at: float, **fields: object) -> None:
        ident = f"m{len(self.posts)}"
        self.posts.append(Post(message_id=ident, author_id=author, timestamp=round(at, 3),
                               author_name=f"name_{author}", **fields))  # type: ignore[arg-type]

    def organic(self, author: str) -> None:
        rng, at = self.rng, self.rng.uniform(0, self.span)
        kind = rng.random()
        if kind < 0.25:
            self.add(author, at, repost_id=f"popular{_zipf(rng, max(self.size // 50, 2))}")
            return
        text = (rng.choice(PHRASES) if rng.random() < 0.05
                else " ".join(rng.choices(WORDS, k=rng.randint(4, 12))) + f" {rng.random():.6f}")
        urls = (f"https://site{_zipf(rng, 500)}.example/a/{_zipf(rng, self.size // 20)}",) \
            if rng.random() < 0.3 else ()
        tags = (f"#tag{_zipf(rng, 1000)}",) if rng.random() < 0.2 else ()
        reply = f"popular{_zipf(rng, max(self.size // 50, 2))}" if kind > 0.85 else None
        self.add(author, at, text=text + " " + " ".join(tags), urls=urls, reply_id=reply)


def _variant(rng: random.Random, text: str) -> str:
    """The same text as another account would paste it."""
    if rng.random() < 0.3:
        text = text.upper() if rng.random() < 0.5 else text.capitalize()
    if rng.random() < 0.5:
        text = f"@user{rng.randint(1, 999)} {text}"
    return text.replace(" ", "  ", 1) if rng.random() < 0.3 else text


def _burst(maker: _Maker, members: list[str], label: str, burst_seconds: float) -> None:
    rng = maker.rng
    start = rng.uniform(0, maker.span - burst_seconds)
    target = rng.choice(DEFENDERS)
    mode = int(label.rsplit("-", 1)[1]) % 3
    text = rng.choice(SMEARS).format(d=target) + f" #{target.split()[0].lower()}"
    link = (f"https://smear{rng.randint(1, 10**9)}.example/{target.split()[1].lower()}",)
    for account in members:
        at = start + rng.uniform(0, burst_seconds)
        if mode == 2:
            maker.add(account, at, repost_id=f"campaign{label}")
        else:
            maker.add(account, at, text=_variant(rng, text), urls=link if mode == 1 else ())


def _news(maker: _Maker, authors: list[str], event: int) -> None:
    """Breaking news: many unrelated accounts share one link within ten minutes."""
    rng = maker.rng
    start, link = rng.uniform(0, maker.span - 600), (f"https://news.example/{event}",)
    for _ in range(rng.randint(10, 40)):
        author = authors[_zipf(rng, len(authors))] if rng.random() < 0.5 else rng.choice(authors)
        maker.add(author, start + rng.uniform(0, 600), text=f"breaking {event}", urls=link)


def generate(size: int, seed: int = 7, days: float = 30, burst_seconds: float = 40,
             bursts: int = 6) -> Generated:
    """About ``size`` posts, of which the campaigns' bursts are a small part."""
    rng = random.Random(seed)
    maker = _Maker(rng, size, days * 86_400, [])
    campaigns = [[f"c{c}_{i}" for i in range(rng.randint(6, 16))]
                 for c in range(max(2, size // 20_000))]
    authors = [f"u{i}" for i in range(max(200, size // 25))]
    authors += [a for members in campaigns for a in members]
    organic = size - sum(len(m) for m in campaigns) * bursts - 25 * max(1, size // 2_000)
    while len(maker.posts) < organic:
        heavy = rng.random() < 0.5
        maker.organic(authors[_zipf(rng, len(authors))] if heavy else rng.choice(authors))
    for event in range(max(1, size // 2_000)):
        _news(maker, authors, event)
    for c, members in enumerate(campaigns):
        for b in range(bursts):
            _burst(maker, members, f"{c}-{b}", burst_seconds)
    rng.shuffle(maker.posts)
    return Generated(maker.posts, campaigns)


def write_csv(posts: list[Post], path: Path) -> None:
    """The posts in the coordination-network-toolkit's column layout."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["message_id", "user_id", "username", "repost_id", "reply_id",
                         "message", "timestamp", "urls"])
        for p in posts:
            writer.writerow([p.message_id, p.author_id, p.author_name, p.repost_id or "",
                             p.reply_id or "", p.text, p.timestamp, " ".join(p.urls)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    generated = generate(args.size, args.seed)
    write_csv(generated.posts, args.out)
    print(f"{len(generated.posts)} posts, {len(generated.campaigns)} campaigns -> {args.out}")


if __name__ == "__main__":
    main()
