"""The language switcher: a plain link per language, no JavaScript.

The choice is kept in a cookie that holds the language code and nothing else (no identifier),
lives only as long as the browser session (nothing on a seized device's disk says the site
was visited after the browser is closed) and is sent only to this site.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response

from qalxan.security.access import Actor
from qalxan.web.deps import platform_of, public
from qalxan.web.ui import i18n
from qalxan.web.ui.navigation import safe_local
from qalxan.web.ui.rendering import redirect

router = APIRouter(include_in_schema=False)

CHOOSE = public("anyone may choose the language of the pages")


@router.get("/language")
def choose_language(request: Request, lang: str = "", back: str = Query("/", alias="next"),
                    _: Actor = CHOOSE) -> Response:
    response = redirect(safe_local(back))
    secure = platform_of(request).settings.secure_cookies
    if lang in i18n.available_languages():
        response.set_cookie(i18n.cookie_name(secure), lang, path="/", httponly=True,
                            samesite="lax", secure=secure)
    return response
