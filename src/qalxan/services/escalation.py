"""Turning an alert into an incident, on an existing case or a new one, in one action.

The incident carries the alert's statement; each post behind the alert becomes a text
evidence item holding the post exactly as captured (canonical JSON, so the evidence hash is
the captured post's hash) plus its link; the analysis engine's findings on the posts join
the case (their spans pointing into the evidence item as kept), which takes their threat
types, risk and physical-risk flag.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from qalxan import taxonomy
from qalxan.analysis.message import AnalysisContext, Span
from qalxan.analysis.pipeline import MessageAnalysis
from qalxan.domain.enums import TLP, AlertStatus, CaseStatus, EvidenceKind, IncidentSource, Urgency
from qalxan.errors import Conflict, IntegrityFailure, InvalidInput
from qalxan.monitoring.posts import canonical_json
from qalxan.response.triage import risk_score
from qalxan.security.access import Permission
from qalxan.services import evidence as evidence_service
from qalxan.services import watchlists
from qalxan.services.alerts import alert_posts
from qalxan.services.analysis import AnalysedText, EngineRun, finding_rows, run_engine
from qalxan.services.cases import defender_binding
from qalxan.services.context import Context, as_utc, service
from qalxan.services.guard import org_object, visible_case
from qalxan.services.monitoring_schemas import AlertIncidentInput, IncidentCreated
from qalxan.services.receipts import new_case_reference, new_receipt_code
from qalxan.services.timeline import record
from qalxan.store.tables import (
    Alert,
    Case,
    CaseTag,
    Consent,
    Evidence,
    Incident,
    MonitoredPost,
    WatchEntry,
    new_id,
)

MAX_POSTS = 200
REASON_TEXT = {
    "attack_post": "posts attacking the defender",
    "doxing_post": "posts exposing the defender's personal data",
    "volume_spike": "a spike in the volume of posts about the defender",
    "abuse_spike": "a spike in the share of abusive posts about the defender",
    "campaign": "accounts posting about the defender in a coordinated way (unconfirmed)",
}


@service(Permission.ALERT_ACT)
def open_incident(ctx: Context, alert_id: str, data: AlertIncidentInput) -> IncidentCreated:
    """The alert becomes an incident on case ``data.case_id``, or on a new case."""
    alert = org_object(ctx, Alert, alert_id, "alert")
    if alert.status != AlertStatus.OPEN.value:
        raise Conflict(f"this alert is {alert.status} already")
    entry = ctx.session.get_one(WatchEntry, alert.entry_id)
    if data.case_id:
        ctx.actor.require(Permission.CASE_UPDATE)
        case, new_case = _existing_case(ctx, entry, data.case_id), False
    else:
        ctx.actor.require(Permission.CASE_CREATE)
        case, new_case = _new_case(ctx, entry, alert), True
    incident_id = _incident(ctx, case, entry, alert)
    alert.status, alert.case_id, alert.incident_id = (AlertStatus.ESCALATED.value, case.id,
                                                      incident_id)
    alert.updated_at = case.updated_at = ctx.now()
    record(ctx, case.id, "incident.added", source=IncidentSource.DETECTION.value, alert=alert.id)
    ctx.audit("alert.incident", "alert", alert.id, org_id=alert.org_id, case=case.id)
    return IncidentCreated(case_id=case.id, incident_id=incident_id, new_case=new_case)


def _existing_case(ctx: Context, entry: WatchEntry, case_id: str) -> Case:
    case = visible_case(ctx, case_id, for_update=True)
    if case.status == CaseStatus.CLOSED.value:
        raise Conflict("this case is closed; reopen it or choose another")
    if entry.defender_id is not None and case.defender_id != entry.defender_id:
        raise InvalidInput("this case is about another defender than the alert")
    watchlists.link_defender(entry, case.defender_id)
    return case


def _new_case(ctx: Context, entry: WatchEntry, alert: Alert) -> Case:
    case_id, now = new_id(), ctx.now()
    defender_id = entry.defender_id or watchlists.new_defender_for(ctx, entry, case_id)
    urgency = Urgency.HIGH if alert.physical_risk else Urgency.MEDIUM
    case = Case(id=case_id, org_id=entry.org_id, defender_id=defender_id,
                reference=new_case_reference(), status=CaseStatus.NEW.value,
                tlp=TLP.AMBER.value, urgency=urgency.value, risk_score=0,
                physical_risk=alert.physical_risk, restricted=False,
                # nobody holds a receipt for a case the monitor opened: the code is discarded
                receipt_digest=ctx.keyring.receipt_digest(new_receipt_code()),
                defender_binding=defender_binding(ctx.keyring, case_id, entry.org_id,
                                                  defender_id),
                created_at=now, updated_at=now)
    ctx.session.add(case)
    ctx.session.add(Consent(id=new_id(), case_id=case_id, scope="share_with_organisations",
                            granted=False, source="monitoring", recorded_at=now))
    record(ctx, case_id, "case.created", source=IncidentSource.DETECTION.value)
    ctx.audit("case.create", "case", case_id, org_id=entry.org_id)
    return case


def statement(alert: Alert) -> str:
    reasons = "; ".join(REASON_TEXT.get(r, r) for r in alert.reasons)
    first, last = as_utc(alert.first_post_at), as_utc(alert.last_post_at)
    return (f"Raised by monitoring public sources: {reasons}. {alert.post_count} post(s) from "
            f"{first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC; each is kept as evidence "
            f"as captured, with its hash.")


def _incident(ctx: Context, case: Case, entry: WatchEntry, alert: Alert) -> str:
    incident_id, key_id = new_id(), ctx.vault.new_key(case.id)
    posts = alert_posts(ctx, alert)[:MAX_POSTS]
    codes = sorted({c for row, _ in posts for c in row.codes if taxonomy.is_code(c)})
    report = {"what_happened": statement(alert), "alert_id": alert.id,
              "reasons": list(alert.reasons), "posts": alert.post_count}
    ctx.session.add(Incident(id=incident_id, case_id=case.id,
                             source=IncidentSource.DETECTION.value, threat_codes=codes,
                             key_id=key_id, created_at=ctx.now(),
                             report_sealed=ctx.vault.seal_json(
                                 key_id, "report", incident_id, report,
                                 {"case_id": case.id,
                                  "source": IncidentSource.DETECTION.value})))
    kept = [_evidence(ctx, case, incident_id, row, post) for row, post in posts]
    _analyse(ctx, case, entry, kept, codes)
    return incident_id


def _evidence(ctx: Context, case: Case, incident_id: str, row: MonitoredPost,
              post: dict[str, Any]) -> tuple[AnalysedText, str]:
    canonical = canonical_json(post)
    tlp = TLP(case.tlp)
    item = evidence_service.text_row(ctx, case.id, EvidenceKind.TEXT, canonical, tlp,
                                     incident_id=incident_id)
    if item["content_digest"] != row.content_digest:
        raise IntegrityFailure("a kept post does not match the hash taken at capture; "
                               "nothing was added")
    ctx.session.add(Evidence(**item))
    if post.get("link"):
        ctx.session.add(Evidence(**evidence_service.text_row(
            ctx, case.id, EvidenceKind.URL, post["link"], tlp, incident_id=incident_id)))
    return AnalysedText(post["text"], incident_id=incident_id, evidence_id=item["id"]), canonical


def json_positions(canonical: str, text: str) -> list[int]:
    """Where each character of ``text`` (and its end) lies in the canonical JSON of a post,
    whose ``text`` field holds it escaped: so a finding's span marks the right words of the
    evidence item as kept."""
    position = canonical.index('"text":"') + len('"text":"')
    positions = [position]
    for char in text:
        position += len(json.dumps(char, ensure_ascii=False)) - 2
        positions.append(position)
    return positions


def _into_json(result: MessageAnalysis, canonical: str, text: str) -> MessageAnalysis:
    at = json_positions(canonical, text)
    findings = tuple(
        replace(f, spans=tuple(Span(at[s.start], at[s.end]) for s in f.spans))
        for f in result.findings)
    return replace(result, findings=findings)


def _analyse(ctx: Context, case: Case, entry: WatchEntry,
             kept: list[tuple[AnalysedText, str]], codes: list[str]) -> None:
    context = AnalysisContext(watched=(watchlists.watched_defender(ctx, entry),))
    texts = [text for text, _ in kept]
    run = run_engine(texts, context)
    run = EngineRun([_into_json(r, canonical, t.text)
                     for r, (t, canonical) in zip(run.results, kept, strict=True)], run.error)
    stored = finding_rows(ctx, case.id, texts, run)
    stored.add_to(ctx)
    results = stored.results
    found = [(f.code, f.score) for r in results for f in r.findings]
    case.physical_risk = case.physical_risk or any(r.physical_risk for r in results)
    case.risk_score = max(case.risk_score, risk_score(Urgency(case.urgency), found,
                                                      case.physical_risk))
    have = {tag.code for tag in case.tags}
    for code in sorted(({c for c, _ in found if taxonomy.is_code(c)} | set(codes)) - have):
        case.tags.append(CaseTag(case_id=case.id, code=code))
