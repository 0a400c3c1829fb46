"""Copies shared outside lose location and device metadata; pixels and originals stay."""

from __future__ import annotations

import io
import random
import struct
import zlib
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qalxan.errors import InvalidInput
from qalxan.evidence.scrub import scrub
from qalxan.services.context import Platform
from qalxan.store.tables import AuditEvent
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
    exif = b"EXIF" + struct.pack("<I", len(GPS)) + GPS + b"\x00" * (len(GPS) & 1)  # padded
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


# --- review finding 8: a shareable copy keeps nothing after the image, nor its index ---------

Image = pytest.importorskip("PIL.Image")
GPS_IFD = 0x8825
SECOND_GPS = b"GPSSECONDPICTURE 41.7151N 44.8271E"
MOTION_VIDEO = b"MOTIONVIDEO recorded at the defender's home"


def noisy_image(size: int = 64) -> Any:
    """Pixels with high entropy: the coded scan holds many 0xFF bytes, stuffed as 0xFF00."""
    return Image.frombytes("RGB", (size, size), random.Random(8).randbytes(size * size * 3))


def pillow_jpeg(*, lat: float = 40.4093, gps_text: bytes = b"", **options: Any) -> bytes:
    """A JPEG as a camera writes it: EXIF with a GPS position (and a maker note text)."""
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (lat, 0.0, 0.0), 3: "E", 4: (49.8671, 0.0, 0.0)}
    if gps_text:
        exif[0x927C] = gps_text  # MakerNote
    out = io.BytesIO()
    noisy_image().save(out, "JPEG", exif=exif.tobytes(), quality=90, **options)
    return out.getvalue()


def mpf_segment() -> bytes:
    payload = b"MPF\x00II*\x00\x08\x00\x00\x00" + b"\x00" * 40
    return b"\xff\xe2" + struct.pack(">H", len(payload) + 2) + payload


def multi_picture_jpeg() -> bytes:
    """The main picture with an MPF index, then a second picture with its own EXIF GPS."""
    main = pillow_jpeg()
    second = pillow_jpeg(lat=41.7151, gps_text=SECOND_GPS)
    return main[:2] + mpf_segment() + main[2:] + second


def mp4_box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload) + 8) + kind + payload


def motion_photo_jpeg() -> bytes:
    """A motion photo: the still picture, then an MP4 video appended after its end."""
    video = mp4_box(b"ftyp", b"mp42\x00\x00\x00\x00isommp42") + mp4_box(b"mdat", MOTION_VIDEO)
    return pillow_jpeg() + video


def decoded(data: bytes) -> Any:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.convert("RGB").tobytes(), image.getexif()


def assert_clean_jpeg(original: bytes, copy_data: bytes) -> None:
    pixels, exif = decoded(copy_data)
    assert pixels == decoded(original)[0]  # the main picture is intact
    assert not exif.get_ifd(GPS_IFD) and GPS_IFD not in exif
    assert b"Exif\x00\x00" not in copy_data and b"MPF\x00" not in copy_data
    assert copy_data.endswith(b"\xff\xd9")


@pytest.mark.filterwarnings("ignore:Image appears to be a malformed MPO file")
@pytest.mark.parametrize("make", [multi_picture_jpeg, motion_photo_jpeg])
def test_shareable_jpeg_copies_keep_no_second_picture_or_motion_video(make: Any) -> None:
    """Review finding 8: the multi-picture index, a second picture's EXIF (GPS) and a motion
    photo's video after the main picture's end do not survive a copy reported as scrubbed."""
    original = make()
    assert decoded(original)[1].get_ifd(GPS_IFD)  # the test file does hold a position
    copy = scrub(original, "image/jpeg")
    assert copy.scrubbed
    assert_clean_jpeg(original, copy.data)
    for secret in (SECOND_GPS, MOTION_VIDEO, b"ftyp", b"mdat"):
        assert secret not in copy.data
    assert "jpeg_trailing_data" in copy.removed and "jpeg_app1" in copy.removed


def test_shareable_copy_of_a_pillow_multi_picture_file_is_its_first_picture() -> None:
    """Review finding 8: an MPO written by an imaging library (MPF index, second frame)."""
    out = io.BytesIO()
    first, second = pillow_jpeg(), pillow_jpeg(lat=41.7151, gps_text=SECOND_GPS)
    with Image.open(io.BytesIO(first)) as a, Image.open(io.BytesIO(second)) as b:
        a.save(out, "MPO", save_all=True, append_images=[b], exif=b.getexif().tobytes())
    original = out.getvalue()
    assert SECOND_GPS in original and b"MPF\x00" in original
    copy = scrub(original, "image/jpeg")
    assert copy.scrubbed and "jpeg_mpf" in copy.removed
    assert SECOND_GPS not in copy.data
    assert_clean_jpeg(original, copy.data)


@pytest.mark.parametrize("options", [
    {"restart_marker_blocks": 1}, {"progressive": True}, {"optimize": True},
], ids=["restart-markers", "progressive", "optimized"])
def test_scrubbed_jpeg_scans_are_read_to_the_image_end(options: dict[str, Any]) -> None:
    """Review finding 8: restart markers, stuffed 0xFF00 bytes and several scans are image
    data; the copy ends at the main picture's end and decodes to the same pixels."""
    original = pillow_jpeg(**options) + pillow_jpeg(lat=41.7151, gps_text=SECOND_GPS)
    if "restart_marker_blocks" in options:
        assert b"\xff\xd0" in original
    assert b"\xff\x00" in original
    copy = scrub(original, "image/jpeg")
    assert copy.scrubbed and SECOND_GPS not in copy.data
    assert_clean_jpeg(original, copy.data)


