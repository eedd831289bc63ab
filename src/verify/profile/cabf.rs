//! CA/Browser Forum Baseline Requirements for server certificates that webpki
//! does not check.

use super::{CheckContext, PathCert, ProfileViolation};

/// Appends the CA/Browser Forum rules `cert` breaks.
pub(crate) fn check(_cert: &PathCert<'_>, _ctx: CheckContext, _out: &mut Vec<ProfileViolation>) {}
