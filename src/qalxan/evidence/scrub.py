"""Metadata scrubbing for copies of evidence that leave the organisation.

The sealed original is never changed (its hash is the chain of custody); a shareable copy
drops what can locate or identify the person who took the file: EXIF (GPS position, camera
serial, time), XMP and IPTC blocks in JPEG; textual and EXIF chunks in PNG; EXIF and XMP
chunks in WebP. Pixels are untouched (no re-encoding). Other types are shared as they are and
say so, because we cannot vouch for them.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from qalxan.errors import InvalidInput

JPEG_DROP = {0xE1, 0xED, 0xFE}  # APP1 (EXIF, XMP), APP13 (IPTC/Photoshop), COM
PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
WEBP_DROP = {b"EXIF", b"XMP "}


@dataclass(frozen=True, slots=True)
class Scrubbed:
    data: bytes
    scrubbed: bool  # False: this type is not scrubbed; the copy equals the original
    removed: tuple[str, ...]


def scrub(data: bytes, media_type: str | None) -> Scrubbed:
    if media_type == "image/jpeg":
        return _jpeg(data)
    if media_type == "image/png":
        return _png(data)
    if media_type == "image/webp":
        return _webp(data)
    return Scrubbed(data, False, ())


def _jpeg(data: bytes) -> Scrubbed:
    out, removed, pos = bytearray(data[:2]), [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the image data follows, copied as it is
            break
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if length < 2 or pos + 2 + length > len(data):
            raise InvalidInput("the JPEG file is damaged; it cannot be scrubbed")
        segment = data[pos:pos + 2 + length]
        if marker in JPEG_DROP:
            removed.append(f"JPEG APP{marker - 0xE0}" if marker != 0xFE else "JPEG comment")
        else:
            out += segment
        pos += 2 + length
    out += data[pos:]
    return Scrubbed(bytes(out), True, tuple(removed))


def _png(data: bytes) -> Scrubbed:
    out, removed, pos = bytearray(data[:8]), [], 8
    while pos + 12 <= len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise InvalidInput("the PNG file is damaged; it cannot be scrubbed")
        if kind in PNG_DROP:
            removed.append(f"PNG {kind.decode('latin-1')}")
        else:
            out += data[pos:end]
        pos = end
    return Scrubbed(bytes(out), True, tuple(removed))


def _clear_vp8x_flags(chunks: bytearray) -> None:
    """The extended header announces EXIF (0x08) and XMP (0x04); they are gone now."""
    if chunks[:4] == b"VP8X" and len(chunks) > 8:
        chunks[8] &= ~0x0C & 0xFF


def _webp(data: bytes) -> Scrubbed:
    chunks, removed, pos = bytearray(), [], 12
    while pos + 8 <= len(data):
        kind = data[pos:pos + 4]
        size = struct.unpack("<I", data[pos + 4:pos + 8])[0]
        end = pos + 8 + size + (size & 1)
        if kind in WEBP_DROP:
            removed.append(f"WebP {kind.decode('latin-1').strip()}")
        else:
            chunks += data[pos:end]
        pos = end
    _clear_vp8x_flags(chunks)
    header = b"RIFF" + struct.pack("<I", len(chunks) + 4) + b"WEBP"
    return Scrubbed(header + bytes(chunks), True, tuple(removed))
