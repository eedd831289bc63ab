//! Stage 4, path building: webpki's own search (signatures, validity, usage
//! and EKU, name constraints, depth, revocation) within webpki's budgets.

use pki_types::{CertificateDer, SignatureVerificationAlgorithm, UnixTime};
use webpki::{EndEntityCert, ExtendedKeyUsageValidator, KeyPurposeIdIter, KeyUsage};

use super::anchors::Candidates;
use super::ordering::Intermediates;
use super::policy::{EkuMode, Policy, Sha1Policy, Usage};
use super::{algorithms, EKU_CLIENT_AUTH, EKU_SERVER_AUTH};

/// The path webpki verified, mapped back to the store and the presented chain.
pub(super) struct BuiltPath {
    /// Index of the anchor in the store.
    pub anchor_index: usize,
    /// The presented path certificates (position in the chain, DER), leaf first.
    pub presented: Vec<(usize, CertificateDer<'static>)>,
    /// The EKU transition mode was in force (a serverAuth-only leaf may have passed).
    pub eku_fallback: bool,
}

/// Why path building failed.
pub(super) enum Failure {
    /// webpki refused the chain.
    Webpki(webpki::Error),
    /// webpki chose an anchor that is not among the candidates (a bug).
    AnchorNotInStore,
}

/// Runs webpki's path building for `leaf` over `intermediates` to one of
/// `candidates`, under the policy's usage, EKU mode, SHA-1 policy, maximum
/// depth and `revocation`.
#[allow(clippy::too_many_arguments)]
pub(super) fn build(
    policy: &Policy,
    at: UnixTime,
    leaf_der: &CertificateDer<'_>,
    leaf: &EndEntityCert<'_>,
    intermediates: &Intermediates<'_>,
    candidates: &Candidates<'_>,
    revocation: Option<webpki::RevocationOptions<'_>>,
) -> Result<BuiltPath, Failure> {
    let algs: &[&dyn SignatureVerificationAlgorithm] = match policy.sha1 {
        Sha1Policy::Reject => algorithms::MODERN,
        Sha1Policy::Warn | Sha1Policy::Allow => algorithms::WITH_SHA1,
    };
    let max_depth = policy.max_depth;
    let depth_check = move |path: &webpki::VerifiedPath<'_>| {
        // leaf + intermediates + anchor
        if path.intermediate_certificates().count() + 2 > max_depth {
            Err(webpki::Error::MaximumPathDepthExceeded)
        } else {
            Ok(())
        }
    };
    let anchors = &candidates.anchors;
    let certs = &intermediates.certs;
    let mut eku_fallback = false;
    let result = match (policy.usage, policy.eku_mode) {
        (Usage::ServerAuth, _) => leaf.verify_for_usage(
            algs,
            anchors,
            certs,
            at,
            KeyUsage::server_auth(),
            revocation,
            Some(&depth_check),
        ),
        (Usage::ClientAuth, EkuMode::Strict) => leaf.verify_for_usage(
            algs,
            anchors,
            certs,
            at,
            KeyUsage::client_auth(),
            revocation,
            Some(&depth_check),
        ),
        (Usage::ClientAuth, EkuMode::AcceptServerAuthOnly) => {
            eku_fallback = true;
            leaf.verify_for_usage(
                algs,
                anchors,
                certs,
                at,
                TransitionEku,
                revocation,
                Some(&depth_check),
            )
        }
    };
    let path = result.map_err(Failure::Webpki)?;

    // Map the anchor back to the store, and the intermediates back to positions.
    let anchor_index = candidates
        .store_index(path.anchor())
        .ok_or(Failure::AnchorNotInStore)?;
    let mut presented: Vec<(usize, CertificateDer<'static>)> =
        vec![(0, leaf_der.clone().into_owned())];
    for inter in path.intermediate_certificates() {
        let der = inter.der();
        let pos = certs
            .iter()
            .position(|d| d.as_ref() == der.as_ref())
            .map(|i| intermediates.positions[i])
            .unwrap_or(0);
        presented.push((pos, der.into_owned()));
    }
    Ok(BuiltPath {
        anchor_index,
        presented,
        eku_fallback,
    })
}

/// clientAuth, or serverAuth-only during the clientAuth sunset.
struct TransitionEku;

impl ExtendedKeyUsageValidator for TransitionEku {
    fn validate(&self, iter: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        let mut present = Vec::new();
        for id in iter {
            let id = id?;
            if id == webpki::KeyPurposeId::new(EKU_CLIENT_AUTH)
                || id == webpki::KeyPurposeId::new(EKU_SERVER_AUTH)
            {
                return Ok(());
            }
            present.push(id.to_decoded_oid());
        }
        if present.is_empty() {
            return Ok(()); // no EKU extension: any usage
        }
        Err(webpki::Error::RequiredEkuNotFoundContext(
            webpki::RequiredEkuNotFoundContext {
                required: KeyUsage::client_auth(),
                present,
            },
        ))
    }
}
