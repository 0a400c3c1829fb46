"""Scale-out on Ray: connect to a cluster (or start a local instance) and run the same
pure functions there that run in-process.

Nothing here distributes work by itself: Ray's tasks and actors do. This module only says
where Ray is (``--ray ADDRESS``), checks that it can be reached before waiting on it, maps a
picklable function over chunks (``ray_map``, the Ray twin of ``serial_map``) and turns Ray's
failures into ``ClusterUnavailable``, reported by type only so that no message content
reaches a log.

Ray is an optional extra (``pip install 'qalxan[ray]'``), imported on first use. The nodes
of a cluster need the same version of Qalxan installed: workers import it to run the code.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from qalxan.errors import ClusterUnavailable, InvalidInput

AUTO, LOCAL = "auto", "local"
CLIENT_SCHEME = "ray://"
#: Seconds to wait for a TCP connection to a cluster address before giving up.
PROBE_SECONDS = 5.0
INSTALL_HINT = "install the 'ray' extra: pip install 'qalxan[ray]'"

A = TypeVar("A")
B = TypeVar("B")


class Mapper(Protocol):
    """Applies a function to each item, results in the items' order."""

    def __call__(self, function: Callable[[A], B], items: Sequence[A]) -> list[B]: ...


def serial_map(function: Callable[[A], B], items: Sequence[A]) -> list[B]:
    """In this process, one item after another."""
    return [function(item) for item in items]


def import_ray() -> ModuleType:
    """The ``ray`` module, or ClusterUnavailable naming the extra to install."""
    try:
        return importlib.import_module("ray")
    except ImportError:
        raise ClusterUnavailable(f"Ray is not installed; {INSTALL_HINT}") from None


@dataclass(frozen=True, slots=True)
class RayAddress:
    """Where Ray runs: ``auto`` (the running cluster this machine knows of), ``local`` (a
    new instance in this process's session) or a cluster's ``host:port`` or
    ``ray://host:port`` (Ray Client)."""

    address: str
    host: str | None = None
    port: int | None = None

    @property
    def is_local(self) -> bool:
        return self.address == LOCAL


def parse_address(option: str) -> RayAddress:
    """The address of ``--ray``, or InvalidInput saying what is expected."""
    value = option.strip()
    if value.lower() in (AUTO, LOCAL):
        return RayAddress(value.lower())
    parts = urlsplit(value if "://" in value else f"//{value}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("", "ray") or not parts.hostname or port is None:
        raise InvalidInput(
            f"--ray must be auto, local, host:port or ray://host:port, not {option!r}"
        )
    return RayAddress(value, parts.hostname, port)


def check_reachable(target: RayAddress, timeout: float = PROBE_SECONDS) -> None:
    """Fail fast (ClusterUnavailable) when a cluster address takes no TCP connection;
    Ray itself would keep retrying for minutes."""
    if target.host is None or target.port is None:
        return
    try:
        with socket.create_connection((target.host, target.port), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ClusterUnavailable(
            f"cannot reach the Ray cluster at {target.address}: {reason}"
        ) from None


def _init_arguments(target: RayAddress, cpus: int | None) -> dict[str, Any]:
    quiet = {"logging_level": logging.ERROR, "log_to_driver": False}
    if target.is_local:
        # batches of messages never spill from the object store to disk (few are in flight)
        return {**quiet, "num_cpus": cpus or os.cpu_count() or 1, "include_dashboard": False,
                "_system_config": {"automatic_object_spilling_enabled": False}}
    return {**quiet, "address": target.address}


def cluster_cpus(ray: ModuleType) -> int:
    """CPUs the connected cluster offers (at least 1)."""
    return max(int(ray.cluster_resources().get("CPU", 1)), 1)


@contextmanager
def ray_session(option: str, cpus: int | None = None) -> Iterator[int]:
    """Connected to Ray for the block; yields the CPUs it offers. ``cpus`` sizes a
    ``local`` instance. With ``auto`` or ``local``, a connection this process already has
    (``ray.init`` called before) is used and left open."""
    target = parse_address(option)
    ray = import_ray()
    check_reachable(target)
    if ray.is_initialized():
        if target.host is not None:
            raise ClusterUnavailable("this process is already connected to a Ray cluster")
        with ray_failures(ray):
            yield cluster_cpus(ray)
        return
    try:
        ray.init(**_init_arguments(target, cpus))
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise ClusterUnavailable(
            f"cannot connect to Ray at {target.address}: {type(exc).__name__}"
        ) from None
    try:
        with ray_failures(ray):
            yield cluster_cpus(ray)
    finally:
        ray.shutdown()


@contextmanager
def ray_failures(ray: ModuleType) -> Iterator[None]:
    """Ray's errors as ClusterUnavailable naming the error's type only (a task's error
    text could quote what it was working on)."""
    try:
        yield
    except ray.exceptions.RayError as exc:
        cause = getattr(exc, "cause", None)
        kind = type(cause if isinstance(cause, BaseException) else exc).__name__
        raise ClusterUnavailable(f"the work failed on the Ray cluster ({kind})") from None


@lru_cache(maxsize=16)
def _remote(function: Callable[..., Any]) -> Any:
    return import_ray().remote(function)


def ray_map(function: Callable[[A], B], items: Sequence[A]) -> list[B]:
    """Each item in a Ray task (one CPU each), results in the items' order. Needs a
    connection (``ray_session``); ``function`` must be importable on the workers."""
    ray = import_ray()
    task = _remote(function)
    with ray_failures(ray):
        return list(ray.get([task.remote(item) for item in items]))