def test_jpeg_whose_end_cannot_be_found_is_not_reported_as_scrubbed() -> None:
    """Review finding 8: bytes after the scan that are not a marker cannot be read; the copy
    keeping them says it is not scrubbed."""
    image = pillow_jpeg()
    comment = b"\xff\xfe\x00\x04ab"  # a segment after the scan, then no marker and no EOI
    copy = scrub(image[:-2] + comment + SECOND_GPS, "image/jpeg")
    assert not copy.scrubbed and "jpeg_comment" in copy.removed
    cut_short = scrub(image[:-2], "image/jpeg")  # cut inside the scan: nothing hidden
    assert cut_short.scrubbed and b"Exif" not in cut_short.data


def pillow_png() -> bytes:
    from PIL import PngImagePlugin
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", GPS.decode())
    info.add_text("Comment", GPS.decode(), zip=True)
    info.add_itxt("Author", GPS.decode(), lang="en", tkey="Author")
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (40.4093, 0.0, 0.0)}
    out = io.BytesIO()
    noisy_image(16).save(out, "PNG", pnginfo=info, exif=exif.tobytes())
    return out.getvalue()


def test_shareable_png_copies_keep_no_text_exif_or_data_after_the_end() -> None:
    """Review finding 8 (PNG): eXIf, tEXt, iTXt and zTXt chunks and data after IEND go."""
    original = pillow_png() + png_chunk(b"tEXt", b"After\x00" + SECOND_GPS) + SECOND_GPS
    kinds = {b"tEXt", b"zTXt", b"iTXt", b"eXIf"}
    assert all(kind in original for kind in kinds)
    copy = scrub(original, "image/png")
    assert copy.scrubbed and "png_trailing_data" in copy.removed
    assert not any(kind in copy.data for kind in kinds)
    assert GPS not in copy.data and SECOND_GPS not in copy.data
    assert copy.data.endswith(png_chunk(b"IEND", b""))
    assert decoded(copy.data)[0] == decoded(original)[0]


def pillow_webp() -> bytes:
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (40.4093, 0.0, 0.0)}
    exif[0x927C] = GPS
    xmp = b"<x:xmpmeta>" + GPS + b"</x:xmpmeta>"
    out = io.BytesIO()
    noisy_image(16).save(out, "WEBP", exif=exif.tobytes(), xmp=xmp, lossless=True)
    return out.getvalue()


def test_shareable_webp_copies_keep_no_exif_xmp_or_data_after_the_riff_end() -> None:
    """Review finding 8 (WebP): EXIF and XMP chunks go, and so does data after the size the
    RIFF header declares (it was read as more chunks and kept)."""
    image = pillow_webp()
    original = image + b"EXIF" + struct.pack("<I", len(SECOND_GPS)) + SECOND_GPS
    assert b"EXIF" in image and b"XMP " in image
    copy = scrub(original, "image/webp")
    assert copy.scrubbed and "webp_trailing_data" in copy.removed
    assert {"webp_EXIF", "webp_XMP"} <= set(copy.removed)
    assert GPS not in copy.data and SECOND_GPS not in copy.data
    assert struct.unpack("<I", copy.data[4:8])[0] == len(copy.data) - 8
    assert decoded(copy.data)[0] == decoded(image)[0]


def test_removed_chunk_names_are_codes() -> None:
    """What the audit trail records about a scrub is a code, whatever bytes a chunk type has."""
    original = (pillow_png()[:-12] + png_chunk(b"a';\x01", b"x") + png_chunk(b"IEND", b""))
    copy = scrub(original, "image/png")
    assert "png_other" in copy.removed
    assert all(code.replace("_", "").isalnum() and code.isascii() for code in copy.removed)


def test_shareable_download_of_a_motion_photo_drops_the_video_and_audits_codes(
        client: TestClient, platform: Platform, intake_org: str, handler: Staff,
        make_token: TokenFactory) -> None:
    """Review finding 8, end to end: the shareable download of a motion photo carries no
    video and no position, says it is scrubbed, and the audit trail names what went."""
    original = motion_photo_jpeg()
    client.post("/api/v1/intake", data={"report": '{"what_happened": "photo"}'},
                files={"files": ("p.jpg", original, "image/jpeg")})
    headers = bearer(make_token(handler))
    case_id = client.get("/api/v1/cases", headers=headers).json()["items"][0]["id"]
    item = client.get(f"/api/v1/cases/{case_id}", headers=headers).json()["evidence"][0]
    shared = client.get(f"/api/v1/evidence/{item['id']}/content?shareable=true", headers=headers)
    assert shared.status_code == 200 and shared.headers["x-qalxan-scrubbed"] == "true"
    assert MOTION_VIDEO not in shared.content and b"ftyp" not in shared.content
    assert_clean_jpeg(original, shared.content)
    with platform.sessions() as s:
        event = s.execute(select(AuditEvent).where(
            AuditEvent.action == "evidence.download_shareable")).scalar_one()
    assert set(event.details["removed"].split(",")) == {"jpeg_app1", "jpeg_trailing_data"}
