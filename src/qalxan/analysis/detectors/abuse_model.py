"""The shipped abuse model: one linear classifier per label over hashed n-gram features.

Weights live in a compressed ``.npz`` (loaded with ``allow_pickle=False``) and a JSON
metadata file beside it, in ``qalxan/models/abuse``. Scoring needs numpy only; scikit-learn
is used by ``training/train_abuse.py`` alone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from qalxan.analysis.text.features import featurise, windows

MODEL_DIR: Final[tuple[str, str]] = ("models", "abuse")
WEIGHTS_FILE: Final[str] = "abuse-linear.npz"
METADATA_FILE: Final[str] = "abuse-linear.json"
FORMAT: Final[str] = "qalxan-linear-hashed/1"

FloatMatrix = npt.NDArray[np.float32]


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
    weights: FloatMatrix  # (n_features, n_labels)
    bias: FloatMatrix  # (n_labels,)
    n_features: int
    version: str

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
            weights=w,
            bias=bias,
            n_features=int(meta["n_features"]),
            version=str(meta["version"]),
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

    def probabilities(self, texts: list[str]) -> FloatMatrix:
        """``(len(texts), n_labels)`` probabilities for already-normalised texts."""
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        fm = featurise(texts, self.n_features)
        contrib = self.weights[fm.cols] * fm.values[:, None]
        logits = (
            np.stack(
                [
                    np.bincount(fm.rows, weights=contrib[:, j], minlength=len(texts))
                    for j in range(len(self.labels))
                ],
                axis=1,
            )
            + self.bias
        )
        probs: FloatMatrix = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        return probs

    def contributions(self, text: str, label: int, top: int = 5) -> list[Contribution]:
        """The occurrences in ``text`` that raise ``label`` most, strongest first."""
        occ = windows([text], self.n_features)
        weights = self.weights[occ.buckets, label]
        order = np.argsort(-weights, kind="stable")[:top]
        return [
            Contribution(int(occ.starts[i]), int(occ.ends[i]), float(weights[i]))
            for i in order
            if weights[i] > 0
        ]
