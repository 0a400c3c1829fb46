"""``qalxan --help`` and every command's ``--help`` start quickly: the service layer, the
database, the web app and the analysis engine load only when a command runs.

Checked without a wall clock: in a fresh interpreter, every command's help is printed and then
the modules loaded are compared with the heavy ones, and the CPU time the imports took is
compared with the budget (CPU time, which another busy process on the machine hardly moves).
"""

from __future__ import annotations

import json
import subprocess
import sys

HELP_BUDGET_CPU_S = 0.5
HEAVY = ("sqlalchemy", "fastapi", "starlette", "numpy", "igraph", "alembic", "httpx",
         "cryptography", "argon2", "uvicorn", "qalxan.services", "qalxan.analysis",
         "qalxan.store", "qalxan.web", "qalxan.security", "qalxan.monitoring.sources",
         "pydantic_settings")

PROBE = """
import json, sys, time
started = time.process_time()
from qalxan.cli.main import app
imported = time.process_time() - started
import click
from typer.main import get_command
root = get_command(app)
paths = []
def walk(command, path):
    paths.append(path)
    for name, sub in getattr(command, "commands", {}).items():
        walk(sub, [*path, name])
walk(root, [])
from typer.testing import CliRunner
runner = CliRunner()
codes = {" ".join(p) or "qalxan": runner.invoke(app, [*p, "--help"]).exit_code for p in paths}
print(json.dumps({"imported_cpu_s": imported, "codes": codes, "modules": sorted(sys.modules)}))
"""


def _probe() -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True, timeout=120)
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_every_commands_help_loads_nothing_heavy_and_starts_within_budget() -> None:
    result = _probe()
    codes = result["codes"]
    assert isinstance(codes, dict) and len(codes) > 20  # every command and group was asked
    assert {name: code for name, code in codes.items() if code != 0} == {}
    modules = result["modules"]
    assert isinstance(modules, list)
    loaded = sorted({m for m in modules for heavy in HEAVY
                     if m == heavy or m.startswith(heavy + ".")})
    assert loaded == []
    imported = result["imported_cpu_s"]
    assert isinstance(imported, float) and imported <= HELP_BUDGET_CPU_S, imported
