"""Staff passwords: Argon2id with parameters from the settings, 14–256 characters."""

from __future__ import annotations

import functools
import re
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import frequency_lists, zxcvbn  # type: ignore[import-untyped]

from qalxan.config import Settings
from qalxan.errors import InvalidInput

MIN_SCORE = 3
ESTIMATE_CHARS = 100  # the estimator's cost grows fast with length; the start is telling
MIN_LENGTH = 14
MAX_LENGTH = 256
_WORDS = (
    "amber", "anchor", "aspen", "basil", "beacon", "birch", "cedar", "cinder", "comet",
    "coral", "delta", "ember", "fable", "fjord", "garnet", "glade", "harbor", "hazel",
    "indigo", "iris", "jasper", "juniper", "kestrel", "lagoon", "lantern", "maple", "meadow",
    "nectar", "nimbus", "oasis", "onyx", "orchid", "pebble", "quartz", "quill", "raven",
    "river", "saffron", "sage", "sierra", "spruce", "tundra", "umber", "valley", "velvet",
    "willow", "yarrow", "zephyr",
)


def hasher(settings: Settings) -> PasswordHasher:
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
        type=Type.ID,
    )


def check_policy(password: str, user_inputs: tuple[str, ...] = ()) -> None:
    """Length 14–256, not a known breached password, not easily guessed (NIST SP 800-63B).

    The breached list is the 30,000 most common leaked passwords that ship with ``zxcvbn``;
    its estimator also refuses keyboard walks, repeats and variants of the user's own name
    or address (score below 3 of 4).
    """
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"passwords must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"passwords must have at most {MAX_LENGTH} characters")
    if password.lower() in _breached():
        raise InvalidInput("this password appears in lists of breached passwords; choose another")
    lowered = password.lower()
    if any(len(part) >= 4 and part in lowered for part in _personal_parts(user_inputs)):
        raise InvalidInput("a password must not contain your e-mail address or name")
    words = [w for text in user_inputs for w in re.split(r"[\W_]+", text.lower()) if len(w) > 2]
    if zxcvbn(password[:ESTIMATE_CHARS], user_inputs=words)["score"] < MIN_SCORE:
        raise InvalidInput("this password is easy to guess; a few unrelated words work well")


def _personal_parts(user_inputs: tuple[str, ...]) -> list[str]:
    """The e-mail address, its local part and the display name, lower-cased."""
    parts = []
    for text in user_inputs:
        parts += [text.lower(), text.lower().split("@")[0]]
    return parts


@functools.cache
def _breached() -> frozenset[str]:
    return frozenset(frequency_lists.FREQUENCY_LISTS["passwords"])


def hash_password(settings: Settings, password: str, user_inputs: tuple[str, ...] = ()) -> str:
    check_policy(password, user_inputs)
    return hasher(settings).hash(password)


def rehash(settings: Settings, password: str) -> str:
    """A new hash of an already accepted password, with the current parameters."""
    return hasher(settings).hash(password)


def verify_password(settings: Settings, stored_hash: str, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        return hasher(settings).verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(settings: Settings, stored_hash: str) -> bool:
    return hasher(settings).check_needs_rehash(stored_hash)


def generate_password(words: int = 6) -> str:
    """A one-time passphrase: six words of a 52-word list and four digits (~47 bits)."""
    picks = [secrets.choice(_WORDS) for _ in range(words)]
    return "-".join(picks) + f"-{secrets.randbelow(10_000):04d}"


def dummy_verify(settings: Settings) -> None:
    """Spend the time of a real verification, so unknown accounts are not revealed by timing."""
    verify_password(settings, _dummy_hash(settings), "not-the-password-0000")


_DUMMY: dict[tuple[int, int, int], str] = {}


def _dummy_hash(settings: Settings) -> str:
    params = (settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)
    if params not in _DUMMY:
        _DUMMY[params] = hasher(settings).hash(secrets.token_hex(16))
    return _DUMMY[params]
