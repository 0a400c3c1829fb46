"""Envelope encryption (DESIGN §4). The only module in Qalxan that touches crypto primitives.

- The *instance key* (32 random bytes) lives in a key file with mode 0600 or an environment
  secret, never in the database or a backup.
- Every sensitive record or file gets its own *data key*, wrapped (AES-256-GCM) by the
  instance key. Destroying the wrapped data key destroys the record: crypto-shredding.
- Records are sealed with AES-256-GCM; the record's identity goes into the associated data so
  a sealed value cannot be moved to another record.
- Files are sealed in 64 KiB chunks (a STREAM construction: counter nonce, last-chunk flag in
  the associated data), so truncation, reordering and chunk swaps are detected.
- Keyed digests (HMAC-SHA256 with keys derived by HKDF) let receipt codes and the audit chain be
  checked without storing anything an attacker holding only the database could use.
- Rotation (``qalxan key rotate``) replaces the root of the key that wraps data keys; the
  root of the keyed digests stays (receipt codes are not stored, so their digests cannot be
  made again). A rotated key file holds both roots (format 2).
- Backups are sealed with per-epoch backup keys, made from the instance key and a one-way
  chain of seeds: each epoch's seed is derived from the one before, and forgetting a seed
  (the retention purge) makes the backups of every earlier epoch unreadable, with or
  without the instance key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from qalxan.errors import IntegrityFailure, KeyUnavailable

KEY_BYTES = 32
NONCE_BYTES = 12
CHUNK_BYTES = 64 * 1024
FILE_MAGIC = b"QLXF1"
_WRAP_AAD = b"qalxan/data-key/v1:"
_BACKUP_ARCHIVE_AAD = b"qalxan/backup-archive-key/v1:"
_BACKUP_DATA_KEY_AAD = b"qalxan/backup-data-key/v1:"
KEY_FILE_HEADER = "qalxan-instance-key 2"


@dataclass(frozen=True, slots=True)
class DataKey:
    """A plaintext data key, held only in memory while a record is sealed or opened."""

    key: bytes


def generate_instance_key(path: Path) -> None:
    """Write a fresh instance key file with mode 0600; refuses to overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(secrets.token_bytes(KEY_BYTES).hex().encode() + b"\n")
        fh.flush()
        os.fsync(fh.fileno())


def load_instance_key(path: Path | None, hex_key: str | None = None) -> Keyring:
    """Load the instance key from an environment secret or a key file with strict permissions."""
    if hex_key:
        return Keyring(_parse_hex_key(hex_key))
    if path is None or not path.exists():
        raise KeyUnavailable(f"instance key file not found: {path}; run `qalxan init` first")
    check_secret_file_mode(path)
    return parse_instance_key_file(path.read_text())


def check_secret_file_mode(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyUnavailable(
            f"key file {path} is readable by others (mode {mode:o}); chmod 600 it")


def parse_instance_key_file(text: str) -> Keyring:
    """A key file's keyring: one line of hex (format 1), or after a rotation format 2 (a
    header line, then ``digests <hex>`` and ``wrap <hex>``)."""
    lines = text.strip().splitlines()
    if len(lines) == 1:
        return Keyring(_parse_hex_key(lines[0].strip()))
    fields = dict(line.split(" ", 1) for line in lines[1:] if " " in line)
    if lines[0].strip() != KEY_FILE_HEADER or set(fields) != {"digests", "wrap"}:
        raise KeyUnavailable("instance key file is in an unknown format")
    return Keyring(_parse_hex_key(fields["digests"].strip()),
                   _parse_hex_key(fields["wrap"].strip()))


def instance_key_file_text(keyring: Keyring) -> str:
    """What a key file holds for ``keyring`` (format 2; see :func:`parse_instance_key_file`)."""
    digests, wrap = keyring._roots
    return f"{KEY_FILE_HEADER}\ndigests {digests.hex()}\nwrap {wrap.hex()}\n"


def _parse_hex_key(text: str) -> bytes:
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise KeyUnavailable("instance key is not valid hex") from None
    if len(key) != KEY_BYTES:
        raise KeyUnavailable(f"instance key must be {KEY_BYTES} bytes")
    return key


def _wrap_key(aead: AESGCM, aad: bytes, key: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + aead.encrypt(nonce, key, aad)


def _unwrap_key(aead: AESGCM, aad: bytes, wrapped: bytes, failure: str) -> DataKey:
    try:
        return DataKey(aead.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], aad))
    except InvalidTag:
        raise IntegrityFailure(failure) from None


