"""Loads the built-in detectors into the registry, through the same interface plugins use."""

from __future__ import annotations

import importlib

from qalxan.analysis.registry import DetectorRegistry, registry

BUILTIN_MODULES: tuple[str, ...] = (
    "qalxan.analysis.detectors.language",
    "qalxan.analysis.detectors.abuse",
    "qalxan.analysis.detectors.smear",
    "qalxan.analysis.detectors.doxing",
    "qalxan.analysis.detectors.links",
)

_loaded = False


def load_builtin_detectors() -> DetectorRegistry:
    """Import every built-in detector module once (modules not yet present are skipped),
    then the plugins the settings allow (``qalxan.plugins``)."""
    global _loaded
    if not _loaded:
        for module in BUILTIN_MODULES:
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
        _loaded = True  # set first: a plugin registering its detectors may come back here
        from qalxan.plugins import load_plugins

        try:
            load_plugins()
        except BaseException:
            _loaded = False  # a failed plugin fails every call, never runs without
            raise
    return registry
