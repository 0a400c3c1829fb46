"""Translatable names for the stored vocabularies (statuses, urgency, channels ...).

Stored values stay codes; pages show these names through gettext. Threat type names come
from ``qalxan.taxonomy`` (extracted with the ``ThreatCode:2`` keyword, see docs/translating.md).
"""

from __future__ import annotations

from typing import Final

from qalxan.web.ui.i18n import N_

LABELS: Final[dict[str, dict[str, str]]] = {
    "status": {
        "new": N_("New"), "triage": N_("Triage"), "open": N_("Open"),
        "waiting": N_("Waiting"), "resolved": N_("Resolved"), "closed": N_("Closed"),
    },
    "defender_status": {
        "new": N_("Received, not yet reviewed"), "triage": N_("Being assessed"),
        "open": N_("We are working on it"), "waiting": N_("Waiting for information"),
        "resolved": N_("Resolved"), "closed": N_("Closed"),
    },
    "urgency": {
        "low": N_("Low: no rush"), "medium": N_("Medium: within a few days"),
        "high": N_("High: within a day"), "critical": N_("Critical: I am in danger now"),
    },
    "urgency_short": {
        "low": N_("Low"), "medium": N_("Medium"), "high": N_("High"), "critical": N_("Critical"),
    },
    "channel": {
        "receipt_only": N_("Only through this website, with my receipt code"),
        "email": N_("E-mail"), "signal": N_("Signal"), "whatsapp": N_("WhatsApp"),
        "telegram": N_("Telegram"), "phone": N_("Phone"), "other": N_("Other"),
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
    "defender_kind": {"individual": N_("A person"), "organisation": N_("An organisation")},
    "referral_kind": {"referral": N_("Referral"), "resource": N_("Resource")},
    "note_kind": {
        "internal": N_("Internal note"), "reply": N_("Reply to the defender"),
        "defender": N_("Message from the defender"),
    },
    "evidence_kind": {"text": N_("Text"), "url": N_("Link"), "file": N_("File")},
}