class Keyring:
    """Holds the instance key and derives everything else from it.

    ``instance_key`` is the root of the keyed digests; ``wrap_key`` the root of the key that
    wraps data keys: the instance key itself until the first rotation.
    """

    def __init__(self, instance_key: bytes, wrap_key: bytes | None = None) -> None:
        wrap_root = instance_key if wrap_key is None else wrap_key
        self._roots = (instance_key, wrap_root)
        self._wrap = AESGCM(_derive(wrap_root, b"wrap"))
        self._receipt_mac = _derive(instance_key, b"receipt")
        self._audit_mac = _derive(instance_key, b"audit")
        self._lookup_mac = _derive(instance_key, b"lookup")
        self._content_mac = _derive(instance_key, b"content")
        self._binding_mac = _derive(instance_key, b"binding")
        self._backup = _derive(instance_key, b"backup")
        self._idempotent = _derive(instance_key, b"idempotent-response")
        self.fingerprint = hashlib.sha256(_derive(instance_key, b"fingerprint")).hexdigest()[:16]
        self.wrap_fingerprint = hashlib.sha256(
            _derive(wrap_root, b"wrap-fingerprint")).hexdigest()[:16]

    def with_new_wrap_key(self) -> Keyring:
        """The same keyed digests with a fresh random key that wraps data keys (rotation)."""
        return Keyring(self._roots[0], secrets.token_bytes(KEY_BYTES))

    # data keys -------------------------------------------------------------------------
    def new_data_key(self, key_id: str) -> tuple[DataKey, bytes]:
        """A fresh data key and its wrapped form (to store beside ``key_id``)."""
        key = DataKey(AESGCM.generate_key(bit_length=256))
        return key, self.wrap(key_id, key)

    def wrap(self, key_id: str, key: DataKey) -> bytes:
        """``key`` wrapped for storing beside ``key_id`` (a new data key, or one re-wrapped
        by a rotation or a restore)."""
        return _wrap_key(self._wrap, _WRAP_AAD + key_id.encode(), key.key)

    def unwrap(self, key_id: str, wrapped: bytes) -> DataKey:
        return _unwrap_key(self._wrap, _WRAP_AAD + key_id.encode(), wrapped,
                           "a data key could not be unwrapped with this instance key")

    # keyed digests ---------------------------------------------------------------------
    def receipt_digest(self, code: str) -> str:
        """Lookup digest of a defender's receipt code (the code itself is never stored)."""
        return hmac.new(self._receipt_mac, code.encode(), hashlib.sha256).hexdigest()

    def lookup_digest(self, value: str) -> str:
        """Keyed digest for equality lookups (idempotency keys, throttling keys)."""
        return hmac.new(self._lookup_mac, value.encode(), hashlib.sha256).hexdigest()

    def content_digest(self, data: bytes) -> str:
        """Keyed digest of evidence and kept posts, for look-ups and checks within the instance.

        Unlike a SHA-256, nobody without the instance key can compute it from content they
        know (their own post, a file they sent), so it does not tell a seized database's
        reader which case holds that content. The SHA-256 itself is kept sealed."""
        return self.content_digest_of_sha256(hashlib.sha256(data).hexdigest())

    def content_digest_of_sha256(self, sha256_hex_digest: str) -> str:
        """:meth:`content_digest` of content whose SHA-256 is known (an HMAC over the hash:
        the upgrade computes it from a stored hash without reading every file again)."""
        return hmac.new(self._content_mac, bytes.fromhex(sha256_hex_digest),
                        hashlib.sha256).hexdigest()

    def binding_mac(self, purpose: str, *values: str) -> str:
        """Keyed MAC over a link between rows that holds no sealed value of its own (a case
        and its defender): a row pointed elsewhere in the database no longer matches."""
        data = json.dumps([purpose, *values], separators=(",", ":")).encode()
        return hmac.new(self._binding_mac, data, hashlib.sha256).hexdigest()

    def audit_mac(self, data: bytes) -> str:
        return hmac.new(self._audit_mac, data, hashlib.sha256).hexdigest()

    def idempotent_response_key(self, idempotency_key: str) -> DataKey:
        """The key that seals the response remembered for a client's ``Idempotency-Key``:
        derived from that key, which is never stored, so the response (a receipt code) can
        be opened only by whoever sends the key again, not by whoever holds the database and
        the instance key. As strong as the client's key is hard to guess."""
        hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=self._idempotent,
                    info=b"qalxan/idempotent-response")
        return DataKey(hkdf.derive(idempotency_key.encode()))

    def backup_key(self) -> DataKey:
        """The instance's part of every backup epoch's key (kept by a rotation, like the
        keyed digests that a restored database needs)."""
        return DataKey(self._backup)


