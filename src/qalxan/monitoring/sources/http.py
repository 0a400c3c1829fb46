"""The one HTTP client every HTTP source uses: discreet, patient and bounded.

Its User-Agent is that of a common browser (``USER_AGENT``), so a watched platform's logs do
not say who reads; requests leave directly or through a proxy (``QALXAN_MONITOR_PROXY``, a
SOCKS5 proxy such as Tor with the proxy resolving names). Every hop, the first request and
each redirect, is checked by ``egress.Egress``: only public addresses, and the connection
goes to the address that was checked. It sets timeouts, honours rate limits (Mastodon's
``X-RateLimit-Remaining``/``X-RateLimit-Reset``; ``Retry-After`` on 429 and 503, up to
``RetryPolicy.max_wait``), retries transient failures (connection errors, timeouts, 5xx)
with exponential back-off and jitter up to a cap, refuses responses larger than a cap, and
gives up when a request with its waits and retries has taken longer than its deadline
(``deadline``, or a tighter one set around a whole fetch with ``within``). Sleeping, the
clock and the jitter are injected, so tests never wait. Failures surface as
``SourceUnavailable``, whose message names the host and path only (never the query, user
name or password of a URL); it is for the operator and the log, not for staff pages.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

import httpx

from qalxan.config import Settings, get_settings
from qalxan.errors import SourceUnavailable
from qalxan.monitoring.sources.egress import Egress

#: Tor Browser's User-Agent (the most common one among people who read without being
#: told apart); it names neither Qalxan nor what monitoring is for.
USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_DEADLINE = 120.0
MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
EPOCH_THRESHOLD = 1e9


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many times to try, how back-off grows, and the longest wait accepted."""

    attempts: int = 5
    backoff: float = 1.0
    backoff_cap: float = 30.0
    max_wait: float = 60.0

    def backoff_delay(self, attempt: int, jitter: float) -> float:
        """Equal-jitter exponential back-off: half the step, plus up to the other half."""
        step = min(self.backoff_cap, self.backoff * 2.0**attempt)
        return step / 2 + jitter * step / 2


@dataclass(frozen=True, slots=True)
class Response:
    """A complete response: final URL, status, headers (lower-case names) and body."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def where(self) -> str:
        return redacted(self.url)

    def json(self) -> Any:
        """The body as JSON, or ``SourceUnavailable`` if it is not JSON or malformed."""
        kind = self.headers.get("content-type", "")
        if "json" not in kind.lower():
            raise SourceUnavailable(
                f"{self.where} answered {kind or 'no content type'}, not JSON")
        try:
            return json.loads(self.body.decode("utf-8"))
        except UnicodeDecodeError:
            raise SourceUnavailable(f"{self.where} answered JSON that is not UTF-8") from None
        except json.JSONDecodeError as exc:
            raise SourceUnavailable(f"{self.where} answered malformed JSON ({exc.msg}, line "
                                    f"{exc.lineno} column {exc.colno})") from None
        except RecursionError:
            raise SourceUnavailable(f"{self.where} answered JSON nested too deeply") from None


@dataclass(frozen=True, slots=True)
class _Retry:
    reason: str
    delay: float | None


def redacted(url: str | httpx.URL) -> str:
    """``scheme://host[:port]/path`` of a URL: no user name, password, query or fragment."""
    parsed = httpx.URL(str(url))
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}{parsed.path}"


def parse_moment(value: str, clock: Callable[[], float]) -> float | None:
    """Seconds from now until a time given as seconds to wait, epoch seconds (numbers past
    a billion), ISO 8601 or an HTTP date; None when it is none of these."""
    text = value.strip()
    if text.replace(".", "", 1).isdigit():
        number = float(text)
        return max(0.0, number - clock()) if number > EPOCH_THRESHOLD else number
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, moment.timestamp() - clock())


