"""A batch of texts joined into one string, so that a regular expression runs once a batch.

Each call into the regular-expression engine has a fixed cost (about half a microsecond
with the Python around it), which on short messages is most of the work: one scan over
the joined texts replaces a scan per text. The texts are joined by NUL, and each match is
mapped back to its text by where the texts start.

A scan over the joined texts finds exactly the matches of a scan over each text, provided
the pattern cannot tell the separator from the end or the start of a text: it uses no
``^``/``$``/``\\A``/``\\Z``, and no lookaround can match a NUL (``\\w``, ``\\d``, ``\\s``,
literals and classes of ordinary characters cannot; ``.``, ``\\W``, ``\\S`` or a negated
class in a lookaround could). A match that takes in a separator (a pattern with ``.`` or
``\\W`` may) is not a match of either text: it is dropped, and the texts it touches are
scanned again one by one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate

SEPARATOR = "\x00"

# (index of the text in the batch, offset of that text in the match's string, the match)
Hit = tuple[int, int, re.Match[str]]


class Joined:
    """Some texts of a batch (all, or those at ``indices``) joined by the separator."""

    __slots__ = ("ends", "indices", "starts", "text", "texts")

    def __init__(self, texts: Sequence[str], indices: Sequence[int] | None = None) -> None:
        self.texts = texts
        self.indices: Sequence[int] = range(len(texts)) if indices is None else indices
        parts = texts if indices is None else [texts[i] for i in indices]
        self.text = SEPARATOR.join(parts)
        lengths = [len(part) for part in parts]
        self.starts = list(accumulate([n + 1 for n in lengths], initial=0))
        self.starts.pop()  # where a text after the last would start
        self.ends = [start + n for start, n in zip(self.starts, lengths, strict=True)]


def scan(pattern: re.Pattern[str], joined: Joined) -> Iterator[Hit]:
    """Every match of ``pattern`` in each text of ``joined``, as ``pattern.finditer`` finds
    them text by text, in that order. Hits come as the scan goes (a text's once the scan
    has left it), so that they do not pile up for the garbage collector."""
    starts, ends, indices, texts = joined.starts, joined.ends, joined.indices, joined.texts
    held: list[Hit] = []  # the hits of the text at position ``current`` in ``joined``
    current = -1
    alone = -1  # the texts up to this position were scanned again alone
    for match in pattern.finditer(joined.text):
        k = bisect_right(starts, match.start()) - 1
        if k != current:
            yield from held
            held, current = [], k
        crosses = match.end() > ends[k]
        if k > alone and not crosses:
            held.append((indices[k], starts[k], match))
            continue
        if crosses:  # not a match of any text: the texts it touches are scanned alone
            held = []
            last = bisect_right(starts, match.end() - 1) - 1
            for j in range(max(k, alone + 1), last + 1):
                i = indices[j]
                yield from ((i, 0, again) for again in pattern.finditer(texts[i]))
            alone = max(alone, last)
    yield from held
