"""Loaders for the labelled text sets in ``shared/data``, mapped to Qalxan's abuse labels.

Each example carries only the labels its data set annotates (see
``docs/analysis/abuse-labels.md``); a missing label means "not annotated", never "no".
Sets without an official dev split get a stable 10 % hash split on their id.
"""

from __future__ import annotations

import csv
import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

LABELS: tuple[str, ...] = ("abuse", "threat", "sexist", "hate")
csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    labels: dict[str, int]
    dataset: str
    lang: str
    split: str  # "train" or "dev"


@dataclass(frozen=True, slots=True)
class Corpus:
    name: str
    lang: str
    licence: str
    trainable: bool  # False: evaluation only (non-commercial licence or no train split)
    loader: Callable[[Path], Iterator[Example]] = field(repr=False)


def data_root() -> Path:
    """``$QALXAN_DATA`` or ``shared/data`` next to the repository."""
    env = os.environ.get("QALXAN_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def hash_split(key: str) -> str:
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()  # noqa: S324 - not for security
    return "dev" if int(digest[:8], 16) % 10 == 0 else "train"


def _rows(
    path: Path, delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL
) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter, quoting=quoting)  # type: ignore[call-overload]
        yield from reader


def _edos(root: Path) -> Iterator[Example]:
    for r in _rows(root / "edos/data/edos_labelled_aggregated.csv"):
        if r["split"] not in ("train", "dev"):
            continue
        sexist = int(r["label_sexist"] == "sexist")
        threat = int(r["label_category"].startswith("1."))
        yield Example(r["text"], {"sexist": sexist, "threat": threat}, "edos", "en", r["split"])


def _davidson(root: Path) -> Iterator[Example]:
    for r in _rows(root / "davidson2017/labeled_data.csv"):
        cls = r["class"]
        labels = {"hate": int(cls == "0"), "abuse": int(cls in ("0", "1"))}
        yield Example(r["tweet"], labels, "davidson2017", "en", hash_split("dav" + r[""]))


def _olid(root: Path) -> Iterator[Example]:
    path = root / "olid/olid-training-v1.0.tsv"
    for r in _rows(path, "\t", csv.QUOTE_NONE):
        labels = {"abuse": int(r["subtask_a"] == "OFF")}
        yield Example(r["tweet"], labels, "olid", "en", hash_split("olid" + r["id"]))


def _offenseval(lang: str, train: str, dev: str | None) -> Callable[[Path], Iterator[Example]]:
    def load(root: Path) -> Iterator[Example]:
        base = root / "offenseval2020/train_dev"
        train_split = None if dev is None else "train"
        for name, fixed in ((train, train_split), (dev, "dev")):
            if name is None:
                continue
            for r in _rows(base / name, "\t", csv.QUOTE_NONE):
                if (r.get("subtask_a") or "").strip() not in ("OFF", "NOT"):
                    continue
                split = fixed or hash_split(f"oe-{lang}-{r['id']}")
                labels = {"abuse": int(r["subtask_a"].strip() == "OFF")}
                yield Example(r["tweet"], labels, f"offenseval2020_{lang}", lang, split)

    return load


def _hateval(lang: str) -> Callable[[Path], Iterator[Example]]:
    def load(root: Path) -> Iterator[Example]:
        folder = "English" if lang == "en" else "Spanish"
        base = root / "hateval2019/text_jak" / folder
        for split in ("train", "dev"):
            for r in _rows(base / f"{split}_{lang}.tsv", "\t", csv.QUOTE_NONE):
                if r.get("HS", "").strip() in ("0", "1"):
                    labels = {"hate": int(r["HS"])}
                    yield Example(r["text"], labels, f"hateval2019_{lang}", lang, split)

    return load


def _hasoc(root: Path) -> Iterator[Example]:
    base = root / "trac1_hasoc2019_en/HASOC_2019"
    for name, split in (("train/hasoc_en_train_A.tsv", "train"), ("dev/hasoc_en_dev_A.tsv", "dev")):
        with (base / name).open(encoding="utf-8") as fh:
            for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) >= 3:
                    labels = {"abuse": int(row[2].strip() == "HOF")}
                    yield Example(row[1], labels, "hasoc2019_en", "en", split)


def _paradetox(root: Path) -> Iterator[Example]:
    base = root / "ru_paradetox_russe2022"
    for name, split in (("train.tsv", "train"), ("dev.tsv", "dev")):
        for r in _rows(base / name, "\t", csv.QUOTE_NONE):
            yield Example(r["toxic_comment"], {"abuse": 1}, "ru_paradetox", "ru", split)
            for key in ("neutral_comment1", "neutral_comment2", "neutral_comment3"):
                if (r.get(key) or "").strip():
                    yield Example(r[key], {"abuse": 0}, "ru_paradetox", "ru", split)


