//! The matching itself: presented names against a reference name.

use pki_types::{CertificateDer, ServerName};

use super::{
    IdentityRule, MatchedName, NameMatch, NameMismatch, Presented, ReferenceName, RuleKind,
    WildcardMode,
};

pub(super) fn check(rule: &IdentityRule, cert: &impl Presented) -> Result<NameMatch, NameMismatch> {
    let mut notes = Vec::new();
    let found = find_match(rule, cert, &mut notes);
    if let Some((matched, wildcard)) = found {
        // Defence in depth: an RFC 6125 SAN match must also satisfy webpki's own check.
        if rule.kind == RuleKind::San && webpki_disagrees(rule, cert) {
            notes.push("rejected by webpki's RFC 6125 name check".to_string());
        } else {
            return Ok(NameMatch {
                rule: rule.kind,
                expected: rule.reference.to_string(),
                matched,
                wildcard,
            });
        }
    }
    Err(mismatch(rule, cert, notes))
}

fn find_match(
    rule: &IdentityRule,
    cert: &impl Presented,
    notes: &mut Vec<String>,
) -> Option<(MatchedName, bool)> {
    match &rule.reference {
        ReferenceName::Ip(ip) => {
            if let Some(hit) = cert.presented_ips().iter().find(|p| *p == ip) {
                return Some((MatchedName::IpSan(*hit), false));
            }
            if rule.kind == RuleKind::CnOrSan {
                if let Some(cn) = clean_cn(cert) {
                    if cn.parse::<std::net::IpAddr>().ok() == Some(*ip) {
                        return Some((MatchedName::CommonName(cn), false));
                    }
                }
            }
            None
        }
        ReferenceName::Dns(reference) => {
            for presented in cert.presented_dns() {
                if let Some(wildcard) = dns_matches(presented, reference, rule.wildcards, notes) {
                    return Some((MatchedName::DnsSan(presented.clone()), wildcard));
                }
            }
            let use_cn = match rule.kind {
                RuleKind::San => false,
                RuleKind::SanThenCn => {
                    if cert.presented_dns().is_empty() {
                        true
                    } else {
                        if cert.presented_cn().is_some() {
                            notes.push(
                                "the CN is ignored because the certificate has DNS SANs"
                                    .to_string(),
                            );
                        }
                        false
                    }
                }
                RuleKind::CnOrSan => true,
            };
            if !use_cn {
                if rule.kind == RuleKind::San
                    && cert
                        .presented_cn()
                        .and_then(|(cn, _)| normalise(&cn))
                        .is_some_and(|cn| cn == *reference)
                {
                    notes.push(
                        "the name is only in the CN; this rule requires it in a SAN".to_string(),
                    );
                }
                return None;
            }
            let (cn, clean) = cert.presented_cn()?;
            if !clean {
                notes.push("the CN holds control characters and never matches".to_string());
                return None;
            }
            let normalised = normalise(&cn)?;
            dns_matches(&normalised, reference, rule.wildcards, notes)
                .map(|w| (MatchedName::CommonName(cn), w))
        }
    }
}

fn clean_cn(cert: &impl Presented) -> Option<String> {
    cert.presented_cn()
        .filter(|(_, clean)| *clean)
        .map(|(cn, _)| cn)
}

/// Lower-case A-label form of a presented name, or `None` when it cannot be a host name.
fn normalise(name: &str) -> Option<String> {
    let ascii = if name.is_ascii() {
        name.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii(name).ok()?
    };
    let ascii = ascii.strip_suffix('.').unwrap_or(&ascii).to_string();
    let ok = !ascii.is_empty()
        && ascii
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'*' || b == b'_')
        && !ascii.split('.').any(str::is_empty);
    ok.then_some(ascii)
}

