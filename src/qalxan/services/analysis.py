"""Runs the analysis engine over a case's texts and stores what it returns as sealed findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qalxan.analysis.message import AnalysisContext, Finding, Message
from qalxan.analysis.pipeline import MessageAnalysis, analyse_messages
from qalxan.services.context import Context
from qalxan.store.tables import FindingRow, new_id


@dataclass(frozen=True, slots=True)
class AnalysedText:
    text: str
    incident_id: str | None = None
    evidence_id: str | None = None


def analyse_and_store(ctx: Context, case_id: str, texts: Sequence[AnalysedText],
                      analysis_context: AnalysisContext) -> list[MessageAnalysis]:
    """Analyse texts of one case and store every finding, sealed with its own key."""
    messages = [Message(text=t.text) for t in texts]
    results = analyse_messages(messages, analysis_context)
    for item, result in zip(texts, results, strict=True):
        for finding in result.findings:
            _store_finding(ctx, case_id, item, finding)
    return results


def _store_finding(ctx: Context, case_id: str, item: AnalysedText, finding: Finding) -> None:
    row_id = new_id()
    key_id = ctx.vault.new_key(case_id)
    detail = {
        "explanation": finding.explanation,
        "spans": [[s.start, s.end] for s in finding.spans],
        "details": dict(finding.details),
    }
    ctx.session.add(FindingRow(
        id=row_id, case_id=case_id, incident_id=item.incident_id, evidence_id=item.evidence_id,
        detector=finding.detector, code=finding.code, score=float(finding.score),
        physical_risk=finding.physical_risk, key_id=key_id,
        detail_sealed=ctx.vault.seal_json(key_id, "finding", row_id, detail),
        created_at=ctx.now(),
    ))
