"""Server logs keep an error's type, never its message or traceback (they may quote reports)."""

from __future__ import annotations

import io
import logging

from fastapi.testclient import TestClient

from qalxan.web.logs import LOG_CONFIG, ContentFreeErrors

CANARY = "she lives at 12 Nizami street"


def test_tracebacks_and_messages_of_errors_are_dropped() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContentFreeErrors())
    logger = logging.getLogger("test.content_free")
    logger.addHandler(handler)
    try:
        raise ValueError(f"could not parse {CANARY}")
    except ValueError:
        logger.exception("Exception in ASGI application %s", CANARY)
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "ValueError" in text
    assert CANARY not in text and "Traceback" not in text


def test_the_server_configuration_filters_every_handler() -> None:
    assert LOG_CONFIG["filters"]["content_free"]["()"] == \
        f"{ContentFreeErrors.__module__}.{ContentFreeErrors.__qualname__}"
    for handler in LOG_CONFIG["handlers"].values():
        assert handler["filters"] == ["content_free"]
    loggers = LOG_CONFIG["loggers"]
    assert loggers["uvicorn.access"]["handlers"] == []  # no access log
    assert all(set(cfg.get("handlers", [])) <= set(LOG_CONFIG["handlers"])
               for cfg in loggers.values())


def _stops_before_root(name: str) -> bool:
    logger: logging.Logger | None = logging.getLogger(name)
    while logger is not None and logger.parent is not None:
        if not logger.propagate:
            return True
        logger = logger.parent
    return False


def test_the_upload_parser_writes_nothing(client: TestClient) -> None:
    """A malformed multipart body makes the parser log a warning before it gives up; under the
    server's logging (no root handler) Python's last-resort handler would print it on stderr.
    Its records stop at a handler that drops them."""
    for body in (b"--bX\r\n", b"--b\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nx"):
        response = client.post("/report", content=body,
                               headers={"Content-Type": "multipart/form-data; boundary=b"})
        assert response.status_code in (400, 422)
    assert _stops_before_root("python_multipart.multipart")
    assert LOG_CONFIG["loggers"]["python_multipart"]["level"] == "CRITICAL"