# backups ----------------------------------------------------------------------------------
class BackupKeys:
    """Per-epoch backup keys from a one-way chain of seeds, kept from ``first_epoch`` on.

    Epoch ``n + 1``'s seed is derived from epoch ``n``'s, and each epoch's key from its seed,
    so whoever holds the seed of ``first_epoch`` can make the keys of every later epoch and of
    none before it. :meth:`forget_before` moves the kept seed forward: the backups of the
    epochs left behind can no longer be opened by anyone.
    """

    def __init__(self, first_epoch: int, seed: bytes) -> None:
        self.first_epoch = first_epoch
        self._seed = seed

    @classmethod
    def new(cls, first_epoch: int) -> BackupKeys:
        return cls(first_epoch, secrets.token_bytes(KEY_BYTES))

    @property
    def seed(self) -> bytes:
        return self._seed

    def forget_before(self, epoch: int) -> BackupKeys:
        """The chain without the epochs before ``epoch`` (itself when there are none)."""
        seed = self._seed
        for _ in range(self.first_epoch, epoch):
            seed = _derive(seed, b"backup-chain")
        return BackupKeys(max(epoch, self.first_epoch), seed)

    def _epoch_key(self, keyring: Keyring, epoch: int) -> AESGCM:
        """The key of an epoch: from its seed and the instance's backup key, so a backup
        needs both (and its restore gets the keyed digests its database was made with)."""
        if epoch < self.first_epoch:
            raise KeyUnavailable("this backup's key has expired: its epoch is older than the "
                                 "backup retention period, and its key was destroyed")
        hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES,
                    salt=keyring.backup_key().key, info=b"qalxan/backup-epoch")
        return AESGCM(hkdf.derive(self.forget_before(epoch)._seed))

    def new_archive_key(self, keyring: Keyring, epoch: int,
                        backup_id: str) -> tuple[DataKey, bytes]:
        """A fresh key for one backup archive and its form wrapped by the epoch's key."""
        key = DataKey(AESGCM.generate_key(bit_length=256))
        aad = _BACKUP_ARCHIVE_AAD + f"{epoch}:{backup_id}".encode()
        return key, _wrap_key(self._epoch_key(keyring, epoch), aad, key.key)

    def open_archive_key(self, keyring: Keyring, epoch: int, backup_id: str,
                         wrapped: bytes) -> DataKey:
        aad = _BACKUP_ARCHIVE_AAD + f"{epoch}:{backup_id}".encode()
        return _unwrap_key(self._epoch_key(keyring, epoch), aad, wrapped,
                           "this backup's key could not be opened with this instance key and "
                           "these backup keys")


def seal_backup_header(archive_key: DataKey, backup_id: str, data: bytes) -> bytes:
    """Seal a value of a backup's header (its audit head) under a key derived from the
    archive's key (whose own nonces are the stream's chunk counters)."""
    return seal(DataKey(_derive(archive_key.key, b"backup-header")), data,
                f"backup-header:{backup_id}")


def open_backup_header(archive_key: DataKey, backup_id: str, sealed: bytes) -> bytes:
    return open_sealed(DataKey(_derive(archive_key.key, b"backup-header")), sealed,
                       f"backup-header:{backup_id}")


def wrap_for_backup(archive_key: DataKey, key_id: str, key: DataKey) -> bytes:
    """A data key wrapped inside a backup by a key derived from the archive's own key (so
    the backup needs no instance key, and dies with its epoch's key)."""
    return _wrap_key(AESGCM(_derive(archive_key.key, b"backup-data-keys")),
                     _BACKUP_DATA_KEY_AAD + key_id.encode(), key.key)


