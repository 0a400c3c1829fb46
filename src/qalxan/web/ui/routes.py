"""Installs the server-rendered pages: defender pages, staff pages, static assets, and HTML
error pages for every path outside ``/api/``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from qalxan.web.ui import (
    admin,
    alerts,
    audit,
    casework,
    confirm,
    defenders,
    exports,
    feeds,
    insight,
    language,
    organisations,
    public,
    retention,
    sessions,
    signin,
    sources,
    tokens,
    watchlist,
)
from qalxan.web.ui.errors import render_error_page

STATIC_DIR = Path(__file__).resolve().parent / "static"


def install(app: FastAPI) -> None:
    for module in (public, language, signin, confirm, sessions, casework, defenders, insight,
                   audit, admin, organisations, feeds, retention, alerts,
                   watchlist, sources, exports, tokens):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.state.error_page = render_error_page
