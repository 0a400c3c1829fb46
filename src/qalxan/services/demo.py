"""Demo data for a first look: a few invented reports, every one marked as demo.

Demo cases carry ``is_demo`` (shown as a DEMO badge in the queue and the API) and their text
starts with ``[DEMO]``. Nothing in them refers to a real person.
"""

from __future__ import annotations

from sqlalchemy import update

from qalxan.domain.enums import ContactChannel, Urgency
from qalxan.security.access import SYSTEM
from qalxan.services.context import Platform
from qalxan.services.intake import submit_report
from qalxan.services.schemas import ReportSubmission
from qalxan.store.tables import Case

DEMO_REPORTS: tuple[dict[str, object], ...] = (
    {"what_happened": "[DEMO] An account posted my home address and wrote that they know "
                      "when I leave for work every morning. They wrote: we will break your "
                      "legs if you keep writing.",
     "threat_types": ["doxing", "harassment.threat"], "urgency": Urgency.CRITICAL,
     "country": "AZ"},
    {"what_happened": "[DEMO] Pro-government channels call our organisation foreign agents and "
                      "grant-eaters, the same text posted by dozens of accounts in one hour.",
     "threat_types": ["smear"], "urgency": Urgency.HIGH, "country": "AZ"},
    {"what_happened": "[DEMO] Я получила SMS со ссылкой hxxps://secure-login-update[.]com, "
                      "после этого телефон стал странно себя вести.",
     "threat_types": ["surveillance.spyware", "phishing"], "urgency": Urgency.HIGH,
     "country": "RU", "language": "ru"},
    {"what_happened": "[DEMO] Our website has been unreachable since the protest; the hosting "
                      "company suspended the account after a complaint.",
     "threat_types": ["censorship"], "urgency": Urgency.MEDIUM, "country": "TR"},
    {"what_happened": "[DEMO] Cuentas anónimas publican montajes sexuales con mi cara.",
     "threat_types": ["harassment.sexual", "disinformation.gendered"], "urgency": Urgency.HIGH,
     "country": "MX", "language": "es"},
)


def load_demo_data(platform: Platform) -> int:
    references = []
    for fields in DEMO_REPORTS:
        report = ReportSubmission.model_validate(
            {**fields, "contact_channel": ContactChannel.RECEIPT_ONLY})
        references.append(platform.run(SYSTEM, submit_report, report).case_reference)
    with platform.sessions() as session, session.begin():
        session.execute(update(Case).where(Case.reference.in_(references)).values(is_demo=True))
    return len(references)
