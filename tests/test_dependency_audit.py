"""The dependency audit fails on a known vulnerability and records why it could not audit."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).parents[1] / "scripts" / "audit_dependencies.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_known_vulnerability_fails_the_audit() -> None:
    status, lines = _script().classify({"dependencies": [
        {"name": "jinja2", "version": "2.10", "vulns": [{"id": "PYSEC-2019-217"}]},
        {"name": "idna", "version": "3.10", "vulns": []}]})
    assert status == 1 and lines[0] == "VULNERABLE jinja2 2.10: PYSEC-2019-217"


def test_a_clean_audit_passes_and_counts() -> None:
    status, lines = _script().classify({"dependencies": [
        {"name": "idna", "version": "3.10", "vulns": []},
        {"name": "x", "version": "1", "skip_reason": "not on PyPI"}]})
    assert status == 0 and "1 packages audited" in lines[-1] and "1 could not" in lines[-1]


def test_no_reachable_data_is_a_recorded_exception_not_a_pass() -> None:
    status, lines = _script().classify({"dependencies": [
        {"name": "alembic", "version": "1.20.1", "skip_reason": "could not be audited"}]})
    assert status == 0 and "EXCEPTION RECORDED" in lines[-1]