def _guest(root: Path) -> Iterator[Example]:
    seen: set[str] = set()
    for r in _rows(root / "misogyny_guest2021/final_labels.csv"):
        if r["entry_id"] in seen or not r["body"].strip():
            continue
        seen.add(r["entry_id"])
        labels = {
            "sexist": int(r["level_1"] == "Misogynistic"),
            "threat": int(r["level_3"].startswith("Threatening")),
        }
        yield Example(
            r["body"], labels, "misogyny_guest2021", "en", hash_split("mg" + r["entry_id"])
        )


def _dynahate(root: Path) -> Iterator[Example]:
    for r in _rows(root / "dynahate/db_dev.csv"):
        hate = int(r["label"] == "hate")
        labels = {"hate": hate, "threat": int(r["type"] == "threatening")}
        yield Example(r["text"], labels, "dynahate", "en", "dev")


def _sbic(root: Path) -> Iterator[Example]:
    for r in _rows(root / "sbic/SBIC.v2.agg.dev.csv"):
        labels = {"abuse": int(float(r["offensiveYN"] or 0) >= 0.5)}
        yield Example(r["post"].strip(), labels, "sbic", "en", "dev")


def _hatexplain(root: Path) -> Iterator[Example]:
    for r in _rows(root / "hatexplain/shivam0109_df_val.csv"):
        label = r["gt_label"]
        women = "Women" in r["gt_comm_target"]
        labels = {
            "hate": int(label == "hatespeech" or label == "hate"),
            "abuse": int(label != "normal"),
            "sexist": int(label != "normal" and women),
        }
        yield Example(r["unmasked_sentence"], labels, "hatexplain", "en", "dev")


def _trac1(root: Path) -> Iterator[Example]:
    path = root / "trac1_hasoc2019_en/TRAC_1_EN_Aggression/train/agr_en_dev.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if len(row) >= 3:
                labels = {"abuse": int(row[2].strip() in ("OAG", "CAG"))}
                yield Example(row[1], labels, "trac1_en", "en", "dev")


CORPORA: tuple[Corpus, ...] = (
    Corpus("edos", "en", "CC0-1.0", True, _edos),
    Corpus("davidson2017", "en", "MIT", True, _davidson),
    Corpus("olid", "en", "none stated (HF: CC-BY-4.0)", True, _olid),
    Corpus("hateval2019_en", "en", "none stated (research use)", True, _hateval("en")),
    Corpus("hateval2019_es", "es", "none stated (research use)", True, _hateval("es")),
    Corpus(
        "offenseval2020_tr",
        "tr",
        "CC-BY",
        True,
        _offenseval("tr", "offenseval-tr-training-v1.tsv", None),
    ),
    Corpus(
        "offenseval2020_ar",
        "ar",
        "see SOURCE.md (OSACT4)",
        True,
        _offenseval("ar", "offenseval-ar-training-v1.tsv", "offenseval-ar-dev-v1.tsv"),
    ),
    Corpus(
        "offenseval2020_el",
        "el",
        "see SOURCE.md (OGTD)",
        True,
        _offenseval("el", "offenseval-greek-training-v1.tsv", None),
    ),
    Corpus(
        "offenseval2020_da",
        "da",
        "used with permission (DKhate)",
        True,
        _offenseval("da", "offenseval-da-training-v1.tsv", None),
    ),
    Corpus("hasoc2019_en", "en", "none stated", True, _hasoc),
    Corpus("ru_paradetox", "ru", "none stated", True, _paradetox),
    Corpus("misogyny_guest2021", "en", "MIT", True, _guest),
    Corpus("dynahate", "en", "none stated (HF: CC-BY-4.0)", False, _dynahate),
    Corpus("sbic", "en", "CC-BY-4.0", False, _sbic),
    Corpus("hatexplain", "en", "MIT", False, _hatexplain),
    Corpus("trac1_en", "en", "CC-BY-NC-SA-4.0 (non-commercial: evaluation only)", False, _trac1),
)


def load(names: tuple[str, ...] | None = None, split: str | None = None) -> list[Example]:
    """Examples of the named corpora (all when ``None``), optionally one split only."""
    root = data_root()
    out: list[Example] = []
    for corpus in CORPORA:
        if names is not None and corpus.name not in names:
            continue
        out.extend(
            e
            for e in corpus.loader(root)
            if (split is None or e.split == split) and e.text and e.text.strip()
        )
    return out


def corpus(name: str) -> Corpus:
    for c in CORPORA:
        if c.name == name:
            return c
    raise KeyError(name)
