"""The ``cli`` fixture: run ``qalxan`` commands against a fresh data directory."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qalxan.cli.main import app
from qalxan.config import get_settings


@pytest.fixture
def cli(tmp_path: Path, database_url: str,
        monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., object]]:
    monkeypatch.setenv("QALXAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("QALXAN_DATABASE_URL", database_url)
    for name, value in (("TIME_COST", "1"), ("MEMORY_KIB", "8"), ("PARALLELISM", "1")):
        monkeypatch.setenv(f"QALXAN_ARGON2_{name}", value)
    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> object:
        get_settings.cache_clear()
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output
        if "--json" in args and code == 0:
            return json.loads(result.stdout)
        return result.output

    yield invoke
    get_settings.cache_clear()
