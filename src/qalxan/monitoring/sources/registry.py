"""The explicit source registry. Built-in connectors and plugins register the same way.

A source kind names the params it accepts (each with a check) and a factory that builds a
``Source`` from a validated spec and the connection objects it may use. A plugin calls
``register_source(SourceKind(...), origin="my-plugin")`` once at import.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO

from qalxan.config import get_settings
from qalxan.errors import InvalidInput
from qalxan.monitoring.sources import files
from qalxan.monitoring.sources.base import Source, SourceSpec
from qalxan.monitoring.sources.http import HttpClient, shared_client
from qalxan.monitoring.sources.params import Param, validate

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Connections:
    """What a factory may use: the HTTP client (made on demand), the clock, and
    ``open_file``, which opens a file a param names under the rule of ``files`` (the only
    way a source may open one)."""

    http: Callable[[], HttpClient]
    clock: Clock
    open_file: Callable[[str], BinaryIO] = field(
        default=partial(files.open_file, import_dir=None))


SourceFactory = Callable[[SourceSpec, Connections], Source]


@dataclass(frozen=True, slots=True)
class SourceKind:
    """A kind of source: its name, the params it accepts, how to build one, a help line, and
    ``rules``: a check across params (one of two required ...) raising ``ValueError``;
    ``files``: the params that name a file on the server (confined, see ``files``)."""

    name: str
    params: Sequence[Param]
    factory: SourceFactory
    help: str = ""
    rules: Callable[[Mapping[str, str]], None] | None = None
    files: tuple[str, ...] = ()


BUILTIN_MODULES: tuple[str, ...] = (
    "qalxan.monitoring.sources.dumps",
    "qalxan.monitoring.sources.feeds",
    "qalxan.monitoring.sources.mastodon",
    "qalxan.monitoring.sources.telegram",
)


class SourceRegistry:
    """Source kinds by name, in registration order; built-ins are imported on first lookup."""

    def __init__(self, builtins: Sequence[str] = ()) -> None:
        self._kinds: dict[str, SourceKind] = {}
        self._origins: dict[str, str] = {}
        self._builtins = tuple(builtins)
        self._loaded = not self._builtins

    def register(self, kind: SourceKind, origin: str = "builtin") -> None:
        if kind.name in self._kinds:
            raise ValueError(f"source kind {kind.name!r} is already registered")
        self._kinds[kind.name] = kind
        self._origins[kind.name] = origin

    def names(self) -> list[str]:
        self._load()
        return list(self._kinds)

    def origin(self, name: str) -> str:
        self._load()
        return self._origins[name]

    def get(self, name: str) -> SourceKind:
        self._load()
        try:
            return self._kinds[name]
        except KeyError:
            known = ", ".join(self._kinds) or "none"
            raise InvalidInput(f"unknown source kind {name!r} (known: {known})") from None

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True  # set first: a plugin registering its kinds comes back here
            try:
                for module in self._builtins:
                    importlib.import_module(module)
                from qalxan.plugins import load_plugins  # plugins add kinds the same way

                load_plugins()
            except BaseException:
                self._loaded = False  # a failed plugin fails every call, never runs without
                raise


SOURCES = SourceRegistry(BUILTIN_MODULES)


def register_source(kind: SourceKind, origin: str = "builtin") -> None:
    """Add a source kind to ``SOURCES``; a name already taken is a ``ValueError``."""
    SOURCES.register(kind, origin)


def parse_spec(kind: str, name: str, params: Mapping[str, str]) -> SourceSpec:
    """A checked spec: known kind, a name, every param known and valid, none missing."""
    source_kind = SOURCES.get(kind)
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise InvalidInput(f"{kind} source: a name of 1 to 200 characters is required")
    cleaned = validate(kind, params, source_kind.params)
    if source_kind.rules is not None:
        try:
            source_kind.rules(cleaned)
        except ValueError as exc:
            raise InvalidInput(f"{kind} source: {exc}") from None
    return SourceSpec(kind=kind, name=name.strip(), params=cleaned)


def open_source(spec: SourceSpec, *, http: HttpClient | None = None,
                clock: Clock = time.time, import_dir: Path | None = None) -> Source:
    """The connector for a spec (validated again here). HTTP sources use ``http`` when
    given, else the process-wide client (a client of their own when ``clock`` is not the
    system clock). File sources read relative paths inside ``import_dir`` only."""
    checked = parse_spec(spec.kind, spec.name, spec.params)
    made: list[HttpClient] = [http] if http is not None else []

    def client() -> HttpClient:
        if not made:
            made.append(shared_client() if clock is time.time
                        else HttpClient.from_settings(get_settings(), clock=clock))
        return made[0]

    opener = partial(files.open_file, import_dir=import_dir)
    return SOURCES.get(checked.kind).factory(checked, Connections(http=client, clock=clock,
                                                                  open_file=opener))
