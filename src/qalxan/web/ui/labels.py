"""Translatable names for the stored vocabularies (statuses, outcomes, TLP ...), the staff's
ones here and the defender's in ``public_labels``.

Stored values stay codes; pages show these names through gettext. Threat type names come
from ``qalxan.taxonomy`` (extracted with the ``ThreatCode:2`` keyword, see docs/translating.md).
"""

from __future__ import annotations

from typing import Final

from qalxan.web.ui.i18n import N_
from qalxan.web.ui.public_labels import PUBLIC_LABELS

LABELS: Final[dict[str, dict[str, str]]] = {
    **PUBLIC_LABELS,
    "status": {
        "new": N_("New"), "triage": N_("Triage"), "open": N_("Open"),
        "waiting": N_("Waiting"), "resolved": N_("Resolved"), "closed": N_("Closed"),
    },
    "urgency_short": {
        "low": N_("Low"), "medium": N_("Medium"), "high": N_("High"), "critical": N_("Critical"),
    },
    "outcome": {
        "supported": N_("Supported"), "referred": N_("Referred"),
        "out_of_mandate": N_("Out of mandate"), "no_response": N_("No response"),
        "duplicate": N_("Duplicate"), "withdrawn": N_("Withdrawn"),
    },
    "tlp": {
        "clear": N_("TLP:CLEAR"), "green": N_("TLP:GREEN"), "amber": N_("TLP:AMBER"),
        "amber+strict": N_("TLP:AMBER+STRICT"), "red": N_("TLP:RED"),
    },
    "referral_kind": {"referral": N_("Referral"), "resource": N_("Resource")},
    "note_kind": {
        "internal": N_("Internal note"), "reply": N_("Reply to the defender"),
        "defender": N_("Message from the defender"),
    },
    "evidence_kind": {"text": N_("Text"), "url": N_("Link"), "file": N_("File")},
    "consent_scope": {"share_with_organisations": N_("Sharing with other organisations")},
    "grant_state": {
        "active": N_("Active"), "revoked": N_("Revoked"),
        "consent_withdrawn": N_("Ended: consent withdrawn"),
        "clearance": N_("Lapsed: clearance below the case's TLP"),
        "consent": N_("Lapsed: no consent to share"), "inactive": N_("Lapsed: account closed"),
    },
    "org_kind": {"helpdesk": N_("Helpdesk"), "fund": N_("Fund"), "network": N_("Network")},
    "alert_status": {
        "open": N_("Not yet reviewed"), "dismissed": N_("Dismissed"),
        "escalated": N_("Made an incident"), "all": N_("All"),
    },
    "alert_reason": {
        "attack_post": N_("Attacking posts"), "doxing_post": N_("Personal data exposed"),
        "volume_spike": N_("Spike in posts"), "abuse_spike": N_("Spike in attacking posts"),
        "campaign": N_("Coordinated accounts (unconfirmed)"),
    },
    "role": {
        "admin": N_("Admin"), "case_handler": N_("Case handler"), "analyst": N_("Analyst"),
        "coordinator": N_("Coordinator"), "mission_observer": N_("Mission observer"),
    },
}
