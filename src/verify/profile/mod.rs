//! The certificate profile webpki leaves out: RFC 5280's MUSTs
//! ([`rfc5280`]) and the CA/Browser Forum's rules for server certificates
//! ([`cabf`]), checked on every certificate of a candidate path, on the full
//! parse the path already gets.
//!
//! Each check appends [`ProfileViolation`]s; the pipeline decides, from the
//! policy's [`ProfileChecks`] setting and the anchor's origin, whether a
//! violation refuses the chain or becomes a warning.

pub(crate) mod cabf;
pub(crate) mod rfc5280;

use serde::Serialize;

use super::diagnosis::Role;
use super::policy::Usage;

/// Which body of rules a profile rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleSource {
    /// An RFC 5280 MUST: refuses on every chain unless the policy is lenient.
    Rfc5280,
    /// A CA/Browser Forum Baseline Requirement for server certificates:
    /// refuses on chains to a public root, warns on chains to a private CA
    /// (by default).
    CabForum,
}

/// One profile rule a certificate breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProfileViolation {
    /// A stable kebab-case rule id, e.g. `rfc5280-unknown-critical-extension`.
    pub rule: &'static str,
    /// Where the rule comes from.
    pub source: RuleSource,
    /// One sentence: what is wrong with the certificate.
    pub message: String,
}

/// One certificate of a candidate path, as the profile checks see it.
pub(crate) struct PathCert<'a> {
    /// The full parse every path certificate passes.
    pub cert: &'a x509_cert::Certificate,
    /// Its DER.
    pub der: &'a [u8],
    /// Leaf, intermediate or anchor.
    pub role: Role,
    /// Index in the presented chain; `None` for a store anchor.
    pub position: Option<usize>,
}

/// What the checks need to know about the verification.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CheckContext {
    /// Server or client authentication.
    pub usage: Usage,
}
