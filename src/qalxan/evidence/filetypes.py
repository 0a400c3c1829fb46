"""Upload type allow-list, decided by content (magic bytes), never by the file name alone."""

from __future__ import annotations

from typing import Final

from qalxan.errors import UnsupportedMediaType

# (media type, magic prefix at offset 0)
_SIGNATURES: Final[tuple[tuple[str, bytes], ...]] = (
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xff\xd8\xff"),
    ("image/gif", b"GIF87a"),
    ("image/gif", b"GIF89a"),
    ("application/pdf", b"%PDF-"),
    ("application/zip", b"PK\x03\x04"),
    ("audio/ogg", b"OggS"),
)


def _is_webp(data: bytes) -> bool:
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _is_mp4(data: bytes) -> bool:
    return data[4:8] == b"ftyp"


def _is_text(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(sample) - 4  # a multi-byte character cut at the sample's end
    return True


def sniff(data: bytes) -> str:
    """The media type of an allowed file, by content; refuses anything else."""
    for media_type, magic in _SIGNATURES:
        if data.startswith(magic):
            return media_type
    if _is_webp(data):
        return "image/webp"
    if _is_mp4(data):
        return "video/mp4"
    if data and _is_text(data):
        return "text/plain"
    raise UnsupportedMediaType(
        "this file type is not accepted; send images (PNG, JPEG, GIF, WebP), PDF, ZIP, "
        "MP4 video, Ogg audio or plain text"
    )


# The extension a file of each accepted type gets when it leaves Qalxan (an export): ours,
# from the type its content was checked to be, never the sender's, so no name can make a
# recipient's system open it as something else.
EXTENSIONS: Final[dict[str, str]] = {
    "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
    "application/pdf": ".pdf", "application/zip": ".zip", "audio/ogg": ".ogg",
    "video/mp4": ".mp4", "text/plain": ".txt",
}


def safe_extension(media_type: str | None) -> str:
    """``.png`` for a PNG and so on; ``.bin`` for a type not on the list."""
    return EXTENSIONS.get(media_type or "", ".bin")
