"""Name keys: one key for the spellings of a name, none shared by different names."""

from __future__ import annotations

import pytest

from qalxan.analysis.text import normalise
from qalxan.monitoring.names import arabic_stems, fuzz_bound, latin_stems, name_words, sounds


def keys(name: str) -> list[str]:
    return [w.key for w in name_words(name)]


def skeletons(name: str) -> list[str]:
    return [w.skeleton for w in name_words(name)]


@pytest.mark.parametrize(
    "spellings",
    [
        ("Aysel Məmmədova", "Aysel Mammadova", "Aysel Mamedova", "Айсель Мамедова"),
        ("Xədicə İsmayılova", "Khadija Ismayilova", "Хадиджа Исмаилова"),
        ("Tofiq Paşayev", "Tofiq Pashayev", "Тофиг Пашаев"),
        ("Наталья Васильева", "Natalya Vasilyeva", "Natalia Vasilieva"),
        ("Фёдор Ковалёв", "Fyodor Kovalyov", "Fedor Kovalev"),
        ("Alexei", "Aleksei", "Алексей"),
        ("Cəmil", "Jamil", "Джамиль"),
    ],
)
def test_spellings_of_one_name_share_a_key(spellings: tuple[str, ...]) -> None:
    assert len({tuple(keys(s)) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("Narges Mohammadi", "نرگس محمدی"),
        ("Shirin Ebadi", "شیرین عبادی"),
        ("Fatemeh Sotoudeh", "فاطمه ستوده"),
        ("Khalil Barghouti", "خليل برغوثي"),
    ],
)
def test_latin_and_arabic_script_share_a_skeleton(latin: str, arabic: str) -> None:
    assert skeletons(latin) == skeletons(arabic)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Məmmədova", "Məmmədov"), ("Mohammadi", "Mohammad"), ("Aysel", "Aynur")],
)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert keys(one) != keys(other)


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("Məmmədovanın", "Məmmədova"),
        ("Demirlerden", "Demir"),
        ("Мамедовой", "Мамедова"),
        ("Петровскому", "Петровский"),
        ("Айсели", "Айсель"),
    ],
)
def test_inflection_rules_give_the_nominative_as_a_stem(word: str, stem: str) -> None:
    [stored] = keys(stem)
    assert stored in latin_stems(sounds(normalise(word).text))


def test_arabic_script_proclitics_and_endings_are_removed() -> None:
    [stored] = skeletons("محمدی")
    assert stored in arabic_stems("ومحمديها")


@pytest.mark.parametrize(("length", "bound"), [(3, 0), (4, 0), (5, 1), (8, 1), (9, 2), (14, 2)])
def test_the_typo_bound_grows_with_length(length: int, bound: int) -> None:
    assert fuzz_bound(length) == bound
