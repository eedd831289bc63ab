"""The exceptions of hybridtrust.

Every exception the library raises on purpose is a :class:`HybridTrustError`,
except plain ``ValueError``/``TypeError`` for misuse (a wrong type, a naive
datetime, an unknown enum value) and ``OSError`` subclasses for paths that
cannot be read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._hybridtrust import Diagnosis, Finding

__all__ = ["HybridTrustError", "ParseError", "StoreError", "VerificationError"]


class HybridTrustError(Exception):
    """Base class of the exceptions of hybridtrust."""


class ParseError(HybridTrustError, ValueError):
    """Bytes that should hold certificates, CRLs or a zone do not (also a ``ValueError``)."""


class StoreError(HybridTrustError):
    """A strict :class:`TrustStoreBuilder` met a finding of error severity.

    ``.finding`` is the :class:`Finding` that stopped assembly.
    """

    def __init__(self, message: str, finding: Finding) -> None:
        super().__init__(message)
        self.finding = finding


class VerificationError(HybridTrustError):
    """A chain was not accepted.

    ``.diagnosis`` is the :class:`Diagnosis`: the kind, the certificate at
    fault (index, subject, fingerprint), expected and found, and the next step.
    """

    def __init__(self, diagnosis: Diagnosis) -> None:
        super().__init__(str(diagnosis))
        self.diagnosis = diagnosis
