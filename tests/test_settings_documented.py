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


def test_the_instance_key_never_prints() -> None:
    """Review finding 18: the instance key setting is a secret: neither its repr, its
    string nor a dump of the settings shows it."""
    key = "ab" * 32
    settings = Settings(instance_key=key)  # type: ignore[arg-type]
    assert key not in repr(settings) and key not in str(settings)
    assert key not in settings.model_dump_json()
    assert settings.instance_key is not None and settings.instance_key.get_secret_value() == key
