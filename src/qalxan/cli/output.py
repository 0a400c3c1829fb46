"""Printing results: human text by default, JSON with ``--json``; errors to stderr."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import datetime
from typing import Any

import typer
from pydantic import BaseModel

from qalxan.errors import QalxanError


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def emit(value: Any, as_json: bool, text: str) -> None:
    if as_json:
        typer.echo(json.dumps(_plain(value), ensure_ascii=False, indent=2))
    else:
        typer.echo(text)


def fail(exc: QalxanError) -> typer.Exit:
    typer.echo(f"error: {exc.detail}", err=True)
    return typer.Exit(exc.exit_code)


def stderr(message: str) -> None:
    print(message, file=sys.stderr)
