"""TOTP for staff (RFC 6238): enrolment and verification that rejects a reused code."""

from __future__ import annotations

import time

import pyotp

ISSUER = "Qalxan"
VALID_WINDOW = 1  # accept the previous and next 30-second step for clock drift


def new_secret() -> str:
    return str(pyotp.random_base32())


def provisioning_uri(secret: str, account: str) -> str:
    return str(pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER))


def current_code(secret: str, at: float | None = None) -> str:
    return str(pyotp.TOTP(secret).at(at if at is not None else time.time()))


def matching_step(secret: str, code: str, last_step: int, at: float | None = None) -> int | None:
    """The time step the code belongs to, or None if wrong or already used.

    A code is accepted once: its step must be newer than ``last_step`` (the step of the last
    accepted code), so a code seen by an observer cannot be replayed.
    """
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = at if at is not None else time.time()
    step_now = int(now // totp.interval)
    for step in range(step_now - VALID_WINDOW, step_now + VALID_WINDOW + 1):
        if step > last_step and pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None
