//! Diagnoses: why a chain was not accepted, for whom to act and how.

use std::fmt;

use serde::Serialize;

use crate::cert::{Certificate, Fingerprint};
use crate::name::NameMismatch;
use crate::text::{ascii_json, escape_untrusted};
use crate::time::format_time;

/// What failed. Stable, documented kinds; new kinds may be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DiagnosisKind {
    /// The chain leads to a CA that is not in the trust store (including a
    /// self-signed root the peer sent). Admins see "self signed certificate in
    /// certificate chain" or "certificate verify failed".
    UnknownCa,
    /// The issuer of a presented certificate was neither presented nor is in
    /// the store: the peer sends only part of its chain ("certificate unknown").
    IncompleteChain,
    /// A certificate of the path expired before the validation time.
    Expired,
    /// A certificate of the path is not valid yet at the validation time.
    NotYetValid,
    /// A signature does not verify with its issuer's key.
    BadSignature,
    /// A signature uses an algorithm the policy refuses (SHA-1, MD5) or that is unsupported.
    WeakSignature,
    /// The identity rule found no matching name ("Peer's TLS certificate identity was unacceptable").
    NameMismatch,
    /// The leaf lacks the extended key usage the usage needs (e.g. clientAuth).
    MissingEku,
    /// A certificate of the path is revoked by a given CRL.
    Revoked,
    /// A CRL needed for a certificate in scope was not given, or a CRL is unusable.
    RevocationUnknown,
    /// The path is longer than the policy or a pathLenConstraint allows.
    PathTooLong,
    /// A certificate that issues another is not a CA.
    IssuerNotCa,
    /// The leaf is a CA certificate.
    CaAsLeaf,
    /// A name constraint of a CA excludes the leaf's names.
    NameConstraintViolation,
    /// The certificate is distrusted by webpki's built-in distrust list.
    Distrusted,
    /// A presented certificate cannot be parsed.
    Malformed,
    /// Unsupported certificate version or critical extension.
    Unsupported,
    /// No certificate was presented.
    EmptyChain,
    /// More certificates were presented than [`Limits::max_chain_certificates`](crate::Limits).
    TooManyCertificates,
    /// Path building exceeded webpki's work budget (a hostile or broken chain).
    TooComplex,
    /// A certificate of the path breaks a certificate-profile rule (an RFC
    /// 5280 MUST or a CA/Browser Forum rule) that the policy's
    /// [`ProfileChecks`](crate::ProfileChecks) setting enforces for this
    /// chain; `detail` holds the rule id (e.g. `rfc5280-ca-key-cert-sign`).
    ProfileViolation,
    /// Any other failure reported by webpki.
    Other,
}

impl DiagnosisKind {
    /// A stable kebab-case name, as used in JSON and by the C and Python APIs.
    pub fn as_str(self) -> &'static str {
        use DiagnosisKind::*;
        match self {
            UnknownCa => "unknown-ca",
            IncompleteChain => "incomplete-chain",
            Expired => "expired",
            NotYetValid => "not-yet-valid",
            BadSignature => "bad-signature",
            WeakSignature => "weak-signature",
            NameMismatch => "name-mismatch",
            MissingEku => "missing-eku",
            Revoked => "revoked",
            RevocationUnknown => "revocation-unknown",
            PathTooLong => "path-too-long",
            IssuerNotCa => "issuer-not-ca",
            CaAsLeaf => "ca-as-leaf",
            NameConstraintViolation => "name-constraint-violation",
            Distrusted => "distrusted",
            Malformed => "malformed",
            Unsupported => "unsupported",
            EmptyChain => "empty-chain",
            TooManyCertificates => "too-many-certificates",
            TooComplex => "too-complex",
            ProfileViolation => "profile-violation",
            Other => "other",
        }
    }

    /// The message Cisco's troubleshooting guide and Expressway's logs use for
    /// this failure, when there is one.
    pub fn recognised_as(self) -> Option<&'static str> {
        use DiagnosisKind::*;
        Some(match self {
            UnknownCa => "self signed certificate in certificate chain / certificate verify failed",
            IncompleteChain => "certificate unknown",
            NameMismatch => "Peer's TLS certificate identity was unacceptable",
            Expired => "certificate has expired",
            NotYetValid => "certificate is not yet valid",
            MissingEku => "unsupported certificate purpose",
            Revoked => "certificate revoked",
            _ => return None,
        })
    }
}

