"""Threats of violence read by grammar, not by listed sentences, in eight languages.

A phrase list ("I will kill you") misses "I am really going to kill that journalist", "these
people should be hanged" and "we know where your children go to school". Here each language
has *slots* (violent verb lemmas with their inflected forms, modal and future markers,
subject and object pronouns, targets: people, named persons, groups) and *rules* that put
slots in that language's word order: a direct threat (first person + future or intent +
violent verb + a person or group), a normative threat (a target + "should be" + a violent
participle, "deserve to die", "death to ..."), a call to violence ("kill them all"), a wish
("I hope you die") and veiled or conditional threats ("we know where your children go to
school", "you will end up like ..."). A match names its rule, so a finding explains itself.

*Gates* then tell a threat from what only looks like one: a report of a threat ("he wrote
that ..." / Turkish "... dedi"), a negation ("no one deserves to die"), an idiom or
hypothetical ("I could kill for a coffee", "I will shoot you an email") and counter-speech
(a threat quoted to condemn it). A gated match is dropped and the reason kept for tests.

Matching runs on the normalised text (:mod:`qalxan.analysis.text.normalise`: case,
diacritics, homoglyphs, leetspeak) reduced once more to a *skeleton*: doubled letters
count once ("kiill" is "kill") and letters spelled apart are joined ("k i l l"). Verb forms
also match with two neighbouring letters swapped ("klil"), and weapon emoji stand for the
verb they picture ("I will 🔫 you"). Only texts holding a verb anchor are tried, so the
grammar costs little on ordinary text.

The grammar is data: ``qalxan/data/lexicons/threat_grammar.json`` (its ``about`` says how
to write rules).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Final

from qalxan.analysis.text.mapped import MappedText, remap
from qalxan.analysis.text.normalise import normalise_text
from qalxan.analysis.text.phrases import STOP, PhraseMatcher

GRAMMAR: Final[str] = "threat_grammar"
KINDS: Final[frozenset[str]] = frozenset(
    {
        "direct",
        "group",
        "normative",
        "call",
        "wish",
        "veiled",
        "conditional",
        "reported",
        "negated",
        "derogation",
    }
)
GATES: Final[tuple[str, ...]] = (
    "report_before",
    "report_after",
    "negation_before",
    "negation_after",
    "idiom_before",
    "idiom_after",
    "idiom_inside",
    "counter",
    "meta_before",
)
_SLOT: Final[re.Pattern[str]] = re.compile(r"\{(@?[a-z_0-9]+)\}(\?)?")
_GAP: Final[re.Pattern[str]] = re.compile(r"~(\d)")
_DOUBLE: Final[re.Pattern[str]] = re.compile(r"([^\W\d_])\1")
# Letters spelled apart with one kind of separator ("k i l l", "m.a.t.a.r", "k-i-l-l").
_SPELLED: Final[re.Pattern[str]] = re.compile(
    r"(?<![^\W_])[^\W\d_](?P<sep>[ .*_\-])(?P=sep)*[^\W\d_](?![^\W_])"
    r"(?:(?P=sep)+[^\W\d_](?![^\W_])){1,}"
)
_SPELL_SEP: Final[frozenset[str]] = frozenset(" .*_-")
_MIN_SPELLED: Final[int] = 3  # letters a stretch keeps after a one-letter word is left out
# One-letter words of the eight languages (normalised): "a", "y", "o", "и", "в", "و" ...
_ONE_LETTER_WORDS: Final[frozenset[str]] = frozenset("aoyeuiиваоуксяو")
# Rules that read hate against a group rather than a threat (a ``harassment.hate`` finding).
HATE_KINDS: Final[frozenset[str]] = frozenset({"derogation"})
# Rules that read what is never a threat: a reported (nominalised) clause, a negated threat.
_SET_ASIDE_KINDS: Final[dict[str, str]] = {"reported": "report", "negated": "negation"}
_SENTENCE_END: Final[re.Pattern[str]] = re.compile(r"[.!?\n؟。]+")
_OPEN_QUOTES: Final[str] = '"“«„‘'
_CLOSE_QUOTES: Final[str] = '"”»“’'
_CONTEXT: Final[int] = 60  # characters of context the gates read on either side
_SEP: Final[str] = r"(?:\s*[,،]\s*|\s+)"
_NOT_LETTER: Final[re.Pattern[str]] = re.compile(r"[^\w]+|_")
_MIN_ANCHOR: Final[int] = 3
_MIN_ANCHOR_ARABIC: Final[int] = 2  # Arabic and Persian verb stems have two or three letters
_ARABIC: Final[re.Pattern[str]] = re.compile(r"^[\u0600-\u06ff]")
_EMOJI_ANCHOR: Final[re.Pattern[str]] = re.compile(r"^[^\w\s]$")
# Languages whose rules also run on each other's texts: they share verbs and words, and a
# short text of one is often identified as the other.
SIBLINGS: Final[dict[str, frozenset[str]]] = {
    "tr": frozenset({"tr", "az"}),
    "az": frozenset({"tr", "az"}),
    "ar": frozenset({"ar", "fa"}),
    "fa": frozenset({"ar", "fa"}),
}
_SCRIPTS_WITH_SWAPS: Final[re.Pattern[str]] = re.compile(r"^[a-z\u0430-\u044f]{4,}$")


class ThreatGrammarError(ValueError):
    """The threat grammar is missing or malformed."""


@dataclass(frozen=True, slots=True)
class GrammarRule:
    name: str  # "<lang>.<kind>.<what>", e.g. "es.direct.ir_a"
    lang: str
    kind: str


@dataclass(frozen=True, slots=True)
class GrammarHit:
    """A threat found by a rule, in offsets of the normalised text."""

    start: int
    end: int
    rule: GrammarRule


@dataclass(frozen=True, slots=True)
class GatedHit:
    """A match that a gate set aside (a report, negation, idiom or counter-speech)."""

    start: int
    end: int
    rule: GrammarRule
    gate: str


def _spelled(text: str) -> list[tuple[int, int]]:
    """Stretches of letters spelled apart, to be joined. A one-letter word at either end of
    a stretch spelled with spaces stays apart ("voy a m a t a r a ti": "a" is a word)."""
    out: list[tuple[int, int]] = []
    for m in _SPELLED.finditer(text):
        start, end = m.span()
        if m.group("sep") == " ":
            letters = m.group().split()
            if len(letters) >= _MIN_SPELLED + 1 and letters[0] in _ONE_LETTER_WORDS:
                start = text.index(letters[1], start + 1)
                letters = letters[1:]
            if len(letters) >= _MIN_SPELLED + 1 and letters[-1] in _ONE_LETTER_WORDS:
                end = text.rindex(letters[-2], start, end) + 1
        out.append((start, end))
    return out


def skeleton(text: str) -> str:
    """Normalised text with doubled letters once and spelled-apart letters joined."""
    if _SPELLED.search(text):
        parts: list[str] = []
        done = 0
        for start, end in _spelled(text):
            parts.append(text[done:start])
            parts.append("".join(c for c in text[start:end] if c not in _SPELL_SEP))
            done = end
        parts.append(text[done:])
        text = "".join(parts)
    return _DOUBLE.sub(r"\1", text)


def _skeletons(texts: Sequence[str]) -> list[str]:
    """:func:`skeleton` of each text, the batch in one pass where a separator is free."""
    joined = "\0".join(texts)
    if texts and joined.count("\0") == len(texts) - 1:
        return skeleton(joined).split("\0")
    return [skeleton(t) for t in texts]


def skeleton_mapped(text: str) -> MappedText:
    """:func:`skeleton` of ``text`` with a map back to ``text`` (offsets of the input)."""
    pieces = list(text)
    for start, end in _spelled(text):
        for i in range(start, end):
            if text[i] in _SPELL_SEP:
                pieces[i] = ""
    joined = "".join(pieces)
    at = [i for i, p in enumerate(pieces) if p]  # input offset of each kept character
    for m in _DOUBLE.finditer(joined):
        pieces[at[m.start() + 1]] = ""
    return remap(MappedText.identity(text), pieces)


def _literal(text: str) -> str:
    """A regular expression for literal text written in a rule: normalised and reduced to
    its skeleton as the message is, apostrophes optional, spaces as word gaps."""
    words = skeleton(normalise_text(text)).split()
    parts = [re.escape(w).replace("'", "['’]?").replace("’", "['’]?") for w in words]
    return _SEP.join(parts)


def _entry(entry: str) -> str:
    """One slot entry: ``re:`` raw expression, else literal words where ``*`` is any run
    of word characters (an ending, a prefix)."""
    if entry.startswith("re:"):
        return entry[3:]
    pieces = entry.split("*")
    return r"\w*".join(_literal(p) if p.strip() else "" for p in pieces)


def _swaps(entry: str) -> list[str]:
    """A verb form with two neighbouring letters swapped (not the first letter), as
    skeletons ("kill" gives "klil")."""
    word = normalise_text(entry.rstrip("*"))
    if not _SCRIPTS_WITH_SWAPS.match(word):
        return []
    out = {
        skeleton(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        for i in range(1, len(word) - 1)
        if word[i] != word[i + 1]
    }
    return sorted(out - {skeleton(word)})


def _anchor_word(literal: str) -> str:
    """The word of a literal run the prefilter looks for: its longest word of three or more
    letters (two in Arabic script), one outside :data:`STOP` where it has one; "" when it has
    none (a run like "se" or "on" would send most texts to the rules, so it anchors nothing).
    """
    words = [
        w
        for w in _NOT_LETTER.split(literal)
        if len(w) >= (_MIN_ANCHOR_ARABIC if _ARABIC.match(w) else _MIN_ANCHOR)
    ]
    rare = [w for w in words if w not in STOP] or words
    return max(rare, key=len) if rare else ""


def _anchor(entry: str) -> str:
    """The longest literal run of an entry (what the prefilter looks for), slots left out."""
    if entry.startswith("re:"):
        return ""
    runs = [skeleton(normalise_text(_SLOT.sub(" ", p))).strip() for p in entry.split("*")]
    return max(runs, key=len) if runs else ""


class _Language:
    """One language's rules and gates. Each rule is its own expression, tried only on a
    text holding one of its anchor words; the expressions are large (every inflected form
    of every slot), so each is compiled on first use."""

    def __init__(
        self,
        code: str,
        rules: tuple[GrammarRule, ...],
        sources: tuple[str, ...],
        anchors: tuple[frozenset[str], ...],
        gates: dict[str, str],
    ) -> None:
        self.code = code
        self.rules = rules
        self._sources = sources
        self._patterns: list[re.Pattern[str] | None] = [None] * len(sources)
        self._by_anchor: dict[str, list[int]] = {}
        self._always = [k for k, words in enumerate(anchors) if not words]
        for k, words in enumerate(anchors):
            for word in words:
                self._by_anchor.setdefault(word, []).append(k)
        self._gate_sources = gates
        self._gates: dict[str, re.Pattern[str]] | None = None

    def pattern(self, k: int) -> re.Pattern[str]:
        found = self._patterns[k]
        if found is None:
            found = self._patterns[k] = re.compile(self._sources[k])
        return found

    def rules_for(self, present: Sequence[str]) -> list[int]:
        """The rules a text holding the anchor words ``present`` may match, in order."""
        chosen = set(self._always)
        for word in present:
            chosen.update(self._by_anchor.get(word, ()))
        return sorted(chosen)

    @property
    def gates(self) -> dict[str, re.Pattern[str]]:
        if self._gates is None:
            self._gates = {k: re.compile(v) for k, v in self._gate_sources.items()}
        return self._gates


class ThreatGrammar:
    """The compiled grammar: per language one expression of all its rules, and its gates."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        try:
            self.version = str(data["version"])
            shared: dict[str, list[str]] = {
                f"@{k}": list(v) for k, v in data.get("shared", {}).items()
            }
            languages: dict[str, _Language] = {}
            anchors: dict[str, set[str]] = {}
            for code, spec in data["languages"].items():
                languages[code] = self._compile(code, spec, shared, anchors)
        except (KeyError, TypeError, re.error) as exc:
            raise ThreatGrammarError(f"malformed threat grammar: {exc!r}") from exc
        self.languages = languages
        self._anchor_langs = {a: frozenset(ls) for a, ls in anchors.items()}
        self._matcher = PhraseMatcher([(a, re.escape(a)) for a in sorted(anchors)])
        self._anchor_list = sorted(anchors)

    @staticmethod
    def _compile(  # noqa: C901 (slots, rules and gates share one set of closures)
        code: str,
        spec: Mapping[str, Any],
        shared: Mapping[str, list[str]],
        anchors: dict[str, set[str]],
    ) -> _Language:
        raw: dict[str, list[str]] = {
            **shared,
            **{k: list(v) for k, v in spec["slots"].items()},
            **{k: list(v) for k, v in spec.get("extra_slots", {}).items()},
        }
        anchor_slots = set(spec["anchors"])
        fuzzy = set(spec.get("fuzzy", ()))
        compiled: dict[str, str] = {}
        visiting: set[str] = set()
        slot_anchors: dict[str, set[str]] = {}

        def slot(name: str) -> str:
            if name in compiled:
                return compiled[name]
            if name in visiting or name not in raw:
                raise ThreatGrammarError(f"slot {name!r} of {code!r} is unknown or circular")
            visiting.add(name)
            entries = raw[name]
            alts = [e[3:] if e.startswith("re:") else expand(e) for e in entries]
            for e in entries:
                lit = _anchor(e)
                swaps = _swaps(e) if name in fuzzy and "*" not in e.rstrip("*") else []
                tail = r"\w*" if e.endswith("*") else ""
                alts += [re.escape(w) + tail for w in swaps]  # "klil" for "kill"
                if name in anchor_slots and lit:
                    for a in [lit, *swaps]:
                        word = lit if _EMOJI_ANCHOR.match(lit) else _anchor_word(a)
                        if word:
                            anchors.setdefault(word, set()).add(code)
                            slot_anchors.setdefault(name, set()).add(word)
            for e in entries:  # a slot anchors on the anchors of the slots it holds
                for ref in _SLOT.finditer(e):
                    inner = slot_anchors.get(ref.group(1))
                    if inner and not ref.group(2):
                        slot_anchors.setdefault(name, set()).update(inner)
            alts.sort(key=len, reverse=True)
            compiled[name] = "(?:" + "|".join(alts) + ")"
            visiting.discard(name)
            return compiled[name]

        def expand(template: str) -> str:
            """Tokens joined by word gaps; a gap (``~N``, up to N words) or a standalone
            optional slot (``{adv}?``) carries its own gap: the one after it, or, at the
            end of a template, the one before it."""
            tokens = template.split()
            out = ""
            for k, token in enumerate(tokens):
                last = k == len(tokens) - 1
                gap = _GAP.fullmatch(token)
                optional = _SLOT.fullmatch(token)
                if gap and not last:
                    out += rf"(?:[^\W_]+(?:-[^\W_]+)*{_SEP}){{0,{gap.group(1)}}}?"
                elif optional and optional.group(2):
                    body = slot(optional.group(1))
                    if last:
                        out = out.removesuffix(_SEP) + f"(?:{_SEP}{body})?"
                    else:
                        out += f"(?:{body}{_SEP})?"
                elif not gap:
                    out += _token(token) + (_SEP if not last else "")
            return out.removesuffix(_SEP)

        def _token(token: str) -> str:
            parts: list[str] = []
            pos = 0
            for m in _SLOT.finditer(token):
                if m.start() > pos:
                    parts.append(_entry(token[pos : m.start()]))
                body = slot(m.group(1))
                parts.append(f"(?:{body})?" if m.group(2) else body)
                pos = m.end()
            if pos < len(token):
                parts.append(_entry(token[pos:]))
            return "".join(parts)

        extra: set[str] = set()  # words that may start any rule of the language
        for name in sorted(anchor_slots):
            if name in raw:
                slot(name)  # every anchor slot gives anchors, used by a rule or not
            else:  # a word that anchors rules without a verb ("death to ...")
                word = _anchor_word(skeleton(normalise_text(name)))
                if word:
                    anchors.setdefault(word, set()).add(code)
                    extra.add(word)
        rules: list[GrammarRule] = []
        sources: list[str] = []
        rule_anchors: list[frozenset[str]] = []
        for name, kind, template in spec["rules"]:
            if kind not in KINDS:
                raise ThreatGrammarError(f"unknown kind {kind!r} in rule {name!r}")
            sources.append(r"(?<![^\W_])(?:" + expand(template) + r")(?![^\W_])")
            rules.append(GrammarRule(f"{code}.{kind}.{name}", code, kind))
            words: set[str] = set()
            for ref in _SLOT.finditer(template):
                words |= slot_anchors.get(ref.group(1), set())
            if not words:  # a rule without a verb anchors on its longest word (all required)
                literal = _SLOT.sub(" ", _GAP.sub(" ", template)).replace("*", " ")
                word = _anchor_word(skeleton(normalise_text(literal)))
                if word:
                    words.add(word)
                    anchors.setdefault(word, set()).add(code)
            rule_anchors.append(frozenset(words | extra))
        gates: dict[str, str] = {}
        for gate in GATES:
            entries = spec.get("gates", {}).get(gate) or []
            if not entries:
                continue
            body = "|".join(e[3:] if e.startswith("re:") else expand(e) for e in entries)
            tail = r"\W*$" if gate.endswith("_before") and gate != "report_before" else ""
            gates[gate] = rf"(?<![^\W_])(?:{body})(?![^\W_]){tail}"
        return _Language(code, tuple(rules), tuple(sources), tuple(rule_anchors), gates)

    @classmethod
    def shipped(cls) -> ThreatGrammar:
        return _shipped()

    # -- matching ------------------------------------------------------------------------

    def find(
        self, texts: Sequence[str], prefer: Sequence[str | None] | None = None
    ) -> dict[int, list[GrammarHit]]:
        """Threats in each of the (normalised) ``texts``, by text index, gates applied."""
        found: dict[int, list[GrammarHit]] = {}
        for i, (hits, _) in self.analyse(texts, prefer).items():
            if hits:
                found[i] = hits
        return found

    def analyse(
        self, texts: Sequence[str], prefer: Sequence[str | None] | None = None
    ) -> dict[int, tuple[list[GrammarHit], list[GatedHit]]]:
        """Threats and gated matches of the texts that hold any candidate. Where rules of
        two languages match the same words (Turkish and Azerbaijani), the rule of the
        text's language in ``prefer`` (the message's language, when known) wins."""
        skeletons = _skeletons(texts)
        out: dict[int, tuple[list[GrammarHit], list[GatedHit]]] = {}
        for i, present in self._matcher.candidates(skeletons).items():
            langs = sorted({lang for a in present for lang in self._anchor_langs[a]})
            first = prefer[i] if prefer is not None else None
            if first in self.languages:  # a known language: its rules (and its sibling's)
                langs = [code for code in langs if code in SIBLINGS.get(first, {first})]
            langs.sort(key=lambda code: code != first)
            if langs:
                out[i] = self._analyse_one(texts[i], skeletons[i], langs, present)
        return out

    def _analyse_one(
        self, text: str, skel: str, langs: Sequence[str], present: Sequence[str]
    ) -> tuple[list[GrammarHit], list[GatedHit]]:
        mapped: MappedText | None = None  # built only for a text with a match
        hits: list[GrammarHit] = []
        gated: list[GatedHit] = []
        for code in langs:
            lang = self.languages[code]
            found = [
                (m, lang.rules[k])
                for k in lang.rules_for(present)
                for m in lang.pattern(k).finditer(skel)
            ]
            for m, rule in found:
                if mapped is None:
                    mapped = skeleton_mapped(text)
                s, e = mapped.original_span(m.start(), m.end())
                gate = _SET_ASIDE_KINDS.get(rule.kind) or self._gate(lang, skel, m.start(), m.end())
                if gate is None:
                    hits.append(GrammarHit(s, e, rule))
                else:
                    gated.append(GatedHit(s, e, rule, gate))
        # A gate read in one language sets the same words aside in all (Turkish and
        # Azerbaijani share verbs; the report verb after them is the language's own).
        hits = [h for h in hits if not any(g.start < h.end and h.start < g.end for g in gated)]
        order = {code: k for k, code in enumerate(langs)}
        hits.sort(key=lambda h: (h.start, order[h.rule.lang], -h.end))
        kept: list[GrammarHit] = []
        for h in hits:  # one hit per stretch of text, the first language's rule
            if not kept or h.start >= kept[-1].end:
                kept.append(h)
        return kept, gated

    def gate(self, text: str, start: int, end: int) -> str | None:
        """The gate of any language that sets aside a threat found elsewhere (a phrase
        list) at ``[start, end)`` of the normalised ``text``, or None."""
        skel = skeleton(text)
        lo, hi = len(skeleton(text[:start])), len(skeleton(text[:end]))
        for lang in self.languages.values():
            reason = self._gate(lang, skel, lo, max(hi, lo + 1))
            if reason is not None:
                return reason
        return None

    @staticmethod
    def _gate(lang: _Language, text: str, start: int, end: int) -> str | None:
        left_all = text[max(0, start - _CONTEXT * 2) : start]
        quoted = _inside_quotes(text, start)
        # The clause before the match: from the last sentence end (a quoted threat keeps
        # the sentence that introduces the quote).
        cut = [m.end() for m in _SENTENCE_END.finditer(left_all)]
        left = left_all[cut[-1] :] if cut and not quoted else left_all
        right_all = text[end : end + _CONTEXT]
        stop = _SENTENCE_END.search(right_all)
        right = right_all[: stop.start()] if stop else right_all
        g = lang.gates
        if "report_before" in g and g["report_before"].search(left[-_CONTEXT:]):
            return "report"
        if "report_after" in g and g["report_after"].search(right):
            return "report"
        if "negation_before" in g and g["negation_before"].search(left[-24:]):
            return "negation"
        if "negation_after" in g and g["negation_after"].match(right.lstrip(" ,")):
            return "negation"
        if "idiom_before" in g and g["idiom_before"].search(left[-24:]):
            return "idiom"
        if "idiom_inside" in g and g["idiom_inside"].search(text, start, end):
            return "idiom"
        if "idiom_after" in g and g["idiom_after"].match(right.lstrip(" ,")):
            return "idiom"
        if "counter" in g and g["counter"].search(text):
            meta = g.get("meta_before")
            if quoted or (meta is not None and meta.search(left[-_CONTEXT:])):
                return "counter-speech"
        return None


def _inside_quotes(text: str, at: int) -> bool:
    before = text[:at]
    straight = before.count('"') % 2 == 1
    curly = before.count("“") + before.count("„") > before.count("”")
    guillemets = before.count("«") > before.count("»")
    return straight or curly or guillemets


def load_grammar_data() -> dict[str, Any]:
    """The shipped grammar: ``_grammar.json`` (version, shared slots) and one file per
    language in ``qalxan/data/lexicons/threat_grammar/``."""
    folder = resources.files("qalxan") / "data" / "lexicons" / GRAMMAR
    try:
        data: dict[str, Any] = json.loads((folder / "_grammar.json").read_text(encoding="utf-8"))
        data["languages"] = {}
        for item in sorted(folder.iterdir(), key=lambda f: f.name):
            if item.name.endswith(".json") and not item.name.startswith("_"):
                lang = item.name.removesuffix(".json")
                data["languages"][lang] = json.loads(item.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError) as exc:
        raise ThreatGrammarError(f"cannot read the threat grammar: {exc}") from exc
    return data


@lru_cache(maxsize=1)
def _shipped() -> ThreatGrammar:
    return ThreatGrammar(load_grammar_data())
