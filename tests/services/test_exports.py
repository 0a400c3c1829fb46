"""Case exports: a TLP-labelled bundle, refused above the recipient's clearance or without
consent for an external recipient, with every file's hash and no identity of the defender."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from qalxan.domain.enums import TLP, Role
from qalxan.errors import ClearanceInsufficient, ConsentMissing, ReauthenticationRequired
from qalxan.security.access import DEFENDER, Actor
from qalxan.services import accounts, cases, exports, intake
from qalxan.services.context import Platform
from qalxan.services.schemas import CaseFilter, CaseUpdate, NoteInput, ReportSubmission
from qalxan.store.tables import AuditEvent
from tests.conftest import Staff, StaffFactory

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def _case(platform: Platform, handler: Staff, consent: bool = True) -> str:
    receipt = platform.run(DEFENDER, intake.submit_report, ReportSubmission(
        what_happened="They published my home address", threat_types=["doxing"],
        defender_name="Leyla Q.", contact_address="leyla@example.org",
        links=["https://example.org/post/1"], consent_to_share=consent),
        (intake.Upload("shot.png", "image/png", PNG),))
    case_id = next(c.id for c in platform.run(handler.actor, cases.list_cases, CaseFilter()).items
                   if c.reference == receipt.case_reference)
    platform.run(handler.actor, cases.add_note, case_id, NoteInput(text="internal: call her"))
    return case_id


def _open(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        return {name: bundle.read(name) for name in bundle.namelist()}


def test_an_export_is_labelled_and_lists_every_file_with_its_hash(
        platform: Platform, handler: Staff) -> None:
    case_id = _case(platform, handler)
    bundle = platform.run(handler.actor, exports.export_case, case_id, exports.ExportRequest())
    files = _open(bundle.data)
    assert bundle.tlp == "amber" and bundle.filename.endswith("-TLP-AMBER.zip")
    assert hashlib.sha256(bundle.data).hexdigest() == bundle.sha256
    assert files["TLP-AMBER.txt"].startswith(b"TLP:AMBER")
    manifest = json.loads(files["manifest.json"])
    assert manifest["tlp"] == "amber" and manifest["recipient"] == "self"
    for item in manifest["files"]:
        assert hashlib.sha256(files[item["path"]]).hexdigest() == item["sha256"]
    assert PNG in files.values()
    record = files["case.json"].decode()
    assert "Leyla" not in record and "leyla@example.org" not in record  # never the identity
    assert "internal: call her" not in record  # internal notes only when asked for
    custody = json.loads(record)["custody"]
    assert custody[0]["kind"] == "case.created"


def test_exported_files_carry_the_extension_of_their_checked_type(
        platform: Platform, handler: Staff) -> None:
    """A file leaves under a name of ours with the extension of the type its content was
    checked to be (``.png``), never the sender's name or extension."""
    case_id = _case(platform, handler)
    bundle = platform.run(handler.actor, exports.export_case, case_id, exports.ExportRequest())
    files = _open(bundle.data)
    [png] = [name for name, data in files.items() if data == PNG]
    assert png.startswith("evidence/") and png.endswith(".png") and "shot" not in png
    assert exports.safe_extension("application/x-msdownload") == ".bin"


def test_the_label_is_the_most_restricted_of_case_and_evidence(
        platform: Platform, handler: Staff, make_staff: StaffFactory, intake_org: str) -> None:
    case_id = _case(platform, handler)
    platform.run(handler.actor, cases.update_case, case_id, CaseUpdate(tlp=TLP.GREEN))
    assert platform.run(handler.actor, exports.export_case, case_id,
                        exports.ExportRequest()).tlp == "amber"  # the evidence is AMBER
    platform.run(handler.actor, cases.update_case, case_id, CaseUpdate(tlp=TLP.RED))
    with pytest.raises(ClearanceInsufficient, match=r"TLP:RED.*TLP:AMBER"):
        platform.run(handler.actor, exports.export_case, case_id, exports.ExportRequest())
    admin = make_staff(Role.ADMIN, intake_org)
    platform.run(admin.actor, accounts.change_clearance, handler.id, TLP.RED)
    bundle = platform.run(handler.actor, exports.export_case, case_id, exports.ExportRequest(
        include_internal_notes=True))
    assert bundle.tlp == "red" and b"internal: call her" in _open(bundle.data)["case.json"]


def test_an_external_export_needs_consent_and_a_high_enough_clearance(
        platform: Platform, handler: Staff) -> None:
    case_id = _case(platform, handler, consent=False)
    external = exports.ExportRequest(recipient="external", recipient_clearance=TLP.AMBER,
                                     purpose="notice to the platform")
    with pytest.raises(ConsentMissing):
        platform.run(handler.actor, exports.export_case, case_id, external)
    other = _case(platform, handler, consent=True)
    with pytest.raises(ClearanceInsufficient, match="TLP:GREEN"):
        platform.run(handler.actor, exports.export_case, other, exports.ExportRequest(
            recipient="external", recipient_clearance=TLP.GREEN))
    bundle = platform.run(handler.actor, exports.export_case, other, external)
    manifest = json.loads(_open(bundle.data)["manifest.json"])
    assert manifest["recipient_clearance"] == "amber"
    assert manifest["purpose"] == "notice to the platform"
    with pytest.raises(ValueError, match="internal notes"):
        exports.ExportRequest(recipient="external", recipient_clearance=TLP.RED,
                              include_internal_notes=True)
    with pytest.raises(ValueError, match="recipient_clearance"):
        exports.ExportRequest(recipient="external")


def test_exporting_needs_a_recent_sign_in_and_is_audited(
        platform: Platform, handler: Staff) -> None:
    case_id = _case(platform, handler)
    stale = Actor(kind="user", user_id=handler.id, org_id=handler.actor.org_id,
                  role=handler.actor.role,
                  authenticated_at=platform.clock() - timedelta(minutes=30))
    with pytest.raises(ReauthenticationRequired):
        platform.run(stale, exports.export_case, case_id, exports.ExportRequest())
    before = _audited(platform)
    platform.run(handler.actor, exports.export_case, case_id, exports.ExportRequest())
    assert _audited(platform)[len(before):] == ["case.export"]  # one event, not a read too
    detail = platform.run(handler.actor, cases.get_case, case_id)
    assert "case.exported" in [e["kind"] for e in detail.timeline]


def _audited(platform: Platform) -> list[str]:
    with platform.sessions() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
