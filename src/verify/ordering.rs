//! Stage 2, the presented intermediates: duplicates dropped, the likely path
//! from the leaf first.

use pki_types::CertificateDer;
use webpki::EndEntityCert;

use crate::facts::Facts;

/// The presented intermediates as path building sees them.
pub(super) struct Intermediates<'a> {
    /// Each distinct certificate once (copies of the leaf dropped), the likely
    /// path from the leaf first.
    pub certs: Vec<CertificateDer<'a>>,
    /// For each of `certs`, its index in the presented chain.
    pub positions: Vec<usize>,
}

/// Drops copies of the leaf and duplicates (keeping each certificate's first
/// position) and, with several intermediates, puts the likely path first
/// (issuer by name, then by key identifier), so decoys that share a CA's name
/// but not its key cost no signature checks. Chains without key identifiers
/// keep their order after the name match, and every certificate stays
/// available.
pub(super) fn intermediates<'a>(chain: &'a [CertificateDer<'_>]) -> Intermediates<'a> {
    let mut out = Intermediates {
        certs: Vec::with_capacity(chain.len()),
        positions: Vec::with_capacity(chain.len()),
    };
    let Some(leaf_der) = chain.first() else {
        return out;
    };
    for (i, der) in chain.iter().enumerate().skip(1) {
        if der.as_ref() != leaf_der.as_ref()
            && !out.certs.iter().any(|d| d.as_ref() == der.as_ref())
        {
            out.positions.push(i);
            out.certs.push(CertificateDer::from(der.as_ref()));
        }
    }
    if out.certs.len() > 1 {
        order_by_issuer(leaf_der, &mut out.certs, &mut out.positions);
    }
    out
}

/// Reorders `intermediates` (and their `positions`) so that the certificates
/// of the likely path from the leaf come first, each chosen by subject name
/// and, when the child names one, by authority key identifier.
fn order_by_issuer(
    leaf: &CertificateDer<'_>,
    intermediates: &mut Vec<CertificateDer<'_>>,
    positions: &mut Vec<usize>,
) {
    struct Node {
        subject: Vec<u8>,
        issuer: Vec<u8>,
        ski: Option<Vec<u8>>,
        aki: Option<Vec<u8>>,
    }
    fn node(der: &CertificateDer<'_>) -> Option<Node> {
        let cert = EndEntityCert::try_from(der).ok()?;
        let facts = Facts::read_keys(der.as_ref()).ok()?;
        Some(Node {
            subject: cert.subject().to_vec(),
            issuer: cert.issuer().to_vec(),
            ski: facts.subject_key_id.map(<[u8]>::to_vec),
            aki: facts.authority_key_id,
        })
    }
    let nodes: Vec<Option<Node>> = intermediates.iter().map(node).collect();
    let Some(mut current) = node(leaf) else {
        return;
    };
    let mut order: Vec<usize> = Vec::with_capacity(nodes.len());
    while order.len() < nodes.len() {
        let fits = |i: usize| {
            !order.contains(&i)
                && nodes[i]
                    .as_ref()
                    .is_some_and(|n| n.subject == current.issuer)
        };
        let by_key = current.aki.as_deref().and_then(|aki| {
            (0..nodes.len())
                .find(|&i| fits(i) && nodes[i].as_ref().and_then(|n| n.ski.as_deref()) == Some(aki))
        });
        // Without a key match, prefer a CA that is not self-issued: a presented
        // self-signed certificate cannot lead to an anchor by another name.
        let self_issued = |i: usize| nodes[i].as_ref().is_some_and(|n| n.subject == n.issuer);
        let by_name = || {
            (0..nodes.len())
                .find(|&i| fits(i) && !self_issued(i))
                .or_else(|| (0..nodes.len()).find(|&i| fits(i)))
        };
        let Some(next) = by_key.or_else(by_name) else {
            break;
        };
        order.push(next);
        let Some(n) = &nodes[next] else { break };
        if n.subject == n.issuer {
            break;
        }
        current = Node {
            subject: n.subject.clone(),
            issuer: n.issuer.clone(),
            ski: n.ski.clone(),
            aki: n.aki.clone(),
        };
    }
    if order.iter().enumerate().all(|(k, &i)| k == i) {
        return; // already in path order
    }
    let is_self_issued = |i: usize| nodes[i].as_ref().is_some_and(|n| n.subject == n.issuer);
    for self_issued_pass in [false, true] {
        for i in 0..nodes.len() {
            if !order.contains(&i) && is_self_issued(i) == self_issued_pass {
                order.push(i);
            }
        }
    }
    let old_certs = std::mem::take(intermediates);
    let old_positions = std::mem::take(positions);
    let mut slots: Vec<Option<CertificateDer<'_>>> = old_certs.into_iter().map(Some).collect();
    for i in order {
        if let Some(c) = slots[i].take() {
            intermediates.push(c);
            positions.push(old_positions[i]);
        }
    }
}