class HttpClient:
    """GET with address checks, timeouts, rate limits, retries, a deadline and a size cap;
    one per process is plenty."""

    def __init__(self, *, timeout: float = 20.0, max_bytes: int = DEFAULT_MAX_BYTES,
                 policy: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time,
                 jitter: Callable[[], float] = random.random,
                 transport: httpx.BaseTransport | None = None,
                 user_agent: str = USER_AGENT, egress: Egress | None = None,
                 deadline: float = DEFAULT_DEADLINE) -> None:
        self.policy = policy or RetryPolicy()
        self.max_bytes = max_bytes
        self.egress = egress or Egress()
        self.deadline = deadline
        self._sleep, self._clock, self._jitter = sleep, clock, jitter
        self._windows: dict[str, float] = {}
        self._until: float | None = None
        # No connection is kept for reuse: each one was opened to an address checked for
        # the name it was opened for, and must not carry a request for another name.
        self._client = httpx.Client(
            timeout=timeout, follow_redirects=False, transport=transport,
            proxy=self.egress.proxy, trust_env=False,
            limits=httpx.Limits(max_keepalive_connections=0),
            headers={"User-Agent": user_agent})

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Callable[[], float] = time.time,
                      sleep: Callable[[float], None] = time.sleep) -> HttpClient:
        """A client as the settings say: the proxy, loopback allowed or not, the deadline."""
        egress = Egress(allow_loopback=settings.monitor_allow_loopback,
                        proxy=settings.monitor_proxy or None)
        return cls(egress=egress, deadline=float(settings.monitor_fetch_deadline_seconds),
                   clock=clock, sleep=sleep)

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    @contextmanager
    def within(self, seconds: float) -> Iterator[None]:
        """Every request made inside ends within ``seconds`` from now, waits included (a
        source's whole fetch: all its pages)."""
        outer = self._until
        until = self._clock() + seconds
        self._until = until if outer is None else min(outer, until)
        try:
            yield
        finally:
            self._until = outer

    def get(self, url: str, *, params: Mapping[str, str] | None = None,
            accept: str = "*/*") -> Response:
        """The response to a GET, after any waits and retries; ``SourceUnavailable`` if none."""
        request = self._client.build_request("GET", url, params=params,
                                             headers={"Accept": accept})
        where, host = redacted(request.url), request.url.host
        until = self._clock() + self.deadline
        until = until if self._until is None else min(until, self._until)
        retry = _Retry("no attempt", None)
        for attempt in range(self.policy.attempts):
            if attempt:
                delay = retry.delay
                self._pause(self.policy.backoff_delay(attempt - 1, self._jitter())
                            if delay is None else delay, where, until)
            self._wait_for_window(host, where, until)
            outcome = self._attempt(request.url, accept, where, until)
            if isinstance(outcome, Response):
                return outcome
            retry = outcome
        raise SourceUnavailable(
            f"{where}: gave up after {self.policy.attempts} attempts ({retry.reason})",
            retry_after=retry.delay)

    def _attempt(self, url: httpx.URL, accept: str, where: str,
                 until: float) -> Response | _Retry:
        try:
            response = self._follow(url, accept, where, until)
        except httpx.TransportError as exc:
            return _Retry(_describe(exc), None)
        self._note_window(url.host, response)
        if response.status == 429 or response.status >= 500:
            return _Retry(f"HTTP {response.status}", self._asked_delay(response))
        if response.status >= 300:
            raise SourceUnavailable(f"{where} answered HTTP {response.status}")
        return response

    def _follow(self, url: httpx.URL, accept: str, where: str, until: float) -> Response:
        """The response at the end of the redirects from ``url``, each hop checked."""
        for _ in range(MAX_REDIRECTS + 1):
            response = self._send(url, accept, where, until)
            location = response.headers.get("location")
            if response.status not in REDIRECTS or not location:
                return response
            try:
                url = url.join(location.strip())
            except httpx.InvalidURL:
                raise SourceUnavailable(f"{where} redirected to an invalid address") from None
        raise SourceUnavailable(f"{where}: too many redirects")

    def _send(self, url: httpx.URL, accept: str, where: str, until: float) -> Response:
        target = self.egress.target(url)
        headers = {"Accept": accept}
        if target.host_header is not None:
            headers["Host"] = target.host_header
        request = self._client.build_request("GET", target.url, headers=headers,
                                             extensions=target.extensions())
        response = self._client.send(request, stream=True)
        try:
            body = self._read_capped(response, where, until)
        finally:
            response.close()
        headers = {k.lower(): v for k, v in response.headers.items()}
        return Response(str(url), response.status_code, headers, body)

    def _read_capped(self, response: httpx.Response, where: str, until: float) -> bytes:
        declared = response.headers.get("content-length", "")
        too_big = SourceUnavailable(f"{where} answered more than {self.max_bytes} bytes")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise too_big
        chunks, size = [], 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise too_big
                if self._clock() > until:
                    raise SourceUnavailable(f"{where} answered too slowly (past the deadline)")
                chunks.append(chunk)
        except httpx.DecodingError:
            raise SourceUnavailable(f"{where} answered a body that does not decode") from None
        return b"".join(chunks)

    def _asked_delay(self, response: Response) -> float | None:
        asked = response.headers.get("retry-after")
        if asked is None and response.status == 429:
            asked = response.headers.get("x-ratelimit-reset")
        return None if asked is None else parse_moment(asked, self._clock)

    def _note_window(self, host: str, response: Response) -> None:
        remaining = response.headers.get("x-ratelimit-remaining", "").strip()
        reset = response.headers.get("x-ratelimit-reset")
        if remaining.isdigit() and int(remaining) <= 0 and reset is not None:
            wait = parse_moment(reset, self._clock)
            if wait is not None:
                self._windows[host] = self._clock() + wait
        elif remaining.isdigit():
            self._windows.pop(host, None)

    def _wait_for_window(self, host: str, where: str, until: float) -> None:
        window = self._windows.pop(host, None)
        if window is not None and window > self._clock():
            self._pause(window - self._clock(), where, until)

    def _pause(self, seconds: float, where: str, until: float) -> None:
        if seconds > self.policy.max_wait:
            raise SourceUnavailable(
                f"{where} asks to wait {seconds:.0f} s, more than the {self.policy.max_wait:.0f}"
                " s this client waits", retry_after=seconds)
        if self._clock() + seconds > until:
            raise SourceUnavailable(f"{where}: waiting {seconds:.0f} s more would pass the "
                                    "deadline", retry_after=seconds)
        if seconds > 0:
            self._sleep(seconds)


_DESCRIPTIONS: dict[type[httpx.HTTPError], str] = {
    httpx.ConnectError: "could not connect",
    httpx.ConnectTimeout: "connection timed out",
    httpx.ReadTimeout: "read timed out",
}


@lru_cache(maxsize=1)
def shared_client() -> HttpClient:
    """The process-wide client that sources use when none is given, made as the settings
    say: one view of each host's rate limit for all of them."""
    return HttpClient.from_settings(get_settings())


def _describe(exc: httpx.HTTPError) -> str:
    return _DESCRIPTIONS.get(type(exc), type(exc).__name__)
