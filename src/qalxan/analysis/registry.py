"""The explicit detector registry. Built-in detectors and plugins register the same way.

A detector is any object with a ``name`` and a ``detect`` method that maps a batch of
messages to one list of findings per message. Detectors are pure: no I/O, no database,
no network; whatever data they need (models, lexicons, indicator sets) is loaded when the
detector is constructed, so the same object can run in-process, in a worker pool or on Ray.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from qalxan.analysis.message import AnalysisContext, Finding, Message


@runtime_checkable
class Detector(Protocol):
    name: str

    def detect(
        self, batch: Sequence[Message], context: AnalysisContext
    ) -> list[list[Finding]]: ...


DetectorFactory = Callable[[], Detector]


class DetectorRegistry:
    """Named detector factories, in registration order."""

    def __init__(self) -> None:
        self._factories: dict[str, DetectorFactory] = {}
        self._origins: dict[str, str] = {}

    def register(self, name: str, factory: DetectorFactory, origin: str = "builtin") -> None:
        if name in self._factories:
            raise ValueError(f"detector {name!r} is already registered")
        self._factories[name] = factory
        self._origins[name] = origin

    def names(self) -> list[str]:
        return list(self._factories)

    def origin(self, name: str) -> str:
        return self._origins[name]

    def create(self, name: str) -> Detector:
        try:
            factory = self._factories[name]
        except KeyError:
            known = ", ".join(self._factories) or "none"
            raise KeyError(f"unknown detector {name!r}; known: {known}") from None
        return factory()


registry = DetectorRegistry()
