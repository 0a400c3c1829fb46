"""Rebuild the indicator feeds shipped in ``src/qalxan/data/iocs`` from a snapshot.

    python scripts/build_ioc_feeds.py ../shared/data/spyware_iocs

Only feeds whose licences allow redistribution in an AGPL project are shipped:
Amnesty Tech investigations (CC-BY 2.0), MVT indicators (MIT) and Echap stalkerware
indicators (CC-BY 4.0, converted to a STIX 2.1 bundle here because the snapshot lacks
the generated one). Citizen Lab's malware-indicators are CC BY-NC-SA (non-commercial)
and are NOT shipped; an instance may import them itself with ``qalxan iocs import``.
STIX bundles are re-serialised compactly; their content is unchanged.
"""

from __future__ import annotations

import csv
import json
import sys
import uuid
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "src" / "qalxan" / "data" / "iocs"
AMNESTY = ("Amnesty Tech investigations", "CC-BY-2.0")
MVT = ("MVT indicators", "MIT")
# (snapshot path, campaign, report reference, (source, licence))
FEEDS: tuple[tuple[str, str, str, tuple[str, str]], ...] = (
    (
        "amnesty_investigations/2021-07-18_nso/pegasus.stix2",
        "NSO Group Pegasus",
        "https://www.amnesty.org/en/latest/research/2021/07/forensic-methodology-report-how-to-catch-nso-groups-pegasus/",
        AMNESTY,
    ),
    (
        "amnesty_investigations/2021-12-16_cytrox/cytrox.stix2",
        "Cytrox Predator",
        "Amnesty Tech investigations 2021-12-16_cytrox",
        AMNESTY,
    ),
    (
        "amnesty_investigations/2023-03-29_android_campaign/malware.stix2",
        "Surveillance campaign linked to mercenary spyware company",
        "https://blog.google/threat-analysis-group/spyware-vendors-use-0-days-and-n-days-against-popular-platforms/",
        AMNESTY,
    ),
    (
        "amnesty_investigations/2024-05-02_wintego_helios/wintego_helios.stix2",
        "Wintego Helios",
        "https://securitylab.amnesty.org/latest/2024/05/a-web-of-surveillance/",
        AMNESTY,
    ),
    (
        "amnesty_investigations/2024-12-16_serbia_novispy/novispy.stix2",
        "NoviSpy (Serbia)",
        "https://securitylab.amnesty.org/latest/2024/12/serbia-a-digital-prison-spyware-and-cellebrite-used-on-journalists-and-activists/",
        AMNESTY,
    ),
    (
        "mvt_indicators/intellexa_predator/predator.stix2",
        "Intellexa Predator",
        "https://blog.talosintelligence.com/mercenary-intellexa-predator/",
        MVT,
    ),
    (
        "mvt_indicators/2022-06-23_rcs_lab/rcs.stix2",
        "RCS Lab",
        "https://blog.google/threat-analysis-group/italian-spyware-vendor-targets-users-in-italy-and-kazakhstan/",
        MVT,
    ),
    (
        "mvt_indicators/2023-04-11_quadream/kingspawn.stix2",
        "QuaDream KingSpawn",
        "https://citizenlab.ca/2023/04/spyware-vendor-quadream-exploits-victims-customers/",
        MVT,
    ),
    (
        "mvt_indicators/2023-06_01_operation_triangulation/operation_triangulation.stix2",
        "Operation Triangulation",
        "https://securelist.com/operation-triangulation/109842/",
        MVT,
    ),
    (
        "mvt_indicators/2023-07-25_wyrmspy_dragonegg/wyrmspy_dragonegg.stix2",
        "WyrmSpy and DragonEgg",
        "https://www.lookout.com/threat-intelligence/article/wyrmspy-dragonegg-surveillanceware-apt41",
        MVT,
    ),
    (
        "mvt_indicators/2024-12-25_eaglemsgspy/eaglemsgspy.stix2",
        "EagleMsgSpy",
        "MVT indicators 2024-12-25_eaglemsgspy",
        MVT,
    ),
    (
        "mvt_indicators/candiru/candiru.stix2",
        "Candiru DevilsTongue",
        "https://www.microsoft.com/en-us/security/blog/2021/07/15/protecting-customers-from-a-private-sector-offensive-actor-using-0-day-exploits-and-devilstongue-malware/",
        MVT,
    ),
    (
        "mvt_indicators/ResidentBat/residentbat.stix2",
        "ResidentBat",
        "https://rsf.org/en/exclusive-rsf-uncovers-new-spyware-belarus",
        MVT,
    ),
    (
        "mvt_indicators/cellebrite/cellebrite.stix2",
        "Cellebrite",
        "https://citizenlab.ca/research/from-protest-to-peril-cellebrite-used-against-jordanian-civil-society/",
        MVT,
    ),
    (
        "mvt_indicators/2026-03-30_darksword/darksword.stix2",
        "DarkSword",
        "https://cloud.google.com/blog/topics/threat-intelligence/darksword-ios-exploit-chain",
        MVT,
    ),
    (
        "mvt_indicators/2026-03-03_coruna_cryptowaters/coruna.stix2",
        "Coruna",
        "https://cloud.google.com/blog/topics/threat-intelligence/coruna-powerful-ios-exploit-kit",
        MVT,
    ),
)
AMNESTY_REPO = "https://github.com/AmnestyTech/investigations/tree/master/"
ECHAP_REPORT = "https://github.com/AssoEchap/stalkerware-indicators"
NS = uuid.UUID("5b1e9d4e-4c1f-4b53-9a57-6a2f7c0e8b11")
STAMP = "2026-01-01T00:00:00.000Z"


