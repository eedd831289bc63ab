//! Name constraints applied to a name that matched in the subject CN.
//!
//! webpki checks a CA's name constraints against the leaf's subjectAltNames
//! (and directory names), not against its CN. A rule that accepts the CN
//! (SAN-then-CN, CN-or-SAN) must then check the constraints itself, or a
//! CA constrained to `example.org` could issue a CN-only certificate for
//! `callservice.webex.com` that maps into the zone.

use std::net::IpAddr;

use der::Decode;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::NameConstraints;

const OID_NAME_CONSTRAINTS: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("2.5.29.30");

/// Whether the constraints of the CA certificate `ca_der` permit the name
/// `cn` (a DNS name in lower case, or an IP address). A CA whose extension
/// cannot be read permits nothing (fail closed).
pub(crate) fn permits(ca_der: &[u8], cn: &str) -> bool {
    let Ok(cert) = x509_cert::Certificate::from_der(ca_der) else {
        return false;
    };
    let Some(ext) = cert
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == OID_NAME_CONSTRAINTS)
    else {
        return true;
    };
    let Ok(nc) = NameConstraints::from_der(ext.extn_value.as_bytes()) else {
        return false;
    };
    let ip = cn.parse::<IpAddr>().ok();
    // Only subtrees of the name's own type constrain it (RFC 5280 4.2.1.10).
    let relevant =
        |subtrees: &Option<Vec<x509_cert::ext::pkix::constraints::name::GeneralSubtree>>| {
            subtrees
                .iter()
                .flatten()
                .filter_map(|s| match (&s.base, ip) {
                    (GeneralName::DnsName(base), None) => Some(Some(base.to_string())),
                    (GeneralName::IpAddress(_), Some(_)) => Some(None),
                    _ => None,
                })
                .collect::<Vec<Option<String>>>()
        };
    let permitted = relevant(&nc.permitted_subtrees);
    let excluded = relevant(&nc.excluded_subtrees);
    if ip.is_some() {
        // IP subtrees are not evaluated against a CN: any of them refuses it.
        return permitted.is_empty() && excluded.is_empty();
    }
    let within = |base: &Option<String>| base.as_deref().is_some_and(|b| dns_within(cn, b));
    (permitted.is_empty() || permitted.iter().any(within)) && !excluded.iter().any(within)
}

/// RFC 5280 dNSName subtree: `base` itself and every name below it; a base
/// with a leading dot only the names below it; an empty base every name.
fn dns_within(name: &str, base: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let base = base.trim_end_matches('.').to_ascii_lowercase();
    if base.is_empty() {
        return true;
    }
    if let Some(below) = base.strip_prefix('.') {
        return name.ends_with(&format!(".{below}"));
    }
    name == base || name.ends_with(&format!(".{base}"))
}

#[cfg(test)]
mod tests {
    use super::dns_within;

    #[test]
    fn subtrees() {
        assert!(dns_within("example.org", "example.org"));
        assert!(dns_within("a.b.Example.org", "example.ORG"));
        assert!(!dns_within("badexample.org", "example.org"));
        assert!(!dns_within("example.org", ".example.org"));
        assert!(dns_within("a.example.org", ".example.org"));
        assert!(dns_within("callservice.webex.com", ""));
        assert!(!dns_within("callservice.webex.com", "example.org"));
    }
}
