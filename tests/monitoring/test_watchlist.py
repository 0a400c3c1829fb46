"""Watch-list matching: which watched defenders a post names, and where."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qalxan.analysis.message import WatchedDefender
from qalxan.errors import InvalidInput
from qalxan.monitoring.watchlist import (
    Mention,
    UnmatchableEntry,
    WatchListMatcher,
    check_entry,
)

AYSEL = WatchedDefender(
    "aysel",
    names=("Aysel Məmmədova",),
    handles=("@aysel_m",),
    aliases=("Ayka Xanım",),
)
NARGES = WatchedDefender("narges", names=("Narges Mohammadi", "نرگس محمدی"))
IVAN = WatchedDefender("ivan", names=("Ivan Petrovsky",))
MEHMET = WatchedDefender("mehmet", names=("Mehmet Demir",), handles=("mehmet@social.example",))
SHIRIN = WatchedDefender("shirin", names=("Shirin Ebadi",), aliases=("Sotoudeh",))
KHADIJA = WatchedDefender("khadija", names=("Xədicə İsmayılova",))
ZEYNEP = WatchedDefender("zeynep", names=("Zeynep Kaya",))
ARZU = WatchedDefender("arzu", names=("Arzu Pənahova",))
GOLROKH = WatchedDefender("golrokh", names=("Golrokh Farahani",))
TATIANA = WatchedDefender("tatiana", names=("Татьяна Ковалёва",))
WATCHED = (AYSEL, NARGES, IVAN, MEHMET, SHIRIN, KHADIJA, ZEYNEP, ARZU, GOLROKH, TATIANA)


@pytest.fixture(scope="module")
def matcher() -> WatchListMatcher:
    return WatchListMatcher(WATCHED)


def ids(matcher: WatchListMatcher, text: str) -> set[str]:
    return set(matcher.mentioned(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aysel Məmmədova yalan danışır", "aysel"),
        ("Aysel Mammadova is lying", "aysel"),
        ("Aysel Mamedova is lying", "aysel"),
        ("Айсель Мамедова лжёт", "aysel"),
        ("Айсел Мәммәдова", "aysel"),  # Azerbaijani Cyrillic
        ("Xadija Ismayilova", "khadija"),
        ("Khadija Ismailova", "khadija"),
        ("Хадиджа Исмаилова", "khadija"),
        ("Narges Mohammadi", "narges"),
        ("نرگس محمدی", "narges"),
        ("Наргес Мохаммади", "narges"),
        ("Ivan Petrovsky", "ivan"),
        ("Иван Петровский", "ivan"),
        ("Tatyana Kovalyova", "tatiana"),  # ё romanised yo
        ("Татьяна Ковалева", "tatiana"),  # ё written е
        ("شیرین عبادی", "shirin"),
        ("Ширин Эбади", "shirin"),
    ],
)
def test_transliterations_across_scripts_match_the_same_defender(
    matcher: WatchListMatcher, text: str, expected: str
) -> None:
    assert ids(matcher, text) == {expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aysel Məmmədovanın evi", "aysel"),  # az genitive
        ("Aysel Məmmədovaya yazın", "aysel"),  # az dative
        ("Pənahovadan xəbər yoxdur", "arzu"),  # az ablative, surname alone
        ("Aysel Mammadova'nın evi", "aysel"),  # tr apostrophe + genitive
        ("Mehmet Demir'in evi", "mehmet"),
        ("Mehmet Demirin evi", "mehmet"),
        ("Mehmet Demirlere", "mehmet"),  # plural + dative stacked
        ("об Айсель Мамедовой", "aysel"),  # ru instrumental/genitive
        ("Айсели Мамедовой", "aysel"),
        ("Панахову уволили", "arzu"),  # ru accusative, surname alone
        ("Ивану Петровскому", "ivan"),
        ("Aysel Mammadova's house", "aysel"),  # en possessive
        ("Panahova’s house", "arzu"),
        ("و نرگس محمدی", "narges"),  # Arabic-script proclitic
        ("فراهانی‌ها", "golrokh"),  # Persian plural, surname alone
    ],
)
def test_inflected_names_match(matcher: WatchListMatcher, text: str, expected: str) -> None:
    assert ids(matcher, text) == {expected}


@pytest.mark.parametrize(
    ("text", "distance"),
    [
        ("Aysel Mammadovva", 0),  # doubled letters are one key
        ("Aysel Mammadoba", 1),  # one edit on an 8-letter key
        ("Aysel Mamadowa", 0),  # w and v are one sound
        ("Khadija Ismailovva", 0),
        ("Khadija Ismaylova", 0),
        ("Khadija Ismaolova", 1),
        ("Narges Mohamadu", 1),
    ],
)
def test_small_typos_match_within_the_bound(
    matcher: WatchListMatcher, text: str, distance: int
) -> None:
    [mention] = matcher.mentions(text)
    assert mention.distance == distance


@pytest.mark.parametrize(
    "text",
    [
        "Aysel Mambadoba",  # two edits on an 8-letter key: beyond the bound
        "Aysel Mahmudova",  # another surname
        "Ivan Petrov",  # a different person sharing the given name
        "Aysu Mammadova",  # another given name: two edits from a five-letter key
        "Mehmet Demirci",  # a longer surname is another name
        "Narges Hosseini",
    ],
)
def test_names_beyond_a_typo_do_not_match(matcher: WatchListMatcher, text: str) -> None:
    found = [m for m in matcher.mentions(text) if " " in m.surface]
    assert found == []


@pytest.mark.parametrize(
    "text",
    ["Aysel came today", "Айсель пришла", "Narges said", "نرگس گفت", "Ivan and Mehmet", "Shirin"],
)
def test_a_given_name_alone_never_matches(matcher: WatchListMatcher, text: str) -> None:
    assert matcher.mentions(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pənahova yalan danışır", {"arzu"}),
        ("Petrovsky lied", {"ivan"}),
        ("فراهانی دروغ گفت", {"golrokh"}),
        ("Məmmədova yalan danışır", set()),  # one of the most common surnames
        ("محمدی دروغ گفت", set()),
        ("Pənahoba", set()),  # alone, a word must match without typos
        ("عبادی", set()),  # three consonants are too few alone in Arabic script
        ("demir kapı", set()),  # "demir" is a common Turkish word (iron)
        ("Ebadi", {"shirin"}),
        ("Kaya", set()),  # shorter than five letters
    ],
)
def test_a_distinctive_surname_alone_matches_a_common_word_does_not(
    matcher: WatchListMatcher, text: str, expected: set[str]
) -> None:
    assert ids(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ayka Xanım yenə yazır", {"aysel"}),  # a two-word alias
        ("Ayka Khanim", {"aysel"}),
        ("Sotoudeh", {"shirin"}),  # a one-word alias, distinctive
        ("ستوده", set()),  # three consonants: too few to match alone in Arabic script
        ("Ayka", set()),  # the alias's first word alone
    ],
)
def test_aliases_match_like_names(
    matcher: WatchListMatcher, text: str, expected: set[str]
) -> None:
    found = matcher.mentions(text)
    assert {m.defender_id for m in found} == expected
    assert all(m.kind == "alias" for m in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@aysel_m is a traitor", {"aysel"}),
        ("@AYSEL_M!", {"aysel"}),
        ("@aysel\u200b_m", {"aysel"}),  # zero-width inside
        ("@аysel_m", {"aysel"}),  # Cyrillic а
        ("aysel_m@social.example wrote", {"aysel"}),
        ("@aysel_m@social.example", {"aysel"}),
        ("@mehmet@social.example", {"mehmet"}),
        ("@mehmet", {"mehmet"}),  # no instance given: the user name decides
        ("@mehmet@other.example", set()),  # a different instance
        ("@aysel_mm", set()),  # no fuzz on handles
        ("@aysel", set()),
        ("mail aysel.m@social.example", set()),
    ],
)
def test_handles_match_exactly_case_insensitively(
    matcher: WatchListMatcher, text: str, expected: set[str]
) -> None:
    handles = {m.defender_id for m in matcher.mentions(text) if m.kind == "handle"}
    assert handles == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ays\u200bel Məmmə\u200ddova",  # zero-width characters
        "Аysel Мammadova",  # Cyrillic look-alikes in Latin words
        "Аysеl Mаmmаdоvа",  # as many look-alikes as Latin letters
        "Ays3l M@mm@d0va",  # leetspeak
        "AYSEL MAMMADOVA",
        "Aysel  -  Mammadova",
    ],
)
def test_obfuscated_names_match(matcher: WatchListMatcher, text: str) -> None:
    assert ids(matcher, text) == {"aysel"}


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Bu gün Aysel Məmmədovanın evi", "Aysel Məmmədovanın"),
        ("x Ays\u200bel Mam\u200bmadova y", "Ays\u200bel Mam\u200bmadova"),
        ("ﬁne: Aysel Mammadova", "Aysel Mammadova"),  # a ligature before shifts nothing
        ("امروز نرگس محمدی را دیدم", "نرگس محمدی"),
        ("\u200fشیرین عبادی\u200f گفت", "شیرین عبادی"),
        ("Мамедова Айсель пишет", "Мамедова Айсель"),  # surname first
    ],
)
def test_offsets_point_at_the_span_in_the_original_text(
    matcher: WatchListMatcher, text: str, surface: str
) -> None:
    [mention] = [m for m in matcher.mentions(text) if m.kind != "handle"]
    assert text[mention.start : mention.end] == mention.surface == surface


def test_a_mention_says_what_it_matched(matcher: WatchListMatcher) -> None:
    [mention] = matcher.mentions("Айсель Мамедовой")
    assert mention == Mention("aysel", 0, 16, "Айсель Мамедовой", "name", "Aysel Məmmədova", 0)


def test_a_full_name_is_one_mention_not_also_a_lone_surname(matcher: WatchListMatcher) -> None:
    assert len(matcher.mentions("Aysel Mammadova")) == 1


def test_siblings_sharing_a_surname_are_told_apart_by_full_name() -> None:
    sisters = WatchListMatcher(
        [
            WatchedDefender("a", names=("Aysel Pənahova",)),
            WatchedDefender("l", names=("Leyla Pənahova",)),
        ]
    )
    assert sisters.mentioned("Leyla Pənahova danışdı") == {"l"}
    assert sisters.mentioned("Pənahova danışdı") == {"a", "l"}


def test_the_closest_of_two_similar_names_wins() -> None:
    matcher = WatchListMatcher(
        [
            WatchedDefender("ahmet", names=("Ahmet Sarıkaya",)),
            WatchedDefender("mehmet", names=("Mehmet Sarıkaya",)),
        ]
    )
    assert matcher.mentioned("Mehmet Sarıkaya") == {"mehmet"}
    assert matcher.mentioned("Mehmed Sarıkaya") == {"mehmet"}  # a typo of one of them
    assert matcher.mentioned("Ahmed Sarıkaya") == {"ahmet"}


def test_posts_by_the_defender_are_not_mentions_of_them(matcher: WatchListMatcher) -> None:
    text = "Aysel Məmmədova and @mehmet"
    assert {m.defender_id for m in matcher.mentions(text, author_handle="@Aysel_M")} == {"mehmet"}
    assert {m.defender_id for m in matcher.mentions(text)} == {"aysel", "mehmet"}


def test_several_defenders_in_one_post_are_all_found(matcher: WatchListMatcher) -> None:
    text = "Aysel Məmmədova, Narges Mohammadi və Ivan Petrovsky; @mehmet"
    found = matcher.mentions(text)
    assert [m.defender_id for m in found] == ["aysel", "narges", "ivan", "mehmet"]
    assert [m.start for m in found] == sorted(m.start for m in found)


def test_many_defenders_find_the_right_one() -> None:
    rng = random.Random(7)
    names = [
        " ".join("".join(rng.choices("bdfgklmnprstz", k=4)) + "ova" for _ in range(2))
        for _ in range(1000)
    ]
    matcher = WatchListMatcher(
        [*(WatchedDefender(f"d{i}", names=(n,)) for i, n in enumerate(names)), AYSEL]
    )
    assert matcher.mentioned("Aysel Mamedova") == {"aysel"}
    assert matcher.mentioned(f"news: {names[123]} again") == {"d123"}


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        (WatchedDefender("x1", names=("Aysel Məmmədova", "1234")), "names"),
        (WatchedDefender("x2", names=("Aysel",), aliases=("​",)), "aliases"),
        (WatchedDefender("x3", handles=("@",)), "handles"),
    ],
)
def test_an_entry_that_can_never_match_is_refused_without_its_value(
    entry: WatchedDefender, field: str
) -> None:
    with pytest.raises(UnmatchableEntry) as caught:
        check_entry(entry)
    assert isinstance(caught.value, InvalidInput)
    assert entry.defender_id in caught.value.detail and field in caught.value.detail
    assert "Aysel" not in caught.value.detail


def test_a_matchable_entry_passes_the_check() -> None:
    for entry in WATCHED:
        check_entry(entry)


def test_the_matcher_skips_names_it_cannot_match() -> None:
    matcher = WatchListMatcher([WatchedDefender("x", names=("1234", "", "Ivan Petrovsky"))])
    assert matcher.mentioned("1234 Ivan Petrovsky") == {"x"}


def test_an_empty_watch_list_matches_nothing() -> None:
    assert WatchListMatcher([]).mentions("Aysel Məmmədova @aysel_m") == []


def test_a_defender_without_names_or_handles_is_never_matched() -> None:
    matcher = WatchListMatcher([WatchedDefender("x", phones=("+994501234567",))])
    assert matcher.mentions("+994501234567 Aysel") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_matching_never_crashes_and_offsets_stay_in_the_text(text: str) -> None:
    for mention in WatchListMatcher(WATCHED).mentions(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.surface


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Aysel", "Məmmədova", "@aysel_m", "نرگس", "محمدی", "\u200b", " ", "'nın", "x", "-"]
        ),
        max_size=12,
    )
)
def test_offsets_stay_in_the_text_for_name_like_input(parts: list[str]) -> None:
    text = "".join(parts)
    for mention in WatchListMatcher(WATCHED).mentions(text):
        assert text[mention.start : mention.end] == mention.surface
        assert mention.surface.strip() == mention.surface


@settings(max_examples=100, deadline=None)
@given(st.characters(categories=["Cf"]))
def test_any_invisible_format_character_inside_a_handle_is_ignored(hidden: str) -> None:
    text = f"cc @aysel{hidden}_m"
    [mention] = WatchListMatcher([AYSEL]).mentions(text)
    assert mention.kind == "handle"
    assert mention.surface == text[3:]
