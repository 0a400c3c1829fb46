"""Abuse family vs alt-profanity-check on the DEV splits, in one run.

Run: ``.venv/bin/python bench/abuse_vs_profanity_check.py`` (needs the ``bench`` extra).
Prints, for each data set and label, the macro-F1 of our detector's label and of
profanity-check's single offensive/not output against the same gold labels; the mean per
language; and the throughput of each in one process (messages per second, batches of 512),
with ratios: our classification alone (normalise, featurise, score, threshold: what
profanity-check does) and our detector as the pipeline runs it (with explained findings),
on the dev texts (about half of them flagged) and on a stream of the dev texts our detector
does not flag with 5 % flagged ones mixed in (seeded), closer to what a monitor sees.
Throughput is given per second of wall clock and per CPU-second of the process
(``time.process_time``), best of ``--rounds`` interleaved runs, with the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.evaluate_abuse import binary_scores  # noqa: E402
from training import corpora  # noqa: E402

from qalxan.analysis.detectors.abuse import AbuseDetector  # noqa: E402
from qalxan.analysis.message import AnalysisContext, Message  # noqa: E402
from qalxan.analysis.text import normalise_texts  # noqa: E402

BATCH = 512
STREAM_FLAGGED = 0.05
STREAM_SEED = 20261129


def ours_predict(detector: AbuseDetector, texts: Sequence[str]) -> np.ndarray:
    """Per text, which labels fired (``n × labels`` booleans), through the real detector."""
    labels = detector.model.labels
    out = np.zeros((len(texts), len(labels)), dtype=bool)
    for start in range(0, len(texts), BATCH):
        batch = [Message(t) for t in texts[start : start + BATCH]]
        for i, findings in enumerate(detector.detect(batch, AnalysisContext())):
            for f in findings:
                out[start + i, labels.index(f.details["label"])] = True
    return out


def ours_scores_only(detector: AbuseDetector, texts: Sequence[str]) -> np.ndarray:
    """The classification alone (normalise, featurise, score, threshold): no findings built."""
    model = detector.model
    thresholds = np.asarray(model.thresholds, dtype=np.float32)
    parts = [
        model.probabilities(normalise_texts(texts[s : s + BATCH])) >= thresholds
        for s in range(0, len(texts), BATCH)
    ]
    return np.concatenate(parts) if parts else np.zeros((0, len(thresholds)), dtype=bool)


def theirs_predict(texts: Sequence[str]) -> np.ndarray:
    from profanity_check import predict

    parts = [np.asarray(predict(list(texts[s : s + BATCH]))) for s in range(0, len(texts), BATCH)]
    return np.concatenate(parts).astype(bool) if parts else np.zeros(0, dtype=bool)


def throughput(run: Callable[[], object], n: int) -> tuple[float, float]:
    """Messages per second of wall clock and per CPU-second of this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return n / (time.perf_counter() - wall), n / (time.process_time() - cpu)


Row = tuple[str, str, str, int, float, float]


def quality(detector: AbuseDetector) -> tuple[list[Row], list[str]]:
    """Macro-F1 of both on every dev set and label; also returns all dev texts."""
    rows: list[Row] = []
    all_texts: list[str] = []
    for corpus in corpora.CORPORA:
        dev = corpora.load((corpus.name,), "dev")
        texts = [e.text for e in dev]
        all_texts += texts
        ours, theirs = ours_predict(detector, texts), theirs_predict(texts)
        for j, label in enumerate(detector.model.labels):
            idx = [i for i, e in enumerate(dev) if label in e.labels]
            y = np.array([dev[i].labels[label] == 1 for i in idx])
            if idx and y.any() and not y.all():
                mine, peer = binary_scores(y, ours[idx, j])[3], binary_scores(y, theirs[idx])[3]
                rows.append((corpus.name, corpus.lang, label, len(idx), mine, peer))
    return rows, all_texts


