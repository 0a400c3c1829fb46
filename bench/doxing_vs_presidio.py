"""Doxing detection: Qalxan's doxing detector vs Presidio's pattern recognizers.

Presidio runs with its predefined pattern recognizers only (no spaCy model: phone, e-mail,
credit card, IBAN, US SSN, Spanish NIF/NIE, Turkish national ID and licence plate), each
called directly with its defaults. Both see the same SYNTHETIC multilingual set
(``eval/doxing/generate_synthetic.py``); the script prints messages/s for each, the ratio,
and recall per entity per locale for both.

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


def timed(
    predict: Callable[[list[dict[str, Any]]], list[Prediction]],
    records: list[dict[str, Any]],
    repeat: int,
) -> tuple[float, list[Prediction]]:
    best, predictions = float("inf"), []
    for _ in range(repeat):
        start = time.perf_counter()
        predictions = predict(records)
        best = min(best, time.perf_counter() - start)
    return best, predictions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-entity", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    records = list(generate(args.per_entity, args.seed))
    ours_s, ours = timed(qalxan_predictor(), records, args.repeat)
    peer_s, peer = timed(presidio_predictor(), records, args.repeat)
    print(format_table(score(records, ours), "Qalxan recall (SYNTHETIC set)"))
    print()
    print(format_table(score(records, peer), "Presidio pattern recognizers recall (same set)"))
    print()
    print(f"messages: {len(records)}")
    print(f"Presidio {len(records) / peer_s:>12,.0f} messages/s")
    print(f"Qalxan   {len(records) / ours_s:>12,.0f} messages/s")
    print(f"ratio    {peer_s / ours_s:>12.1f}x")


if __name__ == "__main__":
    main()
