"""Hosts of URLs and their indicator look-ups, compiled from ``_hosts.c``."""

from collections.abc import Mapping, Sequence
from typing import TypeVar

_T = TypeVar("_T")

def host_of(url: str, /) -> str:
    """The lower-case host of a URL: after the first ``://`` (if any) and the authority's
    last ``@``, up to a ``/``, ``?``, ``#`` or ``:``, without trailing dots; an IPv6
    literal without its brackets."""

def hosts_of(urls: Sequence[str], /) -> list[str]:
    """``host_of`` of every URL."""

def match_hosts(
    hosts: Sequence[str],
    domains: Mapping[str, _T],
    parents: Mapping[str, _T],
    ips: Mapping[str, _T],
    /,
) -> list[_T | None]:
    """For every host: ``domains[host]``; else, when it ends in a digit, ``ips[host]``;
    else the ``parents`` entry of its nearest parent domain (each suffix after a dot, left
    to right, that still holds a dot: every key of ``parents`` must hold one). ``None``
    where there is none. The mappings must be dicts."""
