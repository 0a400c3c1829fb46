"""Doxing detection: Qalxan's doxing detector vs Presidio's pattern recognizers.

Presidio runs with its predefined pattern recognizers only (no spaCy model: phone, e-mail,
credit card, IBAN, US SSN, Spanish NIF/NIE, Turkish national ID and licence plate), each
called directly with its defaults. Both see the same SYNTHETIC multilingual set
(``eval/doxing/generate_synthetic.py``); the script prints messages/s for each, the ratio,
and recall per entity per locale for both.

The two are timed in interleaved runs (a shared machine's load drifts), best of
``--repeat`` each, as wall-clock messages/s and as messages per CPU-second of the process
(steadier when other work shares the cores); the ratio is printed for both, with the
spread of the wall-clock ratio over the runs.

    pip install -e ".[bench]" && python bench/doxing_vs_presidio.py [--per-entity 100]
    (or, in the MVT environment of bench/requirements-mvt.txt: PYTHONPATH=src ...)
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from presidio_analyzer import EntityRecognizer
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    EsNieRecognizer,
    EsNifRecognizer,
    IbanRecognizer,
    PhoneRecognizer,
    TrLicensePlateRecognizer,
    TrNationalIdRecognizer,
    UsSsnRecognizer,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))

from evaluate_doxing import Prediction, format_table, qalxan_predictor, score
from generate_synthetic import generate  # eval/doxing, put on the path by evaluate_doxing

ENTITY_MAP = {
    "PHONE_NUMBER": "phone",
    "EMAIL_ADDRESS": "email",
    "CREDIT_CARD": "payment_card",
    "IBAN_CODE": "iban",
    "US_SSN": "national_id",
    "ES_NIF": "national_id",
    "ES_NIE": "national_id",
    "TR_NATIONAL_ID": "national_id",
    "TR_LICENSE_PLATE": "licence_plate",
}


def presidio_predictor() -> Callable[[list[dict[str, Any]]], list[Prediction]]:
    recognizers: list[EntityRecognizer] = [
        PhoneRecognizer(),
        EmailRecognizer(),
        CreditCardRecognizer(),
        IbanRecognizer(),
        UsSsnRecognizer(),
        EsNifRecognizer(),
        EsNieRecognizer(),
        TrNationalIdRecognizer(),
        TrLicensePlateRecognizer(),
    ]
    entities = [(r, r.supported_entities) for r in recognizers]

    def predict(records: list[dict[str, Any]]) -> list[Prediction]:
        out: list[Prediction] = []
        for record in records:
            found: Prediction = []
            for recognizer, names in entities:
                for result in recognizer.analyze(record["text"], names, None) or []:
                    ours = ENTITY_MAP.get(result.entity_type)
                    if ours and result.score >= 0.1:
                        found.append((ours, result.start, result.end))
            out.append(found)
        return out

    return predict


Timing = tuple[float, float]  # (wall-clock seconds, CPU seconds)


def timed_pair(
    ours: Callable[[list[dict[str, Any]]], list[Prediction]],
    peer: Callable[[list[dict[str, Any]]], list[Prediction]],
    records: list[dict[str, Any]],
    repeat: int,
) -> tuple[list[Timing], list[Timing], list[Prediction], list[Prediction]]:
    """Every run of each predictor, ours and the peer's alternating."""
    ours_runs: list[Timing] = []
    peer_runs: list[Timing] = []
    ours_found: list[Prediction] = []
    peer_found: list[Prediction] = []
    for _ in range(repeat):
        ours_found = _run(ours, records, ours_runs)
        peer_found = _run(peer, records, peer_runs)
    return ours_runs, peer_runs, ours_found, peer_found


def _run(
    predict: Callable[[list[dict[str, Any]]], list[Prediction]],
    records: list[dict[str, Any]],
    runs: list[Timing],
) -> list[Prediction]:
    start, cpu = time.perf_counter(), time.process_time()
    found = predict(records)
    runs.append((time.perf_counter() - start, time.process_time() - cpu))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-entity", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    records = list(generate(args.per_entity, args.seed))
    ours_runs, peer_runs, ours, peer = timed_pair(
        qalxan_predictor(), presidio_predictor(), records, args.repeat
    )
    print(format_table(score(records, ours), "Qalxan recall (SYNTHETIC set)"))
    print()
    print(format_table(score(records, peer), "Presidio pattern recognizers recall (same set)"))
    print()
    n = len(records)
    ours_wall, ours_cpu = (min(r[i] for r in ours_runs) for i in (0, 1))
    peer_wall, peer_cpu = (min(r[i] for r in peer_runs) for i in (0, 1))
    ratios = sorted(p[0] / o[0] for o, p in zip(ours_runs, peer_runs, strict=True))
    print(f"messages: {n}; best of {args.repeat} interleaved runs")
    print(f"Presidio {n / peer_wall:>12,.0f} messages/s  ({n / peer_cpu:>10,.0f} per CPU-second)")
    print(f"Qalxan   {n / ours_wall:>12,.0f} messages/s  ({n / ours_cpu:>10,.0f} per CPU-second)")
    print(f"ratio    {peer_wall / ours_wall:>12.1f}x            ({peer_cpu / ours_cpu:>9.1f}x)")
    print(f"ratio spread (wall clock, run by run): {ratios[0]:.1f}x to {ratios[-1]:.1f}x")


if __name__ == "__main__":
    main()
