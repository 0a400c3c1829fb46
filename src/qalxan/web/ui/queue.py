"""Helpers of the case pages: queue filters and pagination links, what to highlight where."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from qalxan.domain.enums import EvidenceKind
from qalxan.services.auth import SessionInfo
from qalxan.services.cases import CaseDetail, Page

FILTERS = ("status", "threat", "country", "assignee", "tlp")
PAGE_SIZE = 50


def filter_values(params: QueryParams, info: SessionInfo) -> dict[str, Any]:
    """Query parameters as a ``CaseFilter`` expects them (``assignee=me`` is the viewer)."""
    values: dict[str, Any] = {k: params[k].strip() for k in FILTERS if params.get(k, "").strip()}
    assignee = values.pop("assignee", None)
    if assignee:
        values["assignee_id"] = info.actor.user_id if assignee == "me" else assignee
    values["limit"] = params.get("limit") or PAGE_SIZE
    values["offset"] = params.get("offset") or 0
    return values


def shown_filters(params: QueryParams) -> dict[str, str]:
    return {k: params.get(k, "") for k in FILTERS}


def _link(params: QueryParams, offset: int) -> str:
    kept = {k: params[k] for k in (*FILTERS, "limit") if params.get(k)}
    return "/cases?" + urlencode({**kept, "offset": offset})


def pagination(params: QueryParams, page: Page) -> dict[str, Any]:
    """Previous and next page links (None where there is none), and the range shown."""
    previous = max(0, page.offset - page.limit)
    following = page.offset + page.limit
    return {
        "previous": _link(params, previous) if page.offset > 0 else None,
        "next": _link(params, following) if following < page.total else None,
        "first": page.offset + 1 if page.items else 0,
        "last": page.offset + len(page.items),
    }


def texts_by_source(detail: CaseDetail) -> dict[str, str]:
    """The analysed text of each incident and text evidence item, by id (for highlighting)."""
    texts = {str(i["id"]): str(i["report"].get("what_happened") or "") for i in detail.incidents}
    texts.update({e.id: e.content or "" for e in detail.evidence
                  if e.kind == EvidenceKind.TEXT.value})
    return texts


def spans_by_source(detail: CaseDetail) -> dict[str, list[list[int]]]:
    """Every finding's spans, by the incident or evidence item whose text they point into
    (a finding with both, on a monitored post made an incident, points into the evidence
    item: the post as captured)."""
    spans: dict[str, list[list[int]]] = {}
    for finding in detail.findings:
        source = span_source(finding)
        if source:
            spans.setdefault(str(source), []).extend(finding.get("spans") or [])
    return spans


def span_source(finding: dict[str, Any]) -> str | None:
    """The incident or evidence item whose text a finding's spans point into, if any."""
    incident, item = finding.get("incident_id"), finding.get("evidence_id")
    return str(item or incident) if item or incident else None


def age(created: datetime, now: datetime) -> tuple[int, str]:
    """How long a case has waited, as a number and a unit: minutes, hours or days."""
    created = created if created.tzinfo else created.replace(tzinfo=UTC)
    minutes = max(0, int((now - created).total_seconds() // 60))
    if minutes < 60:
        return minutes, "minutes"
    if minutes < 48 * 60:
        return minutes // 60, "hours"
    return minutes // (24 * 60), "days"


def distinct_findings(detail: CaseDetail, texts: dict[str, str]) -> list[dict[str, Any]]:
    """The case's findings with each one shown once: findings of the same kind (code and
    detector) on the same words (the text their spans mark, whichever item it is in) or, with
    no words, with the same explanation, are one, keeping the highest score and the physical
    risk flag if any of them had it."""
    shown: dict[tuple[str, ...], dict[str, Any]] = {}
    for finding in detail.findings:
        source = texts.get(span_source(finding) or "", "")
        words = tuple(source[s[0]:s[1]].casefold() for s in finding.get("spans") or []
                      if len(s) == 2)
        key = (finding.get("code", ""), finding.get("detector", ""),
               *(words or (str(finding.get("explanation", "")),)))
        kept = shown.get(key)
        if kept is None:
            shown[key] = dict(finding)
            continue
        if finding.get("score", 0) > kept.get("score", 0):
            shown[key] = {**finding, "physical_risk": kept.get("physical_risk") or
                          finding.get("physical_risk")}
        elif finding.get("physical_risk"):
            kept["physical_risk"] = True
    return list(shown.values())
