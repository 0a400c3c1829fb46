"""Reading uploaded files from a multipart form, in memory, within the configured size cap.

Multipart file parts are kept in memory (never spooled to a plaintext temporary file), so
an upload is sealed before any byte of it reaches the disk. The request body cap
(``BodyLimit``) bounds the memory one request can use.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartParser
from starlette.requests import Request

from qalxan.config import Settings
from qalxan.errors import InvalidInput, PayloadTooLarge
from qalxan.services.intake import Upload

MAX_FILES = 10
BODY_OVERHEAD = 1024 * 1024  # multipart framing and form fields beside the files


def request_body_limit(settings: Settings) -> int:
    """The largest request body accepted (``BodyLimit``): two files' worth and the fields."""
    return settings.max_upload_bytes * 2 + BODY_OVERHEAD


def submission_size(request: Request, settings: Settings) -> int:
    """What a submission may store, for its admission (:mod:`qalxan.services.intake_capacity`):
    the size its body declares, or the largest body accepted when it declares none."""
    limit = request_body_limit(settings)
    declared = request.headers.get("content-length", "")
    return min(int(declared), limit) if declared.isdigit() else limit


def multipart_schema(fields: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The OpenAPI schema of a multipart body: the given fields and up to MAX_FILES files."""
    files = {"type": "array", "maxItems": MAX_FILES,
             "items": {"type": "string", "format": "binary"}}
    return {"type": "object", "properties": {**fields, "files": files},
            "required": list(required)}


def keep_uploads_in_memory(max_bytes: int) -> None:
    """Raise the spool threshold above the body cap: parts never roll over to temp files."""
    MultiPartParser.spool_max_size = max_bytes + 1


async def read_uploads(form: FormData, max_bytes: int, field: str = "files") -> tuple[Upload, ...]:
    files = [f for f in form.getlist(field) if isinstance(f, UploadFile) and f.filename]
    if len(files) > MAX_FILES:
        raise InvalidInput(f"attach at most {MAX_FILES} files")
    uploads = []
    for item in files:
        data = await item.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise PayloadTooLarge(f"files may have at most {max_bytes} bytes")
        uploads.append(Upload(filename=item.filename or "upload",
                              media_type=item.content_type or "application/octet-stream",
                              data=data))
    return tuple(uploads)
