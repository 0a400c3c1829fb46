"""Receipt codes: the one secret a defender keeps to follow up on a report without an account.

Codes carry 100 random bits in Crockford base32 (no I, L, O, U), grouped for reading aloud.
Only a keyed digest of a code is stored; input is normalised so case, spaces, dashes and the
look-alikes O/0 and I/L/1 do not matter.
"""

from __future__ import annotations

import base64
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_LEN = 4, 5
_TRANSLATE = str.maketrans({"O": "0", "I": "1", "L": "1"})
# base32 puts 5 random bits in each character: its alphabet mapped onto ours, one to one
_FROM_BASE32 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET)


def random_chars(count: int) -> str:
    """``count`` characters of ``ALPHABET``, each uniform and independent (5 random bits)."""
    data = secrets.token_bytes((count * 5 + 7) // 8)
    return base64.b32encode(data).decode("ascii")[:count].translate(_FROM_BASE32)


def new_receipt_code() -> str:
    chars = random_chars(GROUPS * GROUP_LEN)
    return "-".join(chars[i:i + GROUP_LEN] for i in range(0, len(chars), GROUP_LEN))


def normalise(code: str) -> str | None:
    """Canonical form of a typed code, or None when it cannot be a receipt code."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum()).translate(_TRANSLATE)
    if len(cleaned) != GROUPS * GROUP_LEN or any(ch not in ALPHABET for ch in cleaned):
        return None
    return "-".join(cleaned[i:i + GROUP_LEN] for i in range(0, len(cleaned), GROUP_LEN))


def new_case_reference() -> str:
    """A short random case reference for staff (``Q-7K3M9P``); says nothing about volume."""
    return "Q-" + random_chars(8)


def new_pseudonym() -> str:
    return "Defender " + random_chars(6)
