"""A loopback HTTP server that answers with recorded responses, for testing sources.

Recordings are JSON files::

    {"request": {"method": "GET", "path": "/api/v1/timelines/tag/azfreedom",
                 "query": {"limit": "40", "min_id": "114..."}},
     "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                  "body": [...]}}

The body is ``body`` (any JSON value, sent as JSON), ``body_text`` (sent as is) or
``body_file`` (a file beside the recording). ``{base_url}`` in a header value becomes the
server's own address, so ``Link`` headers point back at it. A request matches a recording
by method, path and query (the order of query params does not matter); an unmatched one
gets 404 with Mastodon's ``{"error": "Record not found"}``. Responses scripted for a path
(429 with ``Retry-After``, 503 ...) are served first, one per request, whatever the query.
Every request received is kept in ``requests``.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

RECORDINGS = Path(__file__).parent / "recordings"
Query = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


def _query(pairs: Mapping[str, str] | list[tuple[str, str]]) -> Query:
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    return tuple(sorted((str(k), str(v)) for k, v in items))


class RecordedServer:
    """Serve recordings on 127.0.0.1 on a free port, in a background thread."""

    def __init__(self) -> None:
        self._recorded: dict[tuple[str, str, Query], Reply] = {}
        self._scripted: dict[str, deque[Reply]] = {}
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,),
                                        daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> RecordedServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def load(self, directory: str | Path) -> RecordedServer:
        """Add every recording of a directory (relative to ``recordings/``): each ``*.json``
        file with a ``request`` (others there, like a ``summary.json``, are not recordings)."""
        folder = RECORDINGS / directory
        for path in sorted(folder.glob("*.json")):
            recording = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(recording, dict) and "request" in recording:
                self.add_recording(recording, folder)
        return self

    def add_recording(self, recording: Mapping[str, Any], folder: Path = RECORDINGS) -> None:
        request, response = recording["request"], recording["response"]
        if "body" in response:
            body = json.dumps(response["body"], ensure_ascii=False).encode()
        elif "body_file" in response:
            body = (folder / response["body_file"]).read_bytes()
        else:
            body = str(response.get("body_text", "")).encode()
        self.add(request.get("method", "GET"), request["path"], request.get("query", {}),
                 Reply(response.get("status", 200), response.get("headers", {}), body))

    def add(self, method: str, path: str, query: Mapping[str, str], reply: Reply) -> None:
        with self._lock:
            self._recorded[(method.upper(), path, _query(query))] = reply

    def script(self, path: str, *replies: Reply) -> None:
        """Serve ``replies`` to the next requests for ``path``, before any recording."""
        with self._lock:
            self._scripted.setdefault(path, deque()).extend(replies)

    def requested(self, path: str) -> Iterator[Received]:
        return (r for r in list(self.requests) if r.path == path)

    def _answer(self, method: str, target: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(target)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        with self._lock:
            self.requests.append(Received(method, parts.path, dict(pairs), headers))
            scripted = self._scripted.get(parts.path)
            if scripted:
                return scripted.popleft()
            found = self._recorded.get((method, parts.path, _query(pairs)))
        if found is None:
            return Reply(404, {"Content-Type": "application/json; charset=utf-8"},
                         b'{"error":"Record not found"}')
        return found

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = server._answer("GET", self.path, headers)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value.replace("{base_url}", server.base_url))
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: object) -> None:
                return

        return Handler
