"""Web pages: server-side render time of the queue and the case page with 10,000 cases, and
the transfer size of the intake page.

Run: ``nice .venv/bin/python bench/ui_render.py [--cases 10000] [--requests 200]``

The script sets up a fresh instance (SQLite in a temporary data directory), seeds the queue
with the seed of ``bench/core_throughput.py`` (every case with its sealed defender, incident
and consent, tags, timeline and audit events), adds one report through intake with the
analysis on (so its case page has findings, highlighted words and a file), signs a case
handler in through the pages (password and TOTP), then times, in-process and one request at
a time after warm-up, the whole request as the server handles it (session check, service
call with its audit event, template rendering):

- ``GET /cases``: the first page of the queue (50 cases, highest risk first). Target: p95 < 100 ms.
- ``GET /cases/{id}``: the analysed case, and a seeded one. Target: p95 < 100 ms.
- the report questionnaire's largest step (the one with the country list) and its one style
  sheet: bytes on the wire (no compression, no script, no image, no font), in every language.
  Target: < 50 kB.

Each target is printed with PASS or MISS; the exit status is 1 when one is missed.
"""

from __future__ import annotations

import argparse
import platform as host
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from qalxan.domain.enums import Role
from qalxan.security import two_factor
from qalxan.security.access import DEFENDER, SYSTEM, Actor
from qalxan.services import accounts, instance, intake
from qalxan.services.context import Platform
from qalxan.services.intake import Upload
from qalxan.services.schemas import ReportSubmission, UserInput
from qalxan.store.tables import FindingRow, Organisation
from qalxan.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent))
from core_seed import bench_settings, seed  # the seed of the platform core benchmark

TARGET_RENDER_MS = 100.0
TARGET_INTAKE_BYTES = 50 * 1024
PASSWORD = "a long passphrase for the benchmark"  # noqa: S105
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CASE_LINK = re.compile(r'href="(/cases/[0-9A-Za-z-]+)"')
REPORT = ("They posted my home address, Nizami street 12, Baku, and my phone +994 50 123 45 67 "
          "and wrote: we will kill you. The same account sent me a link to a fake login page.")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048
LANGUAGES = ("en", "ar", "az", "es", "fa", "fr", "ru", "tr")


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: float

    @property
    def passed(self) -> bool:
        return self.value < self.target

    def line(self) -> str:
        verdict = "PASS" if self.passed else "MISS"
        return f"{self.name:<44} {self.value:>10.1f} {self.unit:<3} < {self.target:<8g} {verdict}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _org(platform: Platform) -> str:
    with platform.sessions() as session:
        return str(session.execute(select(Organisation.id).where(
            Organisation.accepts_intake.is_(True))).scalar_one())


def _handler(platform: Platform, org_id: str) -> tuple[str, str]:
    view, _ = platform.run(SYSTEM, accounts.create_user, UserInput(
        email="bench@example.org", display_name="Bench", role=Role.CASE_HANDLER,
        org_id=org_id), PASSWORD)
    actor = Actor(kind="user", user_id=view.id, org_id=org_id, role=Role.CASE_HANDLER)
    secret, _uri = platform.run(actor, accounts.begin_totp_enrolment)
    platform.run(actor, accounts.confirm_totp_enrolment,
                 two_factor.current_code(secret, time.time() - 30))
    return view.email, secret


def _sign_in(client: TestClient, email: str, secret: str) -> None:
    client.post("/login", data={"email": email, "password": PASSWORD})
    csrf = CSRF.search(client.get("/login/totp").text)
    assert csrf is not None
    done = client.post("/login/totp", data={"csrf_token": csrf.group(1),
                                            "code": two_factor.current_code(secret)})
    assert done.status_code == 200 and "/cases/" in done.text, done.status_code


def _latencies(client: TestClient, path: str, requests: int, warmup: int = 10) -> list[float]:
    for _ in range(warmup):
        assert client.get(path).status_code == 200, path
    spent = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        spent.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    return spent


def _render_figures(client: TestClient, paths: dict[str, str], requests: int) -> list[Figure]:
    figures = []
    for name, path in paths.items():
        spent = _latencies(client, path, requests)
        print(f"  {name:<40} p50 {percentile(spent, 0.5):6.1f} ms   "
              f"p95 {percentile(spent, 0.95):6.1f} ms")
        figures.append(Figure(f"{name} p95", percentile(spent, 0.95), "ms", TARGET_RENDER_MS))
    return figures


def _step_pages(client: TestClient, language: str) -> list[bytes]:
    """The four steps of the report questionnaire, as a defender gets them."""
    headers = {"Accept-Language": language}
    pages = [client.get("/report", headers=headers).content]
    for step in (1, 2, 3):
        pages.append(client.post("/report", headers=headers, data={
            "what_happened": "x", "step": str(step), "go": "next"}).content)
    assert all(b"<script" not in page and b"<img" not in page for page in pages)
    return pages


def _intake_size(client: TestClient) -> Figure:
    css = len(client.get("/static/qalxan.css").content)
    sizes = {language: max(len(page) for page in _step_pages(client, language)) + css
             for language in LANGUAGES}
    largest = max(sizes, key=lambda language: sizes[language])
    print("  largest questionnaire step + style sheet, bytes: " +
          ", ".join(f"{k} {v}" for k, v in sizes.items()))
    return Figure(f"intake step transfer ({largest}, largest)", sizes[largest] / 1024, "kB",
                  TARGET_INTAKE_BYTES / 1024)


def _analysed_case(platform: Platform) -> str:
    """A report through intake with the analysis on; returns its case page."""
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(
        what_happened=REPORT, threat_types=["doxing", "harassment.threat"], country="AZ",
        links=["https://example.org/post/1"]),
        (Upload(filename="shot.png", media_type="image/png", data=PNG),))
    with platform.sessions() as session:  # seeded cases have no findings
        return f"/cases/{session.execute(select(FindingRow.case_id).limit(1)).scalar_one()}"


def measure(work: Path, cases: int, requests: int) -> list[Figure]:
    settings = bench_settings(work / "data", f"sqlite:///{work / 'qalxan.db'}")
    settings.secure_cookies = False  # the in-process client speaks plain http
    instance.initialise(settings, "admin@example.org", "Helpdesk")
    platform = instance.open_platform(settings)
    try:
        org_id = _org(platform)
        print(f"seeding {cases} cases ...", flush=True)
        print(f"  seeded in {seed(platform, org_id, cases - 1):.0f} s")
        analysed = _analysed_case(platform)
        email, secret = _handler(platform, org_id)
        with TestClient(create_app(platform), base_url="http://127.0.0.1") as client:
            _sign_in(client, email, secret)
            links = CASE_LINK.findall(client.get("/cases").text)
            paths = {"queue (first page of 50)": "/cases",
                     "queue filtered (doxing, new)": "/cases?threat=doxing&status=new",
                     "case page (analysed, findings)": analysed,
                     "case page (seeded)": links[-1]}
            return [*_render_figures(client, paths, requests), _intake_size(client)]
    finally:
        platform.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    print(f"{host.node()} · Python {host.python_version()} · {time.strftime('%Y-%m-%d %H:%M')}")
    with tempfile.TemporaryDirectory(prefix="qalxan-ui-bench-") as work:
        figures = measure(Path(work), args.cases, args.requests)
    print()
    for figure in figures:
        print(figure.line())
    return 0 if all(f.passed for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
