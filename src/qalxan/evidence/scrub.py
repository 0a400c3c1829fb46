"""Metadata scrubbing for copies of evidence that leave the organisation.

The sealed original is never changed (its hash is the chain of custody); a shareable copy
drops what can locate or identify the person who took the file. Pixels are untouched (no
re-encoding). What is kept is an allow-list of the structures an image needs to be shown;
everything else goes:

- JPEG: every APPn segment but JFIF (APP0), an ICC colour profile (APP2) and Adobe's colour
  transform (APP14), so EXIF and XMP (APP1), multi-picture indexes (APP2 MPF), IPTC (APP13)
  and comments go; and everything after the main image's end (the EOI marker after its
  last scan), where multi-picture files keep further images with their own EXIF (GPS) and
  motion photos keep a video.
- PNG: every chunk but the image's own and colour, transparency and animation chunks (so
  tEXt, zTXt, iTXt, eXIf, tIME and any private chunk go); nothing after IEND.
- WebP: every chunk but the image, alpha, animation and colour profile chunks (so EXIF and
  XMP go); nothing after the end the RIFF header declares.

When a file's structure ends before its data does in a way the scrubber cannot follow (a
JPEG whose end marker cannot be found after its scans), the copy keeps the data it could not
read and says ``scrubbed=False``: the copy is not vouched for. Other types are shared as
they are and say so, because we cannot vouch for them.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from qalxan.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Scrubbed:
    data: bytes
    scrubbed: bool  # False: metadata may remain (type not scrubbed, or data not understood)
    removed: tuple[str, ...]  # codes of what was removed, fit for the audit trail


def scrub(data: bytes, media_type: str | None) -> Scrubbed:
    if media_type == "image/jpeg":
        return _jpeg(data)
    if media_type == "image/png":
        return _png(data)
    if media_type == "image/webp":
        return _webp(data)
    return Scrubbed(data, False, ())


# --- JPEG -----------------------------------------------------------------------------------

_SOS, _EOI, _SOI, _TEM, _COM = 0xDA, 0xD9, 0xD8, 0x01, 0xFE
_RST = range(0xD0, 0xD8)
_APP = range(0xE0, 0xF0)
# APPn segments an image needs: (marker, identifier at the start of the payload)
_JPEG_KEEP = ((0xE0, b"JFIF\x00"), (0xE0, b"JFXX\x00"), (0xE2, b"ICC_PROFILE\x00"),
              (0xEE, b"Adobe"))


def _code(prefix: str, kind: bytes) -> str:
    """An audit-safe code for a removed chunk: its type when that is a plain name."""
    name = kind.decode("latin-1").strip()
    return f"{prefix}_{name}" if name.isascii() and name.isalnum() else f"{prefix}_other"


def _damaged() -> InvalidInput:
    return InvalidInput("the JPEG file is damaged; it cannot be scrubbed")


def _jpeg_segment_kept(marker: int, payload: bytes) -> bool:
    if marker == _COM:
        return False
    if marker in _APP:
        return any(marker == m and payload.startswith(ident) for m, ident in _JPEG_KEEP)
    return True


def _jpeg_label(marker: int, payload: bytes) -> str:
    if marker == _COM:
        return "jpeg_comment"
    if marker == 0xE2 and payload.startswith(b"MPF\x00"):
        return "jpeg_mpf"
    return f"jpeg_app{marker - 0xE0}"


def _next_marker(data: bytes, pos: int) -> tuple[int, int] | None:
    """At a segment boundary: (marker, position of its 0xFF), skipping fill bytes; None
    when the bytes there are not a marker."""
    if pos >= len(data) or data[pos] != 0xFF:
        return None
    start = pos
    while pos < len(data) and data[pos] == 0xFF:
        pos += 1
    if pos >= len(data) or data[pos] == 0x00:
        return None
    return data[pos], start + (pos - start - 1)


def _scan_end(data: bytes, pos: int) -> int:
    """The end of entropy-coded data starting at ``pos``: the 0xFF of the first marker that
    is neither a stuffed 0xFF00, a restart marker (RSTn) nor a fill byte; ``len(data)`` when
    the data runs to the end of the file."""
    while True:
        ff = data.find(b"\xff", pos)
        if ff < 0 or ff + 1 >= len(data):
            return len(data)
        following = data[ff + 1]
        if following == 0x00 or following in _RST:
            pos = ff + 2
        elif following == 0xFF:
            pos = ff + 1  # a fill byte: the marker (if any) starts at the next 0xFF
        else:
            return ff


def _jpeg_segment_end(data: bytes, at: int, marker: int) -> int:
    """The end of the marker segment at ``at`` (after its entropy-coded data, for a scan)."""
    if marker == _SOI or at + 4 > len(data):
        raise _damaged()
    length = int.from_bytes(data[at + 2:at + 4], "big")
    end = at + 2 + length
    if length < 2 or end > len(data):
        raise _damaged()
    return end


def _jpeg(data: bytes) -> Scrubbed:
    if not data.startswith(b"\xff\xd8"):
        raise _damaged()
    out, removed, pos, scanned = bytearray(data[:2]), [], 2, False
    while (found := _next_marker(data, pos)) is not None:
        marker, at = found
        if marker == _EOI:
            out += b"\xff\xd9"
            if at + 2 < len(data):
                removed.append("jpeg_trailing_data")
            return Scrubbed(bytes(out), True, tuple(removed))
        if marker == _TEM or marker in _RST:
            out += data[at:at + 2]
            pos = at + 2
            continue
        pos = _jpeg_segment_end(data, at, marker)
        payload = data[at + 4:pos]
        if _jpeg_segment_kept(marker, payload):
            out += data[at:pos]
        else:
            removed.append(_jpeg_label(marker, payload))
        if marker == _SOS:
            scanned, scan_end = True, _scan_end(data, pos)
            out += data[pos:scan_end]
            pos = scan_end
    # no end marker: a file cut short inside its last scan holds nothing after it, but bytes
    # that are not a marker where one must be cannot be read, so a copy keeping them is not
    # vouched for
    out += data[pos:]
    return Scrubbed(bytes(out), scanned and pos >= len(data), tuple(removed))


# --- PNG ------------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEEP = frozenset({
    b"IHDR", b"PLTE", b"IDAT", b"IEND",  # the image
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"cICP", b"mDCV", b"cLLI",
    b"bKGD", b"hIST", b"pHYs", b"sPLT",  # colour, transparency, aspect
    b"acTL", b"fcTL", b"fdAT",  # animation (APNG)
})


def _png(data: bytes) -> Scrubbed:
    if not data.startswith(PNG_SIGNATURE):
        raise InvalidInput("the PNG file is damaged; it cannot be scrubbed")
    out, removed, pos = bytearray(PNG_SIGNATURE), [], len(PNG_SIGNATURE)
    while pos < len(data):
        if pos + 12 > len(data):
            raise InvalidInput("the PNG file is damaged; it cannot be scrubbed")
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise InvalidInput("the PNG file is damaged; it cannot be scrubbed")
        if kind in _PNG_KEEP:
            out += data[pos:end]
        else:
            removed.append(_code("png", kind))
        pos = end
        if kind == b"IEND":
            if pos < len(data):
                removed.append("png_trailing_data")
            break
    return Scrubbed(bytes(out), True, tuple(removed))


# --- WebP -----------------------------------------------------------------------------------

_WEBP_KEEP = frozenset({b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"})


def _clear_vp8x_flags(chunks: bytearray) -> None:
    """The extended header announces EXIF (0x08) and XMP (0x04); they are gone now."""
    if chunks[:4] == b"VP8X" and len(chunks) > 8:
        chunks[8] &= ~0x0C & 0xFF


def _webp(data: bytes) -> Scrubbed:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise InvalidInput("the WebP file is damaged; it cannot be scrubbed")
    riff_end = 8 + struct.unpack("<I", data[4:8])[0]
    if riff_end > len(data):
        raise InvalidInput("the WebP file is damaged; it cannot be scrubbed")
    chunks, removed, pos = bytearray(), [], 12
    while pos < riff_end:
        if pos + 8 > riff_end:
            raise InvalidInput("the WebP file is damaged; it cannot be scrubbed")
        kind = data[pos:pos + 4]
        size = struct.unpack("<I", data[pos + 4:pos + 8])[0]
        end = pos + 8 + size + (size & 1)
        if pos + 8 + size > riff_end:
            raise InvalidInput("the WebP file is damaged; it cannot be scrubbed")
        if kind in _WEBP_KEEP:
            chunks += data[pos:end]
        else:
            removed.append(_code("webp", kind))
        pos = end
    if riff_end < len(data):
        removed.append("webp_trailing_data")
    _clear_vp8x_flags(chunks)
    header = b"RIFF" + struct.pack("<I", len(chunks) + 4) + b"WEBP"
    return Scrubbed(header + bytes(chunks), True, tuple(removed))
