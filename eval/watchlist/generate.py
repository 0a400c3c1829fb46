"""Generate a SYNTHETIC watch-list and posts that name its defenders, or other people.

Seeded: the same seed gives the same defenders and posts. Names come from
``names_data.py``; surnames are split into a watched pool and a pool of other people's
surnames, so negatives can name people who are not on the list.

Positive conditions (the post names one watched defender):
  exact, transliterated, inflected, typo, obfuscated, reversed, surname_alone,
  common_surname_alone (refused by design: too short, or among the most common), handle
Negative conditions (the post names no watched defender):
  other_surname (a watched given name, another person's surname), beyond_typo (the watched
  surname edited past the typo bound), given_alone, relative (another given name, the
  surname in the other gender), shared_surname (another given name, the same surname),
  no_name
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from names_data import GENDERED_SURNAMES, GIVEN, SURNAMES, Spellings
from rapidfuzz.distance import Levenshtein

from qalxan.analysis.message import WatchedDefender
from qalxan.monitoring.names import common_words, fuzz_bound, name_words
from qalxan.monitoring.watchlist import MIN_ALONE_KEY

LANGS = tuple(GIVEN)
TEMPLATES: dict[str, tuple[str, ...]] = {
    "az": (
        "{name} yenə xalqı aldadır.",
        "Bu gün {name} haqqında yazılar çıxdı, oxuyun.",
        "Hamı bilir ki, {name} satqındır!",
        "Dünən axşam Nazir {name} ilə görüşdü.",
    ),
    "tr": (
        "{name} yine yalan söylüyor.",
        "Bugün {name} hakkında bir haber çıktı.",
        "Herkes biliyor ki {name} hain!",
        "Dün akşam Bakan {name} ile konuştu.",
    ),
    "ru": (
        "{name} снова врёт.",
        "Сегодня про {name} написали в новостях.",
        "Все знают, что {name} предатель!",
        "Вчера вечером Министр {name} выступил в суде.",
    ),
    "fa": (
        "{name} دوباره دروغ می‌گوید.",
        "امروز درباره {name} خبری منتشر شد.",
        "همه می‌دانند که {name} خائن است!",
    ),
    "ar": (
        "{name} يكذب مرة أخرى.",
        "اليوم نشر خبر عن {name}.",
        "الجميع يعرف أن {name} خائن!",
    ),
    "en": (
        "{name} is lying again.",
        "Today the News wrote about {name}.",
        "Everyone knows {name} is a traitor!",
        "Met Minister {name} at the court hearing yesterday.",
    ),
}
NO_NAME = {
    "az": "nazir",
    "tr": "bakan",
    "ru": "министр",
    "fa": "وزیر",
    "ar": "الوزير",
    "en": "the minister",
}
HOMOGLYPHS = str.maketrans("aeopc", "аеорс")
LEET = {"a": "4", "e": "3", "o": "0", "i": "1"}
CONSONANTS = {"Latn": "bdfklmnprtz", "Cyrl": "бдфклмнпртз", "Arab": "بدفکلمنپرتز"}
POSITIVE = (
    "exact",
    "transliterated",
    "inflected",
    "typo",
    "obfuscated",
    "reversed",
    "surname_alone",
    "common_surname_alone",
    "handle",
)
NEGATIVE = (
    "other_surname",
    "beyond_typo",
    "given_alone",
    "relative",
    "shared_surname",
    "no_name",
)


@dataclass(frozen=True)
class Person:
    defender_id: str
    lang: str
    gender: str
    given: Spellings
    surname: Spellings
    handle: str
    family: str  # the surname in its first (masculine) form: relatives share it

    @property
    def name(self) -> str:
        return f"{self.given[0]} {self.surname[0]}"

    def defender(self) -> WatchedDefender:
        return WatchedDefender(self.defender_id, names=(self.name,), handles=(f"@{self.handle}",))


@dataclass(frozen=True)
class Post:
    text: str
    condition: str
    names: frozenset[str]  # the watched defenders it names
    family: str = ""  # the surname (first form) it writes, if it writes a watched one


def script(text: str) -> str:
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            return "Cyrl" if "CYRILLIC" in name else "Arab" if "ARABIC" in name else "Latn"
    return "Latn"


def ascii_of(spellings: Spellings) -> str:
    latin = next((s for s in spellings if script(s) == "Latn"), spellings[0])
    folded = unicodedata.normalize("NFKD", latin.replace("ə", "a").replace("ı", "i"))
    return "".join(c for c in folded if c.isascii() and c.isalpha()).lower()


def gendered(surname: Spellings, lang: str, gender: str) -> Spellings:
    if gender == "f" and lang in GENDERED_SURNAMES:
        return tuple(s + "а" if script(s) == "Cyrl" else s + "a" for s in surname)
    return surname


def pools(lang: str) -> tuple[tuple[Spellings, ...], tuple[Spellings, ...]]:
    """(watched surnames, other people's surnames): every third of the first twenty is
    kept for other people; the rest (including the surnames that are common words) can
    be watched."""
    names = SURNAMES[lang]
    others = tuple(s for i, s in enumerate(names) if i < 20 and i % 3 == 1)
    return tuple(s for s in names if s not in others), others


def defenders(count: int, rng: random.Random) -> list[Person]:
    people: dict[tuple[str, str], Person] = {}
    while len(people) < count:
        lang, gender = rng.choice(LANGS), rng.choice("fm")
        given = rng.choice(GIVEN[lang][gender])
        family = rng.choice(pools(lang)[0])
        surname = gendered(family, lang, gender)
        if (given[0], surname[0]) in people:
            continue
        did = f"d{len(people):04d}"
        handle = f"{ascii_of(given)}_{ascii_of(surname)[:4]}{len(people)}"
        person = Person(did, lang, gender, given, surname, handle, family[0])
        people[(given[0], surname[0])] = person
    return list(people.values())


def _spelling_for(spellings: Spellings, wanted: str) -> str | None:
    return next((s for s in spellings if script(s) == wanted), None)


def _template_lang(person: Person, spelled: str) -> str:
    s = script(spelled)
    if s == "Cyrl":
        return "ru"
    if s == "Arab":
        return "ar" if person.lang == "ar" else "fa"
    return person.lang if person.lang in ("az", "tr", "en") else "en"


def in_post(rng: random.Random, person: Person, name: str, lang: str | None = None) -> str:
    template = rng.choice(TEMPLATES[lang or _template_lang(person, name)])
    return template.format(name=name)


def variant(rng: random.Random, person: Person) -> str:
    """The name in another spelling: the same variant index on both words where they have
    one (so the scripts agree), else the stored spelling."""
    options = [i for i in range(1, len(person.surname))]
    options += [i for i in range(1, len(person.given)) if i not in options]
    if not options:
        return person.name
    i = rng.choice(options)
    sur = person.surname[min(i, len(person.surname) - 1)]
    same = _spelling_for(person.given, script(sur)) or person.given[0]
    return f"{same} {sur}"


def _harmony(word: str) -> tuple[bool, bool]:
    vowels = [c for c in word.lower() if c in "aıoueəiöü"]
    last = vowels[-1] if vowels else "a"
    return last in "aıou", last in "ouöü"


def turkic_case(word: str, lang: str, rng: random.Random) -> str:
    back, round_ = _harmony(word)
    v4 = ("u" if round_ else "ı") if back else ("ü" if round_ else "i")
    v2 = "a" if back else ("ə" if lang == "az" else "e")
    after_vowel = word[-1].lower() in "aıoueəiöü"
    endings = (
        ("n" if after_vowel else "") + v4 + "n",
        ("y" if after_vowel else "") + v2,
        "d" + v2 + "n",
        ("n" if after_vowel else "") + v4,
    )
    ending = rng.choice(endings)
    return f"{word}'{ending}" if lang == "tr" else word + ending


def russian_case(word: str, gender: str, surname: bool, case: int) -> str:
    """Genitive (0), dative (1) or instrumental (2) of a name written in Cyrillic."""
    low = word[-1]
    if surname and gender == "f":
        return word[:-1] + "ой" if word.endswith(("ова", "ева", "ина")) else word
    if surname or (low not in "аяйь" and gender == "m"):
        if word.endswith(("и", "у", "е", "о")):
            return word
        return word + ("а", "у", "ым" if word.endswith(("ов", "ев", "ин")) else "ом")[case]
    if low == "а":
        stem = word[:-1]
        return stem + (("и" if stem[-1] in "кгхжшчщ" else "ы"), "е", "ой")[case]
    if low == "я":
        stem = word[:-1]
        return stem + ("и", "и" if stem.endswith("и") else "е", "ей")[case]
    if low == "й":
        return word[:-1] + ("я", "ю", "ем")[case]
    if low == "ь":
        return word[:-1] + (("и", "и", "ью") if gender == "f" else ("я", "ю", "ем"))[case]
    return word


def inflected(rng: random.Random, person: Person) -> str:
    """The full name inflected as the language of its spelling does."""
    cyr_given = _spelling_for(person.given, "Cyrl")
    cyr_sur = _spelling_for(person.surname, "Cyrl")
    arab_given = _spelling_for(person.given, "Arab")
    arab_sur = _spelling_for(person.surname, "Arab")
    if person.lang in ("az", "tr"):
        return f"{person.given[0]} {turkic_case(person.surname[0], person.lang, rng)}"
    if cyr_given and cyr_sur and rng.random() < 0.8:
        case = rng.randrange(3)
        given = russian_case(cyr_given, person.gender, False, case)
        return f"{given} {russian_case(cyr_sur, person.gender, True, case)}"
    if arab_given and arab_sur and rng.random() < 0.7:
        return f"و{arab_given} {arab_sur}"
    latin_given = _spelling_for(person.given, "Latn") or person.given[0]
    latin_sur = _spelling_for(person.surname, "Latn") or person.surname[0]
    return f"{latin_given} {latin_sur}'s"


def edited(rng: random.Random, word: str, edits: int) -> str:
    letters = CONSONANTS[script(word)]
    chars = list(word)
    for _ in range(edits):
        at = rng.randrange(1, len(chars))
        kind = rng.choice(("sub", "del", "ins")) if edits == 1 else "sub"
        if kind == "sub":
            chars[at] = rng.choice([c for c in letters if c != chars[at].lower()])
        elif kind == "del" and len(chars) > 2:
            del chars[at]
        else:
            chars.insert(at, rng.choice(letters))
    return "".join(chars)


def _key(word: str) -> str:
    return "".join(k.key or k.skeleton for k in name_words(word))


def typo(rng: random.Random, person: Person) -> str | None:
    """One edit on the surname where its key is long enough to allow one (else None)."""
    if fuzz_bound(len(_key(person.surname[0]))) == 0:
        return None
    for _ in range(20):
        wrong = edited(rng, person.surname[0], 1)
        if 0 < Levenshtein.distance(_key(wrong), _key(person.surname[0])) <= 1:
            return f"{person.given[0]} {wrong}"
    return None


def beyond_typo(rng: random.Random, person: Person) -> str:
    """The surname edited until its key is further than the typo bound from the stored."""
    key = _key(person.surname[0])
    need = fuzz_bound(len(key)) + 1
    for _ in range(50):
        wrong = edited(rng, person.surname[0], need)
        if Levenshtein.distance(_key(wrong), key) >= need:
            return f"{person.given[0]} {wrong}"
    return f"{person.given[0]} {person.surname[0][:1]}zzzzz"


def obfuscated(rng: random.Random, person: Person) -> str:
    name = _spelling_for(person.given, "Latn") or person.given[0]
    name += " " + (_spelling_for(person.surname, "Latn") or person.surname[0])
    how = rng.choice(("homoglyph", "zero-width", "leet", "upper"))
    if how == "homoglyph":
        return name.translate(HOMOGLYPHS)
    if how == "zero-width":
        return " ".join(w[:2] + "\u200b" + w[2:] for w in name.split())
    if how == "leet":
        return "".join(LEET.get(c, c) if i % 2 else c for i, c in enumerate(name))
    return name.upper()


Maker = Callable[[random.Random, Person], str | None]
POSITIVE_MAKERS: dict[str, Maker] = {
    "exact": lambda rng, p: p.name,
    "transliterated": variant,
    "inflected": inflected,
    "typo": typo,
    "obfuscated": obfuscated,
    "reversed": lambda rng, p: f"{p.surname[0]} {p.given[0]}" if p.lang in ("az", "ru") else None,
    "surname_alone": lambda rng, p: p.surname[0],
}


def common_surname(person: Person) -> bool:
    """Whether the matcher refuses the surname alone by design (too short or too common)."""
    keys = name_words(person.surname[0])
    return len(keys[0].key) < MIN_ALONE_KEY or keys[0].key in common_words()


def positives(rng: random.Random, people: list[Person]) -> Iterator[Post]:
    for person in people:
        named = frozenset({person.defender_id})
        for condition, make in POSITIVE_MAKERS.items():
            name = make(rng, person)
            if condition == "surname_alone" and common_surname(person):
                condition = "common_surname_alone"
            if name is not None:
                yield Post(in_post(rng, person, name), condition, named, person.family)
        text = in_post(rng, person, f"@{person.handle}", person.lang)
        yield Post(text, "handle", named, person.family)


def negatives(rng: random.Random, people: list[Person]) -> Iterator[Post]:
    watched = {(p.given[0], p.surname[0]) for p in people}
    for person in people:
        other = gendered(rng.choice(pools(person.lang)[1]), person.lang, person.gender)
        yield _negative(rng, person, f"{person.given[0]} {other[0]}", "other_surname")
        yield _negative(rng, person, beyond_typo(rng, person), "beyond_typo")
        yield _negative(rng, person, person.given[0], "given_alone")
        yield _negative(rng, person, NO_NAME[_template_lang(person, person.name)], "no_name")
        for condition, name in _relatives(rng, person):
            if tuple(name.split(" ", 1)) not in watched:
                yield _negative(rng, person, name, condition, person.family)


def _relatives(rng: random.Random, person: Person) -> Iterator[tuple[str, str]]:
    sibling = [g for g in GIVEN[person.lang][person.gender] if g != person.given]
    yield "shared_surname", f"{rng.choice(sibling)[0]} {person.surname[0]}"
    if person.lang in GENDERED_SURNAMES:
        other_gender = "m" if person.gender == "f" else "f"
        surname = person.surname[0]
        flipped = surname[:-1] if person.gender == "f" else surname + (
            "а" if script(surname) == "Cyrl" else "a"
        )
        yield "relative", f"{rng.choice(GIVEN[person.lang][other_gender])[0]} {flipped}"


def _negative(
    rng: random.Random, person: Person, name: str, condition: str, family: str = ""
) -> Post:
    return Post(in_post(rng, person, name), condition, frozenset(), family)


def generate(count: int, seed: int) -> tuple[list[Person], list[Post]]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible synthetic set, not secrets
    people = defenders(count, rng)
    posts = [*positives(rng, people), *negatives(rng, people)]
    return people, posts
