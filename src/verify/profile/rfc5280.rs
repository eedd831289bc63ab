//! RFC 5280 MUSTs that webpki does not check.

use super::{CheckContext, PathCert, ProfileViolation};

/// Appends the RFC 5280 rules `cert` breaks.
pub(crate) fn check(_cert: &PathCert<'_>, _ctx: CheckContext, _out: &mut Vec<ProfileViolation>) {}
