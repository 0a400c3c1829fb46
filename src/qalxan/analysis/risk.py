"""Escalation rules: when an online attack signals a physical risk to the defender.

Each rule is a small named function over one message's findings (by taxonomy code, from
the other detectors), the analysis context and multilingual cue phrases
(``qalxan/data/risk/cues.json``). A rule that fires yields a ``risk`` finding with
``physical_risk=True`` and ``details["rule"]`` naming it, so a case handler sees why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from qalxan.analysis.message import AnalysisContext, Finding, Message, Span
from qalxan.analysis.pii.lexicon import Lexicon, load_json

DETECTOR = "risk"
THREAT = "harassment.threat"
CUE_CATEGORIES = ("location", "routine", "family", "surveillance", "threat")
PRIOR_ATTACKS_THRESHOLD = 1
PLACE_ENTITIES = frozenset({"address", "coordinates", "home"})
# Threat findings read by a rule (grammar or phrase list), which set aside reports of a
# threat, negations, idioms and counter-speech; a model's threat score alone is no rule.
EXPLICIT_THREAT_RULES = frozenset({"threat-grammar", "threat-lexicon"})
ROUTINE_ENTITIES = frozenset({"routine"})


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the rules look at for one message."""

    message: Message
    findings: tuple[Finding, ...]
    context: AnalysisContext
    cues: dict[str, tuple[Span, ...]]  # category → spans of its cue phrases

    def doxed(self, entities: frozenset[str]) -> tuple[Finding, ...]:
        return tuple(
            f for f in self.findings if f.code == "doxing" and f.details.get("entity") in entities
        )

    def threat_spans(self) -> tuple[Span, ...] | None:
        """Spans of threats (from a detector, else from threat cues), None when none."""
        threats = [f for f in self.findings if f.code == THREAT]
        if threats:
            return tuple(s for f in threats for s in f.spans)
        return self.cues.get("threat")


@dataclass(frozen=True, slots=True)
class RuleHit:
    code: str
    score: float
    explanation: str
    spans: tuple[Span, ...]


Rule = Callable[[Evidence], RuleHit | None]


def home_or_family_address_doxed(ev: Evidence) -> RuleHit | None:
    """An address or location is exposed together with home or family context, or it is
    the watched defender's own stored address."""
    places = ev.doxed(frozenset({"address", "coordinates"}))
    context = ev.doxed(frozenset({"home", "relatives"}))
    own = [f for f in places if "defender_id" in f.details]
    if not places or not (context or own or "family" in ev.cues):
        return None
    why = "the defender's own address" if own else "an address with home or family context"
    spans = tuple(s for f in (*places, *context) for s in f.spans)
    return RuleHit("doxing", 0.9, f"Doxing of {why}: people can find them at home.", spans)


def threat_references_location_or_routine(ev: Evidence) -> RuleHit | None:
    """A threat that points at where the defender lives or works, or at their routine."""
    threat = ev.threat_spans()
    places = ev.doxed(PLACE_ENTITIES | ROUTINE_ENTITIES)
    cue_spans = ev.cues.get("location", ()) + ev.cues.get("routine", ())
    if threat is None or not (places or cue_spans):
        return None
    spans = threat + tuple(s for f in places for s in f.spans) + cue_spans
    return RuleHit(
        THREAT, 0.9, "A threat that refers to the defender's location or routine.", spans
    )


def threat_to_family(ev: Evidence) -> RuleHit | None:
    """A threat that names the defender's family."""
    threat = ev.threat_spans()
    relatives = ev.doxed(frozenset({"relatives"}))
    family = ev.cues.get("family", ()) + tuple(s for f in relatives for s in f.spans)
    if threat is None or not family:
        return None
    return RuleHit(THREAT, 0.9, "A threat against the defender's family.", threat + family)


def threat_after_prior_attacks(ev: Evidence) -> RuleHit | None:
    """A declared threat against a defender who has already been attacked."""
    threat = ev.threat_spans()
    prior = ev.context.prior_attack_count
    if threat is None or prior < PRIOR_ATTACKS_THRESHOLD:
        return None
    return RuleHit(
        THREAT, 0.85, f"A threat after {prior} earlier attack(s) on the defender.", threat
    )


def explicit_threat_of_violence(ev: Evidence) -> RuleHit | None:
    """A threat of violence read by a threat rule: direct, normative, a call to violence, a
    wish for death, veiled or conditional. Reports of a threat, negations, idioms and
    counter-speech never reach this rule (the abuse detector sets them aside)."""
    threats = [
        f
        for f in ev.findings
        if f.code == THREAT and f.details.get("rule") in EXPLICIT_THREAT_RULES
    ]
    if not threats:
        return None
    kinds = sorted({f.details.get("kind", "threat").replace("_", " ") for f in threats})
    spans = tuple(s for f in threats for s in f.spans)
    why = f"A threat of violence ({', '.join(kinds)}): a risk to physical safety."
    return RuleHit(THREAT, 0.9, why, spans)


def surveillance_at_physical_place(ev: Evidence) -> RuleHit | None:
    """Someone says they watch or followed the defender at a physical place."""
    spans = ev.cues.get("surveillance")
    if not spans:
        return None
    return RuleHit("surveillance", 0.85, "Physical surveillance: watched or followed.", spans)


RULES: tuple[Rule, ...] = (
    home_or_family_address_doxed,
    threat_references_location_or_routine,
    threat_to_family,
    threat_after_prior_attacks,
    explicit_threat_of_violence,
    surveillance_at_physical_place,
)


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    physical_risk: bool
    rules: tuple[str, ...]
    findings: tuple[Finding, ...]


class CueMatcher:
    """The multilingual cue phrases, one named group per (category, language)."""

    def __init__(self) -> None:
        data = load_json("risk/cues.json")
        groups = {
            f"{cat}__{lang}": frags for cat in CUE_CATEGORIES for lang, frags in data[cat].items()
        }
        self._lexicon = Lexicon(groups)

    def find(self, text: str) -> dict[str, tuple[Span, ...]]:
        found: dict[str, list[Span]] = {}
        for match in self._lexicon.finditer(text):
            category = match.label.partition("__")[0]
            found.setdefault(category, []).append(Span(match.start, match.end))
        return {category: tuple(spans) for category, spans in found.items()}


_RULE_INPUTS = frozenset({"doxing", THREAT})  # the finding codes the rules look at
_NO_RISK = RiskAssessment(False, (), ())


@lru_cache(maxsize=1)
def default_cues() -> CueMatcher:
    return CueMatcher()


def assess(
    message: Message,
    findings: Sequence[Finding],
    context: AnalysisContext,
    rules: Sequence[Rule] = RULES,
) -> RiskAssessment:
    """Run every escalation rule over one message and the findings of the detectors."""
    cues = default_cues().find(message.text)
    if rules is RULES and not cues and not any(f.code in _RULE_INPUTS for f in findings):
        return _NO_RISK  # every built-in rule needs a cue phrase, a doxing finding or a threat
    evidence = Evidence(message, tuple(findings), context, cues)
    fired: list[Finding] = []
    for rule in rules:
        hit = rule(evidence)
        if hit is not None:
            fired.append(_finding(rule.__name__, hit))
    names = tuple(f.details["rule"] for f in fired)
    return RiskAssessment(bool(fired), names, tuple(fired))


def _finding(rule: str, hit: RuleHit) -> Finding:
    spans = tuple(sorted(set(hit.spans), key=lambda s: (s.start, s.end)))
    details = {"rule": rule}
    return Finding(DETECTOR, hit.code, hit.score, hit.explanation, spans, details, True)
