"""Envelope encryption: sealed values are bound to their record, keys to their id."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from qalxan.errors import IntegrityFailure, KeyUnavailable
from qalxan.security import crypto


@pytest.fixture
def keyring() -> crypto.Keyring:
    return crypto.Keyring(bytes(range(32)))


def test_sealed_text_opens_only_for_its_own_record(keyring: crypto.Keyring) -> None:
    key, _ = keyring.new_data_key("k1")
    sealed = crypto.seal_text(key, "они знают мой адрес", "report:1")
    assert crypto.open_text(key, sealed, "report:1") == "они знают мой адрес"
    with pytest.raises(IntegrityFailure):
        crypto.open_text(key, sealed, "report:2")


def test_wrapped_key_is_bound_to_its_id_and_instance_key(keyring: crypto.Keyring) -> None:
    key, wrapped = keyring.new_data_key("k1")
    assert keyring.unwrap("k1", wrapped) == key
    with pytest.raises(IntegrityFailure):
        keyring.unwrap("k2", wrapped)
    with pytest.raises(IntegrityFailure):
        crypto.Keyring(bytes(32)).unwrap("k1", wrapped)


@pytest.mark.parametrize("size", [0, 1, crypto.CHUNK_BYTES - 1, crypto.CHUNK_BYTES,
                                  crypto.CHUNK_BYTES + 1, 3 * crypto.CHUNK_BYTES + 17])
def test_streams_round_trip_at_chunk_boundaries(keyring: crypto.Keyring, size: int) -> None:
    key, _ = keyring.new_data_key("f")
    data = bytes(i % 251 for i in range(size))
    out = io.BytesIO()
    assert crypto.seal_stream(key, [data[:7], data[7:]], out, "file:1") == size
    assert b"".join(crypto.open_stream(key, io.BytesIO(out.getvalue()), "file:1")) == data


def test_truncated_or_edited_stream_is_detected(keyring: crypto.Keyring) -> None:
    key, _ = keyring.new_data_key("f")
    out = io.BytesIO()
    crypto.seal_stream(key, [b"x" * (2 * crypto.CHUNK_BYTES + 5)], out, "file:1")
    sealed = out.getvalue()
    truncated = sealed[: len(crypto.FILE_MAGIC) + crypto.CHUNK_BYTES + 16]
    with pytest.raises(IntegrityFailure):
        b"".join(crypto.open_stream(key, io.BytesIO(truncated), "file:1"))
    edited = bytearray(sealed)
    edited[40] ^= 1
    with pytest.raises(IntegrityFailure):
        b"".join(crypto.open_stream(key, io.BytesIO(bytes(edited)), "file:1"))


def test_instance_key_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "instance.key"
    crypto.generate_instance_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):
        crypto.generate_instance_key(path)
    assert crypto.load_instance_key(path).fingerprint


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "instance.key"
    crypto.generate_instance_key(path)
    path.chmod(0o644)
    with pytest.raises(KeyUnavailable, match="readable by others"):
        crypto.load_instance_key(path)


def test_missing_or_malformed_key_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KeyUnavailable, match="qalxan init"):
        crypto.load_instance_key(tmp_path / "none.key")
    with pytest.raises(KeyUnavailable):
        crypto.load_instance_key(None, "abcd")


def test_receipt_digests_depend_on_the_instance_key() -> None:
    a, b = crypto.Keyring(bytes(32)), crypto.Keyring(bytes(range(32)))
    assert a.receipt_digest("CODE") == a.receipt_digest("CODE")
    assert a.receipt_digest("CODE") != b.receipt_digest("CODE")


def test_a_record_is_bound_to_its_fields_as_well_as_its_id(keyring: crypto.Keyring) -> None:
    """Review finding 14: a record opens only with the purpose, id and bound fields it was
    sealed with; a changed field is an integrity error naming the fields, not the content."""
    key, _ = keyring.new_data_key("k1")
    bound = {"case_id": "c1", "kind": "internal", "author_id": None}
    sealed = crypto.seal_record(key, b"the informant's name", "note", "n1", bound)
    assert crypto.open_record(key, sealed, "note", "n1", bound) == b"the informant's name"
    for changed in ({**bound, "kind": "reply"}, {**bound, "case_id": "c2"},
                    {**bound, "author_id": ""}, {"case_id": "c1", "kind": "internal"}):
        with pytest.raises(IntegrityFailure, match=r"author_id|case_id") as failure:
            crypto.open_record(key, sealed, "note", "n1", changed)
        assert "informant" not in str(failure.value)
    with pytest.raises(IntegrityFailure):
        crypto.open_record(key, sealed, "note", "n2", bound)
    # values cannot be shifted between fields to give the same associated data
    assert crypto.record_context("p", "1", {"a": "x|b=y", "b": ""}) != \
        crypto.record_context("p", "1", {"a": "x", "b": "y"})


def test_padding_hides_the_exact_length_and_comes_off_again(keyring: crypto.Keyring) -> None:
    """Review finding 17: sealed sizes are bucketed (256 bytes, then Padmé sizes at most 12 %
    larger), and opening returns exactly what was sealed."""
    key, _ = keyring.new_data_key("k1")
    sizes = {}
    for length in (0, 1, 100, 255, 256, 300, 1000, 5000, 70_000):
        for data in (b"x" * length, b"\x80\x00" * (length // 2)):  # the second ends like padding
            sealed = crypto.seal_record(key, data, "report", "r", {})
            assert crypto.open_record(key, sealed, "report", "r", {}) == data
        data = b"x" * length
        sizes[length] = len(crypto.seal_record(key, data, "report", "r", {})) - 28
        assert sizes[length] == crypto.padded_length(length) > length
        assert sizes[length] <= max(256, (length + 1) * 1.12)
    assert sizes[0] == sizes[1] == sizes[100] == 256
    assert len({crypto.padded_length(n) for n in range(1000, 2000)}) <= 40


def test_the_content_digest_is_keyed_and_not_the_sha256() -> None:
    """Review finding 7: the digest stored for evidence cannot be computed from known content
    without the instance key."""
    a, b = crypto.Keyring(bytes(32)), crypto.Keyring(bytes(range(32)))
    data = b"a smear the attacker wrote himself"
    assert a.content_digest(data) == a.content_digest_of_sha256(crypto.sha256_hex(data))
    assert a.content_digest(data) != b.content_digest(data)
    assert a.content_digest(data) != crypto.sha256_hex(data)


def test_a_record_sealed_before_the_upgrade_is_sealed_again(keyring: crypto.Keyring) -> None:
    key, _ = keyring.new_data_key("k1")
    old = crypto.seal(key, b"report", "report:i1")
    plaintext, new = crypto.reseal_legacy_record(key, old, "report", "i1", {"case_id": "c"})
    assert plaintext == b"report"
    assert crypto.open_record(key, new, "report", "i1", {"case_id": "c"}) == b"report"
    _, back = crypto.reseal_as_legacy_record(key, new, "report", "i1", {"case_id": "c"})
    assert crypto.open_sealed(key, back, "report:i1") == b"report"


def test_a_rotated_key_file_keeps_the_digests_and_changes_the_wrapping(tmp_path: Path) -> None:
    path = tmp_path / "instance.key"
    crypto.generate_instance_key(path)
    old = crypto.load_instance_key(path)
    new = old.with_new_wrap_key()
    reread = crypto.parse_instance_key_file(crypto.instance_key_file_text(new))
    assert reread.wrap_fingerprint == new.wrap_fingerprint != old.wrap_fingerprint
    assert reread.receipt_digest("CODE") == old.receipt_digest("CODE")
    assert reread.audit_mac(b"event") == old.audit_mac(b"event")
    key, wrapped = new.new_data_key("k1")
    assert reread.unwrap("k1", wrapped) == key
    with pytest.raises(IntegrityFailure):
        old.unwrap("k1", wrapped)
    with pytest.raises(KeyUnavailable, match="unknown format"):
        crypto.parse_instance_key_file("qalxan-instance-key 9\nwrap 00\n")


def test_a_backup_epoch_key_is_gone_once_the_chain_moved_past_it() -> None:
    keyring = crypto.Keyring(bytes(range(32)))
    chain = crypto.BackupKeys.new(100)
    key, wrapped = chain.new_archive_key(keyring, 102, "b1")
    assert chain.forget_before(102).open_archive_key(keyring, 102, "b1", wrapped) == key
    assert chain.forget_before(101).open_archive_key(keyring, 102, "b1", wrapped) == key
    with pytest.raises(KeyUnavailable, match="expired"):
        chain.forget_before(103).open_archive_key(keyring, 102, "b1", wrapped)
    with pytest.raises(IntegrityFailure):  # another instance key, or another epoch
        chain.open_archive_key(crypto.Keyring(bytes(32)), 102, "b1", wrapped)
    with pytest.raises(IntegrityFailure):
        chain.open_archive_key(keyring, 103, "b1", wrapped)
    assert chain.forget_before(99).first_epoch == 100


def test_an_idempotent_response_key_depends_on_the_idempotency_key() -> None:
    keyring = crypto.Keyring(bytes(range(32)))
    sealed = crypto.seal(keyring.idempotent_response_key("abc"), b"receipt", "ctx")
    assert crypto.open_sealed(keyring.idempotent_response_key("abc"), sealed, "ctx") == \
        b"receipt"
    with pytest.raises(IntegrityFailure):
        crypto.open_sealed(keyring.idempotent_response_key("abd"), sealed, "ctx")
