"""Server logging that cannot leak what people sent.

No access log is kept (nothing identifies visitors). Unexpected errors are logged by their type
only: an exception's message or traceback can quote a report, a name or an address, so the
filter below replaces it before any handler formats it.
"""

from __future__ import annotations

import logging
from typing import Any


class ContentFreeErrors(logging.Filter):
    """Keep the exception type of a log record, drop its message arguments and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            exc_type = record.exc_info[0]
            record.msg = "unhandled error while serving a request: %s"
            record.args = (exc_type.__name__ if exc_type else "unknown",)
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True


# Third-party parsers of what visitors send, which log warnings that quote it (an unknown
# Content-Transfer-Encoding, a malformed part): their records go nowhere, not even to Python's
# last-resort handler on stderr.
SILENCED = ("python_multipart", "multipart")


def silence_parsers() -> None:
    for name in SILENCED:
        logger = logging.getLogger(name)
        logger.handlers = [logging.NullHandler()]
        logger.propagate = False


LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"content_free": {"()": "qalxan.web.logs.ContentFreeErrors"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                            "formatter": "plain", "filters": ["content_free"]}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        "qalxan": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        **{name: {"handlers": [], "level": "CRITICAL", "propagate": False}
           for name in SILENCED},
    },
}
