//! The revocation stage: which of the policy's CRLs webpki consults during
//! path building, and how (scope, unknown status, expiry).

use super::policy::{Policy, RevocationScope, UnknownStatus};

/// The CRLs handed to webpki.
pub(super) fn crls(policy: &Policy) -> Vec<&webpki::CertRevocationList<'static>> {
    policy.crls.iter().map(|c| &c.list).collect()
}

/// webpki's revocation options for `crls` under `policy`; `None` when no CRL
/// is given (revocation is then not checked).
pub(super) fn options<'a>(
    policy: &Policy,
    crls: &'a [&'a webpki::CertRevocationList<'a>],
) -> Option<webpki::RevocationOptions<'a>> {
    let builder = webpki::RevocationOptionsBuilder::new(crls).ok()?;
    Some(
        builder
            .with_depth(match policy.revocation_scope {
                RevocationScope::EndEntity => webpki::RevocationCheckDepth::EndEntity,
                RevocationScope::Chain => webpki::RevocationCheckDepth::Chain,
            })
            .with_status_policy(match policy.unknown_status {
                UnknownStatus::Deny => webpki::UnknownStatusPolicy::Deny,
                UnknownStatus::Allow => webpki::UnknownStatusPolicy::Allow,
            })
            .with_expiration_policy(if policy.enforce_crl_expiry {
                webpki::ExpirationPolicy::Enforce
            } else {
                webpki::ExpirationPolicy::Ignore
            })
            .build(),
    )
}
