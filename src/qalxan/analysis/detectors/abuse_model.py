"""The shipped abuse model: one linear classifier per label over hashed n-gram features.

Weights live in a compressed ``.npz`` (loaded with ``allow_pickle=False``) and a JSON
metadata file beside it, in ``qalxan/models/abuse``. Scoring needs numpy only; scikit-learn
is used by ``training/train_abuse.py`` alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from qalxan.analysis.text.features import (
    Batch,
    batch,
    position_scores,
    scores,
    word_scores,
)

MODEL_DIR: Final[tuple[str, str]] = ("models", "abuse")
WEIGHTS_FILE: Final[str] = "abuse-linear.npz"
METADATA_FILE: Final[str] = "abuse-linear.json"
FORMAT: Final[str] = "qalxan-linear-hashed/3"  # /3: character 3–5-grams
MIN_CUE_LENGTH: Final[int] = 3

FloatMatrix = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


class ModelError(ValueError):
    """The model files are missing, inconsistent or of an unknown format."""


@dataclass(frozen=True, slots=True)
class Contribution:
    """One feature occurrence that pushed a label's score up, in normalised-text offsets."""

    start: int
    end: int
    weight: float


@dataclass(frozen=True)
class AbuseModel:
    labels: tuple[str, ...]
    codes: tuple[str, ...]
    thresholds: tuple[float, ...]
    weights: FloatMatrix  # (n_features + 1, n_labels); the last row (null bucket) is zero
    bias: FloatMatrix  # (n_labels,)
    n_features: int
    version: str
    languages: frozenset[str] = frozenset()  # of its training sets; empty: not recorded

    @classmethod
    def from_bytes(cls, weights: bytes, metadata: bytes) -> AbuseModel:
        meta: dict[str, Any] = json.loads(metadata)
        if meta.get("format") != FORMAT:
            raise ModelError(f"unknown model format {meta.get('format')!r}")
        if meta.get("weights_sha256") != hashlib.sha256(weights).hexdigest():
            raise ModelError("weights file does not match its metadata (sha256)")
        import io

        with np.load(io.BytesIO(weights), allow_pickle=False) as npz:
            w = npz["weights"].astype(np.float32) * np.float32(meta["weight_scale"])
            bias = npz["bias"].astype(np.float32)
        labels = tuple(str(x["label"]) for x in meta["labels"])
        if w.shape != (int(meta["n_features"]), len(labels)) or bias.shape != (len(labels),):
            raise ModelError(f"weights of shape {w.shape} do not fit the metadata")
        return cls(
            labels=labels,
            codes=tuple(str(x["code"]) for x in meta["labels"]),
            thresholds=tuple(float(x["threshold"]) for x in meta["labels"]),
            weights=np.vstack([w, np.zeros((1, len(labels)), dtype=np.float32)]),
            bias=bias,
            n_features=int(meta["n_features"]),
            version=str(meta["version"]),
            languages=frozenset(str(c["lang"]) for c in meta.get("training_corpora", ())),
        )

    @classmethod
    def shipped(cls) -> AbuseModel:
        """The model bundled with the package (no download, ever)."""
        folder = resources.files("qalxan") / MODEL_DIR[0] / MODEL_DIR[1]
        try:
            weights = folder.joinpath(WEIGHTS_FILE).read_bytes()
            metadata = folder.joinpath(METADATA_FILE).read_bytes()
        except FileNotFoundError as exc:
            raise ModelError(f"shipped abuse model is missing: {exc.filename}") from exc
        return cls.from_bytes(weights, metadata)

    def features(self, texts: list[str]) -> Batch:
        """The feature occurrences of already-normalised ``texts``."""
        return batch(texts, self.n_features)

    def probabilities(self, texts: list[str] | Batch) -> FloatMatrix:
        """``(n_texts, n_labels)`` probabilities of normalised texts (or of their features)."""
        b = texts if isinstance(texts, Batch) else self.features(texts)
        logits = scores(b, self.weights) + self.bias
        probs: FloatMatrix = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        return probs

    def explain(
        self, texts: Sequence[str], rows: IntArray, labels: IntArray, top: int = 3
    ) -> list[list[Contribution]]:
        """For each pair ``(rows[k], labels[k])``, the words of the normalised text
        ``texts[rows[k]]`` that raised that label most (the weights of the n-grams that start
        on each word or the space before it), strongest first, ties in text order. One- and
        two-letter words ("a", "is") are passed over: they carry the weight of the n-grams
        around them, not meaning of their own. Only the texts named in ``rows`` are
        featurised again, and all pairs are ranked at once."""
        named, rows = np.unique(rows, return_inverse=True)
        b = self.features([texts[i] for i in named.tolist()])
        words = word_scores(b, position_scores(b, self.weights))
        lo = np.searchsorted(b.word_starts, b.row_starts[rows])
        counts = np.searchsorted(b.word_starts, b.row_starts[rows + 1]) - lo
        firsts = np.cumsum(counts) - counts  # where each pair's words begin in the flat list
        pair = np.repeat(np.arange(len(rows)), counts)
        word = np.arange(int(counts.sum())) + np.repeat(lo - firsts, counts)
        lengths = b.word_ends[word] - b.word_starts[word]
        weights = np.where(lengths >= MIN_CUE_LENGTH, words[word, labels[pair]], 0.0)
        order = np.lexsort((word, -weights, pair))
        rank = np.arange(len(order)) - np.repeat(firsts, counts)
        chosen = order[(rank < top) & (weights[order] > 0)]
        offsets = (b.row_starts[rows] + 1)[pair[chosen]]
        out: list[list[Contribution]] = [[] for _ in range(len(rows))]
        for k, start, end, weight in zip(
            pair[chosen].tolist(),
            (b.word_starts[word[chosen]] - offsets).tolist(),
            (b.word_ends[word[chosen]] - offsets).tolist(),
            weights[chosen].tolist(),
            strict=True,
        ):
            out[k].append(Contribution(start, end, weight))
        return out
