"""Evaluate the shipped abuse model on the DEV splits: ``.venv/bin/python eval/evaluate_abuse.py``.

For every data set and every label it annotates, prints precision, recall and F1 of the
positive class and the macro-F1 over both classes (the figure the shared tasks report),
using the committed model files through the same loader the detector uses. ``threat`` is
predicted as the detector does: model or threat phrase list (``--model-only``: model alone).
``--detector`` takes every label from the abuse detector itself (model, threat grammar, phrase
lists and context rules, as a message without a language gets them).
``--markdown`` prints the table in Markdown for the model card.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training import corpora

from qalxan.analysis.detectors.abuse_model import AbuseModel
from qalxan.analysis.detectors.threat_lexicon import ThreatLexicon
from qalxan.analysis.text.normalise import normalise_texts


@dataclass(frozen=True)
class Row:
    dataset: str
    lang: str
    label: str
    n: int
    positives: int
    precision: float
    recall: float
    f1: float
    macro_f1: float
    trained_on: bool


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def binary_scores(y: np.ndarray, pred: np.ndarray) -> tuple[float, float, float, float]:
    """Precision, recall, F1 of the positive class and macro-F1 over both classes."""
    tp = float(np.sum(pred & y))
    fp = float(np.sum(pred & ~y))
    fn = float(np.sum(~pred & y))
    tn = float(np.sum(~pred & ~y))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    p0 = tn / (tn + fn) if tn + fn else 0.0
    r0 = tn / (tn + fp) if tn + fp else 0.0
    return p, r, _f1(p, r), (_f1(p, r) + _f1(p0, r0)) / 2


def predictions(model: AbuseModel, threats: ThreatLexicon | None, texts: list[str]) -> np.ndarray:
    """``n × labels`` decisions; with ``threats``, a matched phrase also decides ``threat``."""
    normalised = normalise_texts(texts)
    pred = model.probabilities(normalised) >= np.asarray(model.thresholds, dtype=np.float32)
    if threats is not None and "threat" in model.labels:
        hits = sorted(threats.find(normalised))
        pred[hits, model.labels.index("threat")] = True
    return pred


def detector_predictions(model: AbuseModel, texts: list[str]) -> np.ndarray:
    """``n × labels`` decisions of the abuse detector: a label is decided where a finding
    names it (``details["label"]``)."""
    from qalxan.analysis.detectors.abuse import AbuseDetector
    from qalxan.analysis.message import AnalysisContext, Message

    detector = AbuseDetector(model=model)
    pred = np.zeros((len(texts), len(model.labels)), dtype=bool)
    for lo in range(0, len(texts), 512):
        chunk = [Message(t) for t in texts[lo : lo + 512]]
        for k, findings in enumerate(detector.detect(chunk, AnalysisContext())):
            for f in findings:
                label = f.details.get("label")
                if label in model.labels:
                    pred[lo + k, model.labels.index(label)] = True
    return pred


def evaluate(
    model: AbuseModel, threats: ThreatLexicon | None, whole_detector: bool = False
) -> list[Row]:
    rows: list[Row] = []
    for corpus in corpora.CORPORA:
        dev = corpora.load((corpus.name,), "dev")
        texts = [e.text for e in dev]
        decided = (
            detector_predictions(model, texts)
            if whole_detector
            else predictions(model, threats, texts)
        )
        for j, label in enumerate(model.labels):
            idx = [i for i, e in enumerate(dev) if label in e.labels]
            if not idx:
                continue
            y = np.array([dev[i].labels[label] == 1 for i in idx])
            pred = decided[idx, j]
            p, r, f1, macro = binary_scores(y, pred)
            rows.append(
                Row(
                    corpus.name,
                    corpus.lang,
                    label,
                    len(idx),
                    int(y.sum()),
                    p,
                    r,
                    f1,
                    macro,
                    corpus.trainable,
                )
            )
    return rows


def print_table(rows: list[Row], markdown: bool) -> None:
    head = ("dataset", "lang", "label", "n", "pos", "P", "R", "F1", "macro-F1", "train split used")
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
    else:
        print("{:20s} {:4s} {:7s} {:>6s} {:>5s} {:>6s} {:>6s} {:>6s} {:>8s}  {}".format(*head))
    for r in rows:
        cells = (
            r.dataset,
            r.lang,
            r.label,
            str(r.n),
            str(r.positives),
            f"{r.precision:.3f}",
            f"{r.recall:.3f}",
            f"{r.f1:.3f}",
            f"{r.macro_f1:.3f}",
            "yes" if r.trained_on else "no (eval only)",
        )
        if markdown:
            print("| " + " | ".join(cells) + " |")
        else:
            print("{:20s} {:4s} {:7s} {:>6s} {:>5s} {:>6s} {:>6s} {:>6s} {:>8s}  {}".format(*cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--model-only", action="store_true", help="threat without phrase list")
    parser.add_argument("--detector", action="store_true", help="labels from the whole detector")
    args = parser.parse_args()
    model = AbuseModel.shipped()
    print(
        f"abuse-linear {model.version}; thresholds "
        + ", ".join(f"{lab}={t:.3f}" for lab, t in zip(model.labels, model.thresholds, strict=True))
    )
    rows = evaluate(model, None if args.model_only else ThreatLexicon.shipped(), args.detector)
    print_table(rows, args.markdown)
    by_label: dict[str, list[float]] = {}
    for r in rows:
        by_label.setdefault(r.label, []).append(r.macro_f1)
    print(
        "mean macro-F1 per label over data sets: "
        + ", ".join(f"{k}={sum(v) / len(v):.3f}" for k, v in by_label.items())
    )


if __name__ == "__main__":
    main()
