"""hybridtrust: certificate trust for hybrid cloud/on-premises deployments.

The Webex Device Connector, an Expressway-E talking SIP over mutual TLS to the
Webex cloud (zone ``callservice.webex.com``), a calendar connector talking to
Exchange: hybridtrust answers three questions and explains every "no".

1. Which CAs do we trust? :class:`TrustStoreBuilder` assembles an immutable
   :class:`TrustStore` from PEM/DER files, bytes, directories, the device-tool
   folder, a :class:`Profile`'s embedded cloud CAs and the OS store; every
   problem becomes a :class:`Finding`.
2. Is this chain trusted? :func:`verify` (or a :class:`Verifier`) checks a
   chain under a :class:`Policy` and returns :class:`Verified`, or raises
   :class:`VerificationError` whose ``.diagnosis`` names the certificate at
   fault and the next step.
3. Is it the right peer? An :class:`IdentityRule` checks names; a
   :class:`Zone` combines outbound verification (name in a SAN) with inbound
   classification (CN or SAN, else the Default Zone).

>>> import hybridtrust
>>> profile = hybridtrust.Profile.expressway_e()
>>> store = (hybridtrust.TrustStore.builder()
...          .add_profile_cas(profile)
...          .require_profile(profile)
...          .build())
>>> [f.kind for f in store.findings if f.severity == hybridtrust.Severity.ERROR]
[]
>>> profile.zone == hybridtrust.Zone.webex_hybrid()
True

All objects are immutable and safe to share between threads; verification
and store assembly release the GIL.
"""

from __future__ import annotations

from ._enums import (
    CaStatus,
    DiagnosisKind,
    EkuMode,
    FindingKind,
    ProfileChecks,
    RevocationScope,
    Role,
    RuleKind,
    Severity,
    Sha1Policy,
    UnknownStatus,
    Usage,
    WarningKind,
    WildcardMode,
)
from ._errors import HybridTrustError, ParseError, StoreError, VerificationError
from ._hybridtrust import (
    Anchor,
    CaPresence,
    CertRef,
    Certificate,
    ChainWarning,
    CloudCa,
    Diagnosis,
    Finding,
    IdentityRule,
    Inbound,
    NameMatch,
    NameMismatch,
    PathEntry,
    Policy,
    Profile,
    Provenance,
    TrustStore,
    TrustStoreBuilder,
    Verified,
    Verifier,
    Zone,
    __version__,
    device_tool_certs_dir,
    parse_chain,
    verify,
)

__all__ = [
    "Anchor",
    "CaPresence",
    "CaStatus",
    "CertRef",
    "Certificate",
    "ChainWarning",
    "CloudCa",
    "Diagnosis",
    "DiagnosisKind",
    "EkuMode",
    "Finding",
    "FindingKind",
    "ProfileChecks",
    "HybridTrustError",
    "IdentityRule",
    "Inbound",
    "NameMatch",
    "NameMismatch",
    "ParseError",
    "PathEntry",
    "Policy",
    "Profile",
    "Provenance",
    "RevocationScope",
    "Role",
    "RuleKind",
    "Severity",
    "Sha1Policy",
    "StoreError",
    "TrustStore",
    "TrustStoreBuilder",
    "UnknownStatus",
    "Usage",
    "VerificationError",
    "Verified",
    "Verifier",
    "WarningKind",
    "WildcardMode",
    "Zone",
    "__version__",
    "device_tool_certs_dir",
    "parse_chain",
    "verify",
]