def print_quality(rows: list[Row]) -> None:
    head = ("dataset", "lang", "label", "n", "qalxan", "prof-chk", "diff")
    print("{:20s} {:4s} {:7s} {:>6s} {:>7s} {:>8s} {:>6s}".format(*head))
    for name, lang, label, n, a, b in rows:
        print(f"{name:20s} {lang:4s} {label:7s} {n:6d} {a:7.3f} {b:8.3f} {a - b:+6.3f}")
    print("\nmean macro-F1 per language (qalxan / profanity-check):")
    for lang in sorted({r[1] for r in rows}):
        mine = float(np.mean([r[4] for r in rows if r[1] == lang]))
        peer = float(np.mean([r[5] for r in rows if r[1] == lang]))
        print(f"  {lang}: {mine:.3f} / {peer:.3f}  ({mine - peer:+.3f})")
    wins = sum(1 for r in rows if r[4] > r[5])
    print(f"qalxan higher on {wins} of {len(rows)} data set/label rows")


def print_speed(detector: AbuseDetector, texts: list[str], rounds: int) -> None:
    """Best of ``rounds`` interleaved runs each, so load from other processes on a shared
    machine penalises neither side more than the other."""
    stream = flagged_share(detector, texts, STREAM_FLAGGED)
    runs: dict[str, Callable[[], object]] = {
        "qalxan abuse detector (explained findings)": lambda: ours_predict(detector, texts),
        "qalxan abuse classification only": lambda: ours_scores_only(detector, texts),
        "alt-profanity-check predict": lambda: theirs_predict(texts),
        "stream: qalxan abuse detector": lambda: ours_predict(detector, stream),
        "stream: alt-profanity-check predict": lambda: theirs_predict(stream),
    }
    walls = {name: 0.0 for name in runs}
    cpus = {name: 0.0 for name in runs}
    load = os.getloadavg()[0]
    for _ in range(rounds):
        for name, run in runs.items():
            wall, cpu = throughput(run, len(stream if name.startswith("stream") else texts))
            walls[name], cpus[name] = max(walls[name], wall), max(cpus[name], cpu)
    print(
        f"\nthroughput on {len(texts)} dev messages (stream: {len(stream)}, "
        f"{STREAM_FLAGGED:.0%} flagged), one process, batches of {BATCH}, best of {rounds} "
        f"interleaved runs (load average {load:.1f} before, {os.getloadavg()[0]:.1f} after):"
    )
    print(f"  {'':44s} {'wall clock':>12s} {'per CPU-second':>15s}")
    for name in runs:
        print(f"  {name:44s} {walls[name]:8.0f} msg/s {cpus[name]:9.0f} msg/s")
    names = list(runs)
    for name, peer in ((names[0], names[2]), (names[1], names[2]), (names[3], names[4])):
        print(
            f"  ratio {name} / profanity-check: {walls[name] / walls[peer]:.2f}x wall clock, "
            f"{cpus[name] / cpus[peer]:.2f}x per CPU-second"
        )


def flagged_share(detector: AbuseDetector, texts: list[str], share: float) -> list[str]:
    """The texts our detector does not flag, with ``share`` of the result flagged ones."""
    flagged = set(np.flatnonzero(ours_predict(detector, texts).any(axis=1)).tolist())
    clean = [t for i, t in enumerate(texts) if i not in flagged]
    hits = [t for i, t in enumerate(texts) if i in flagged]
    rng = np.random.default_rng(STREAM_SEED)
    chosen = rng.choice(len(hits), round(len(clean) * share / (1 - share)), replace=False)
    stream = clean + [hits[i] for i in sorted(chosen.tolist())]
    rng.shuffle(stream)
    return stream


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved speed runs")
    args = parser.parse_args()
    detector = AbuseDetector()
    theirs_predict(["warm up"])
    rows, texts = quality(detector)
    print_quality(rows)
    print_speed(detector, texts, args.rounds)


if __name__ == "__main__":
    main()
