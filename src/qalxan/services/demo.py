"""Demo data for a first look: a few invented reports, every one marked as demo, and
monitoring that has something to show: a watched defender, a source of invented public posts
and the alert the monitor raises on them.

Demo cases carry ``is_demo`` (shown as a DEMO badge in the queue and the API) and their text
starts with ``[DEMO]``, as do the posts, the watch-list entry's name and the source's. Nothing
in them refers to a real person.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from sqlalchemy import select, update

from qalxan.domain.enums import ContactChannel, Urgency
from qalxan.security.access import SYSTEM
from qalxan.services.context import Platform
from qalxan.services.intake import submit_report
from qalxan.services.schemas import ReportSubmission
from qalxan.store.tables import Case

DEMO_DEFENDER = "Nigar Demoqızı"  # an invented name, in the smear case's posts
DEMO_SMEARS = (
    "[DEMO] Nigar Demoqızı is a paid foreign agent and a traitor, she must be stopped",
    "[DEMO] Nigar Demoqızı xaindir, xarici agentdir!",
    "[DEMO] Нигяр Демогызы — иностранный агент и предательница",
)

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
        smeared = session.execute(select(Case.id).where(Case.reference == references[1])
                                  ).scalar_one()
    load_demo_monitoring(platform, smeared)
    return len(references)


def demo_posts(now: float) -> list[dict[str, object]]:
    """Near-identical smears against the invented defender from a dozen invented accounts
    within the last few minutes, among ordinary posts."""
    smears = [{"message_id": f"demo-{i}", "user_id": f"demo_troll{i % 12}",
               "username": f"demo_troll{i % 12}", "message": f"{DEMO_SMEARS[i % 3]} #{i % 3}",
               "timestamp": now - 600 + 7 * i} for i in range(24)]
    ordinary = [{"message_id": f"demo-weather-{i}", "user_id": f"demo_user{i}",
                 "username": f"demo_user{i}", "message": f"[DEMO] Weather in Baku, part {i}",
                 "timestamp": now - 3600 + 60 * i} for i in range(6)]
    return ordinary + smears


def load_demo_monitoring(platform: Platform, case_id: str | None) -> None:
    """A watch-list entry for the smeared demo defender (linked to her demo case), a source
    reading invented posts from the data directory, and one pass of the monitor over it."""
    from qalxan.monitoring.monitor import Monitor
    from qalxan.services import instance, monitor, watchlists
    from qalxan.services.monitoring_schemas import SourceInput, WatchEntryInput

    folder = Path(platform.settings.data_dir) / "demo"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    dump = folder / "posts.jsonl"
    dump.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n"
                            for p in demo_posts(time.time())), encoding="utf-8")
    org_id = platform.run(SYSTEM, instance.intake_org_id)
    platform.run(SYSTEM, watchlists.add_entry, WatchEntryInput(
        names=[f"[DEMO] {DEMO_DEFENDER}", DEMO_DEFENDER, "Нигяр Демогызы"],
        handles=["@demo_nigar"], case_id=case_id), org_id)
    platform.run(SYSTEM, monitor.add_source, SourceInput(
        kind="jsonl", name="[DEMO] public posts", params={"path": str(dump.resolve())}), org_id)
    Monitor(platform).run_once()
