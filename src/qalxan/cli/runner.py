"""How commands call the service layer: one platform per command, the system actor, and
domain errors turned into a message and the error's exit code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from pydantic import ValidationError

from qalxan.cli.output import fail
from qalxan.config import get_settings
from qalxan.errors import InvalidInput, QalxanError
from qalxan.security.access import SYSTEM
from qalxan.services import instance
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


def open_platform() -> Platform:
    return instance.open_platform(get_settings())


def run_system(fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """One service call as the system actor, on a platform opened for it."""
    platform = open_platform()
    try:
        return platform.run(SYSTEM, fn, *args, **kwargs)
    finally:
        platform.dispose()
