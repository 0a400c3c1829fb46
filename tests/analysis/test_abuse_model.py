"""Loading the abuse model safely: format, checksum and shape are checked; no pickle."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import numpy as np
import pytest

from qalxan.analysis.detectors.abuse import AbuseDetector
from qalxan.analysis.detectors.abuse_model import (
    FORMAT,
    MIN_CUE_LENGTH,
    AbuseModel,
    Contribution,
    ModelError,
)
from qalxan.analysis.message import AnalysisContext, Message
from qalxan.analysis.text.features import (
    Batch,
    batch,
    occurrences,
    position_scores,
    word_scores,
)

N = 1 << 10


def tiny(weights: np.ndarray | None = None, **meta_overrides: Any) -> tuple[bytes, bytes]:
    w = weights if weights is not None else np.zeros((N, 1), dtype=np.float16)
    buf = io.BytesIO()
    np.savez_compressed(buf, weights=w, bias=np.full(w.shape[1], -1.0, dtype=np.float32))
    data = buf.getvalue()
    meta = {
        "format": FORMAT,
        "version": "test",
        "n_features": N,
        "weight_scale": 1.0,
        "weights_sha256": hashlib.sha256(data).hexdigest(),
        "labels": [{"label": "abuse", "code": "harassment", "threshold": 0.5}],
    }
    meta.update(meta_overrides)
    return data, json.dumps(meta).encode()


def test_shipped_model_loads_and_is_small() -> None:
    model = AbuseModel.shipped()
    assert model.labels == ("abuse", "threat", "sexist", "hate")
    assert model.codes == (
        "harassment",
        "harassment.threat",
        "harassment.sexist",
        "harassment.hate",
    )
    assert all(0.0 < t < 1.0 for t in model.thresholds)


def test_probabilities_are_the_logistic_of_the_linear_score() -> None:
    w = np.zeros((N, 1), dtype=np.float16)
    occ = occurrences(batch(["traitor"], N))
    w[occ.cols[0], 0] = 4.0
    model = AbuseModel.from_bytes(*tiny(w))
    expected = 1 / (1 + np.exp(-(4.0 * occ.values[0] - 1.0)))
    assert model.probabilities(["traitor"])[0, 0] == pytest.approx(expected, rel=1e-3)
    assert model.probabilities([]).shape == (0, 1)


def test_tampered_weights_are_refused() -> None:
    data, meta = tiny()
    with pytest.raises(ModelError, match="sha256"):
        AbuseModel.from_bytes(data + b"x", meta)


@pytest.mark.parametrize(
    ("override", "message"),
    [({"format": "pickle/1"}, "unknown model format"), ({"n_features": 7}, "do not fit")],
)
def test_inconsistent_metadata_is_refused(override: dict[str, Any], message: str) -> None:
    with pytest.raises(ModelError, match=message):
        AbuseModel.from_bytes(*tiny(**override))


def test_pickled_arrays_are_never_loaded() -> None:
    buf = io.BytesIO()
    np.savez(buf, weights=np.array([object()], dtype=object), bias=np.zeros(1))
    data = buf.getvalue()
    meta = json.loads(tiny()[1])
    meta["weights_sha256"] = hashlib.sha256(data).hexdigest()
    with pytest.raises(ValueError, match="pickle"):
        AbuseModel.from_bytes(data, json.dumps(meta).encode())


def test_detector_accepts_an_injected_model() -> None:
    w = np.zeros((N, 1), dtype=np.float16)
    w[occurrences(batch(["traitor"], N)).cols, 0] = 8.0
    detector = AbuseDetector(AbuseModel.from_bytes(*tiny(w)))
    out = detector.detect([Message("Traitor!"), Message("hello")], AnalysisContext())
    assert [f.code for f in out[0]] == ["harassment"] and out[1] == []
    assert out[0][0].spans and "traitor" in out[0][0].details["cues"]


def _explain_one(b: Batch, words: np.ndarray, row: int, label: int) -> list[Contribution]:
    """One pair at a time, the straightforward way."""
    lo, hi = np.searchsorted(b.word_starts, b.row_starts[row : row + 2])
    lengths = b.word_ends[lo:hi] - b.word_starts[lo:hi]
    weights = np.where(lengths >= MIN_CUE_LENGTH, words[lo:hi, label], 0.0)
    offset = int(b.row_starts[row]) + 1
    return [
        Contribution(int(b.word_starts[lo + i]) - offset, int(b.word_ends[lo + i]) - offset, w)
        for i in np.argsort(-weights, kind="stable")[:3].tolist()
        if (w := float(weights[i])) > 0
    ]


def test_cues_of_all_pairs_at_once_equal_one_pair_at_a_time() -> None:
    rng = np.random.default_rng(5)
    w = rng.normal(size=(N, 3)).astype(np.float16)
    w[rng.random(size=w.shape) < 0.3] = 0  # ties at zero among the words
    meta = [{"label": x, "code": "harassment", "threshold": 0.5} for x in "abc"]
    model = AbuseModel.from_bytes(*tiny(w, labels=meta))
    texts = ["you are a traitor and a liar", "", "ok", "a bb ccc dddd ccc", "иноагент 5 ab"]
    texts.append("qqq qqq qqq qqq qqq qqq")  # the middle words weigh the same: ties
    b = model.features(texts)
    words = word_scores(b, position_scores(b, model.weights))
    rows, labels = np.divmod(np.arange(len(texts) * 3), 3)
    expected = [_explain_one(b, words, r, j) for r, j in zip(rows, labels, strict=True)]
    assert model.explain(texts, rows, labels) == expected
    some = np.array([5, 0, 5, 3])  # a few texts, one twice: featurised again on their own
    assert model.explain(texts, some, some % 3) == [expected[3 * r + r % 3] for r in some]
    assert any(len(c) == 3 for c in expected) and [] in expected
