"""Run the functional suite: accuracy per language and functionality (and per target group).

    python eval/functional/run.py            # table on stdout (development cases)
    python eval/functional/run.py --split heldout   # the held-out cases
    python eval/functional/run.py --failures 5 --json out.json

A threat case passes when the engine reports a threat of violence (``harassment.threat``)
and physical risk; a contrast case (a report of a threat, a negation, an idiom, counter-
speech) passes when it reports neither; swearing at no one (``contrast_profanity``) and a
slur used of oneself (``contrast_reclaimed``) and a neutral statement about a group
(``contrast_neutral_group``) pass with no hate, sexist or threat finding (offensive
language, ``harassment``, may stand: swearing is offensive); derogation of a group
(``hate_derogation``) passes with a hate or sexist finding.
``threat_obfuscated`` are the direct threats with their verb disguised (spaced, doubled or
swapped letters, leetspeak, homoglyphs, dots).
Messages go in without a language, as most reports and posts do.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_dev
import cases_hate
import cases_heldout
import transforms

SPLITS = {"dev": cases_dev, "heldout": cases_heldout}
CONTEXT_FUNCTIONALITIES = frozenset(
    {"contrast_profanity", "contrast_reclaimed", "contrast_neutral_group"}
)
HATEFUL = frozenset({"harassment.hate", "harassment.sexist"})
NOT_HATEFUL = frozenset({"harassment.hate", "harassment.sexist", "harassment.threat"})
TARGETS = {"threat": 0.90, "contrast": 0.85}
SCRIPTS = {"ar": transforms.ARABIC, "fa": transforms.ARABIC, "ru": transforms.CYRILLIC}


@dataclass(frozen=True)
class Case:
    lang: str
    functionality: str
    target: str
    text: str

    @property
    def threat(self) -> bool:
        return self.functionality.startswith("threat")

    @property
    def hate(self) -> bool:
        return self.functionality.startswith("hate")


def _fill(lang: str, template: str, filler: str, split: str = "dev") -> str:
    source = SPLITS[split]
    nom = source.NOMINATIVE.get(lang, {}).get(filler, filler)
    dat = source.DATIVE.get(lang, {}).get(filler, filler)
    bare = filler.removesuffix(" را")
    return (
        template.replace("{T}", filler).replace("{N}", nom).replace("{D}", dat).replace("{P}", bare)
    )


def _hate_cases(lang: str) -> list[Case]:
    return [
        Case(lang, functionality, target, _fill(lang, template, filler))
        for functionality, (templates, fillers) in cases_hate.HATE.get(lang, {}).items()
        for template in templates
        for filler, target in fillers
    ]


def cases(split: str = "dev") -> list[Case]:
    out: list[Case] = []
    for lang, table in SPLITS[split].LANGUAGES.items():
        for functionality, (templates, fillers) in table.items():
            for template in templates:
                for filler, target in fillers:
                    text = transforms.plain(_fill(lang, template, filler, split))
                    out.append(Case(lang, functionality, target, text))
        if split == "dev":
            out += _hate_cases(lang)
        templates, fillers = table["threat_direct"]
        ways = SCRIPTS.get(lang, transforms.LATIN)
        k = 0
        for template in templates:
            for filler, target in fillers:
                name = sorted(ways)[k % len(ways)]
                k += 1
                text = ways[name](_fill(lang, template, filler, split))
                out.append(Case(lang, "threat_obfuscated", f"{target}/{name}", text))
    return out


def run(selected: list[Case]) -> list[bool]:
    from qalxan.analysis.message import Message
    from qalxan.analysis.pipeline import analyse_messages

    results = analyse_messages([Message(c.text) for c in selected], detectors=["language", "abuse"])
    passed = []
    for case, result in zip(selected, results, strict=True):
        threat = any(f.code == "harassment.threat" for f in result.findings)
        if case.hate:  # called hateful or sexist
            passed.append(any(f.code in HATEFUL for f in result.findings))
            continue
        if case.functionality in CONTEXT_FUNCTIONALITIES:  # neither hateful nor sexist
            passed.append(not any(f.code in NOT_HATEFUL for f in result.findings))
            continue
        passed.append(
            (threat and result.physical_risk)
            if case.threat
            else not (threat or result.physical_risk)
        )
    return passed


def main() -> None:  # noqa: C901 (one report, printed in order)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", help="only these languages")
    parser.add_argument(
        "--split", choices=sorted(SPLITS), default="dev", help="dev (default) or heldout"
    )
    parser.add_argument("--failures", type=int, default=0, help="show N failures per cell")
    parser.add_argument("--json", type=Path, help="write the table as JSON")
    args = parser.parse_args()
    selected = [c for c in cases(args.split) if not args.lang or c.lang in args.lang]
    passed = run(selected)
    cells: dict[tuple[str, str], list[bool]] = defaultdict(list)
    groups: dict[tuple[str, str], list[bool]] = defaultdict(list)
    fails: dict[tuple[str, str], list[str]] = defaultdict(list)
    for case, ok in zip(selected, passed, strict=True):
        cells[case.functionality, case.lang].append(ok)
        if case.functionality in (
            "threat_group",
            "threat_normative",
            "contrast_counter",
            "hate_derogation",
        ):
            groups[case.target, case.lang].append(ok)
        if not ok:
            fails[case.functionality, case.lang].append(case.text)
    langs = sorted({c.lang for c in selected})
    functionalities = sorted({c.functionality for c in selected})
    print("| functionality | " + " | ".join(langs) + " |")
    print("|---|" + "---|" * len(langs))
    table: dict[str, dict[str, dict[str, float]]] = {}
    for f in functionalities:
        row = []
        for lang in langs:
            got = cells.get((f, lang), [])
            acc = sum(got) / len(got) if got else float("nan")
            table.setdefault(f, {})[lang] = {"accuracy": round(acc, 3), "cases": len(got)}
            target = TARGETS["contrast" if f.startswith("contrast") else "threat"]
            mark = "" if acc >= target else " ✗"
            row.append(f"{acc:.2f} ({len(got)}){mark}" if got else "–")
        print(f"| {f} | " + " | ".join(row) + " |")
    print("\nper target group (group and normative threats, counter-speech, derogation):")
    for target in sorted({t for t, _ in groups}):
        row = [
            f"{lang} {sum(groups[target, lang]) / len(groups[target, lang]):.2f}"
            for lang in langs
            if groups.get((target, lang))
        ]
        print(f"  {target}: " + ", ".join(row))
    if args.failures:
        for (f, lang), texts in sorted(fails.items()):
            print(f"\n{f} / {lang}:")
            for text in texts[: args.failures]:
                print("   ", text)
    if args.json:
        args.json.write_text(json.dumps(table, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
