"""Generate the SYNTHETIC multilingual doxing evaluation set (no real person's data).

No labelled doxing corpus exists, so this script builds one: short messages in eight
Faker locales that embed one piece of fake personal data each (phone, e-mail, address,
national ID, IBAN, payment card, licence plate, coordinates), with its character span,
plus negative messages (dates, times, amounts, ordinary talk) that contain none.
Every record carries ``"synthetic": true``. Seeded: the same seed gives the same set.

Faker's data is taken as it comes, with one correction where it writes something that is
no phone number at all: ``phone_number`` of tr_TR has the layout ``### # ###`` with random
digits. That is the layout of Turkey's nationwide 444 numbers (``444 0 849``, as
libphonenumber formats them), the only Turkish numbers of seven digits: every other
Turkish number has ten digits or more, a three-digit area or operator code first. Filled with
random digits (``995 2 716``, ``109 1 875``) it is neither a 444 number nor a number of any
area, so the generator writes the 444 it stands for (``turkish_phone``). Faker has no phone
numbers for ar_AA at all (it writes US ones); the generator writes Saudi, Egyptian and
Emirati mobiles there (``arab_phone``).

The MIXED set (``generate_mixed``, ``--mixed``) is what the evaluation reads by default:
most messages hold several kinds of personal data at once (a phone beside an identity
number, a passport beside an IBAN, two numbers separated by a space only), some hold none,
and half come with no language given, as posts from monitoring do. Each record lists every
planted entity with its span, so precision counts an ID number reported as a phone as a
false phone and a missed ID.

    python eval/doxing/generate_synthetic.py --per-entity 100 --output synthetic.jsonl
    python eval/doxing/generate_synthetic.py --mixed 300 --output mixed.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from faker import Faker

LOCALES: tuple[str, ...] = (
    "en_US",
    "ru_RU",
    "tr_TR",
    "az_AZ",
    "ar_AA",
    "es_ES",
    "fr_FR",
    "fa_IR",
)
LANG = {loc: loc[:2] for loc in LOCALES}
# Fixed bounds: Faker's default dates depend on today's date, which would unseed the set.
FIRST_DAY, LAST_DAY = date(1980, 1, 1), date(2025, 12, 31)

TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        "Here is the traitor's info: {v}. Spread it.",
        "Found it: {v}",
        "Everyone contact them -> {v} !!",
        "She thinks we don't know. {v}",
        "his details {v} go visit",
    ),
    "ru": (
        "Вот данные этого предателя: {v}. Распространите.",
        "Нашли: {v}",
        "Пишите ему все -> {v} !!",
        "Она думает, мы не знаем. {v}",
        "его данные {v} навестите",
    ),
    "tr": (
        "İşte hainin bilgileri: {v}. Yayın.",
        "Bulduk: {v}",
        "Herkes ulaşsın -> {v} !!",
        "Bilmediğimizi sanıyor. {v}",
        "bilgileri {v} ziyaret edin",
    ),
    "az": (
        "Bu xainin məlumatları: {v}. Paylaşın.",
        "Tapdıq: {v}",
        "Hamı yazsın -> {v} !!",
        "Bilmədiyimizi düşünür. {v}",
        "məlumatları {v} baş çəkin",
    ),
    "ar": (
        "هذه معلومات الخائن: {v}. انشروها.",
        "وجدناه: {v}",
        "تواصلوا معه جميعا -> {v} !!",
        "تظن أننا لا نعرف. {v}",
        "بياناته {v} زوروه",
    ),
    "es": (
        "Aquí están los datos del traidor: {v}. Difundidlo.",
        "Lo encontramos: {v}",
        "Todos escribidle -> {v} !!",
        "Cree que no lo sabemos. {v}",
        "sus datos {v} visitadlo",
    ),
    "fr": (
        "Voici les infos du traître : {v}. Partagez.",
        "Trouvé : {v}",
        "Contactez-le tous -> {v} !!",
        "Elle croit qu'on ne sait pas. {v}",
        "ses coordonnées {v} allez le voir",
    ),
    "fa": (
        "این اطلاعات خائن است: {v}. پخش کنید.",
        "پیدا شد: {v}",
        "همه به او پیام دهید -> {v} !!",
        "فکر می‌کند ما نمی‌دانیم. {v}",
        "مشخصاتش {v} بروید سراغش",
    ),
}
# Words that introduce an identity number or a plate, as a person posting one would.
ID_LEAD = {
    "en": "SSN",
    "ru": "ИНН",
    "tr": "TC Kimlik No",
    "az": "FİN",
    "ar": "رقم الهوية",
    "es": "DNI",
    "fr": "n° sécurité sociale",
    "fa": "کد ملی",
}
PLATE_LEAD = {
    "en": "license plate",
    "ru": "госномер",
    "tr": "plaka",
    "az": "nömrə nişanı",
    "ar": "لوحة السيارة",
    "es": "matrícula",
    "fr": "plaque",
    "fa": "پلاک ماشین",
}
NEGATIVES: tuple[str, ...] = (
    "Meeting on {date} at {time}, {n} people came.",
    "The report of {year} lists {n} cases.",
    "{sentence}",
    "Price: {amount} EUR, {pct}% off until {date}.",
    "{sentence} {sentence}",
    "Flight {flight} lands at {time} on {date}.",
)


# Faker's tr_TR layout of the 444 numbers, which it fills with random digits.
TR_444_LAYOUT = re.compile(r"\d{3} \d \d{3}")


def turkish_phone(value: str) -> str:
    """A tr_TR Faker phone number, with the 444 of its seven-digit layout restored."""
    return "444" + value[3:] if TR_444_LAYOUT.fullmatch(value) else value


# Faker has no phone provider for ar_AA and writes US numbers there; the generator writes
# numbers of the Arab states the detector reads Arabic messages in (Saudi, Egyptian and
# Emirati mobiles, international or as dialled at home).
ARAB_PHONE_LAYOUTS: tuple[str, ...] = (
    "+966 5# ### ####",
    "05# ### ####",
    "+20 1{0125} #### ####",
    "01{0125} #### ####",
    "+971 5{024568} ### ####",
    "05{024568}-###-####",
)


def arab_phone(rng: random.Random) -> str:
    """A mobile number in one of ``ARAB_PHONE_LAYOUTS``."""
    layout = rng.choice(ARAB_PHONE_LAYOUTS)
    out, i = [], 0
    while i < len(layout):
        if layout[i] == "{":
            close = layout.index("}", i)
            out.append(rng.choice(layout[i + 1 : close]))
            i = close + 1
            continue
        out.append(str(rng.randrange(10)) if layout[i] == "#" else layout[i])
        i += 1
    return "".join(out)


def phone_number(fake: Faker, locale: str, rng: random.Random | None = None) -> str:
    if locale == "ar_AA" and rng is not None:
        return arab_phone(rng)
    value: str = fake.phone_number()
    return turkish_phone(value) if locale == "tr_TR" else value


def iran_national_code(rng: random.Random) -> str:
    """A well-formed Iranian national code (Faker has no provider for it)."""
    d = [rng.randrange(10) for _ in range(9)]
    remainder = sum(x * (10 - i) for i, x in enumerate(d)) % 11
    return "".join(map(str, d)) + str(remainder if remainder < 2 else 11 - remainder)


def national_id(fake: Faker, locale: str, rng: random.Random) -> str | None:
    makers: dict[str, Callable[[], str]] = {
        "en_US": fake.ssn,
        "tr_TR": fake.ssn,
        "az_AZ": fake.ssn,
        "fr_FR": fake.ssn,
        "ru_RU": lambda: rng.choice([fake.individuals_inn, fake.snils])(),
        "es_ES": lambda: rng.choice([fake.nif, fake.nie])(),
        "fa_IR": lambda: iran_national_code(rng),
    }
    maker = makers.get(locale)
    return maker() if maker else None


def entity_values(fake: Faker, locale: str, rng: random.Random) -> dict[str, str | None]:
    lang = LANG[locale]
    ident = national_id(fake, locale, rng)
    return {
        "phone": phone_number(fake, locale, rng),
        "email": fake.email(),
        "address": fake.address().replace("\n", ", "),
        "national_id": f"{ID_LEAD[lang]} {ident}" if ident else None,
        "iban": fake.iban(),
        "payment_card": fake.credit_card_number(),
        "licence_plate": f"{PLATE_LEAD[lang]} {fake.license_plate()}",
        "coordinates": f"{fake.latitude():.5f}, {fake.longitude():.5f}",
    }


def _value_span(entity: str, value: str, lang: str) -> tuple[int, str]:
    """Offset of the data itself inside ``value`` (after a lead word), and the data."""
    for lead in (ID_LEAD[lang], PLATE_LEAD[lang]):
        if entity in {"national_id", "licence_plate"} and value.startswith(lead + " "):
            return len(lead) + 1, value[len(lead) + 1 :]
    return 0, value


def positives(locale: str, per_entity: int, seed: int) -> Iterator[dict[str, Any]]:
    fake, rng = Faker(locale), random.Random(f"{seed}-{locale}")  # noqa: S311
    fake.seed_instance(seed)
    lang = LANG[locale]
    for _ in range(per_entity):
        for entity, value in entity_values(fake, locale, rng).items():
            if value is None:
                continue
            template = rng.choice(TEMPLATES[lang])
            offset, data = _value_span(entity, value, lang)
            start = template.index("{v}") + offset
            yield {
                "synthetic": True,
                "locale": locale,
                "lang": lang,
                "entity": entity,
                "text": template.replace("{v}", value),
                "start": start,
                "end": start + len(data),
            }


def negatives(locale: str, count: int, seed: int) -> Iterator[dict[str, Any]]:
    fake, rng = Faker(locale), random.Random(f"neg-{seed}-{locale}")  # noqa: S311
    fake.seed_instance(seed + 1)
    for _ in range(count):
        text = rng.choice(NEGATIVES).format(
            date=fake.date_between(FIRST_DAY, LAST_DAY).isoformat(),
            time=f"{rng.randrange(24):02d}:{rng.randrange(60):02d}",
            n=rng.randrange(2, 5000),
            year=rng.randrange(1980, 2026),
            sentence=fake.sentence(),
            amount=f"{rng.randrange(1, 10**6):,}",
            pct=rng.randrange(5, 70),
            flight=f"{fake.lexify('??').upper()}{rng.randrange(100, 9999)}",
        )
        yield {
            "synthetic": True,
            "locale": locale,
            "lang": LANG[locale],
            "entity": None,
            "text": text,
        }


def generate(per_entity: int = 100, seed: int = 20260101) -> Iterator[dict[str, Any]]:
    random.seed(seed)  # some Faker providers (es_ES NIE, DNI) draw from the global generator
    for locale in LOCALES:
        yield from positives(locale, per_entity, seed)
        yield from negatives(locale, per_entity, seed)


PASSPORT_LEAD = {
    "en": "passport",
    "ru": "паспорт",
    "tr": "pasaport no",
    "az": "pasport",
    "ar": "جواز السفر",
    "es": "pasaporte",
    "fr": "passeport",
    "fa": "شماره گذرنامه",
}
# Words before a piece of data in a mixed message, as people list someone's details; the
# value may also stand alone.
LEADS: dict[str, dict[str, str]] = {
    "en": {"phone": "call", "email": "mail", "address": "lives at", "iban": "bank"},
    "ru": {"phone": "тел.", "email": "почта", "address": "адрес", "iban": "счёт"},
    "tr": {"phone": "tel", "email": "e-posta", "address": "adres", "iban": "hesap"},
    "az": {"phone": "tel", "email": "e-poçt", "address": "ünvan", "iban": "hesab"},
    "ar": {"phone": "هاتف", "email": "بريد", "address": "العنوان", "iban": "حساب"},
    "es": {"phone": "tel", "email": "correo", "address": "vive en", "iban": "cuenta"},
    "fr": {"phone": "tél", "email": "mail", "address": "adresse", "iban": "compte"},
    "fa": {"phone": "تلفن", "email": "ایمیل", "address": "آدرس", "iban": "حساب"},
}
FILLERS: dict[str, tuple[str, ...]] = {
    "en": ("Here is everything on her:", "Go get him.", "share it everywhere", "no mercy"),
    "ru": ("Вот всё про неё:", "Найдите его.", "распространите", "без пощады"),
    "tr": ("İşte onun her şeyi:", "Bulun onu.", "her yerde paylaşın", "acımak yok"),
    "az": ("Onun haqqında hər şey:", "Tapın onu.", "hər yerdə paylaşın", "aman yoxdur"),
    "ar": ("هذه كل معلوماتها:", "اعثروا عليه.", "انشروها في كل مكان", "بلا رحمة"),
    "es": ("Aquí tenéis todo sobre ella:", "Id a por él.", "difundidlo", "sin piedad"),
    "fr": ("Voici tout sur elle :", "Allez le chercher.", "partagez partout", "sans pitié"),
    "fa": ("همه چیز درباره او:", "پیدایش کنید.", "همه جا پخش کنید", "رحم نکنید"),
}
SEPARATORS = (", ", " | ", "\n", "; ", " - ")


def passport(fake: Faker, locale: str, rng: random.Random) -> str:
    """A passport number in the layout of the locale's country (Faker writes Russian
    internal passports; the others follow each country's published layout)."""
    digits = lambda n: "".join(str(rng.randrange(10)) for _ in range(n))  # noqa: E731
    letters = lambda n: "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))  # noqa: E731
    makers: dict[str, Callable[[], str]] = {
        "ru_RU": lambda: rng.choice([fake.passport_number(), f"{digits(2)} {digits(7)}"]),
        "az_AZ": lambda: rng.choice(["C", "AA", "AZE "]) + digits(8 if rng.random() < 0.5 else 7),
        "tr_TR": lambda: rng.choice("UZS") + digits(8),
        "es_ES": lambda: letters(3) + digits(6),
        "fr_FR": lambda: digits(2) + letters(2) + digits(5),
        "fa_IR": lambda: rng.choice("ABHKPRT") + digits(8),
        "ar_AA": lambda: rng.choice("ANP") + digits(rng.choice([7, 8])),
        "en_US": lambda: rng.choice([digits(9), letters(1) + digits(8)]),
    }
    return makers[locale]()


