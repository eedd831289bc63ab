//! Stage 2, the presented intermediates: duplicates dropped, the likely path
//! from the leaf first.
//!
//! Both steps cost O(n log n) (hash maps keyed by DER, subject and key
//! identifier) however many certificates the chain limit lets through.

use std::collections::HashMap;

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
    /// The position in the presented chain of each of `certs`, by DER.
    by_der: HashMap<&'a [u8], usize>,
}

impl Intermediates<'_> {
    /// The position in the presented chain of the intermediate `der`.
    pub fn position_of(&self, der: &[u8]) -> Option<usize> {
        self.by_der.get(der).copied()
    }
}

/// Drops copies of the leaf and duplicates (keeping each certificate's first
/// position) and, with several intermediates, puts the likely path first
/// (issuer by name, then by key identifier), so decoys that share a CA's name
/// but not its key cost no signature checks. Chains without key identifiers
/// keep their order after the name match. Path building is handed the
/// best-ranked `path::MAX_PATH_CANDIDATES` of them.
pub(super) fn intermediates<'a>(chain: &'a [CertificateDer<'_>]) -> Intermediates<'a> {
    let mut out = Intermediates {
        certs: Vec::with_capacity(chain.len()),
        positions: Vec::with_capacity(chain.len()),
        by_der: HashMap::with_capacity(chain.len()),
    };
    let Some(leaf_der) = chain.first() else {
        return out;
    };
    for (i, der) in chain.iter().enumerate().skip(1) {
        if der.as_ref() != leaf_der.as_ref() && !out.by_der.contains_key(der.as_ref()) {
            out.by_der.insert(der.as_ref(), i);
            out.positions.push(i);
            out.certs.push(CertificateDer::from(der.as_ref()));
        }
    }
    if out.certs.len() > 1 {
        order_by_issuer(leaf_der, &mut out.certs, &mut out.positions);
    }
    out
}

/// The names and key identifiers ordering reads from one certificate.
struct Node {
    subject: Vec<u8>,
    issuer: Vec<u8>,
    ski: Option<Vec<u8>>,
    aki: Option<Vec<u8>>,
}

impl Node {
    fn of(der: &CertificateDer<'_>) -> Option<Node> {
        let cert = EndEntityCert::try_from(der).ok()?;
        let facts = Facts::read_keys(der.as_ref()).ok()?;
        Some(Node {
            subject: cert.subject().to_vec(),
            issuer: cert.issuer().to_vec(),
            ski: facts.subject_key_id.map(<[u8]>::to_vec),
            aki: facts.authority_key_id,
        })
    }
    fn self_issued(&self) -> bool {
        self.subject == self.issuer
    }
}

/// Indices in input order, taken first-unused-first. Entries only ever become
/// used, so the cursor only moves forward: every list is walked once in all.
#[derive(Default)]
struct Queue {
    items: Vec<usize>,
    next: usize,
}

impl Queue {
    fn first_unused(&mut self, used: &[bool]) -> Option<usize> {
        while let Some(&i) = self.items.get(self.next) {
            if !used[i] {
                return Some(i);
            }
            self.next += 1;
        }
        None
    }
}

/// Reorders `intermediates` (and their `positions`) so that the certificates
/// of the likely path from the leaf come first, each chosen by subject name
/// and, when the child names one, by authority key identifier: the first
/// unused candidate whose subject key identifier matches, else the first that
/// is not self-issued, else the first.
fn order_by_issuer(
    leaf: &CertificateDer<'_>,
    intermediates: &mut Vec<CertificateDer<'_>>,
    positions: &mut Vec<usize>,
) {
    let nodes: Vec<Option<Node>> = intermediates.iter().map(Node::of).collect();
    let Some(leaf) = Node::of(leaf) else {
        return;
    };
    // Candidates by subject and key identifier, by subject and not
    // self-issued, and by subject only; each in input order.
    let mut by_key: HashMap<(&[u8], &[u8]), Queue> = HashMap::new();
    let mut by_name: HashMap<&[u8], Queue> = HashMap::new();
    let mut by_name_any: HashMap<&[u8], Queue> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        let Some(n) = n else { continue };
        if let Some(ski) = &n.ski {
            by_key.entry((&n.subject, ski)).or_default().items.push(i);
        }
        if !n.self_issued() {
            by_name.entry(&n.subject).or_default().items.push(i);
        }
        by_name_any.entry(&n.subject).or_default().items.push(i);
    }
    let mut used = vec![false; nodes.len()];
    let mut order: Vec<usize> = Vec::with_capacity(nodes.len());
    let mut current = &leaf;
    while order.len() < nodes.len() {
        let issuer = current.issuer.as_slice();
        let key_match = current.aki.as_deref().and_then(|aki| {
            by_key
                .get_mut(&(issuer, aki))
                .and_then(|q| q.first_unused(&used))
        });
        // Without a key match, prefer a CA that is not self-issued: a presented
        // self-signed certificate cannot lead to an anchor by another name.
        let next = key_match
            .or_else(|| by_name.get_mut(issuer)?.first_unused(&used))
            .or_else(|| by_name_any.get_mut(issuer)?.first_unused(&used));
        let Some(next) = next else {
            break;
        };
        used[next] = true;
        order.push(next);
        let Some(n) = &nodes[next] else { break };
        if n.self_issued() {
            break;
        }
        current = n;
    }
    if order.iter().enumerate().all(|(k, &i)| k == i) {
        return; // already in path order
    }
    let is_self_issued = |i: usize| nodes[i].as_ref().is_some_and(Node::self_issued);
    for self_issued_pass in [false, true] {
        for (i, _) in used.iter().enumerate().filter(|(_, used)| !**used) {
            if is_self_issued(i) == self_issued_pass {
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
