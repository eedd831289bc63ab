//! The revocation stage: which of the policy's CRLs decide, in which order
//! webpki consults them, and the check that no applicable CRL that revokes a
//! path certificate is hidden behind another CRL of the same issuer.
//!
//! webpki consults, for each certificate, the first given CRL that is
//! authoritative for it (same issuer, and a matching issuing distribution
//! point). On its own that lets an older CRL that does not list a
//! certificate hide a newer one that revokes it. This stage therefore:
//!
//! 1. drops CRLs that are not current: a CRL whose thisUpdate is after the
//!    validation time is treated as absent for its issuer (the policy's
//!    [`UnknownStatus`] then decides, and the diagnosis says why);
//! 2. hands the rest to webpki newest first (by crlNumber, then thisUpdate),
//!    so among CRLs that do not revoke a certificate the newest decides
//!    (its signature, scope and expiry are what webpki checks);
//! 3. after webpki accepts a path, looks for every path certificate in scope
//!    whose serial number a current CRL of its issuer lists; for each such
//!    certificate it builds the path again with those CRLs consulted first,
//!    so webpki itself verifies their signature, scope and expiry and refuses
//!    the certificate as revoked when one of them applies. A certificate is
//!    cleared once a build with its revoking CRLs first still accepts it
//!    (none of them is authoritative for it). At most
//!    [`MAX_REVOCATION_BUILDS`] builds are made; beyond that the verification
//!    fails closed as `revocation-unknown`;
//! 4. refuses a CRL signed by the trust anchor when the anchor's keyUsage
//!    lacks cRLSign (RFC 5280 6.3.3 (f)). webpki checks cRLSign on
//!    intermediates only (it keeps no keyUsage for anchors), so a CRL from
//!    such a root would otherwise decide the status of the certificate the
//!    root issued.

use std::collections::HashSet;

use pki_types::UnixTime;
use webpki::EndEntityCert;

use super::path::{BuiltPath, Failure};
use super::policy::{Crl, Policy, RevocationScope, UnknownStatus};
use crate::TrustStore;

/// Most path builds one verification makes to decide revocation (the first
/// build and the re-builds with a certificate's revoking CRLs first).
pub(crate) const MAX_REVOCATION_BUILDS: usize = 8;

/// Builds the path with `build` (given webpki's revocation options, or
/// `None` when revocation is not checked) and decides revocation as the
/// module documentation describes.
pub(super) fn build_checked<F>(
    policy: &Policy,
    store: &TrustStore,
    at: UnixTime,
    mut build: F,
) -> Result<BuiltPath, Failure>
where
    F: FnMut(Option<webpki::RevocationOptions<'_>>) -> Result<BuiltPath, Failure>,
{
    if policy.crls.is_empty() {
        return build(None);
    }
    let mut order: Vec<&Crl> = policy.crls.iter().filter(|c| is_current(c, at)).collect();
    if order.is_empty() {
        // Every given CRL is not current yet: the status of every
        // certificate in scope is unknown.
        return match policy.unknown_status {
            UnknownStatus::Allow => build(None),
            UnknownStatus::Deny => Err(Failure::Webpki(webpki::Error::UnknownRevocationStatus)),
        };
    }
    // Newest first; the sort is stable, so equals keep the given order.
    order.sort_by(|a, b| b.recency().cmp(&a.recency()));
    let mut cleared: HashSet<Vec<u8>> = HashSet::new();
    for _ in 0..MAX_REVOCATION_BUILDS {
        let lists: Vec<&webpki::CertRevocationList<'_>> = order.iter().map(|c| &c.list).collect();
        let path = build(options(policy, &lists))?;
        let Some((der, revoking)) = hidden_revocation(policy, at, &path, &cleared) else {
            return anchor_may_sign_crls(policy, store, at, &path).map(|()| path);
        };
        // Consult the CRLs that list the certificate first, newest first.
        let (mut front, rest): (Vec<&Crl>, Vec<&Crl>) = order
            .into_iter()
            .partition(|c| revoking.iter().any(|r| std::ptr::eq(*r, *c)));
        front.extend(rest);
        order = front;
        cleared.insert(der);
    }
    Err(Failure::RevocationUndecided)
}

/// A CRL is current when its thisUpdate is not after the validation time.
pub(super) fn is_current(crl: &Crl, at: UnixTime) -> bool {
    crl.this_update <= at
}

/// The first certificate of `path` in scope, not yet cleared, whose serial a
/// current CRL of its issuer lists; with those CRLs.
fn hidden_revocation<'p>(
    policy: &'p Policy,
    at: UnixTime,
    path: &BuiltPath,
    cleared: &HashSet<Vec<u8>>,
) -> Option<(Vec<u8>, Vec<&'p Crl>)> {
    let in_scope = match policy.revocation_scope {
        RevocationScope::EndEntity => 1,
        RevocationScope::Chain => path.presented.len(),
    };
    for (_, der) in path.presented.iter().take(in_scope) {
        if cleared.contains(der.as_ref()) {
            continue;
        }
        // The path's certificates passed webpki's parser already.
        let Ok(cert) = EndEntityCert::try_from(der) else {
            continue;
        };
        let revoking: Vec<&Crl> = policy
            .crls
            .iter()
            .filter(|c| is_current(c, at) && c.lists(cert.issuer(), cert.serial()))
            .collect();
        if !revoking.is_empty() {
            return Some((der.as_ref().to_vec(), revoking));
        }
    }
    None
}

/// Fails the path when the certificate the anchor issued is in scope, a
/// current CRL names the anchor as its issuer, and the anchor's keyUsage is
/// present without cRLSign: webpki consulted that CRL without the keyUsage
/// check it makes on intermediates. The error is the one webpki gives for an
/// intermediate (`IssuerNotCrlSigner`).
fn anchor_may_sign_crls(
    policy: &Policy,
    store: &TrustStore,
    at: UnixTime,
    path: &BuiltPath,
) -> Result<(), Failure> {
    let in_scope = match policy.revocation_scope {
        RevocationScope::EndEntity => 1,
        RevocationScope::Chain => path.presented.len(),
    };
    if path.presented.len() > in_scope {
        return Ok(());
    }
    let anchor = &store.anchors()[path.anchor_index];
    let subject = anchor.cert.subject_der();
    let from_anchor = policy
        .crls
        .iter()
        .any(|c| is_current(c, at) && c.list.issuer() == subject);
    if from_anchor && !anchor.cert.key_usage_allows_crl_sign() {
        return Err(Failure::Webpki(webpki::Error::IssuerNotCrlSigner));
    }
    Ok(())
}

/// webpki's revocation options for `crls` under `policy`; `None` when no CRL
/// is given (revocation is then not checked).
fn options<'a>(
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
