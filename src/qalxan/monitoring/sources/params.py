"""Checks for source params: each param a source accepts has a name and a check.

A check takes the param's value and returns it (cleaned) or raises ``ValueError`` with
what is wrong; ``validate`` turns that into ``InvalidInput`` naming the source and param.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from qalxan.errors import InvalidInput

Check = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Param:
    """One param of a source kind: its name, whether it must be given, its check, a help line."""

    name: str
    check: Check
    required: bool = False
    help: str = ""


def key_values(entries: Iterable[str]) -> dict[str, str]:
    """``key=value`` entries (the lines of a form, the ``--param`` options) as a source's
    params; blank ones are skipped. An entry without a key and ``=``, or a key given twice,
    is refused by its place only: the entry itself may hold a token."""
    params: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        if not entry.strip():
            continue
        key, sep, value = entry.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"param {number}: write it as KEY=VALUE")
        if key.strip() in params:
            raise InvalidInput(f"param {number}: {key.strip()!r} is given twice")
        params[key.strip()] = value.strip()
    return params


def http_url(value: str) -> str:
    """An absolute http(s) URL with a host; no user name or password in it."""
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"}:
        shown = parts.scheme or "none"
        raise ValueError(f"must be an http or https URL (scheme: {shown})")
    if not parts.hostname:
        raise ValueError("must be an absolute URL with a host")
    if parts.username or parts.password:
        raise ValueError("must not carry a user name or password")
    return text


def base_url(value: str) -> str:
    """An http(s) URL of a server: no path beyond ``/``, no query; the trailing ``/`` dropped."""
    text = http_url(value).rstrip("/")
    parts = urlsplit(text)
    if parts.path or parts.query or parts.fragment:
        raise ValueError("must be the server's address only, like https://social.example")
    return text


def text(value: str) -> str:
    """Any non-empty text."""
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


_HASHTAG = re.compile(r"^#?(\w{1,100})$")


def hashtag(value: str) -> str:
    """A hashtag, with or without ``#``; returned without it."""
    match = _HASHTAG.match(value.strip())
    if match is None:
        raise ValueError("must be one hashtag of letters, digits and underscores")
    return match.group(1)


_USERNAME = re.compile(r"^@?([A-Za-z0-9_]{1,64})$")


def username(value: str) -> str:
    """A user or channel name of letters, digits and underscores, with or without ``@``."""
    match = _USERNAME.match(value.strip())
    if match is None:
        raise ValueError("must be a user name of letters, digits and underscores")
    return match.group(1)


def positive_int(value: str) -> str:
    """A whole number from 1 up."""
    if not value.strip().isdigit() or int(value) < 1:
        raise ValueError("must be a whole number from 1 up")
    return str(int(value))


def status_id(value: str) -> str:
    """An account or status id as servers speaking Mastodon's API give it: digits on
    Mastodon, letters and digits elsewhere; nothing that could leave its path segment."""
    text = value.strip()
    if not (0 < len(text) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_")
                                        for c in text)):
        raise ValueError("must be an id of letters, digits, - or _")
    return text


def iso_time(value: str) -> str:
    """A date and time in ISO 8601 (UTC when no offset is given)."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("must be an ISO 8601 date and time, like 2026-03-14T09:00:00Z") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def choice(*options: str) -> Check:
    """A check that accepts one of ``options``."""

    def check(value: str) -> str:
        if value.strip() not in options:
            raise ValueError(f"must be one of: {', '.join(options)}")
        return value.strip()

    return check


def validate(kind: str, params: Mapping[str, str], accepted: Sequence[Param]) -> dict[str, str]:
    """The params, each checked and cleaned; ``InvalidInput`` for unknown, missing or bad ones."""
    known = {p.name: p for p in accepted}
    unknown = sorted(set(params) - set(known))
    if unknown:
        names = ", ".join(known) or "none"
        raise InvalidInput(f"{kind} source: unknown param {unknown[0]!r} (accepted: {names})")
    cleaned: dict[str, str] = {}
    for param in accepted:
        value = params.get(param.name)
        if value is None:
            if param.required:
                raise InvalidInput(f"{kind} source: param {param.name!r} is required")
            continue
        if not isinstance(value, str):
            raise InvalidInput(f"{kind} source: param {param.name!r} must be text")
        try:
            cleaned[param.name] = param.check(value)
        except ValueError as exc:
            raise InvalidInput(f"{kind} source: param {param.name!r} {exc}") from None
    return cleaned
