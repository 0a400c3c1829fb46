"""Domain errors, named after the domain. Mapped to HTTP problem documents (RFC 9457) in
``qalxan.web.problems`` and to CLI exit codes in ``qalxan.cli.main`` — one place each.

Messages are written for the person who made the request and never contain report content.
"""

from __future__ import annotations


class QalxanError(Exception):
    """Base of every error Qalxan raises on purpose."""

    status = 400
    slug = "bad-request"
    title = "Bad request"
    exit_code = 1
    retry_after: float | None = None  # seconds after which trying again may work

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidInput(QalxanError):
    status = 422
    slug = "invalid-input"
    title = "Invalid input"
    exit_code = 2


class MalformedJson(QalxanError):
    status = 400
    slug = "malformed-json"
    title = "Malformed JSON"
    exit_code = 2


class NotFound(QalxanError):
    status = 404
    slug = "not-found"
    title = "Not found"
    exit_code = 3


class NotAuthenticated(QalxanError):
    status = 401
    slug = "not-authenticated"
    title = "Authentication required"
    exit_code = 4


class PermissionDenied(QalxanError):
    status = 403
    slug = "permission-denied"
    title = "Permission denied"
    exit_code = 4


class OwningOrganisationOnly(PermissionDenied):
    """A partner organisation holding a grant on a case tried what stays with the case's own
    organisation: its TLP label, its restriction, sharing it further."""

    slug = "owning-organisation-only"
    title = "Only the case's own organisation may do this"


class ReauthenticationRequired(QalxanError):
    status = 403
    slug = "reauthentication-required"
    title = "Confirm it is you"
    exit_code = 4


class Throttled(QalxanError):
    status = 429
    slug = "throttled"
    title = "Too many attempts"
    exit_code = 5


class AddressThrottled(Throttled):
    """Many failed sign-ins came from the caller's network address: the password alone is
    no longer enough there, only the password and the second-factor code together."""

    slug = "throttled-address"
    title = "Too many attempts from this address"


class InvalidTransition(QalxanError):
    status = 409
    slug = "invalid-transition"
    title = "Invalid status change"
    exit_code = 6


class ReferralRequired(QalxanError):
    status = 409
    slug = "referral-required"
    title = "A referral or resource is required"
    exit_code = 6


class ConsentMissing(QalxanError):
    status = 409
    slug = "consent-missing"
    title = "The defender has not consented"
    exit_code = 6


class ClearanceInsufficient(QalxanError):
    status = 409
    slug = "clearance-insufficient"
    title = "Above the recipient's clearance"
    exit_code = 6


class Conflict(QalxanError):
    status = 409
    slug = "conflict"
    title = "Conflict"
    exit_code = 6


class PayloadTooLarge(QalxanError):
    status = 413
    slug = "payload-too-large"
    title = "Upload too large"
    exit_code = 2


class UnsupportedMediaType(QalxanError):
    status = 415
    slug = "unsupported-media-type"
    title = "File type not allowed"
    exit_code = 2


class UnsupportedContentType(QalxanError):
    """An API request body sent without a content type its route takes (a plain-text post,
    which any website can make a browser send, is not read as JSON)."""

    status = 415
    slug = "unsupported-content-type"
    title = "Unsupported content type"
    exit_code = 2


class IntakeUnavailable(QalxanError):
    """A submission refused before anything of it was stored: the disk is nearly full, the
    window's quota is spent, or too many submissions are being analysed at once."""

    status = 503
    slug = "intake-unavailable"
    title = "Reports cannot be taken now"
    exit_code = 7

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class KeyUnavailable(QalxanError):
    status = 503
    slug = "key-unavailable"
    title = "Instance key unavailable"
    exit_code = 7


class SourceUnavailable(QalxanError):
    """A monitored source could not be read now (network, rate limit, refused content).

    ``retry_after`` is how many seconds the source asked us to wait, when it said so.
    """

    status = 503
    slug = "source-unavailable"
    title = "Source unavailable"
    exit_code = 7

    def __init__(self, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ClusterUnavailable(QalxanError):
    """Scale-out was asked for but cannot run: Ray is not installed, or the cluster
    address cannot be reached."""

    status = 503
    slug = "cluster-unavailable"
    title = "Cluster unavailable"
    exit_code = 7


class IntegrityFailure(QalxanError):
    status = 500
    slug = "integrity-failure"
    title = "Integrity check failed"
    exit_code = 8
