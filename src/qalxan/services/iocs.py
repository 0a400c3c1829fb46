"""Indicator-of-compromise feeds (STIX 2.1): those shipped with Qalxan and those an instance
imports into ``DATA_DIR/iocs``, with a ``manifest.json`` recording where each came from.

``qalxan iocs`` calls the plain functions (the operator at the machine); the admin pages call
the service functions, which check ``instance:manage`` and write audit events. The links
detector loads the imported feeds next to the shipped ones when a server process starts.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from qalxan.analysis.indicators import FeedInfo, load_feed_dir, parse_bundle, shipped_feed_dir
from qalxan.errors import InvalidInput
from qalxan.security.access import Permission
from qalxan.services.context import Context, service
from qalxan.services.schemas import FeedInput

SUFFIXES = frozenset({".stix2", ".json"})
MANIFEST = "manifest.json"
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True, slots=True)
class FeedSummary:
    origin: str  # "shipped" or "imported"
    file: str
    indicators: int
    campaign: str = ""
    report: str = ""
    source: str = ""
    licence: str = ""


def feed_dir(data_dir: Path) -> Path:
    return data_dir / "iocs"


def read_manifest(directory: Path) -> list[dict[str, str]]:
    path = directory / MANIFEST
    if not path.is_file():
        return []
    entries: list[dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return entries


def _record(directory: Path, info: FeedInfo) -> None:
    entries = {e["file"]: e for e in read_manifest(directory)}
    entries[info.file] = {k: getattr(info, k) for k in FeedInfo.__slots__}
    text = json.dumps(list(entries.values()), indent=1, ensure_ascii=False) + "\n"
    (directory / MANIFEST).write_text(text, encoding="utf-8")


def candidates(path: Path) -> list[Path]:
    """The bundles to import from a path: the file itself, or the bundles in a folder."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES)
    return [path]


def _matchable(data: bytes, info: FeedInfo, label: str) -> int:
    """The number of indicators Qalxan can match in a bundle; ValueError (naming the bundle
    by ``label``) when there are none or the data is not a STIX 2.1 JSON bundle."""
    try:
        bundle = json.loads(data.decode("utf-8"))
        if not isinstance(bundle, dict) or not isinstance(bundle.get("objects"), list):
            raise ValueError("not a STIX 2.1 bundle (a JSON object with an 'objects' list)")
        count = len(parse_bundle(bundle, info))
    except (UnicodeDecodeError, RecursionError, ValueError) as exc:
        raise ValueError(f"{label}: not a readable STIX 2.1 JSON bundle ({exc})") from exc
    if count == 0:
        raise ValueError(f"{label}: no indicator Qalxan can match (domain, URL, IP, "
                         "e-mail, hash)")
    return count


def import_bundle(data: bytes, target_dir: Path, info: FeedInfo, label: str = "") -> int:
    """Check one bundle, store it as ``info.file`` and record its provenance; returns its
    number of matchable indicators (ValueError, with nothing stored, when it has none)."""
    count = _matchable(data, info, label or info.file)
    store_bundle(data, target_dir, info)
    return count


def store_bundle(data: bytes, target_dir: Path, info: FeedInfo) -> None:
    """Store a checked bundle as ``info.file`` (whole or not at all: a temporary file renamed
    into place) and record its provenance."""
    target_dir.mkdir(parents=True, exist_ok=True)
    staged = target_dir / f".{info.file}.part"
    staged.write_bytes(data)
    staged.replace(target_dir / info.file)
    _record(target_dir, info)


def import_path(source: Path, target_dir: Path, info: FeedInfo) -> int:
    """:func:`import_bundle` for a file on disk."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ValueError(f"{source}: not a readable STIX 2.1 JSON bundle ({exc})") from exc
    return import_bundle(data, target_dir, info, str(source))


def summaries(imported_dir: Path) -> list[FeedSummary]:
    """Every feed, shipped then imported, with its matchable indicators and provenance."""
    return [*_shipped_summaries(), *_summaries("imported", imported_dir)]


@functools.cache
def _shipped_summaries() -> tuple[FeedSummary, ...]:
    """The shipped feeds (megabytes of STIX) never change while Qalxan runs: read once."""
    return tuple(_summaries("shipped", shipped_feed_dir()))


def _summaries(origin: str, directory: Path) -> list[FeedSummary]:
    if not directory.is_dir():
        return []
    counts = Counter(indicator.feed for indicator in load_feed_dir(directory))
    infos = {e["file"]: e for e in read_manifest(directory)}
    found: list[FeedSummary] = []
    for file, count in sorted(counts.items()):
        info = infos.get(file, {})
        found.append(FeedSummary(origin, file, count, info.get("campaign", ""),
                                 info.get("report", ""), info.get("source", ""),
                                 info.get("licence", "")))
    return found


@service(Permission.INSTANCE_MANAGE)
def list_feeds(ctx: Context) -> list[FeedSummary]:
    return summaries(feed_dir(ctx.settings.data_dir))


@service(Permission.INSTANCE_MANAGE)
def import_upload(ctx: Context, filename: str, data: bytes, origin: FeedInput) -> int:
    """Import an uploaded bundle (admin page); returns its number of matchable indicators.
    It changes what every organisation's detection matches: a recent sign-in is needed."""
    ctx.require_recent_authentication()
    name = Path(filename).name
    if not FILE_NAME.match(name) or Path(name).suffix not in SUFFIXES or name == MANIFEST:
        raise InvalidInput("name the file like feed-name.stix2 or feed-name.json (letters, "
                           "digits, dots, dashes and underscores)")
    info = FeedInfo(name, origin.campaign, origin.report, origin.source, origin.licence)
    try:
        count = _matchable(data, info, name)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    ctx.audit("ioc.feed_imported", "ioc_feed", None, file=name, indicators=str(count))
    # stored once its audit event is committed: a failed commit leaves nothing imported
    ctx.after_commit(functools.partial(store_bundle, data, feed_dir(ctx.settings.data_dir),
                                       info))
    return count
