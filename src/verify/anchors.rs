//! Stage 3, the candidate anchors: only store anchors named as an issuer of a
//! presented certificate can complete a path, so verification cost does not
//! grow with the store's size.

use pki_types::{CertificateDer, TrustAnchor};
use webpki::EndEntityCert;

use super::ordering::Intermediates;
use crate::facts::Facts;
use crate::store::TrustStore;

/// The anchors handed to webpki, with their indices in the store.
pub(super) struct Candidates<'s> {
    /// Index in [`TrustStore::anchors`] of each of `anchors`.
    pub indices: Vec<usize>,
    /// The anchors, same-name anchors ranked by key identifier.
    pub anchors: Vec<TrustAnchor<'s>>,
}

impl Candidates<'_> {
    /// The store index of the anchor webpki chose (matched by subject and key).
    pub fn store_index(&self, chosen: &TrustAnchor<'_>) -> Option<usize> {
        let spki = chosen.subject_public_key_info.as_ref();
        let subject = chosen.subject.as_ref();
        self.anchors
            .iter()
            .zip(&self.indices)
            .find(|(ta, _)| {
                ta.subject_public_key_info.as_ref() == spki && ta.subject.as_ref() == subject
            })
            .map(|(_, i)| *i)
    }
}

/// The anchors whose subject is the issuer of the leaf or of a presented
/// intermediate. Their authority key identifiers rank same-name anchors by
/// key (read only when more than one anchor has an issuer's name).
pub(super) fn candidates<'s>(
    store: &'s TrustStore,
    leaf: &'s EndEntityCert<'_>,
    leaf_der: &CertificateDer<'_>,
    intermediates: &'s Intermediates<'_>,
    parsed_intermediates: &'s [Option<EndEntityCert<'_>>],
) -> Candidates<'s> {
    let mut issuers: Vec<&[u8]> = Vec::with_capacity(intermediates.certs.len() + 1);
    issuers.push(leaf.issuer());
    for c in parsed_intermediates.iter().flatten() {
        issuers.push(c.issuer());
    }
    let key_ids = || -> Vec<Vec<u8>> {
        std::iter::once(leaf_der)
            .chain(&intermediates.certs)
            .filter_map(|d| Facts::read_keys(d.as_ref()).ok()?.authority_key_id)
            .collect()
    };
    let (indices, anchors) = store.candidate_anchors(issuers.into_iter(), key_ids);
    Candidates { indices, anchors }
}