def _id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NS, key)}"


def _indicator(pattern: str, malware_id: str) -> list[dict[str, Any]]:
    ind_id = _id("indicator", pattern + malware_id)
    return [
        {
            "type": "indicator",
            "spec_version": "2.1",
            "id": ind_id,
            "created": STAMP,
            "modified": STAMP,
            "indicator_types": ["malicious-activity"],
            "pattern": pattern,
            "pattern_type": "stix",
            "pattern_version": "2.1",
            "valid_from": STAMP,
        },
        {
            "type": "relationship",
            "spec_version": "2.1",
            "id": _id("relationship", ind_id),
            "created": STAMP,
            "modified": STAMP,
            "relationship_type": "indicates",
            "source_ref": ind_id,
            "target_ref": malware_id,
        },
    ]


def _malware(app: str) -> dict[str, Any]:
    return {
        "type": "malware",
        "spec_version": "2.1",
        "id": _id("malware", app),
        "created": STAMP,
        "modified": STAMP,
        "name": app,
        "is_family": True,
        "malware_types": ["spyware"],
        "description": f"Stalkerware {app}",
        "external_references": [{"source_name": "echap", "url": ECHAP_REPORT}],
    }


def echap_bundle(root: Path) -> dict[str, Any]:
    """STIX 2.1 bundle from Echap's network.csv (domains, IPs) and samples.csv (sha256)."""
    rows: list[tuple[str, str]] = []
    with (root / "generated" / "network.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            kind = "domain-name" if row["type"] == "domain" else "ipv4-addr"
            rows.append((row["app"], f"[{kind}:value = '{row['indicator'].strip().lower()}']"))
    with (root / "samples.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append((row["App"], f"[file:hashes.'SHA-256' = '{row['SHA256'].lower()}']"))
    objects: dict[str, dict[str, Any]] = {}
    for app, pattern in rows:
        malware = objects.setdefault(_id("malware", app), _malware(app))
        for obj in _indicator(pattern, malware["id"]):
            objects[obj["id"]] = obj
    return {"type": "bundle", "id": _id("bundle", "echap"), "objects": list(objects.values())}


AMNESTY_LISTS: dict[str, str] = {
    "2018-08-01_nso": "NSO Group Pegasus (2018)",
    "2019-03-06_egypt_oauth": "OAuth phishing against Egyptian civil society",
    "2019-08-16_evolving_phishing": "Evolving phishing attacks against human rights defenders",
    "2019-10-10_nso_morocco": "NSO Group Pegasus (Morocco)",
    "2020-03-12_uzbekistan": "Surveillance campaign (Uzbekistan)",
    "2020-06-15_india": "NetWire campaign against activists (India)",
    "2020-09-25_finfisher": "FinSpy",
    "2021-02-24_vietnam": "OceanLotus (Vietnam)",
    "2021-05-28_qatar": "Investigation 2021-05-28 (Qatar)",
    "2021-10-07_donot": "Donot Team",
}
_LIST_KINDS = {
    "domains": "domain-name:value",
    "ips": "ipv4-addr:value",
    "emails": "email-addr:value",
    "sha256": "file:hashes.'SHA-256'",
    "samples": "file:hashes.'SHA-256'",
}


def _list_values(folder: Path) -> list[tuple[str, str]]:
    """(STIX key, value) from an investigation's plain lists and CSV files."""
    out: list[tuple[str, str]] = []
    for path in sorted(folder.rglob("*")):
        key = _LIST_KINDS.get(path.stem)
        if key and path.suffix == ".txt":
            lines = path.read_text(encoding="utf-8").splitlines()
            out += [(key, v.strip()) for v in lines if v.strip() and not v.startswith("#")]
        elif path.name in {"indicators.csv", "sha256.csv"}:
            with path.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    out += (
                        [("domain-name:value", row["domain_name"])]
                        if row.get("domain_name")
                        else []
                    )
                    out += [("ipv4-addr:value", row["ip_address"])] if row.get("ip_address") else []
                    out += [("file:hashes.'SHA-256'", row["sha256"])] if row.get("sha256") else []
    return out


def amnesty_lists_bundle(root: Path) -> dict[str, Any]:
    """STIX 2.1 bundle from the plain indicator lists of older Amnesty investigations."""
    objects: dict[str, dict[str, Any]] = {}
    for folder, campaign in AMNESTY_LISTS.items():
        malware = _malware(campaign)
        malware["description"] = f"Amnesty Tech investigation {folder}"
        malware["external_references"] = [{"source_name": "amnesty", "url": AMNESTY_REPO + folder}]
        objects[malware["id"]] = malware
        for key, value in _list_values(root / folder):
            for obj in _indicator(f"[{key} = '{value.lower()}']", malware["id"]):
                objects[obj["id"]] = obj
    return {
        "type": "bundle",
        "id": _id("bundle", "amnesty-lists"),
        "objects": list(objects.values()),
    }


def _write(name: str, bundle: Any) -> None:
    text = json.dumps(bundle, ensure_ascii=False, separators=(",", ":"))
    (OUT / name).write_text(text + "\n", encoding="utf-8")


def main(src: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = []
    for path, campaign, report, (source, licence) in FEEDS:
        name = path.split("/")[-2] + ".stix2"
        _write(name, json.loads((src / path).read_text(encoding="utf-8")))
        manifest.append(
            {
                "file": name,
                "campaign": campaign,
                "report": report,
                "source": source,
                "licence": licence,
                "origin": path,
            }
        )
    _write("amnesty_lists.stix2", amnesty_lists_bundle(src / "amnesty_investigations"))
    manifest.append(
        {
            "file": "amnesty_lists.stix2",
            "campaign": "",
            "report": "",
            "source": AMNESTY[0],
            "licence": AMNESTY[1],
            "origin": "amnesty_investigations/<investigation>/{domains,ips,emails,sha256}",
        }
    )
    _write("echap_stalkerware.stix2", echap_bundle(src / "stalkerware_indicators_echap"))
    manifest.append(
        {
            "file": "echap_stalkerware.stix2",
            "campaign": "",
            "report": ECHAP_REPORT,
            "source": "Echap stalkerware-indicators",
            "licence": "CC-BY-4.0",
            "origin": "stalkerware_indicators_echap/{generated/network.csv,samples.csv}",
        }
    )
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
