"""How commands call the service layer: one platform per command, the system actor, and
domain errors turned into a message and the error's exit code.

Commands import the service layer inside their bodies, never at the top of a ``cli`` module,
so ``--help`` and light commands start without it (``tests/cli/test_start_time.py``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from pydantic import ValidationError

from qalxan.cli.output import fail
from qalxan.errors import InvalidInput, QalxanError

if TYPE_CHECKING:
    from qalxan.config import Settings
    from qalxan.services.context import Platform

P = ParamSpec("P")
R = TypeVar("R")


def domain_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn domain errors into a message on stderr and the error's exit code."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except QalxanError as exc:
            raise fail(exc) from None
        except ValidationError as exc:  # options that make an invalid service input
            raise fail(InvalidInput(_problems(exc))) from None

    return wrapper


def _problems(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}"
                     for e in exc.errors())


def instance_settings() -> Settings:
    """The instance's settings (loaded when a command runs, not for ``--help``)."""
    from qalxan.config import get_settings

    return get_settings()


def open_platform() -> Platform:
    from qalxan.services import instance  # the service layer loads when a command runs

    return instance.open_platform(instance_settings())


def run_system(fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """One service call as the system actor, on a platform opened for it."""
    from qalxan.security.access import SYSTEM

    platform = open_platform()
    try:
        return platform.run(SYSTEM, fn, *args, **kwargs)
    finally:
        platform.dispose()
