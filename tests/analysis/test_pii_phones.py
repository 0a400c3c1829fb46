"""Phone numbers in a batch: each reading is made once."""

from __future__ import annotations

import pytest

from qalxan.analysis.pii import phones
from qalxan.analysis.pii.joined import Joined


def nothing_taken(i: int) -> list[tuple[int, int]]:
    return []


@pytest.fixture
def readings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """The (number, region) of every parse, in order."""
    made: list[tuple[str, str | None]] = []
    read = phones._readings

    def counted(raw: str, region: str | None) -> tuple[str | None, str | None]:
        made.append((raw, region))
        return read(raw, region)

    monkeypatch.setattr(phones, "_readings", counted)
    return made


def test_a_number_not_read_in_a_hinted_region_is_not_read_there_again(
    readings: list[tuple[str, str | None]],
) -> None:
    found = phones.find_phones(Joined(["ring 995 2 716 now"]), [("TR", "TR")], nothing_taken)
    assert found == []
    regions = [region for _, region in readings]
    assert regions == ["TR", *(r for r in phones.FALLBACK_REGIONS if r != "TR")]


def test_a_number_in_a_fallback_region_is_still_found(
    readings: list[tuple[str, str | None]],
) -> None:
    found = phones.find_phones(Joined(["appelle le 06 12 34 56 78"]), [("ES", "ES")], nothing_taken)
    assert [(p.e164, p.region, p.score) for _, p in found] == [("+33612345678", "FR", 0.7)]
    assert [region for _, region in readings].count("ES") == 1


def test_a_number_posted_again_in_a_batch_is_read_once(
    readings: list[tuple[str, str | None]],
) -> None:
    texts = ["call +7 916 123-45-67", "again: +7 916 123-45-67 !", "+7 916 123-45-67"]
    found = phones.find_phones(Joined(texts), [("RU",), ("RU",), ("TR",)], nothing_taken)
    assert [(i, p.e164) for i, p in found] == [(i, "+79161234567") for i in range(3)]
    assert readings == [("+7 916 123-45-67", None)] * 2  # once per distinct region hints
