"""A defender's report becomes a sealed case; the receipt code alone brings them back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qalxan.domain.enums import MessageKind
from qalxan.errors import Conflict, IntegrityFailure, InvalidInput, NotFound, UnsupportedMediaType
from qalxan.security import crypto
from qalxan.security.access import DEFENDER
from qalxan.services import cases, followup, intake
from qalxan.services.context import Context, Platform
from qalxan.services.schemas import CaseFilter, FollowupMessage, NoteInput, ReportSubmission
from qalxan.store.tables import Case, DataKeyRow, Evidence, IdempotencyRecord, Incident
from tests.conftest import Staff

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def report(text: str = "Someone posted my home address and threatened me.",
           **fields: object) -> ReportSubmission:
    return ReportSubmission.model_validate({"what_happened": text, **fields})


def count(platform: Platform, model: type) -> int:
    with platform.sessions() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_report_creates_case_with_receipt(platform: Platform, intake_org: str,
                                          handler: Staff) -> None:
    receipt = platform.run(DEFENDER, intake.submit_report,
                           report(threat_types=["doxing"], links=["hxxp://evil[.]example"],
                                  country="az"),
                           (intake.Upload("shot.png", "image/png", PNG),))
    assert len(receipt.receipt_code) == 23
    page = platform.run(handler.actor, cases.list_cases, CaseFilter())
    assert [c.reference for c in page.items] == [receipt.case_reference]
    detail = platform.run(handler.actor, cases.get_case, page.items[0].id)
    assert detail.incidents[0]["report"]["what_happened"].startswith("Someone posted")
    assert detail.summary.country == "AZ"
    assert "doxing" in detail.summary.tags
    assert {e.kind for e in detail.evidence} == {"url", "file"}
    assert detail.consents[0]["granted"] is False
    assert detail.timeline[0]["kind"] == "case.created"


def test_idempotency_key_returns_the_first_receipt(platform: Platform, intake_org: str) -> None:
    first = platform.run(DEFENDER, intake.submit_report, report(), (), "key-1")
    again = platform.run(DEFENDER, intake.submit_report, report(), (), "key-1")
    assert again == first
    assert count(platform, Case) == 1
    with pytest.raises(Conflict):
        platform.run(DEFENDER, intake.submit_report, report("different"), (), "key-1")
    assert count(platform, Case) == 1


def test_a_receipt_code_cannot_be_recovered_from_the_idempotency_record(
        platform: Platform, intake_org: str) -> None:
    """Review finding 13: the idempotency record sealed the response (the receipt code) under
    a data key the server keeps, so the database and the instance key gave the code back."""
    receipt = platform.run(DEFENDER, intake.submit_report, report(), (), "retry-7f3a9c2e")
    with platform.sessions() as s:
        record = s.execute(select(IdempotencyRecord)).scalar_one()
        data_keys = s.execute(select(DataKeyRow)).scalars().all()
    context = f"idempotent-receipt:{record.key_digest}"
    assert receipt.receipt_code.encode() not in record.response_sealed
    for row in data_keys:  # every key the server holds
        with pytest.raises(IntegrityFailure):
            crypto.open_sealed(platform.keyring.unwrap(row.id, row.wrapped),
                               record.response_sealed, context)
    with pytest.raises(IntegrityFailure):
        crypto.open_sealed(platform.keyring.idempotent_response_key("retry-7f3a9c2f"),
                           record.response_sealed, context)
    again = platform.run(DEFENDER, intake.submit_report, report(), (), "retry-7f3a9c2e")
    assert again == receipt and count(platform, Case) == 1


def test_an_idempotency_record_from_before_0009_is_still_honoured(
        platform: Platform, intake_org: str) -> None:
    """Records sealed under a data key of their own (before migration 0009) are read."""
    first = platform.run(DEFENDER, intake.submit_report, report("first"))
    with platform.sessions() as s:
        case_id = s.execute(select(Case.id)).scalar_one()

    def remember_the_old_way(ctx: Context) -> None:
        digest = ctx.keyring.lookup_digest(f"intake|{intake_org}|{DEFENDER.label}|old-key")
        key_id = ctx.vault.new_key(case_id)
        ctx.session.add(IdempotencyRecord(
            key_digest=digest, case_id=case_id, key_id=key_id, created_at=ctx.now(),
            request_digest=intake._request_digest(report("first"), ()),
            response_sealed=ctx.vault.seal_json(key_id, "idempotent-receipt", digest,
                                                first.model_dump(mode="json"))))

    platform.run(DEFENDER, remember_the_old_way)
    again = platform.run(DEFENDER, intake.submit_report, report("first"), (), "old-key")
    assert again == first and count(platform, Case) == 1


def test_disallowed_upload_changes_nothing(platform: Platform, intake_org: str) -> None:
    with pytest.raises(UnsupportedMediaType):
        platform.run(DEFENDER, intake.submit_report, report(),
                     (intake.Upload("x.exe", "image/png", b"MZ\x90\x00\x03" + b"\x00" * 60),))
    assert count(platform, Case) == count(platform, Incident) == count(platform, Evidence) == 0
    assert platform.files.names() == []


def test_unknown_threat_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown threat type"):
        report(threat_types=["not-a-code"])


def test_no_intake_organisation_is_a_clear_error(platform: Platform) -> None:
    with pytest.raises(InvalidInput, match="intake organisation"):
        platform.run(DEFENDER, intake.submit_report, report())


def test_followup_shows_replies_not_internal_notes(platform: Platform, intake_org: str,
                                                   handler: Staff) -> None:
    receipt = platform.run(DEFENDER, intake.submit_report, report())
    case_id = platform.run(handler.actor, cases.list_cases, CaseFilter()).items[0].id
    platform.run(handler.actor, cases.add_note, case_id,
                 NoteInput(text="internal: check the IP", kind=MessageKind.INTERNAL))
    platform.run(handler.actor, cases.add_note, case_id,
                 NoteInput(text="We are on it.", kind=MessageKind.REPLY))
    code = receipt.receipt_code.lower().replace("-", " ")
    platform.run(DEFENDER, followup.add_by_receipt, code, FollowupMessage(text="More info"))
    view = platform.run(DEFENDER, followup.view_by_receipt, receipt.receipt_code)
    assert [(m.kind, m.text) for m in view.messages] == [
        ("reply", "We are on it."), ("defender", "More info")]


@pytest.mark.parametrize("code", ["", "nonsense", "AAAAA-AAAAA-AAAAA-AAAAA", "A" * 64])
def test_wrong_receipt_reveals_nothing(platform: Platform, intake_org: str, code: str) -> None:
    platform.run(DEFENDER, intake.submit_report, report())
    with pytest.raises(NotFound) as exc:
        platform.run(DEFENDER, followup.view_by_receipt, code)
    assert exc.value.detail == followup.NO_MATCH


def test_an_analysis_failure_never_loses_the_report(platform: Platform, intake_org: str,
                                                    handler: Staff,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("detector crashed")

    monkeypatch.setattr("qalxan.services.analysis.analyse_messages", broken)
    receipt = platform.run(DEFENDER, intake.submit_report, report())
    case = platform.run(handler.actor, cases.list_cases, CaseFilter()).items[0]
    assert case.reference == receipt.case_reference
    detail = platform.run(handler.actor, cases.get_case, case.id)
    assert "analysis.failed" in [t["kind"] for t in detail.timeline]
