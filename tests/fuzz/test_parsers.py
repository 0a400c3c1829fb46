"""Property tests on what parses untrusted input: receipt codes, upload sniffing, reports,
sealed values."""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from qalxan.errors import IntegrityFailure, InvalidInput, UnsupportedMediaType
from qalxan.evidence.filetypes import sniff
from qalxan.evidence.scrub import scrub
from qalxan.security import crypto
from qalxan.services.receipts import ALPHABET, new_receipt_code, normalise
from qalxan.services.schemas import ReportSubmission

KEY = crypto.Keyring(bytes(range(32))).new_data_key("k")[0]


@given(st.text(max_size=100))
def test_normalise_never_fails_and_is_idempotent(text: str) -> None:
    code = normalise(text)
    if code is not None:
        assert normalise(code) == code
        assert all(ch in ALPHABET or ch == "-" for ch in code)


@given(st.sampled_from([str.lower, str.upper, lambda c: c.replace("-", " "),
                        lambda c: c.replace("-", ""), lambda c: f"  {c}\n"]))
def test_receipt_codes_survive_retyping(change: object) -> None:
    code = new_receipt_code()
    assert normalise(change(code)) == code  # type: ignore[operator]


@given(st.binary(max_size=2048))
def test_sniff_accepts_or_refuses_cleanly(data: bytes) -> None:
    with contextlib.suppress(UnsupportedMediaType):
        assert sniff(data)


@settings(max_examples=200)
@given(st.dictionaries(st.sampled_from([*list(ReportSubmission.model_fields), "extra"]),
                       st.one_of(st.text(max_size=30), st.integers(), st.booleans(),
                                 st.none(), st.lists(st.text(max_size=10), max_size=3))))
def test_report_validation_only_raises_validation_errors(data: dict[str, object]) -> None:
    with contextlib.suppress(ValidationError):
        ReportSubmission.model_validate(data)


@given(st.binary(max_size=3000), st.integers(min_value=0, max_value=3000))
def test_sealed_streams_detect_any_single_byte_change(data: bytes, position: int) -> None:
    out = io.BytesIO()
    crypto.seal_stream(KEY, [data], out, "file:x")
    sealed = bytearray(out.getvalue())
    sealed[position % len(sealed)] ^= 0x01
    with pytest.raises(IntegrityFailure):
        b"".join(crypto.open_stream(KEY, io.BytesIO(bytes(sealed)), "file:x"))


@pytest.mark.parametrize(("media_type", "prefix"), [
    ("image/jpeg", b"\xff\xd8"), ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/webp", b"RIFF\x40\x00\x00\x00WEBP"),
])
def test_scrubbing_any_bytes_gives_a_copy_or_refuses_cleanly(media_type: str,
                                                             prefix: bytes) -> None:
    """The scrubber reads untrusted files: whatever they hold, it returns a copy no larger
    than the file, or refuses it as damaged, and never fails otherwise."""

    @given(st.binary(max_size=512))
    @settings(max_examples=300, deadline=None)
    def check(tail: bytes) -> None:
        data = prefix + tail
        try:
            copy = scrub(data, media_type)
        except InvalidInput:
            return
        assert len(copy.data) <= len(data) + 8  # a WebP header may be rewritten whole

    check()