def mixed_message(fake: Faker, locale: str, rng: random.Random) -> tuple[str, list[dict[str, Any]]]:
    """A message with two to four pieces of personal data (or, one time in six, none),
    with ordinary words around them; returns the text and the planted spans."""
    lang = LANG[locale]
    values = {k: v for k, v in entity_values(fake, locale, rng).items() if v is not None}
    values["passport"] = f"{PASSPORT_LEAD[lang]} {passport(fake, locale, rng)}"
    count = 0 if rng.random() < 1 / 6 else rng.choice([2, 2, 3, 3, 4])
    chosen = rng.sample(sorted(values), count)
    parts: list[str] = [rng.choice(FILLERS[lang])] if rng.random() < 0.7 else []
    planted: list[dict[str, Any]] = []
    text = " ".join(parts)
    for k, entity in enumerate(chosen):
        value = values[entity]
        offset, data = _value_span(entity, value, lang)
        if entity == "passport":
            offset = len(PASSPORT_LEAD[lang]) + 1
            data = value[offset:]
        lead = LEADS[lang].get(entity)
        if lead and rng.random() < 0.5:
            value, offset = f"{lead} {value}", offset + len(lead) + 1
        if not text:
            sep = ""
        elif k and entity in NUMBERS and chosen[k - 1] in NUMBERS and rng.random() < 0.3:
            sep = " "  # neighbouring numbers, a space apart ("916-315-5940 038-95-2320")
        else:
            sep = rng.choice(SEPARATORS) if k else " "
        start = len(text) + len(sep) + offset
        text = text + sep + value
        planted.append({"entity": entity, "start": start, "end": start + len(data)})
    if rng.random() < 0.5 or not planted:
        text += " " + rng.choice(FILLERS[lang])
    if not planted and rng.random() < 0.5:
        text += " " + fake.sentence()
    return text, planted


NUMBERS = frozenset({"phone", "national_id", "passport", "payment_card", "iban"})


def generate_mixed(per_locale: int = 300, seed: int = 20261208) -> Iterator[dict[str, Any]]:
    """The mixed set: ``per_locale`` messages per locale, half with their language given."""
    random.seed(seed)
    for locale in LOCALES:
        fake, rng = Faker(locale), random.Random(f"mixed-{seed}-{locale}")  # noqa: S311
        fake.seed_instance(seed)
        for i in range(per_locale):
            text, planted = mixed_message(fake, locale, rng)
            yield {
                "synthetic": True,
                "locale": locale,
                "lang": LANG[locale] if i % 2 else None,
                "text": text,
                "entities": planted,
            }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-entity", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--mixed", type=int, metavar="PER_LOCALE", help="the mixed set")
    parser.add_argument("--output", default="-")
    args = parser.parse_args()
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")  # noqa: SIM115
    records = (
        generate_mixed(args.mixed, args.seed)
        if args.mixed
        else generate(args.per_entity, args.seed)
    )
    with out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
