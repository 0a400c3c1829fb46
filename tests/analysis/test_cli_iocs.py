"""``qalxan iocs import`` and ``list``: feeds stored under the instance's data directory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qalxan.analysis.detectors.links import make_links_detector
from qalxan.analysis.message import AnalysisContext, Message
from qalxan.cli.iocs import app
from qalxan.config import get_settings

DATA = Path(__file__).parent / "data"
runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("QALXAN_DATA_DIR", str(tmp_path / "instance"))
    get_settings.cache_clear()
    yield tmp_path / "instance"
    get_settings.cache_clear()


def test_import_a_feed_then_the_detector_uses_it(data_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "import",
            str(DATA / "unnamed_feed.stix2"),
            "--campaign",
            "StalkerPanel",
            "--report",
            "https://r.test/1",
            "--licence",
            "CC0",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "imported unnamed_feed.stix2: 1 indicators" in result.output
    manifest = json.loads((data_dir / "iocs" / "manifest.json").read_text())
    assert manifest[0]["campaign"] == "StalkerPanel" and manifest[0]["licence"] == "CC0"
    [finding] = make_links_detector().detect([Message("stalker-panel.test")], AnalysisContext())[0]
    assert finding.details["campaign"] == "StalkerPanel"
    assert finding.details["report"] == "https://r.test/1"


def test_import_a_folder_reports_bad_files_and_keeps_good_ones(
    data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "good.stix2").write_bytes((DATA / "synthetic_campaign.stix2").read_bytes())
    (folder / "broken.json").write_text("{oops")
    (folder / "empty.json").write_text('{"type": "bundle", "objects": []}')
    result = runner.invoke(app, ["import", str(folder)])
    assert result.exit_code == 1
    assert "imported good.stix2: 10 indicators" in result.output
    assert "broken.json: not a readable STIX 2.1 JSON bundle" in result.output
    assert "empty.json: no indicator Qalxan can match" in result.output
    assert sorted(p.name for p in (data_dir / "iocs").iterdir()) == ["good.stix2", "manifest.json"]


def test_import_a_missing_path(data_dir: Path) -> None:
    result = runner.invoke(app, ["import", "/nonexistent/feed.stix2"])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_list_shows_shipped_and_imported(data_dir: Path) -> None:
    runner.invoke(app, ["import", str(DATA / "unnamed_feed.stix2")])
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    assert "shipped\t2021-07-18_nso.stix2\t" in result.output
    assert "imported\tunnamed_feed.stix2\t1" in result.output


def test_a_feed_imported_elsewhere_takes_effect_in_a_running_detector(data_dir: Path) -> None:
    """A server process built its detector before the feed existed; a feed imported by
    another process (here the CLI) is matched at the detector's next batch, no restart."""
    running = make_links_detector()
    message = [Message("see stalker-panel.test")]
    assert running.detect(message, AnalysisContext()) == [[]]
    result = runner.invoke(app, ["import", str(DATA / "unnamed_feed.stix2"),
                                 "--campaign", "StalkerPanel"])
    assert result.exit_code == 0, result.output
    [finding] = running.detect(message, AnalysisContext())[0]
    assert finding.details["campaign"] == "StalkerPanel"
    before = running.indicators
    running.detect(message, AnalysisContext())
    assert running.indicators is before  # nothing changed: nothing loaded again
