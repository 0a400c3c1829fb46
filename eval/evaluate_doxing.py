"""Precision and recall per entity type and locale of the doxing detector, SYNTHETIC data.

    python eval/evaluate_doxing.py [--mixed 300] [--seed 20261208]      # the mixed set
    python eval/evaluate_doxing.py --single [--per-entity 100] [--seed 20260101]

On the MIXED set (the default; ``generate_mixed``: most messages hold several kinds of
personal data, half come without a language) every data finding is matched to the planted
entities: a finding of the right type over a planted entity not yet found is a true
positive; any other (a wrong type, a second finding of one entity, a finding over no
planted data) is a false positive of its type, and the planted entity it covers with the
wrong type stays missed. The confusions (found as X, planted Y) are listed.

On the SINGLE set (one planted entity a message, and negatives without any):
A positive counts as found when a finding of the same entity overlaps the planted span.
Precision per entity counts, as false positives, findings of that entity in the negative
messages (which hold no personal data by construction). With ``--real-negatives DATA``
(the shared data folder) it also counts data findings in real posts from OLID (en) and
ru_paradetox (ru) and OffensEval 2020 (tr, ar), whose user names and links are
anonymised: text the generator did not write. Many of its findings are real personal data
(phone numbers in ads), so read the flagged lines before calling them false positives.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent / "doxing"))

from generate_synthetic import LOCALES, generate, generate_mixed

Prediction = list[tuple[str, int, int]]  # (entity, start, end)
Predictor = Callable[[list[dict[str, Any]]], list[Prediction]]

ENTITIES = (
    "phone",
    "email",
    "address",
    "national_id",
    "iban",
    "payment_card",
    "licence_plate",
    "coordinates",
)


def qalxan_predictor() -> Predictor:
    from qalxan.analysis.detectors.doxing import DoxingDetector
    from qalxan.analysis.message import AnalysisContext, Message

    detector = DoxingDetector()

    def predict(records: list[dict[str, Any]]) -> list[Prediction]:
        batch = [Message(r["text"], lang=r.get("lang")) for r in records]
        results = detector.detect(batch, AnalysisContext())
        return [
            [(f.details["entity"], f.spans[0].start, f.spans[0].end) for f in findings]
            for findings in results
        ]

    return predict


def score(
    records: list[dict[str, Any]], predictions: Iterable[Prediction]
) -> dict[str, Counter[str]]:
    """Counters per locale: ``tp:E``, ``n:E`` (planted), ``fp:E`` (in negatives), ``neg``."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for record, found in zip(records, predictions, strict=True):
        c = counts[record["locale"]]
        entity = record["entity"]
        if entity is None:
            c["neg"] += 1
            c["neg_clean"] += not found
            c.update(f"fp:{e}" for e, _, _ in found)
            continue
        c[f"n:{entity}"] += 1
        hit = any(e == entity and s < record["end"] and record["start"] < t for e, s, t in found)
        c[f"tp:{entity}"] += hit
    return counts


MIXED_ENTITIES = (*ENTITIES, "passport")


