"""The enumerations of hybridtrust.

Each member is also its stable string value (the kebab-case names used in
JSON, by the Rust, C and command-line interfaces), so arguments may be given
as members or as strings:

>>> from hybridtrust import DiagnosisKind, Usage
>>> DiagnosisKind("unknown-ca") is DiagnosisKind.UNKNOWN_CA
True
>>> Usage.CLIENT_AUTH == "client-auth"
True
"""

from __future__ import annotations

import enum

__all__ = [
    "CaStatus",
    "DiagnosisKind",
    "EkuMode",
    "FindingKind",
    "ProfileChecks",
    "RevocationScope",
    "Role",
    "RuleKind",
    "Severity",
    "Sha1Policy",
    "UnknownStatus",
    "Usage",
    "WarningKind",
    "WildcardMode",
]


class _StrEnum(str, enum.Enum):
    """A string-valued enum whose ``str()`` is its value (like ``enum.StrEnum``)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Severity(_StrEnum):
    """How serious a :class:`Finding` is; ordered by seriousness, not by name.

    >>> Severity.ERROR > Severity.WARNING > Severity.INFO
    True
    >>> max([Severity.WARNING, Severity.ERROR, Severity.INFO])
    <Severity.ERROR: 'error'>
    """

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return ("info", "warning", "error").index(self.value)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


class FindingKind(_StrEnum):
    """What kind of problem a :class:`Finding` reports."""

    UNPARSABLE = "unparsable"
    NOT_A_CERTIFICATE = "not-a-certificate"
    NOT_A_CA = "not-a-ca"
    NO_BASIC_CONSTRAINTS = "no-basic-constraints"
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    EXPIRING_SOON = "expiring-soon"
    WEAK_KEY = "weak-key"
    MD5_SIGNATURE = "md5-signature"
    SHA1_SIGNATURE = "sha1-signature"
    DUPLICATE_CERTIFICATE = "duplicate-certificate"
    DUPLICATE_SUBJECT_AND_KEY = "duplicate-subject-and-key"
    DUPLICATE_COMMON_NAME = "duplicate-common-name"
    MISSING_REQUIRED_CA = "missing-required-ca"
    MISSING_LEGACY_CA = "missing-legacy-ca"
    CA_NOT_EMBEDDED = "ca-not-embedded"
    UNREADABLE = "unreadable"
    TOO_LARGE = "too-large"
    DIRECTORY_LOOP = "directory-loop"
    EMPTY = "empty"
    FOLDER_ABSENT = "folder-absent"
    TRUST_RESTRICTED = "trust-restricted"
    DISTRUSTED_ENTRY = "distrusted-entry"


class DiagnosisKind(_StrEnum):
    """What failed in a verification (see :class:`Diagnosis`)."""

    UNKNOWN_CA = "unknown-ca"
    INCOMPLETE_CHAIN = "incomplete-chain"
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    BAD_SIGNATURE = "bad-signature"
    WEAK_SIGNATURE = "weak-signature"
    NAME_MISMATCH = "name-mismatch"
    MISSING_EKU = "missing-eku"
    REVOKED = "revoked"
    REVOCATION_UNKNOWN = "revocation-unknown"
    PATH_TOO_LONG = "path-too-long"
    ISSUER_NOT_CA = "issuer-not-ca"
    CA_AS_LEAF = "ca-as-leaf"
    NAME_CONSTRAINT_VIOLATION = "name-constraint-violation"
    DISTRUSTED = "distrusted"
    MALFORMED = "malformed"
    UNSUPPORTED = "unsupported"
    EMPTY_CHAIN = "empty-chain"
    TOO_MANY_CERTIFICATES = "too-many-certificates"
    TOO_COMPLEX = "too-complex"
    OTHER = "other"
    PROFILE_VIOLATION = "profile-violation"


class WarningKind(_StrEnum):
    """What kind of :class:`Warning` an accepted chain carries."""

    EXPIRES_SOON = "expires-soon"
    SHA1_ACCEPTED = "sha1-accepted"
    CLIENT_AUTH_MISSING_ACCEPTED = "client-auth-missing-accepted"
    NO_CLIENT_AUTH_FOR_MUTUAL_TLS = "no-client-auth-for-mutual-tls"
    ANCHOR_OUTSIDE_VALIDITY = "anchor-outside-validity"
    PROFILE_VIOLATION_ACCEPTED = "profile-violation-accepted"


class Usage(_StrEnum):
    """The TLS role of the verified certificate."""

    SERVER_AUTH = "server-auth"
    CLIENT_AUTH = "client-auth"


class EkuMode(_StrEnum):
    """How strictly client certificates must carry clientAuth (the clientAuth sunset)."""

    STRICT = "strict"
    ACCEPT_SERVER_AUTH_ONLY = "accept-server-auth-only"


class Sha1Policy(_StrEnum):
    """What to do with SHA-1 signed certificates in a presented chain."""

    REJECT = "reject"
    WARN = "warn"
    ALLOW = "allow"


class ProfileChecks(_StrEnum):
    """Whether certificate-profile violations (RFC 5280 MUSTs and CA/Browser
    Forum rules webpki leaves out) refuse a chain or only warn.

    ``STRICT``: every violated rule refuses. ``BY_ANCHOR_ORIGIN`` (the
    default): the RFC 5280 rules OpenSSL's default verification enforces
    refuse every chain; the rules of strict verifiers and the CA/Browser
    Forum rules refuse chains to a public root and are warnings on chains to
    a customer's own CA. ``LENIENT``: every violation is a warning.
    """

    STRICT = "strict"
    BY_ANCHOR_ORIGIN = "by-anchor-origin"
    LENIENT = "lenient"


class RevocationScope(_StrEnum):
    """Which certificates revocation is checked for, when CRLs are given."""

    END_ENTITY = "end-entity"
    CHAIN = "chain"


class UnknownStatus(_StrEnum):
    """What a missing CRL means for a certificate in scope."""

    DENY = "deny"
    ALLOW = "allow"


class RuleKind(_StrEnum):
    """Which certificate fields an :class:`IdentityRule` looks at."""

    SAN = "san"
    SAN_THEN_CN = "san-then-cn"
    CN_OR_SAN = "cn-or-san"


class WildcardMode(_StrEnum):
    """How a wildcard in a presented name is treated."""

    DISALLOWED = "disallowed"
    LEFTMOST_LABEL = "leftmost-label"


class Role(_StrEnum):
    """The role of a certificate in a chain."""

    LEAF = "leaf"
    INTERMEDIATE = "intermediate"
    ANCHOR = "anchor"


class CaStatus(_StrEnum):
    """Whether a profile needs a CA today."""

    REQUIRED = "required"
    LEGACY = "legacy"
