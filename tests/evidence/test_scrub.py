"""Copies shared outside lose location and device metadata; pixels and originals stay."""

from __future__ import annotations

import struct
import zlib

import pytest
from fastapi.testclient import TestClient

from qalxan.errors import InvalidInput
from qalxan.evidence.scrub import scrub
from tests.conftest import Staff, TokenFactory, bearer

GPS = b"GPSLatitude 40.4093N 49.8671E SerialNumber 123456"


def jpeg_with_exif() -> bytes:
    exif = b"Exif\x00\x00" + GPS
    app1 = b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    scan = b"\xff\xda" + struct.pack(">H", 8) + b"\x01\x01\x00\x00\x3f\x00" + b"PIXELS\xff\xd9"
    return b"\xff\xd8" + app0 + app1 + scan


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload)
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def png_with_text() -> bytes:
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    text = png_chunk(b"tEXt", b"Location\x00" + GPS)
    idat = png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
    return b"\x89PNG\r\n\x1a\n" + ihdr + text + idat + png_chunk(b"IEND", b"")


def webp_with_exif() -> bytes:
    vp8x = b"VP8X" + struct.pack("<I", 10) + bytes([0x08, 0, 0, 0]) + b"\x00" * 6
    exif = b"EXIF" + struct.pack("<I", len(GPS)) + GPS
    image = b"VP8L" + struct.pack("<I", 6) + b"PIXELS"
    body = b"WEBP" + vp8x + exif + image
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize(("data", "media_type", "pixels"), [
    (jpeg_with_exif(), "image/jpeg", b"PIXELS"), (png_with_text(), "image/png", b"IDAT"),
    (webp_with_exif(), "image/webp", b"PIXELS"),
])
def test_location_and_device_metadata_are_removed(data: bytes, media_type: str,
                                                  pixels: bytes) -> None:
    copy = scrub(data, media_type)
    assert copy.scrubbed and copy.removed
    assert GPS not in copy.data
    assert pixels in copy.data


def test_webp_header_no_longer_announces_exif() -> None:
    copy = scrub(webp_with_exif(), "image/webp")
    assert copy.data[20] & 0x08 == 0
    assert struct.unpack("<I", copy.data[4:8])[0] == len(copy.data) - 8


def test_other_types_are_shared_as_they_are_and_say_so() -> None:
    copy = scrub(b"%PDF-1.7 ...", "application/pdf")
    assert not copy.scrubbed and copy.data == b"%PDF-1.7 ..."


def test_damaged_images_are_refused() -> None:
    with pytest.raises(InvalidInput):
        scrub(b"\xff\xd8\xff\xe1\xff\xff" + b"x" * 10, "image/jpeg")


def test_shareable_download_keeps_the_original_and_its_hash(
        client: TestClient, intake_org: str, handler: Staff, make_token: TokenFactory) -> None:
    original = jpeg_with_exif()
    client.post("/api/v1/intake", data={"report": '{"what_happened": "photo"}'},
                files={"files": ("p.jpg", original, "image/jpeg")})
    headers = bearer(make_token(handler))
    case_id = client.get("/api/v1/cases", headers=headers).json()["items"][0]["id"]
    item = client.get(f"/api/v1/cases/{case_id}", headers=headers).json()["evidence"][0]
    shared = client.get(f"/api/v1/evidence/{item['id']}/content?shareable=true", headers=headers)
    assert shared.status_code == 200 and shared.headers["x-qalxan-scrubbed"] == "true"
    assert GPS not in shared.content
    raw = client.get(f"/api/v1/evidence/{item['id']}/content", headers=headers)
    assert raw.content == original and raw.headers["x-content-sha256"] == item["sha256"]
    assert shared.headers["content-disposition"].startswith("attachment")
