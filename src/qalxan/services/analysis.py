"""Runs the analysis engine over a case's texts and stores what it returns as sealed findings."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qalxan.analysis.message import DEFENDERS_ACCOUNT, AnalysisContext, Finding, Message
from qalxan.analysis.pipeline import MessageAnalysis, analyse_messages
from qalxan.security.vault import bound_fields
from qalxan.services.context import Context
from qalxan.services.timeline import event_row
from qalxan.store.tables import FindingRow, TimelineEvent, new_id

log = logging.getLogger("qalxan.analysis")


@dataclass(frozen=True, slots=True)
class AnalysedText:
    text: str
    incident_id: str | None = None
    evidence_id: str | None = None


@dataclass(frozen=True, slots=True)
class AnalysisRows:
    """What an engine run stores: its findings as sealed rows, and its failure, if it
    failed, as a timeline row."""

    results: list[MessageAnalysis]
    findings: list[dict[str, Any]]  # rows of FindingRow
    timeline: list[dict[str, Any]]  # rows of TimelineEvent

    def add_to(self, ctx: Context) -> None:
        """Add the rows to the call's unit of work."""
        ctx.session.add_all([FindingRow(**row) for row in self.findings])
        ctx.session.add_all([TimelineEvent(**row) for row in self.timeline])


def analyse_and_store(ctx: Context, case_id: str, texts: Sequence[AnalysedText],
                      analysis_context: AnalysisContext) -> list[MessageAnalysis]:
    """Analyse texts of one case and store every finding, sealed with its own key."""
    rows = finding_rows(ctx, case_id, texts, run_engine(texts, analysis_context))
    rows.add_to(ctx)
    return rows.results


@dataclass(frozen=True, slots=True)
class EngineRun:
    """What the engine returned for some texts, or the type of the error it failed with."""

    results: list[MessageAnalysis]
    error: str | None = None


def run_engine(texts: Sequence[AnalysedText], analysis_context: AnalysisContext) -> EngineRun:
    """The analysis engine over the texts (no database work).

    A failure of the analysis engine never costs a defender their report: the report is kept,
    the failure is logged by type only, since messages could carry report content, and
    :func:`finding_rows` puts it on the case's timeline (for a handler to re-run or read
    unaided).
    """
    try:
        messages = [Message(text=t.text,  # evidence is what others wrote
                            platform=None if t.evidence_id else DEFENDERS_ACCOUNT)
                    for t in texts]
        return EngineRun(analyse_messages(messages, analysis_context))
    except Exception as exc:  # any detector error: keep the report, say so on the case
        log.error("analysis failed for a case: %s", type(exc).__name__)
        return EngineRun([], type(exc).__name__)


def finding_rows(ctx: Context, case_id: str, texts: Sequence[AnalysedText],
                 run: EngineRun) -> AnalysisRows:
    """The findings of a :func:`run_engine` as rows, each sealed with its own key (or the
    failure as a timeline row)."""
    if run.error is not None:
        return AnalysisRows([], [], [event_row(ctx, case_id, "analysis.failed",
                                               error=run.error)])
    rows = [_finding_row(ctx, case_id, item, finding)
            for item, result in zip(texts, run.results, strict=True)
            for finding in result.findings]
    return AnalysisRows(run.results, rows, [])


def _finding_row(ctx: Context, case_id: str, item: AnalysedText,
                 finding: Finding) -> dict[str, Any]:
    row_id = new_id()
    key_id = ctx.vault.new_key(case_id)
    detail = {
        "explanation": finding.explanation,
        "spans": [[s.start, s.end] for s in finding.spans],
        "details": dict(finding.details),
    }
    row: dict[str, Any] = {
        "id": row_id, "case_id": case_id, "incident_id": item.incident_id,
        "evidence_id": item.evidence_id, "detector": finding.detector, "code": finding.code,
        "score": float(finding.score), "physical_risk": finding.physical_risk, "key_id": key_id,
        "created_at": ctx.now(),
    }
    row["detail_sealed"] = ctx.vault.seal_json(key_id, "finding", row_id, detail,
                                               bound_fields("finding", row))
    return row
