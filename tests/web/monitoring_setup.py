"""Monitoring data for the page tests: a watched defender (optionally the defender of a
case), a JSON-lines source, and a smear burst the monitor turns into one alert."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qalxan.monitoring.monitor import Monitor
from qalxan.services import alerts, monitor, watchlists
from qalxan.services.context import Platform
from qalxan.services.monitoring_schemas import SourceInput, WatchEntryInput
from tests.conftest import Staff
from tests.services.test_monitoring import burst

NAMES = ["Aysel Məmmədova", "Айсель Мамедова"]


@dataclass(frozen=True)
class Watched:
    entry_id: str
    source_id: str
    alert_id: str


def watch_and_alert(platform: Platform, staff: Staff, folder: Path,
                    case_id: str | None = None, source_name: str = "dump") -> Watched:
    """Watch for Aysel (for the defender of ``case_id`` when given), read a burst of smears
    from a dump file, and return the entry, the source and the alert raised."""
    dump = folder / f"{source_name}.jsonl"
    dump.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in burst()),
                    encoding="utf-8")
    entry = platform.run(staff.actor, watchlists.add_entry, WatchEntryInput(
        names=NAMES, handles=["@aysel_m"], case_id=case_id))
    source = platform.run(staff.actor, monitor.add_source, SourceInput(
        kind="jsonl", name=source_name, params={"path": str(dump)}))
    Monitor(platform).run_once()
    [alert] = [a for a in platform.run(staff.actor, alerts.list_alerts)
               if a.entry_id == entry.id]
    return Watched(entry.id, source.id, alert.id)