def unwrap_from_backup(archive_key: DataKey, key_id: str, wrapped: bytes) -> DataKey:
    return _unwrap_key(AESGCM(_derive(archive_key.key, b"backup-data-keys")),
                       _BACKUP_DATA_KEY_AAD + key_id.encode(), wrapped,
                       "a data key in this backup failed authentication")


def _derive(key: bytes, purpose: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=b"qalxan/" + purpose)
    return hkdf.derive(key)


# records ----------------------------------------------------------------------------------
def seal(data_key: DataKey, plaintext: bytes, context: str) -> bytes:
    """Seal bytes for the record named by ``context`` (e.g. ``report:<uuid>``)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(data_key.key).encrypt(nonce, plaintext, context.encode())


def open_sealed(data_key: DataKey, sealed: bytes, context: str) -> bytes:
    try:
        return AESGCM(data_key.key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:],
                                            context.encode())
    except InvalidTag:
        raise IntegrityFailure(
            f"sealed value for {context.split(':')[0]} failed authentication") from None


def seal_text(data_key: DataKey, text: str, context: str) -> bytes:
    return seal(data_key, text.encode("utf-8"), context)


def open_text(data_key: DataKey, sealed: bytes, context: str) -> str:
    return open_sealed(data_key, sealed, context).decode("utf-8")


# records, version 2: bound fields and padded lengths ---------------------------------------
RECORD_CONTEXT_VERSION = "qalxan/record/v2"
PAD_MINIMUM = 256  # every sealed record holds at least this many bytes
_PAD_MARK = 0x80


def record_context(purpose: str, record_id: str, bound: Mapping[str, str | None]) -> str:
    """The associated data of a sealed record: its purpose, its id and the row's fields whose
    change would change what the record means (a note's kind, the case it belongs to...).

    Encoded as JSON, so no choice of values can make two different contexts equal."""
    fields = [[name, bound[name]] for name in sorted(bound)]
    return json.dumps([RECORD_CONTEXT_VERSION, purpose, record_id, fields],
                      ensure_ascii=False, separators=(",", ":"))


def padded_length(size: int) -> int:
    """The bucket a plaintext of ``size`` bytes (plus the one-byte end mark) is padded to:
    at least :data:`PAD_MINIMUM`, then the Padmé sizes (at most 12 % larger, and the low
    bits of the length cleared), so a sealed size tells little of the exact length."""
    length = max(size + 1, PAD_MINIMUM)
    exponent = length.bit_length() - 1  # floor(log2(length))
    bits = exponent.bit_length()  # floor(log2(exponent)) + 1
    mask = (1 << max(exponent - bits, 0)) - 1
    return (length + mask) & ~mask


def pad(plaintext: bytes) -> bytes:
    """ISO/IEC 7816-4 padding (0x80, then zeros) up to :func:`padded_length`."""
    target = padded_length(len(plaintext))
    return plaintext + bytes([_PAD_MARK]) + bytes(target - len(plaintext) - 1)


def unpad(padded: bytes) -> bytes:
    end = len(padded.rstrip(b"\x00")) - 1
    if end < 0 or padded[end] != _PAD_MARK:
        raise IntegrityFailure("a sealed record's padding is malformed")
    return padded[:end]


def seal_record(data_key: DataKey, plaintext: bytes, purpose: str, record_id: str,
                bound: Mapping[str, str | None]) -> bytes:
    """Seal a record's bytes, padded, under :func:`record_context`."""
    return seal(data_key, pad(plaintext), record_context(purpose, record_id, bound))


def open_record(data_key: DataKey, sealed: bytes, purpose: str, record_id: str,
                bound: Mapping[str, str | None]) -> bytes:
    """Open what :func:`seal_record` sealed; a row whose bound fields were changed, or a value
    moved from another row, fails with :class:`IntegrityFailure`."""
    try:
        padded = AESGCM(data_key.key).decrypt(
            sealed[:NONCE_BYTES], sealed[NONCE_BYTES:],
            record_context(purpose, record_id, bound).encode())
    except InvalidTag:
        raise IntegrityFailure(
            f"sealed {purpose} {record_id} failed authentication: the value or a field it is "
            f"bound to ({', '.join(sorted(bound)) or 'its id'}) was changed or moved") from None
    return unpad(padded)


def legacy_record_context(purpose: str, record_id: str) -> str:
    """The associated data records were sealed under before version 2 (purpose and id only);
    used by the upgrade that re-seals them, never to open a record at run time."""
    return f"{purpose}:{record_id}"


def reseal_legacy_record(data_key: DataKey, sealed: bytes, purpose: str, record_id: str,
                         bound: Mapping[str, str | None]) -> tuple[bytes, bytes]:
    """A record sealed before version 2, opened and sealed again as :func:`seal_record`
    does: (the plaintext, the new sealed value). For the schema upgrade only."""
    plaintext = open_sealed(data_key, sealed, legacy_record_context(purpose, record_id))
    return plaintext, seal_record(data_key, plaintext, purpose, record_id, bound)


def reseal_as_legacy_record(data_key: DataKey, sealed: bytes, purpose: str, record_id: str,
                            bound: Mapping[str, str | None]) -> tuple[bytes, bytes]:
    """The reverse of :func:`reseal_legacy_record`, for the schema downgrade only."""
    plaintext = open_record(data_key, sealed, purpose, record_id, bound)
    return plaintext, seal(data_key, plaintext, legacy_record_context(purpose, record_id))


# files ------------------------------------------------------------------------------------
def _chunk_nonce(index: int) -> bytes:
    return index.to_bytes(NONCE_BYTES, "big")


def _chunk_aad(context: str, index: int, last: bool) -> bytes:
    return f"{context}|{index}|{int(last)}".encode()


class SealedWriter:
    """A write-only file object that seals what is written, chunk by chunk (see module doc).

    The data key must be used for this one stream only (nonces are chunk counters).
    """

    def __init__(self, data_key: DataKey, out: BinaryIO, context: str) -> None:
        self._aead = AESGCM(data_key.key)
        self._out = out
        self._context = context
        self._buffer = bytearray()
        self._index = 0
        self.plaintext_bytes = 0
        out.write(FILE_MAGIC)

    def write(self, data: bytes) -> int:
        self._buffer.extend(data)
        self.plaintext_bytes += len(data)
        # keep at least one byte back so the last chunk is always sealed by close()
        while len(self._buffer) > CHUNK_BYTES:
            self._emit(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def _emit(self, chunk: bytes, last: bool) -> None:
        aad = _chunk_aad(self._context, self._index, last)
        self._out.write(self._aead.encrypt(_chunk_nonce(self._index), chunk, aad))
        self._index += 1

    def close(self) -> None:
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()


def seal_stream(data_key: DataKey, chunks: Iterable[bytes], out: BinaryIO, context: str) -> int:
    """Encrypt an iterable of plaintext chunks into ``out``; returns plaintext bytes written."""
    writer = SealedWriter(data_key, out, context)
    for piece in chunks:
        writer.write(piece)
    writer.close()
    return writer.plaintext_bytes


def open_stream(data_key: DataKey, source: BinaryIO, context: str) -> Iterator[bytes]:
    """Decrypt a stream sealed by :class:`SealedWriter`, chunk by chunk, verifying each."""
    if source.read(len(FILE_MAGIC)) != FILE_MAGIC:
        raise IntegrityFailure("not a sealed Qalxan stream")
    aead = AESGCM(data_key.key)
    sealed_len = CHUNK_BYTES + 16
    index = 0
    current = source.read(sealed_len)
    while True:
        following = source.read(sealed_len)
        last = not following
        try:
            yield aead.decrypt(_chunk_nonce(index), current, _chunk_aad(context, index, last))
        except InvalidTag:
            raise IntegrityFailure(
                "sealed stream failed authentication (edited or truncated)") from None
        if last:
            return
        current, index = following, index + 1


class SealedReader:
    """A read-only file object over :func:`open_stream` (for streaming archive readers)."""

    def __init__(self, data_key: DataKey, source: BinaryIO, context: str) -> None:
        self._chunks = open_stream(data_key, source, context)
        self._buffer = bytearray()
        self._done = False

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            try:
                self._buffer.extend(next(self._chunks))
            except StopIteration:
                self._done = True
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data


def random_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def token_digest(token: str) -> str:
    """Unkeyed digest for high-entropy bearer secrets (session ids, API tokens)."""
    return hashlib.sha256(token.encode()).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
