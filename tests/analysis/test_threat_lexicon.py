"""The threat phrase list: loading, pre-filtering and matching."""

from __future__ import annotations

from typing import Any

import pytest

from qalxan.analysis.detectors.threat_lexicon import ThreatLexicon, ThreatLexiconError
from qalxan.analysis.text import normalise_texts

SMALL = {
    "version": "t",
    "terms": {
        "en": [{"kind": "kill", "stem": False, "terms": ["i will kill you"]}],
        "tr": [{"kind": "kill", "stem": True, "terms": ["öldürece"]}],
    },
}


def test_anchors_prefilter_and_matches_are_in_normalised_offsets() -> None:
    lexicon = ThreatLexicon.from_json(SMALL)
    texts = normalise_texts(["hello", "OK, I WILL KILL YOU", "seni öldüreceğiz", "i will"])
    assert sorted(lexicon.matcher.candidates(texts)) == [1, 2]  # "kill" anchors the phrase
    hits = lexicon.find(texts)
    assert sorted(hits) == [1, 2]
    [hit] = hits[1]
    assert texts[1][hit.start : hit.end] == "i will kill you"
    assert hits[2][0].term.langs == frozenset({"tr"})


def test_shipped_lexicon_covers_the_required_languages() -> None:
    lexicon = ThreatLexicon.shipped()
    langs = set().union(*(t.langs for t in lexicon.terms))
    assert {"en", "ru", "az", "tr", "ar", "fa", "es", "fr"} <= langs
    assert all(len(a) >= 3 for a in lexicon.matcher.anchors)


@pytest.mark.parametrize("data", [{}, {"version": "1", "terms": {"en": [{"terms": ["x"]}]}}])
def test_malformed_lexicon_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(ThreatLexiconError):
        ThreatLexicon.from_json(data)


def test_empty_batch() -> None:
    assert ThreatLexicon.from_json(SMALL).find([]) == {}
