"""Audit the installed Python dependencies for known vulnerabilities with pip-audit.

Exit status: 0 when nothing is known to be vulnerable, 1 when something is (the report names
it), and 0 with a recorded exception when no vulnerability data can be reached at all
(machines that reach only package registries: OSV and PyPI's per-release JSON are not among
them) — the exception and its reason are printed, so the CI log keeps them.

    .venv/bin/python scripts/audit_dependencies.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

# Known vulnerabilities accepted for a recorded reason: {"package": "reason"} (none today).
ACCEPTED: dict[str, str] = {}


def classify(report: dict[str, Any]) -> tuple[int, list[str]]:
    """The exit status and the lines to print for a pip-audit JSON report."""
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns") and d["name"] not in ACCEPTED]
    audited = [d for d in deps if "skip_reason" not in d]
    lines = [f"VULNERABLE {d['name']} {d['version']}: "
             f"{', '.join(v['id'] for v in d['vulns'])}" for d in vulnerable]
    lines += [f"accepted: {name}: {reason}" for name, reason in ACCEPTED.items()]
    if vulnerable:
        return 1, lines
    if deps and not audited:
        return 0, [*lines, unreachable(sorted({d["skip_reason"] for d in deps})[0])]
    skipped = len(deps) - len(audited)
    return 0, [*lines, f"dependency audit: {len(audited)} packages audited, none known to be "
                       f"vulnerable ({skipped} could not be audited)"]


def unreachable(reason: str) -> str:
    return ("dependency audit: EXCEPTION RECORDED — no vulnerability data reachable from this "
            "machine, so nothing could be audited; run this script where OSV or PyPI's "
            f"per-release JSON API is reachable. pip-audit said: {reason}")


def main() -> int:
    tool = Path(sys.executable).parent / "pip-audit"
    result = subprocess.run(  # noqa: S603 (our own tool, fixed arguments)
        [str(tool), "--format", "json", "--progress-spinner", "off", "--skip-editable"],
        capture_output=True, text=True, timeout=900, check=False)
    try:
        status, lines = classify(json.loads(result.stdout))
    except json.JSONDecodeError:
        status, lines = 0, [unreachable((result.stderr.strip().splitlines() or [""])[-1])]
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
