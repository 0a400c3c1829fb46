"""Plugins: third-party detectors and sources, loaded only from the allow-list in the settings.

A plugin is a module with a ``register(plugin)`` function; it calls
``plugin.add_detector(name, factory)`` and ``plugin.add_source(kind)``, which put them in the
same registries the built-ins use, with the plugin's origin recorded
(``plugin:<module> <distribution> <version>``). Installed packages may advertise plugins under
the ``qalxan.plugins`` entry-point group; they are listed (``qalxan plugins``) but imported only
when their module is in ``QALXAN_PLUGINS``. Loading happens once per process, before the first
detector or source is looked up; a plugin that fails to import or register stops the process
with a clear error rather than running without it.
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from qalxan.analysis.registry import DetectorFactory, DetectorRegistry, registry
from qalxan.config import get_settings
from qalxan.errors import InvalidInput

ENTRY_POINT_GROUP = "qalxan.plugins"
_lock = threading.Lock()
_loaded: dict[str, str] = {}  # module -> origin


class PluginFailed(InvalidInput):
    """An allowed plugin could not be imported or did not register."""


@dataclass(frozen=True, slots=True)
class Plugin:
    """What a plugin's ``register`` receives: adders that record where things came from.
    (The registries are the process's own unless a test gives others.)"""

    origin: str
    detectors: DetectorRegistry = registry
    sources: Any = None  # a SourceRegistry; None: the process's own

    def add_detector(self, name: str, factory: DetectorFactory) -> None:
        self.detectors.register(name, factory, origin=self.origin)

    def add_source(self, kind: object) -> None:
        from qalxan.monitoring.sources.registry import SOURCES, SourceKind

        if not isinstance(kind, SourceKind):
            raise TypeError("add_source takes a qalxan.monitoring.sources.registry.SourceKind")
        (self.sources or SOURCES).register(kind, origin=self.origin)


@dataclass(frozen=True, slots=True)
class Advertised:
    """A plugin an installed package offers through its entry points."""

    name: str
    module: str
    distribution: str
    allowed: bool


def origin_of(module: str) -> str:
    top = module.split(".")[0]
    for dist in metadata.packages_distributions().get(top, []):
        return f"plugin:{module} {dist} {metadata.version(dist)}"
    return f"plugin:{module}"


def load_plugins(modules: tuple[str, ...] | None = None) -> dict[str, str]:
    """Import and register the allowed plugin modules (default: ``QALXAN_PLUGINS``) once;
    returns module -> origin of every plugin loaded so far."""
    allowed = modules if modules is not None else get_settings().plugin_modules()
    with _lock:
        for module in allowed:
            if module not in _loaded:
                _loaded[module] = _load(module)
        return dict(_loaded)


def load_plugin(module: str, plugin: Plugin) -> None:
    """Import one plugin module and let it register into ``plugin``'s registries."""
    try:
        imported = importlib.import_module(module)
    except ImportError as exc:
        raise PluginFailed(f"plugin {module!r} is allowed but cannot be imported: {exc}") from None
    register = getattr(imported, "register", None)
    if not callable(register):
        raise PluginFailed(f"plugin {module!r} has no register(plugin) function")
    try:
        register(plugin)
    except (ValueError, TypeError) as exc:
        raise PluginFailed(f"plugin {module!r} failed to register: {exc}") from None


def _load(module: str) -> str:
    origin = origin_of(module)
    load_plugin(module, Plugin(origin))
    return origin


def advertised() -> list[Advertised]:
    """Plugins that installed packages offer, and whether the settings allow each."""
    allowed = set(get_settings().plugin_modules())
    found = []
    for point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = point.dist.name if point.dist is not None else "?"
        found.append(Advertised(point.name, point.module, dist, point.module in allowed))
    return found
