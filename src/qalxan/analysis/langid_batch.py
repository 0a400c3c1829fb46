"""py3langid's scores for a whole batch of texts at once (same model, same answers up to
float rounding).

py3langid walks a byte automaton over one text at a time in a Python loop, which costs
more than every threat detector together. Here the automaton advances every text of a
batch by one byte per step with array operations (texts sorted longest first, so each
step touches only the texts still running); the few longest texts are finished with the
per-byte loop once too few remain for the array step to pay. Feature counts, naive-Bayes
scores and the normalisation are py3langid's own, vectorised; ``rank`` returns what
``LanguageIdentifier.rank`` returns, up to float rounding (``tests/analysis`` checks it).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Final

import numpy as np
from numpy.typing import NDArray
from py3langid.langid import LanguageIdentifier

MIN_ACTIVE: Final[int] = 8  # below this many running texts, the per-byte loop is cheaper

Ranking = list[tuple[str, float]]


def encode(text: str) -> bytes:
    """The bytes py3langid scores: lower-cased if all upper case, NFC, UTF-8."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


class BatchIdentifier:
    """Batch scoring over a (possibly language-restricted) ``LanguageIdentifier``."""

    def __init__(self, ident: LanguageIdentifier) -> None:
        # Views of the automaton (py3langid keeps it in ``array.array``s; no copy when the
        # item size is 4 bytes).
        nextmove = ident.tk_nextmove
        self._next: NDArray[np.uint32] = (
            np.frombuffer(nextmove, dtype=np.uint32)
            if nextmove.itemsize == 4
            else np.asarray(nextmove, dtype=np.uint32)
        )
        rows = np.asarray(ident.tk_row, dtype=np.uint32)
        self._rowbase: NDArray[np.uint32] = rows << np.uint32(8)
        self._out: NDArray[np.int32] = np.asarray(ident.tk_output, dtype=np.int32)
        self._walk: tuple[Sequence[int], Sequence[int], Sequence[int]] = (
            ident.tk_nextmove,
            ident._rowbase,
            ident.tk_output,
        )
        self._ptc: NDArray[np.float16] = ident.nb_ptc
        self._pc: NDArray[np.float32] = np.asarray(ident.nb_pc, dtype=np.float32)
        self._norm: bool = bool(ident._norm_probs)
        self._aliases: list[tuple[int, int]] = list(ident._alias_pairs)
        classes: list[str] = list(ident.nb_classes)
        # py3langid's rank keeps the first column of each label (aliases are folded in).
        firsts = dict.fromkeys(classes)
        self._columns = [classes.index(lang) for lang in firsts]
        self.labels: list[str] = list(firsts)

    def probabilities(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One row per text, one column per label of ``labels``: py3langid's scores."""
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return self.scores([encode(t) for t in texts])[:, self._columns]

    def rank(self, texts: Sequence[str]) -> list[Ranking]:
        """For each text, every language with its score, best first (as py3langid's)."""
        ranked: list[Ranking] = []
        for row in self.probabilities(texts).tolist():
            pairs = list(zip(self.labels, row, strict=True))
            pairs.sort(key=_score, reverse=True)
            ranked.append(pairs)
        return ranked

    def scores(self, encoded: Sequence[bytes]) -> NDArray[np.float32]:
        """Class scores (probabilities when the identifier normalises), one row per text."""
        rows, feats = self._features(encoded)
        scores = self._naive_bayes(len(encoded), rows, feats)
        if self._norm:
            lengths = np.array([len(b) or 1 for b in encoded], dtype=np.float32)
            scores *= (1.0 / np.sqrt(lengths))[:, None]
            scores = np.exp(scores - scores.max(axis=1, keepdims=True))
            scores /= scores.sum(axis=1, keepdims=True)
        for i, j in self._aliases:
            if self._norm:
                scores[:, i] += scores[:, j]
                scores[:, j] = 0.0
            else:
                scores[:, i] = np.maximum(scores[:, i], scores[:, j])
                scores[:, j] = np.finfo(np.float32).min
        return scores

    def _naive_bayes(
        self, count: int, rows: NDArray[np.int64], feats: NDArray[np.int64]
    ) -> NDArray[np.float32]:
        """Log-posteriors: sum of log(1 + count) x P(feature | class), plus the priors."""
        features, classes = self._ptc.shape
        fill = 0.0 if self._norm else float(np.finfo(np.float32).min)
        scores = np.full((count, classes), fill, dtype=np.float32)
        if rows.size == 0:
            return scores
        keys, counts = np.unique(rows * features + feats, return_counts=True)
        key_rows = keys // features
        weights = np.log1p(counts.astype(np.float32))[:, None] * self._ptc[keys % features]
        first = np.empty(key_rows.size, dtype=bool)
        first[0] = True
        np.not_equal(key_rows[1:], key_rows[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        scores[key_rows[starts]] = np.add.reduceat(weights, starts, axis=0) + self._pc
        return scores

    def _features(self, encoded: Sequence[bytes]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(text index, feature index) of every feature occurrence, all texts together."""
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        order = np.argsort(-lengths, kind="stable")
        ordered = lengths[order]
        if int(np.count_nonzero(ordered)) < MIN_ACTIVE:
            active = int(np.count_nonzero(ordered))
            return self._finish(encoded, order, np.zeros(active, np.uint32), 0, active)
        # Array steps while at least MIN_ACTIVE texts run: up to the length of the
        # MIN_ACTIVE-th longest text (so one very long text costs no large arrays).
        limit = int(ordered[MIN_ACTIVE - 1])
        data = _columns(encoded, order, np.minimum(ordered, limit), limit)
        running = np.searchsorted(-ordered, -np.arange(limit + 1), side="left").tolist()
        states = np.zeros(data.shape, dtype=np.uint32)
        nm, rowbase = self._next, self._rowbase
        current = np.zeros(running[0], dtype=np.uint32)
        for step in range(limit):
            k = running[step]
            current = nm[rowbase[current[:k]] + data[step, :k]]
            states[step, :k] = current
        feats = self._out[states]
        feats[np.arange(limit)[:, None] >= ordered[None, :]] = -1
        steps, columns = np.nonzero(feats >= 0)
        rows, found = order[columns], feats[steps, columns].astype(np.int64)
        left = running[limit]  # texts longer than the limit: finished byte by byte
        if left:
            tail_rows, tail_feats = self._finish(encoded, order, current[:left], limit, left)
            rows = np.concatenate([rows, tail_rows])
            found = np.concatenate([found, tail_feats])
        return rows, found

    def _finish(
        self,
        encoded: Sequence[bytes],
        order: NDArray[np.int64],
        current: NDArray[np.uint32],
        step: int,
        active: int,
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """py3langid's per-byte walk for the longest texts, from where the array steps
        left them (on py3langid's own Python-level tables, cheaper to index one by one)."""
        nm, rowbase, out = self._walk
        rows: list[int] = []
        feats: list[int] = []
        for j in range(active):
            index = int(order[j])
            state = int(current[j])
            for letter in encoded[index][step:]:
                state = nm[rowbase[state] + letter]
                feature = out[state]
                if feature >= 0:
                    rows.append(index)
                    feats.append(feature)
        return np.asarray(rows, dtype=np.int64), np.asarray(feats, dtype=np.int64)


def _columns(
    encoded: Sequence[bytes], order: NDArray[np.int64], clipped: NDArray[np.int64], limit: int
) -> NDArray[np.uint32]:
    """Byte ``t`` of the ``j``-th longest text at ``[t, j]`` for ``t < limit`` (zero past
    its end); ``clipped`` are the texts' lengths, longest first, at most ``limit``."""
    joined = b"".join([encoded[i][:limit] for i in order.tolist()])
    flat = np.frombuffer(joined, dtype=np.uint8)
    starts = np.cumsum(clipped) - clipped
    column = np.repeat(np.arange(clipped.size), clipped)
    step = np.arange(flat.size) - np.repeat(starts, clipped)
    data = np.zeros((limit, clipped.size), dtype=np.uint32)
    data[step, column] = flat
    return data


def _score(pair: tuple[str, float]) -> float:
    return pair[1]