def score_mixed(
    records: list[dict[str, Any]], predictions: Iterable[Prediction]
) -> tuple[dict[str, Counter[str]], Counter[tuple[str, str]]]:
    """Counters per locale (``tp:E``, ``fp:E``, ``n:E``, ``dup:E``) and confusions."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    confusions: Counter[tuple[str, str]] = Counter()
    for record, found in zip(records, predictions, strict=True):
        c = counts[record["locale"]]
        planted = record["entities"]
        credited = [False] * len(planted)
        for p in planted:
            c[f"n:{p['entity']}"] += 1
        for entity, start, end in found:
            if entity in CONTEXT_ENTITIES:
                continue
            over = [k for k, p in enumerate(planted) if p["start"] < end and start < p["end"]]
            same = [k for k in over if planted[k]["entity"] == entity]
            if same and not credited[same[0]]:
                credited[same[0]] = True
                c[f"tp:{entity}"] += 1
                continue
            c[f"fp:{entity}"] += 1
            if same:
                c[f"dup:{entity}"] += 1
            for k in over:
                if planted[k]["entity"] != entity:
                    confusions[(entity, planted[k]["entity"])] += 1
            if not over:
                confusions[(entity, "-")] += 1
    return counts, confusions


def format_mixed(
    counts: dict[str, Counter[str]], confusions: Counter[tuple[str, str]], title: str
) -> str:
    lines = [title, "precision / recall per locale (n planted)"]
    lines.append("locale  " + " ".join(f"{e[:13]:>15}" for e in MIXED_ENTITIES))
    for locale in LOCALES:
        c = counts[locale]
        cells = []
        for e in MIXED_ENTITIES:
            tp, fp, n = c[f"tp:{e}"], c[f"fp:{e}"], c[f"n:{e}"]
            prec = f"{tp / (tp + fp):.2f}" if tp + fp else " -  "
            rec = f"{tp / n:.2f}" if n else " -  "
            cells.append(f"{prec}/{rec}({n:>3})"[-15:].rjust(15))
        lines.append(f"{locale:7} " + " ".join(cells))
    lines.append("all locales:")
    for e in MIXED_ENTITIES:
        tp = sum(c[f"tp:{e}"] for c in counts.values())
        fp = sum(c[f"fp:{e}"] for c in counts.values())
        n = sum(c[f"n:{e}"] for c in counts.values())
        dup = sum(c[f"dup:{e}"] for c in counts.values())
        prec = tp / (tp + fp) if tp + fp else 0.0
        lines.append(
            f"  {e:14} precision {prec:.3f} (fp={fp}, twice={dup})  "
            f"recall {tp / n if n else 0.0:.3f} (n={n})"
        )
    if confusions:
        lines.append("confusions (found as -> planted; '-' = no planted data there):")
        lines.extend(f"  {a} -> {b}: {k}" for (a, b), k in confusions.most_common(15))
    return "\n".join(lines)


def format_table(counts: dict[str, Counter[str]], title: str) -> str:
    lines = [title, "locale  " + " ".join(f"{e[:12]:>12}" for e in ENTITIES) + "  neg-clean"]
    for locale in LOCALES:
        c = counts[locale]
        cells = [
            f"{c[f'tp:{e}'] / c[f'n:{e}']:>12.2f}" if c[f"n:{e}"] else f"{'n/a':>12}"
            for e in ENTITIES
        ]
        clean = c["neg_clean"] / c["neg"] if c["neg"] else 0.0
        lines.append(f"{locale:7} " + " ".join(cells) + f"  {clean:9.2f}")
    lines.append("precision per entity (planted hits vs. findings in negatives):")
    for e in ENTITIES:
        tp = sum(c[f"tp:{e}"] for c in counts.values())
        fp = sum(c[f"fp:{e}"] for c in counts.values())
        lines.append(f"  {e:14} {tp / (tp + fp) if tp + fp else 0.0:.3f}  (fp={fp})")
    return "\n".join(lines)


REAL_SETS = (
    ("olid/olid-training-v1.0.tsv", 1),
    ("ru_paradetox_russe2022/dev.tsv", 0),
    ("offenseval2020/train_dev/offenseval-tr-training-v1.tsv", 1),
    ("offenseval2020/train_dev/offenseval-ar-dev-v1.tsv", 1),
)
CONTEXT_ENTITIES = {"home", "relatives", "routine"}


def real_texts(root: Path, limit: int = 3000) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for relative, column in REAL_SETS:
        path = root / relative
        if path.is_file():
            with path.open(encoding="utf-8") as handle:
                rows = csv.reader(handle, delimiter="\t")
                next(rows, None)
                out[relative.rsplit("/", 1)[-1]] = [
                    r[column] for r in islice(rows, limit) if len(r) > column
                ]
    return out


def real_false_positives(root: Path) -> str:
    from qalxan.analysis.detectors.doxing import DoxingDetector
    from qalxan.analysis.message import AnalysisContext, Message

    detector, lines = DoxingDetector(), ["data findings in real posts (inspect them):"]
    for name, texts in real_texts(root).items():
        results = detector.detect([Message(t) for t in texts], AnalysisContext())
        hits = Counter(
            f.details["entity"]
            for r in results
            for f in r
            if f.details["entity"] not in CONTEXT_ENTITIES
        )
        flagged = sum(any(f.details["entity"] not in CONTEXT_ENTITIES for f in r) for r in results)
        lines.append(f"  {name:24} {flagged}/{len(texts)} messages flagged {dict(hits)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", action="store_true", help="one entity a message")
    parser.add_argument("--per-entity", type=int, default=100)
    parser.add_argument("--mixed", type=int, default=300, help="messages per locale")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--real-negatives", type=Path, help="shared data folder (optional)")
    args = parser.parse_args()
    if args.single:
        records = list(generate(args.per_entity, args.seed or 20260101))
        counts = score(records, qalxan_predictor()(records))
        print(format_table(counts, f"Qalxan doxing recall on {len(records)} synthetic messages"))
    else:
        records = list(generate_mixed(args.mixed, args.seed or 20261208))
        mixed, confusions = score_mixed(records, qalxan_predictor()(records))
        title = f"Qalxan doxing on {len(records)} mixed synthetic messages"
        print(format_mixed(mixed, confusions, title))
    if args.real_negatives:
        print(real_false_positives(args.real_negatives))


if __name__ == "__main__":
    main()
