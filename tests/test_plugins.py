"""Plugins load only from the allow-list, register through the built-ins' interface, and carry
their origin; a broken allowed plugin stops with a clear error instead of running without it."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qalxan.analysis.message import Finding, Message
from qalxan.analysis.registry import DetectorRegistry
from qalxan.cli.main import app
from qalxan.config import get_settings
from qalxan.monitoring.sources.registry import BUILTIN_MODULES, SourceRegistry
from qalxan.plugins import Plugin, PluginFailed, load_plugin, load_plugins, origin_of

PLUGIN = '''
from qalxan.analysis.message import Finding
from qalxan.monitoring.sources import params as p
from qalxan.monitoring.sources.registry import SourceKind

IMPORTED = True


class Shouting:
    name = "shouting"

    def detect(self, batch, context):
        return [[Finding("shouting", "harassment", 0.6, "All capitals.")]
                if m.text.isupper() else [] for m in batch]


def register(plugin):
    plugin.add_detector("shouting", Shouting)
    plugin.add_source(SourceKind("carrier", (p.Param("loft", p.text, required=True),),
                                 lambda spec, connections: None, help="pigeons"))
'''


@pytest.fixture
def plugin_dir(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "acme_plugin.py").write_text(PLUGIN, encoding="utf-8")
    (tmp_path / "acme_broken.py").write_text("def register(plugin):\n    raise ValueError('no')\n")
    (tmp_path / "acme_silent.py").write_text("X = 1\n", encoding="utf-8")
    (tmp_path / "acme_noop.py").write_text("def register(plugin):\n    pass\n")
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in ("acme_plugin", "acme_broken", "acme_silent", "acme_noop"):
        sys.modules.pop(name, None)


def test_an_allowed_plugin_registers_detectors_and_sources_with_its_origin(
        plugin_dir: Path) -> None:
    detectors, sources = DetectorRegistry(), SourceRegistry()
    load_plugin("acme_plugin", Plugin(origin_of("acme_plugin"), detectors, sources))
    assert detectors.names() == ["shouting"] and detectors.origin("shouting") == \
        "plugin:acme_plugin"
    found = detectors.create("shouting").detect([Message("STOP"), Message("fine")], None)  # type: ignore[arg-type]
    assert [len(f) for f in found] == [1, 0] and isinstance(found[0][0], Finding)
    assert sources.names() == ["carrier"] and sources.origin("carrier") == "plugin:acme_plugin"


def test_only_the_allowed_modules_are_imported(plugin_dir: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QALXAN_PLUGINS", " acme_noop , ")
    get_settings.cache_clear()
    try:
        assert load_plugins()["acme_noop"] == "plugin:acme_noop"
        assert "acme_noop" in sys.modules and "acme_plugin" not in sys.modules
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(("module", "message"), [
    ("acme_missing", "cannot be imported"), ("acme_silent", "no register"),
    ("acme_broken", "failed to register: no"),
])
def test_a_broken_allowed_plugin_is_a_clear_error(plugin_dir: Path, module: str,
                                                  message: str) -> None:
    with pytest.raises(PluginFailed, match=message):
        load_plugin(module, Plugin("plugin:x", DetectorRegistry(), SourceRegistry()))


def test_a_plugin_that_fails_to_load_fails_every_later_call_too(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise PluginFailed("plugin acme_broken failed to register: no")

    monkeypatch.setattr("qalxan.plugins.load_plugins", broken)
    sources = SourceRegistry(BUILTIN_MODULES[:1])
    for _ in range(2):  # never "loaded" without the plugin
        with pytest.raises(PluginFailed, match="acme_broken"):
            sources.names()


def test_the_cli_lists_every_detector_and_source_with_its_origin() -> None:
    result = CliRunner().invoke(app, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert listed["detectors"]["abuse"] == "builtin" and listed["sources"]["mastodon"] == "builtin"
    assert isinstance(listed["offered"], list)
