"""The synthetic doxing set: seeded, marked synthetic, and the detector's recall on it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("faker")

EVAL = Path(__file__).resolve().parents[2] / "eval"


def load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


generator = load("generate_synthetic", EVAL / "doxing" / "generate_synthetic.py")
evaluation = load("evaluate_doxing", EVAL / "evaluate_doxing.py")


def test_generation_is_seeded_and_marked_synthetic() -> None:
    first = list(generator.generate(2, seed=7))
    assert first == list(generator.generate(2, seed=7))
    assert first != list(generator.generate(2, seed=8))
    assert all(r["synthetic"] is True for r in first)
    assert {r["locale"] for r in first} == set(generator.LOCALES)
    for record in first:
        if record["entity"] is not None:
            assert record["text"][record["start"] : record["end"]].strip()


def test_recall_targets_on_a_small_sample() -> None:
    records = list(generator.generate(15, seed=11))
    counts = evaluation.score(records, evaluation.qalxan_predictor()(records))
    for entity, target in [("email", 0.95), ("address", 0.8), ("national_id", 0.8)]:
        for locale, c in counts.items():
            if c[f"n:{entity}"]:
                assert c[f"tp:{entity}"] / c[f"n:{entity}"] >= target, (locale, entity)
    negatives_clean = sum(c["neg_clean"] for c in counts.values())
    assert negatives_clean / sum(c["neg"] for c in counts.values()) >= 0.95


def test_the_turkish_seven_digit_layout_gets_its_444() -> None:
    assert generator.turkish_phone("995 2 716") == "444 2 716"
    for kept in ("0532 123 45 67", "+90(532)1234567", "05321234567", "(532)123 4567", "444 0 849"):
        assert generator.turkish_phone(kept) == kept


def test_every_seven_digit_turkish_phone_is_a_444_number() -> None:
    import phonenumbers

    seven = [
        r["text"][r["start"] : r["end"]]
        for r in generator.generate(100, seed=20260101)
        if r["locale"] == "tr_TR" and r["entity"] == "phone"
    ]
    seven = [value for value in seven if sum(map(str.isdigit, value)) == 7]
    assert seven
    for value in seven:
        number = phonenumbers.parse(value, "TR")
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.UAN, value


def test_phone_recall_per_locale_on_the_benchmark_set() -> None:
    records = list(generator.generate(100, seed=20260101))
    counts = evaluation.score(records, evaluation.qalxan_predictor()(records))
    assert set(counts) == set(generator.LOCALES)
    for locale, c in counts.items():
        assert c["tp:phone"] / c["n:phone"] >= 0.95, locale
        assert c["fp:phone"] == 0, locale


def test_the_mixed_set_is_seeded_and_mostly_holds_several_kinds_of_data() -> None:
    records = list(generator.generate_mixed(30, seed=5))
    assert records == list(generator.generate_mixed(30, seed=5))
    assert all(r["synthetic"] is True for r in records)
    several = [r for r in records if len({e["entity"] for e in r["entities"]}) >= 2]
    assert len(several) / len(records) >= 0.7
    assert any(r["lang"] is None for r in records) and any(r["lang"] for r in records)
    for record in records:
        for entity in record["entities"]:
            assert record["text"][entity["start"] : entity["end"]].strip()


def test_precision_per_type_on_mixed_messages() -> None:
    """On messages that mix several kinds of personal data, every type keeps precision
    >= 0.95 (an ID reported as a phone counts against phones) and passports are found."""
    records = list(generator.generate_mixed(40, seed=31))
    counts, _ = evaluation.score_mixed(records, evaluation.qalxan_predictor()(records))
    for entity in evaluation.MIXED_ENTITIES:
        tp = sum(c[f"tp:{entity}"] for c in counts.values())
        fp = sum(c[f"fp:{entity}"] for c in counts.values())
        assert tp / (tp + fp) >= 0.95, entity
    for locale, c in counts.items():
        assert c["tp:passport"] / c["n:passport"] >= 0.95, locale
