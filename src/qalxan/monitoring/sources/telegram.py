"""Telegram Desktop's "Export chat history" in JSON (``result.json`` of one chat).

Each export replaces the last, so the checkpoint is the id of the last message returned
(ids grow within a chat): a new export of the same chat goes on after it. Service messages
(joins, pins) are not posts. ``text`` is a string or a list of strings and entities; links
and hashtags come from ``text_entities``. A forwarded message gets a ``repost_id`` that
stands for the original (its source's id or name plus its text), since the export does
not give the original's id; ``reply_to_message_id`` becomes ``reply_id``. With the param
``channel`` (a public channel's username) each post gets its ``https://t.me/`` link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from qalxan.errors import InvalidInput, SourceUnavailable
from qalxan.monitoring.exports import parse_timestamp
from qalxan.monitoring.posts import Post
from qalxan.monitoring.sources import params as p
from qalxan.monitoring.sources.base import (
    Batch,
    SourceSpec,
    check_limit,
    dump_checkpoint,
    load_checkpoint,
)
from qalxan.monitoring.sources.registry import Connections, SourceKind, register_source

_LINKS = {"link": "text", "text_link": "href"}


class TelegramExportSource:
    """One chat's JSON export, read after the last message id returned."""

    def __init__(self, spec: SourceSpec, connections: Connections) -> None:
        self._path = PurePath(spec.params["path"])
        self._open = connections.open_file
        self._channel = spec.params.get("channel")

    def fetch(self, checkpoint: str | None, limit: int) -> Batch:
        check_limit(limit)
        after = -1 if checkpoint is None else _after(checkpoint)
        chat, every = self._messages()
        messages = [m for m in every if m["id"] > after]
        chosen = messages[:limit]
        posts = tuple(replace(self._post(m), network=chat) for m in chosen)
        last = chosen[-1]["id"] if chosen else after
        state = None if last < 0 else dump_checkpoint({"after": last})
        return Batch(posts, state, exhausted=len(chosen) == len(messages))

    def _messages(self) -> tuple[str | None, list[Mapping[str, Any]]]:
        """The chat (its id, where message ids are unique, or the channel's name) and its
        messages by id."""
        name = self._path.name
        try:
            with self._open(str(self._path)) as stream:
                export = json.loads(stream.read())
        except OSError as exc:
            raise SourceUnavailable(f"telegram source: cannot read {name} "
                                    f"({exc.strerror or type(exc).__name__})") from None
        except (ValueError, RecursionError):
            raise SourceUnavailable(f"telegram source: {name} is not valid JSON (is the "
                                    "export finished?)") from None
        messages = export.get("messages") if isinstance(export, dict) else None
        if not isinstance(messages, list):
            raise SourceUnavailable(f"telegram source: {name} is not a chat export (no "
                                    "'messages' list)")
        chosen = [m for m in messages if isinstance(m, dict) and m.get("type") == "message"
                  and isinstance(m.get("id"), int) and not isinstance(m.get("id"), bool)]
        chat = export.get("id")
        network = f"chat:{chat}" if isinstance(chat, int | str) and str(chat) else \
            (f"channel:{self._channel}" if self._channel else None)
        return network, sorted(chosen, key=lambda m: int(m["id"]))

    def _post(self, message: Mapping[str, Any]) -> Post:
        try:
            return message_post(message, self._channel)
        except (KeyError, TypeError, ValueError) as exc:
            raise SourceUnavailable(f"telegram source: message {message.get('id')} of "
                                    f"{self._path.name} is malformed ({exc})") from None


def message_post(message: Mapping[str, Any], channel: str | None = None) -> Post:
    """A post from one exported message."""
    text = plain_text(message.get("text", ""))
    entities = message.get("text_entities")
    if not isinstance(entities, list):
        raw = message.get("text")
        entities = [e for e in raw if isinstance(e, dict)] if isinstance(raw, list) else []
    forwarded = message.get("forwarded_from_id") or message.get("forwarded_from")
    reply = message.get("reply_to_message_id")
    when = message.get("date_unixtime") or message["date"]
    return Post(
        message_id=str(message["id"]),
        author_id=str(message.get("from_id") or message.get("from") or "unknown"),
        timestamp=parse_timestamp(when),
        text=text,
        author_name=message.get("from"),
        urls=_entity_texts(entities, _LINKS),
        repost_id=_forward_id(str(forwarded), text) if forwarded else None,
        reply_id=str(reply) if reply is not None else None,
        hashtags=tuple(t.lstrip("#") for t in _entity_texts(entities, {"hashtag": "text"})),
        platform="telegram",
        link=f"https://t.me/{channel}/{message['id']}" if channel else None,
    )


def plain_text(text: Any) -> str:
    """The text of a message: a string, or the strings and entity texts of a list."""
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", ""))
                       for part in text if isinstance(part, str | dict))
    return ""


def _entity_texts(entities: Sequence[Any], wanted: Mapping[str, str]) -> tuple[str, ...]:
    found: list[str] = []
    for entity in entities:
        field = wanted.get(entity.get("type", "")) if isinstance(entity, dict) else None
        value = str(entity.get(field) or "").strip() if field else ""
        if value and value not in found:
            found.append(value)
    return tuple(found)


def _forward_id(origin: str, text: str) -> str:
    digest = hashlib.sha256(f"{origin}\n{text}".encode()).hexdigest()[:20]
    return f"forward:{digest}"


def _after(checkpoint: str) -> int:
    after = load_checkpoint(checkpoint, "telegram", ("after",))["after"]
    if isinstance(after, bool) or not isinstance(after, int):
        raise InvalidInput(f"checkpoint {checkpoint[:60]!r} was not written by a telegram "
                           "source")
    return after


register_source(SourceKind(
    name="telegram",
    params=(p.Param("path", p.text, required=True, help="the export's result.json"),
            p.Param("channel", p.username, help="the public channel's username, for links")),
    factory=TelegramExportSource,
    help="A Telegram Desktop chat export (JSON)",
    files=("path",),
))
