"""Speed work must not change what the engine finds.

Every detector and the escalation rules run over fixed corpora; the findings (codes,
scores, spans, details, explanations), the languages and the rules that fired are
serialised and hashed. The digests below were computed from the code before the speed work
of docs/analysis/performance.md ("second round"), and recomputed when the abuse model was
retrained (2026.11.4: only abuse findings, and the escalation rule that follows threat
findings, changed) and when the abuse detector took its probabilities from the same
summation as ``AbuseModel.probabilities`` (two scores moved in the 4th decimal), and when the
synthetic generator wrote Turkish seven-digit phones with their 444 (two synthetic messages
changed, each now with one doxing phone finding), and when language identification
answered ``und`` for texts too short to tell and the abuse detector's phrase lists and model
began to count only in their own languages (languages of short texts, and abuse findings on
texts of other languages, changed), and when context phrases became doxing only beside
personal data, street words near a count or a handle stopped being addresses and a place
near someone stopped being surveillance, and when passports were recognised and phones
beside other numbers kept apart (Iranian "پلاک" of a car no longer an address; "718-622-0221
- 24" is the US number before the dash, not a Turkish reading of both), bare digit runs
became phones only as a region dials them, the generator wrote Arab phone numbers for
ar_AA, and a street word takes the number on its other side when the nearer one is no
house number of it, and when a message in a language no phrase list is written in (read
as Ukrainian, Bulgarian, Italian ...) counted again as one of unknown language for the
abuse detector, and when the smear lexicon's terms began to count only in their own
languages too, and when threats came to be read by the
threat grammar (new ``threat-grammar`` findings, threat phrases and model threat labels set
aside after a report, negation, idiom or counter-speech, and the
``explicit_threat_of_violence`` escalation rule), and when swearing at no one and slurs
used of oneself came to set the model's hate and sexist labels aside, and when the grammar
came to read derogation of a group as hate (both merged: the grammar reads threats in
every message, and the phrase lists and model keep to their own languages); any change to a
finding changes them.
When a detector is changed *on purpose* (a new rule, a retrained model), recompute them with
``python tests/analysis/test_findings_unchanged.py`` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qalxan.analysis import pipeline
from qalxan.analysis.detectors.links import make_links_detector
from qalxan.analysis.indicators import load_indicators
from qalxan.analysis.message import AnalysisContext, Message, WatchedDefender
from qalxan.analysis.pipeline import MessageAnalysis, analyse_stream

ROOT = Path(__file__).resolve().parents[2]
DETECTORS = ("language", "abuse", "smear", "doxing", "links")  # the registry's order
SYNTHETIC_DIGEST = "53e5a9176356fae7775145048d6984049d41549f9e8594b7e9a63b902a876d22"
REAL_DIGEST = "3871f159a31e1a16a973a0b5451e26193e88c91f38f01b5acae3877c2bfa5409"
CONTEXT = AnalysisContext(
    watched=(
        WatchedDefender(
            "d1",
            names=("Aysel Mammadova",),
            handles=("@aysel_m",),
            phones=("+994 50 123 45 67",),
            emails=("aysel@example.org",),
        ),
    ),
    prior_attack_count=2,
    default_region="AZ",
)


def synthetic_messages() -> list[Message]:
    """The synthetic doxing set, messages with links, observables and indicator hits."""
    sys.path.insert(0, str(ROOT / "eval" / "doxing"))
    from generate_synthetic import generate

    rng = random.Random(11)
    found = [
        Message(r["text"], lang=r["lang"] if i % 2 else None) for i, r in enumerate(generate(12, 5))
    ]
    indicators = load_indicators()
    domains = sorted(indicators.values("domain"))
    for i, domain in enumerate(rng.sample(domains, 300)):
        found.append(Message(_link_text(i, domain, rng)))
    for kind in ("url", "ip", "email", "hash"):
        for value in sorted(indicators.values(kind))[:20]:
            found.append(Message(f"see {value} now, Aysel Mammadova lives near"))
    found += [Message(f"https://news{i}.example{i % 7}.org/a/{i} @aysel_m") for i in range(100)]
    found.append(Message("", urls=("https://" + domains[0] + "/x",)))
    return found


def _link_text(i: int, domain: str, rng: random.Random) -> str:
    forms = (
        f"Please update: hxxps://{domain.replace('.', '[.]')}/u/{i}",
        f"login at http://www.{domain}/login?id={i} or you lose access",
        f"mail admin@{domain} or visit {domain}",
        f"https://user:pw@{domain.upper()}:8080/p?q={i}#frag",
        f"we know where you live, https://sub{i}.{domain}./x",
    )
    return rng.choice(forms)


def real_messages() -> list[Message]:
    """The first dev texts of every labelled corpus in shared/data (skip when absent)."""
    sys.path.insert(0, str(ROOT))
    from training import corpora

    if not corpora.data_root().is_dir():
        pytest.skip("shared/data is not available")
    out: list[Message] = []
    for corpus in corpora.CORPORA:
        out += [Message(e.text) for e in corpora.load((corpus.name,), "dev")[:250]]
    return out


@pytest.fixture(autouse=True)
def fresh_detectors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Detectors built here, over the shipped feeds only: other tests import feeds or
    register detectors of their own."""
    monkeypatch.setattr(pipeline, "_detectors", {"links": make_links_detector([])})


def canonical(results: Iterator[MessageAnalysis]) -> Iterator[list[object]]:
    for r in results:
        findings = [
            [
                f.detector,
                f.code,
                repr(f.score),
                f.explanation,
                [[s.start, s.end] for s in f.spans],
                sorted(f.details.items()),
                f.physical_risk,
            ]
            for f in r.findings
        ]
        yield [r.language, list(r.risk_rules), r.physical_risk, findings]


def digest(messages: list[Message]) -> str:
    rows = list(canonical(analyse_stream(messages, CONTEXT, DETECTORS)))
    text = json.dumps(rows, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_findings_on_the_synthetic_and_link_corpus_are_unchanged() -> None:
    pytest.importorskip("faker")
    assert digest(synthetic_messages()) == SYNTHETIC_DIGEST


def test_findings_on_real_dev_texts_are_unchanged() -> None:
    assert digest(real_messages()) == REAL_DIGEST


def test_the_digest_sees_a_changed_finding() -> None:
    messages = [Message("Please update: hxxps://example[.]com/u/1 Aysel Mammadova")]
    before = digest(messages)
    assert digest([Message(messages[0].text + " you will die")]) != before


def test_the_corpora_exercise_every_detector() -> None:
    pytest.importorskip("faker")
    rows = canonical(
        analyse_stream(synthetic_messages()[::3] + real_messages()[::4], CONTEXT, DETECTORS)
    )
    detectors = {f[0] for row in rows for f in row[3]}  # type: ignore[index, union-attr]
    assert {"links", "doxing", "abuse", "smear"} <= detectors


if __name__ == "__main__":  # prints new digests; with a path, also writes the rows there
    pipeline._detectors["links"] = make_links_detector([])
    for name, corpus in (("SYNTHETIC", synthetic_messages), ("REAL", real_messages)):
        messages = corpus()
        print(f"{name}_DIGEST = {digest(messages)!r}  # {len(messages)} messages")
        if len(sys.argv) > 1:
            rows = list(canonical(analyse_stream(messages, CONTEXT, DETECTORS)))
            Path(f"{sys.argv[1]}.{name.lower()}.json").write_text(
                json.dumps(rows, ensure_ascii=False, indent=0), encoding="utf-8"
            )
