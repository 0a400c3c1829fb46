"""Server logs keep an error's type, never its message or traceback (they may quote reports)."""

from __future__ import annotations

import io
import logging

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
