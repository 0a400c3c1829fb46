"""Compare py3langid and lingua on short social-media texts of known language.

Run: ``.venv/bin/python eval/language_id.py [--per-lang 400]``. Texts come from the data sets
in ``shared/data`` (the language of each set is known); anonymisation placeholders
(``@USER``, ``URL``) are removed first. Prints accuracy per language, overall and on short
texts (≤ 40 characters), and messages per second in one process.

``--qalxan`` measures Qalxan's ``detect_language`` alone, which may answer ``und``: per
language the share right, undetermined and wrong, on all texts and on short ones, on the
dev splits (``--split train`` is what its thresholds were chosen on) and on generated text
in the languages without a labelled set (``--generated``: Faker sentences in az, fa, fr and
the others, and the doxing generator's Turkish and Azerbaijani message templates).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training import corpora

SETS = {
    "en": ("hateval2019_en", "olid"),
    "es": ("hateval2019_es",),
    "tr": ("offenseval2020_tr",),
    "ar": ("offenseval2020_ar",),
    "el": ("offenseval2020_el",),
    "da": ("offenseval2020_da",),
    "ru": ("ru_paradetox",),
}
CANDIDATES = (
    "en",
    "es",
    "fr",
    "de",
    "it",
    "pt",
    "nl",
    "da",
    "sv",
    "nb",
    "pl",
    "uk",
    "ru",
    "be",
    "bg",
    "sr",
    "kk",
    "az",
    "tr",
    "ar",
    "fa",
    "ur",
    "he",
    "el",
    "ka",
    "hy",
)
_PLACEHOLDER = re.compile(r"@USER|\bURL\b|https?://\S+|@\w+|RT\b")

Classifier = Callable[[str], str]


def samples(per_lang: int, seed: int, split: str = "dev") -> list[tuple[str, str]]:
    rng = random.Random(seed)  # noqa: S311 - sampling, not security
    out: list[tuple[str, str]] = []
    for lang, names in SETS.items():
        texts = [_PLACEHOLDER.sub(" ", e.text).strip() for e in corpora.load(names, split)]
        texts = [t for t in texts if len(t) >= 3]
        rng.shuffle(texts)
        out.extend((lang, t) for t in texts[:per_lang])
    return out


def py3langid_classifier(restricted: bool) -> Classifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if restricted:
        ident.set_languages([c for c in CANDIDATES if c in ident.nb_classes])

    def classify(text: str) -> str:
        return str(ident.classify(text)[0]).replace("nb", "no")

    return classify


def lingua_classifier(restricted: bool, low_accuracy: bool) -> Classifier:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    if restricted:
        codes = [getattr(IsoCode639_1, c.upper()) for c in CANDIDATES]
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    else:
        builder = LanguageDetectorBuilder.from_all_languages()
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    detector = builder.with_preloaded_language_models().build()

    def classify(text: str) -> str:
        lang = detector.detect_language_of(text)
        return "und" if lang is None else lang.iso_code_639_1.name.lower()

    return classify


def qalxan_classifier() -> Classifier:
    from qalxan.analysis.detectors.language import detect_language

    return lambda text: detect_language(text)[0]


def measure(name: str, classify: Classifier, data: list[tuple[str, str]]) -> None:
    classify("warm up")
    start = time.perf_counter()
    predicted = [classify(text) for _, text in data]
    elapsed = time.perf_counter() - start
    per_lang: dict[str, list[int]] = {}
    short = [0, 0]
    for (lang, text), guess in zip(data, predicted, strict=True):
        ok = int(guess == lang)
        per_lang.setdefault(lang, []).append(ok)
        if len(text) <= 40:
            short[0] += ok
            short[1] += 1
    accs = {lang: sum(v) / len(v) for lang, v in per_lang.items()}
    macro = sum(accs.values()) / len(accs)
    cells = " ".join(f"{lang}={acc:.3f}" for lang, acc in accs.items())
    short_acc = short[0] / max(short[1], 1)
    print(
        f"{name:34s} macro-acc={macro:.3f} short={short_acc:.3f} (n={short[1]}) "
        f"msg/s={len(data) / elapsed:9.0f}  {cells}",
        flush=True,
    )


GENERATED_LOCALES = {
    "az": "az_AZ",
    "fa": "fa_IR",
    "fr": "fr_FR",
    "ar": "ar_AA",
    "ru": "ru_RU",
    "es": "es_ES",
    "en": "en_US",
}


def generated(per_lang: int, seed: int) -> list[tuple[str, str]]:
    """Faker sentences (3 to 12 words) per language, and the doxing generator's Turkish and
    Azerbaijani templates with their data left out (tr_TR has no Turkish sentences)."""
    from faker import Faker

    sys.path.insert(0, str(Path(__file__).resolve().parent / "doxing"))
    from generate_synthetic import FILLERS, TEMPLATES

    rng = random.Random(seed)  # noqa: S311 - sampling, not security
    out: list[tuple[str, str]] = []
    for lang, locale in GENERATED_LOCALES.items():
        fake = Faker(locale)
        fake.seed_instance(seed)
        out.extend((lang, fake.sentence(nb_words=rng.randrange(3, 13))) for _ in range(per_lang))
    for lang in ("tr", "az"):
        phrases = [t.replace("{v}", "").strip(" :.->!") for t in TEMPLATES[lang]]
        phrases += list(FILLERS[lang])
        out.extend((lang, p) for p in phrases)
    return out


def report(data: list[tuple[str, str]], title: str) -> None:
    """Share right / undetermined / wrong per language, all texts and short ones."""
    from qalxan.analysis.detectors.language import detect_languages

    predicted = [r[0] for r in detect_languages([t for _, t in data])]
    print(title)
    print(
        f"{'lang':5} {'n':>5} {'right':>6} {'und':>6} {'wrong':>6}   short: {'n':>4} "
        f"{'right':>6} {'und':>6} {'wrong':>6}  wrong answers"
    )
    for lang in dict.fromkeys(lang for lang, _ in data):
        rows = [(t, g) for (ln, t), g in zip(data, predicted, strict=True) if ln == lang]
        short = [(t, g) for t, g in rows if len(t) <= 40]
        cells = []
        for group in (rows, short):
            n = len(group) or 1
            right = sum(g == lang for _, g in group) / n
            und = sum(g == "und" for _, g in group) / n
            cells.append(f"{len(group):>5} {right:6.3f} {und:6.3f} {1 - right - und:6.3f}")
        wrong = Counter(g for _, g in rows if g not in (lang, "und")).most_common(3)
        print(f"{lang:5} {cells[0]}   short: {cells[1]}  {dict(wrong)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-lang", type=int, default=400)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--qalxan", action="store_true", help="detect_language alone")
    parser.add_argument("--generated", action="store_true", help="also generated text")
    args = parser.parse_args()
    if args.qalxan:
        data = samples(args.per_lang, args.seed, args.split)
        report(data, f"detect_language on {len(data)} {args.split} texts")
        if args.generated:
            made = generated(args.per_lang // 2, args.seed)
            report(made, f"detect_language on {len(made)} generated texts")
        return
    data = samples(args.per_lang, args.seed)
    print(
        f"{len(data)} texts, {len(SETS)} languages; candidates for restricted sets: "
        f"{len(CANDIDATES)}"
    )
    measure("py3langid (97 languages)", py3langid_classifier(False), data)
    measure("py3langid (restricted)", py3langid_classifier(True), data)
    measure("lingua (75, high accuracy)", lingua_classifier(False, False), data)
    measure("lingua (75, low accuracy)", lingua_classifier(False, True), data)
    measure("lingua (restricted, high accuracy)", lingua_classifier(True, False), data)
    measure("qalxan detect_language", qalxan_classifier(), data)


if __name__ == "__main__":
    main()
