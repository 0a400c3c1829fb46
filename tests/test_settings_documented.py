"""Every setting is documented (docs/settings.md), as users configure Qalxan from there."""

from __future__ import annotations

from pathlib import Path

from qalxan.config import Settings

DOC = Path(__file__).parents[1] / "docs" / "settings.md"


def test_every_setting_is_documented() -> None:
    text = DOC.read_text()
    missing = [n for n in Settings.model_fields if f"`QALXAN_{n.upper()}`" not in text]
    assert not missing, f"undocumented settings: {missing}"


def test_every_setting_has_a_description() -> None:
    assert all(f.description for f in Settings.model_fields.values())
