//! Stage 7, identity: the identity rule on the leaf, and the path's name
//! constraints on a name that matched only in the CN (webpki applies them to
//! SANs only).

use pki_types::CertificateDer;

use super::diagnosis::{CertRef, Diagnosis, DiagnosisKind, Role};
use super::{cn_constraints, explain, full_cert};
use crate::facts::Facts;
use crate::name::{IdentityRule, MatchedName, NameMatch, Presented};
use crate::store::Anchor;

/// Checks `identity` (when given) on the leaf; `presented` is the verified
/// path's presented certificates (leaf first), `anchor` its anchor.
pub(super) fn check(
    chain: &[CertificateDer<'_>],
    identity: Option<&IdentityRule>,
    leaf_facts: &Facts<'_>,
    presented: &[(usize, CertificateDer<'static>)],
    anchor: &Anchor,
) -> Result<Option<NameMatch>, Diagnosis> {
    let Some(rule) = identity else {
        return Ok(None);
    };
    let leaf_der = &presented[0].1;
    let leaf_names = LeafNames {
        facts: leaf_facts,
        der: leaf_der.as_ref(),
    };
    let matched = match rule.check_presented(&leaf_names) {
        Ok(m) => m,
        Err(miss) => {
            return Err(explain::name_mismatch(
                &full_cert(chain, 0, leaf_der)?,
                miss,
            ))
        }
    };
    if let NameMatch {
        matched: MatchedName::CommonName(cn),
        expected,
        ..
    } = &matched
    {
        cn_permitted(chain, presented, anchor, expected, cn)?;
    }
    Ok(Some(matched))
}

/// Every CA of the path (presented intermediates, then the anchor) must
/// permit `expected`, which matched in the CN `cn`.
fn cn_permitted(
    chain: &[CertificateDer<'_>],
    presented: &[(usize, CertificateDer<'static>)],
    anchor: &Anchor,
    expected: &str,
    cn: &str,
) -> Result<(), Diagnosis> {
    let cas = presented[1..]
        .iter()
        .map(|(pos, der)| (Some(*pos), der.as_ref()))
        .chain(std::iter::once((None, anchor.certificate().der().as_ref())));
    for (pos, der) in cas {
        if !cn_constraints::permits(der, expected) {
            let (cert, role) = match pos {
                Some(p) => (
                    full_cert(chain, p, &CertificateDer::from(der))?,
                    Role::Intermediate,
                ),
                None => (anchor.certificate().clone(), Role::Anchor),
            };
            return Err(Diagnosis::new(
                DiagnosisKind::NameConstraintViolation,
                format!(
                    "the name '{expected}' matched only in the CN '{cn}', which the name constraints of '{}' do not permit",
                    cert.display_name()
                ),
                "the CA is not allowed to issue for this name; use a certificate from a CA that may, with the name in a SAN",
            )
            .cert(CertRef::new(&cert, pos, role)));
        }
    }
    Ok(())
}

/// The leaf's names as the matcher reads them, from [`Facts`].
struct LeafNames<'a> {
    facts: &'a Facts<'a>,
    der: &'a [u8],
}

impl Presented for LeafNames<'_> {
    fn presented_dns(&self) -> &[String] {
        &self.facts.dns_names
    }
    fn presented_ips(&self) -> &[std::net::IpAddr] {
        &self.facts.ip_addresses
    }
    fn presented_uris(&self) -> &[String] {
        &self.facts.uris
    }
    fn presented_has_san(&self) -> bool {
        self.facts.has_subject_alt_name
    }
    fn presented_cn(&self) -> Option<(String, bool)> {
        self.facts.common_name()
    }
    fn presented_der(&self) -> &[u8] {
        self.der
    }
}
