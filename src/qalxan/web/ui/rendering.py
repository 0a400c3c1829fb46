"""Rendering pages: one Jinja2 environment per language, autoescaping on, no inline code."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader

from qalxan import taxonomy
from qalxan.domain.review import QUESTIONS
from qalxan.security.access import Permission
from qalxan.services.auth import SessionInfo
from qalxan.web.deps import platform_of
from qalxan.web.ui import i18n
from qalxan.web.ui.bidi import isolate, shown_name
from qalxan.web.ui.highlight import excerpts, highlight
from qalxan.web.ui.labels import LABELS
from qalxan.web.ui.navigation import here
from qalxan.web.ui.queue import age, span_source


@lru_cache(maxsize=32)
def environment(language: str) -> Environment:
    env = Environment(loader=PackageLoader("qalxan.web.ui", "templates"), autoescape=True,
                      extensions=["jinja2.ext.i18n"],
                      trim_blocks=True, lstrip_blocks=True)
    translations = i18n.translations(language)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(highlight=highlight, excerpts=excerpts, when=_when, bdi=isolate,
                       shown_name=shown_name)
    env.globals.update(LABELS=LABELS, THREATS=taxonomy.CODES, age_of=age, span_source=span_source,
                       LANGUAGES=i18n.switcher(), can=_can, REVIEW_QUESTIONS=QUESTIONS)
    return env


def _can(session: SessionInfo | None, permission: str) -> bool:
    """Whether the signed-in staff member may do this (to offer only the links that work)."""
    return session is not None and Permission(permission) in session.actor.permissions()


def _when(value: datetime | None) -> str:
    """A timestamp as UTC, to the minute (timestamps from SQLite come back naive)."""
    if value is None:
        return ""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def language_of(request: Request) -> str:
    secure = platform_of(request).settings.secure_cookies
    return i18n.choose(request.cookies.get(i18n.cookie_name(secure)),
                       request.headers.get("accept-language"))


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    language = language_of(request)
    page = environment(language).get_template(template)
    values: dict[str, Any] = {"session": None, "csrf_token": "", "here": here(request),
                              **context}
    html = page.render(lang=language.replace("_", "-"), dir=i18n.direction(language),
                       language=language, now=platform_of(request).clock(), **values)
    return HTMLResponse(html, status_code=status)


def redirect(url: str) -> RedirectResponse:
    """After a form post, back to a page (303 makes the browser use GET)."""
    return RedirectResponse(url, status_code=303)