impl fmt::Display for DiagnosisKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The role of a certificate in a chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The peer's own certificate (position 0).
    Leaf,
    /// A CA certificate the peer presented.
    Intermediate,
    /// A trust anchor from the store.
    Anchor,
}

/// The certificate a diagnosis is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertRef {
    /// Index in the presented chain (0 = leaf); `None` for a store anchor.
    pub position: Option<usize>,
    /// Its role.
    pub role: Role,
    /// RFC 4514 subject.
    pub subject: String,
    /// RFC 4514 issuer.
    pub issuer: String,
    /// SHA-256 fingerprint.
    pub sha256: Fingerprint,
    /// notBefore, RFC 3339.
    pub not_before: String,
    /// notAfter, RFC 3339.
    pub not_after: String,
}

impl CertRef {
    pub(crate) fn new(cert: &Certificate, position: Option<usize>, role: Role) -> Self {
        Self {
            position,
            role,
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            sha256: cert.fingerprint(),
            not_before: format_time(cert.not_before()),
            not_after: format_time(cert.not_after()),
        }
    }
}

impl fmt::Display for CertRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.role, self.position) {
            (Role::Anchor, _) => write!(f, "trust anchor")?,
            (role, Some(p)) => write!(
                f,
                "{} #{p}",
                match role {
                    Role::Leaf => "leaf",
                    _ => "intermediate",
                }
            )?,
            (_, None) => write!(f, "certificate")?,
        }
        write!(
            f,
            " '{}' (SHA-256 {})",
            escape_untrusted(&self.subject),
            self.sha256
        )
    }
}

/// Why a chain was not accepted: which certificate, what failed, what to do.
///
/// `Display` gives the admin text; `serde` gives the structured form
/// ([`Diagnosis::to_json`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// What failed.
    pub kind: DiagnosisKind,
    /// The certificate at fault, when one can be named.
    pub certificate: Option<CertRef>,
    /// One sentence: what is wrong.
    pub message: String,
    /// One sentence: the next step.
    pub hint: String,
    /// What was expected (a name, an EKU, a time), when it applies.
    pub expected: Option<String>,
    /// What was found instead.
    pub found: Option<String>,
    /// For [`DiagnosisKind::NameMismatch`]: the presented names and the nearest one.
    pub name_mismatch: Option<NameMismatch>,
    /// The text admins know from Cisco's guides and Expressway logs.
    pub recognised_as: Option<&'static str>,
    /// webpki's own error, for experts.
    pub detail: Option<String>,
    /// The generation of the trust store that decided.
    pub store_generation: u64,
}

impl Diagnosis {
    pub(crate) fn new(
        kind: DiagnosisKind,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            certificate: None,
            message: message.into(),
            hint: hint.into(),
            expected: None,
            found: None,
            name_mismatch: None,
            recognised_as: kind.recognised_as(),
            detail: None,
            store_generation: 0,
        }
    }

    pub(crate) fn cert(mut self, cert: CertRef) -> Self {
        self.certificate = Some(cert);
        self
    }

    pub(crate) fn expected_found(
        mut self,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        self.expected = Some(expected.into());
        self.found = Some(found.into());
        self
    }

    /// The structured form as JSON, ASCII only ([`ascii_json`]).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .map(|j| ascii_json(&j).into_owned())
            .unwrap_or_else(|_| "{}".to_string())
    }
}

/// The admin text: one line per field, each field escaped
/// ([`escape_untrusted`]), so no certificate string can forge a line or
/// reach a terminal raw.
impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, escape_untrusted(&self.message))?;
        if let Some(c) = &self.certificate {
            write!(f, "\n  certificate: {c}")?;
        }
        if let (Some(e), Some(found)) = (&self.expected, &self.found) {
            write!(
                f,
                "\n  expected: {}\n  found: {}",
                escape_untrusted(e),
                escape_untrusted(found)
            )?;
        }
        if let Some(r) = self.recognised_as {
            write!(f, "\n  peers and logs may say: \"{r}\"")?;
        }
        write!(f, "\n  next step: {}", escape_untrusted(&self.hint))
    }
}

impl std::error::Error for Diagnosis {}
