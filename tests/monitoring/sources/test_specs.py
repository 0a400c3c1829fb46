"""Source specs: kinds, params and their checks; the registry built-ins and plugins share."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from qalxan.errors import InvalidInput
from qalxan.monitoring.posts import Post
from qalxan.monitoring.sources import (
    SOURCES,
    Batch,
    Source,
    SourceKind,
    SourceSpec,
    open_source,
    parse_spec,
    register_source,
)
from qalxan.monitoring.sources.http import HttpClient, shared_client
from qalxan.monitoring.sources.params import Param, text
from qalxan.monitoring.sources.registry import Connections, SourceRegistry

MASTODON = {"base_url": "https://social.example", "hashtag": "azfreedom"}


def test_every_builtin_kind_is_registered_as_builtin() -> None:
    builtins = {"jsonl", "csv", "rss", "atom", "mastodon", "telegram"}
    assert builtins <= set(SOURCES.names())
    assert all(SOURCES.origin(name) == "builtin" for name in builtins)


def test_a_valid_spec_is_cleaned() -> None:
    spec = parse_spec("mastodon", " tag watch ", {"base_url": "https://social.example/",
                                                  "hashtag": "#azfreedom"})
    assert spec == SourceSpec("mastodon", "tag watch",
                              {"base_url": "https://social.example", "hashtag": "azfreedom"})


@pytest.mark.parametrize(("kind", "params", "message"), [
    ("twitter", {}, "unknown source kind 'twitter' (known: "),
    ("mastodon", {"hashtag": "x"}, "param 'base_url' is required"),
    ("mastodon", {**MASTODON, "token": "s3cret"}, "unknown param 'token'"),
    ("mastodon", {**MASTODON, "base_url": "ftp://social.example"},
     "must be an http or https URL (scheme: ftp)"),
    ("mastodon", {**MASTODON, "base_url": "social.example"}, "scheme: none"),
    ("mastodon", {**MASTODON, "base_url": "https://"}, "absolute URL with a host"),
    ("mastodon", {**MASTODON, "base_url": "https://social.example/api/v1"},
     "the server's address only"),
    ("mastodon", {**MASTODON, "base_url": "https://me:pw@social.example"},
     "must not carry a user name or password"),
    ("mastodon", {"base_url": "https://social.example"}, "exactly one of hashtag"),
    ("mastodon", {**MASTODON, "account_id": "1"}, "exactly one of hashtag"),
    ("mastodon", {**MASTODON, "hashtag": "two words"}, "one hashtag"),
    ("mastodon", {**MASTODON, "since": "yesterday"}, "ISO 8601"),
    ("mastodon", {"base_url": "https://social.example", "account_id": "@aysel_m"},
     "must be an id of letters, digits"),
    ("mastodon", {"base_url": "https://social.example", "timeline": "home"},
     "one of: public, local"),
    ("rss", {"url": "javascript:alert(1)"}, "http or https"),
    ("rss", {"url": "https://news.example/feed", "max_seen": "0"}, "from 1 up"),
    ("jsonl", {"path": "  "}, "must not be empty"),
    ("csv", {"path": "x.csv", "bad_lines": "ignore"}, "one of: fail, skip"),
    ("telegram", {"path": "result.json", "channel": "t.me/x"}, "user name"),
])
def test_bad_specs_are_refused_with_a_clear_message(kind: str, params: dict[str, str],
                                                    message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_spec(kind, "watch", params)
    assert message in caught.value.detail


def test_a_spec_needs_a_name() -> None:
    with pytest.raises(InvalidInput, match="a name of 1 to 200 characters"):
        parse_spec("rss", " ", {"url": "https://news.example/feed"})


def test_open_source_validates_the_spec_again() -> None:
    with pytest.raises(InvalidInput, match="unknown param 'token'"):
        open_source(SourceSpec("mastodon", "watch", {**MASTODON, "token": "x"}))


@pytest.mark.parametrize(("kind", "params"), [
    ("mastodon", MASTODON),
    ("rss", {"url": "https://news.example/feed"}),
    ("jsonl", {"path": "posts.jsonl"}),
    ("telegram", {"path": "result.json"}),
])
def test_a_checkpoint_from_elsewhere_is_refused(kind: str, params: dict[str, str]) -> None:
    source = open_source(parse_spec(kind, "watch", params))
    with pytest.raises(InvalidInput, match=f"was not written by an? {kind} source"):
        source.fetch('{"offset": "nope"}', 10)


def test_a_limit_must_be_positive() -> None:
    source = open_source(parse_spec("jsonl", "watch", {"path": "posts.jsonl"}))
    with pytest.raises(InvalidInput, match="limit must be a positive number"):
        source.fetch(None, 0)


class EchoSource:
    """A plugin source: one post per fetch, numbered by the checkpoint."""

    def __init__(self, spec: SourceSpec, _connections: Connections) -> None:
        self.prefix = spec.params["prefix"]

    def fetch(self, checkpoint: str | None, limit: int) -> Batch:
        number = int(checkpoint or 0) + 1
        post = Post(message_id=f"{self.prefix}{number}", author_id="a", timestamp=number)
        return Batch((post,), str(number), exhausted=True)


def echo_kind(name: str) -> SourceKind:
    return SourceKind(name=name, params=(Param("prefix", text, required=True),),
                      factory=EchoSource, help="echo")


def test_a_plugin_registers_and_opens_like_a_builtin() -> None:
    register_source(echo_kind("echo-test"), origin="qalxan-echo")
    spec = parse_spec("echo-test", "watch", {"prefix": "e"})
    source = open_source(spec)
    assert isinstance(source, Source)
    assert source.fetch("4", 10).posts[0].message_id == "e5"
    assert SOURCES.origin("echo-test") == "qalxan-echo"


def test_a_kind_name_is_registered_once() -> None:
    registry = SourceRegistry()
    registry.register(echo_kind("echo"))
    with pytest.raises(ValueError, match="already registered"):
        registry.register(echo_kind("echo"), origin="another-plugin")


def test_params_must_be_text() -> None:
    params: Mapping[str, str] = {"url": 5}  # type: ignore[dict-item]
    with pytest.raises(InvalidInput, match="param 'url' must be text"):
        parse_spec("rss", "watch", params)


def test_http_sources_share_one_client_unless_given_their_own() -> None:
    one = open_source(parse_spec("mastodon", "a", MASTODON))
    two = open_source(parse_spec("rss", "b", {"url": "https://news.example/feed"}))
    assert one._http is two._http is shared_client()  # type: ignore[attr-defined]
    with HttpClient() as own:
        three = open_source(parse_spec("rss", "c", {"url": "https://news.example/feed"}),
                            http=own)
        assert three._http is own  # type: ignore[attr-defined]