/// `Some(wildcard_used)` when `presented` matches `reference`.
fn dns_matches(
    presented: &str,
    reference: &str,
    mode: WildcardMode,
    notes: &mut Vec<String>,
) -> Option<bool> {
    let presented = normalise(presented)?;
    if !presented.contains('*') {
        return (presented == reference).then_some(false);
    }
    let Some(suffix) = presented.strip_prefix("*.") else {
        return None; // partial-label wildcards such as f*o.example.com never match
    };
    if suffix.contains('*') || !suffix.contains('.') {
        return None; // *.*.com, *.com
    }
    let (first, rest) = reference.split_once('.')?;
    if first.is_empty() || rest != suffix {
        return None;
    }
    match mode {
        WildcardMode::LeftmostLabel => Some(true),
        WildcardMode::Disallowed => {
            notes.push(format!(
                "'{presented}' would match through its wildcard, but this rule accepts exact names only"
            ));
            None
        }
    }
}

fn webpki_disagrees(rule: &IdentityRule, cert: &impl Presented) -> bool {
    let name = match &rule.reference {
        ReferenceName::Dns(d) => match ServerName::try_from(d.as_str()) {
            Ok(n) => n,
            Err(_) => return true,
        },
        ReferenceName::Ip(ip) => ServerName::IpAddress((*ip).into()),
    };
    let der = CertificateDer::from(cert.presented_der());
    match webpki::EndEntityCert::try_from(&der) {
        Ok(ee) => ee.verify_is_valid_for_subject_name(&name).is_err(),
        Err(_) => true,
    }
}

fn mismatch(rule: &IdentityRule, cert: &impl Presented, notes: Vec<String>) -> NameMismatch {
    let expected = rule.reference.to_string();
    let cn = cert.presented_cn();
    let cn_display = cn.as_ref().map(|(cn, clean)| {
        if *clean {
            cn.clone()
        } else {
            cn.escape_debug().to_string()
        }
    });
    let mut candidates: Vec<String> = cert.presented_dns().to_vec();
    if let Some((cn, true)) = cn {
        candidates.push(cn);
    }
    let nearest = candidates
        .iter()
        .map(|c| (edit_distance(&c.to_ascii_lowercase(), &expected), c))
        .min_by_key(|(d, _)| *d)
        .map(|(d, c)| (d, c.clone()));
    let alias = rule
        .aliases
        .iter()
        .find(|a| candidates.iter().any(|c| c.eq_ignore_ascii_case(&a.name)))
        .cloned();
    let (nearest, near_miss) = match nearest {
        Some((d, name)) => (Some(name), (1..=2).contains(&d)),
        None => (None, false),
    };
    NameMismatch {
        rule: rule.kind,
        expected,
        presented_dns: cert.presented_dns().to_vec(),
        presented_ips: cert.presented_ips().to_vec(),
        presented_cn: cn_display,
        nearest,
        near_miss,
        alias,
        notes,
    }
}

/// Levenshtein distance (bytes), capped work for long inputs.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() > 255 || b.len() > 255 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(presented: &str, reference: &str, mode: WildcardMode) -> Option<bool> {
        dns_matches(presented, reference, mode, &mut Vec::new())
    }

    #[test]
    fn wildcard_rules() {
        let rfc = WildcardMode::LeftmostLabel;
        assert_eq!(m("*.webex.com", "callservice.webex.com", rfc), Some(true));
        assert_eq!(m("*.webex.com", "webex.com", rfc), None);
        assert_eq!(m("*.webex.com", "a.b.webex.com", rfc), None);
        assert_eq!(m("*.com", "webex.com", rfc), None);
        assert_eq!(m("*.*.com", "a.b.com", rfc), None);
        assert_eq!(m("f*o.example.com", "foo.example.com", rfc), None);
        assert_eq!(
            m(
                "*.webex.com",
                "callservice.webex.com",
                WildcardMode::Disallowed
            ),
            None
        );
        assert_eq!(
            m("CallService.WEBEX.com.", "callservice.webex.com", rfc),
            Some(false)
        );
        assert_eq!(
            m(
                "callservice.webex.com\0.evil.com",
                "callservice.webex.com",
                rfc
            ),
            None
        );
    }

    #[test]
    fn distance() {
        assert_eq!(
            edit_distance("calllservice.webex.com", "callservice.webex.com"),
            1
        );
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
