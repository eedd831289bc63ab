//! The matching itself: presented names against a reference name.

use pki_types::{CertificateDer, ServerName};

use super::{
    IdentityRule, MatchedName, NameMatch, NameMismatch, Presented, ReferenceName, RuleKind,
    WildcardMode,
};
use crate::text::escape_untrusted;

pub(super) fn check(rule: &IdentityRule, cert: &impl Presented) -> Result<NameMatch, NameMismatch> {
    let mut notes = Notes::default();
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
    Err(mismatch(rule, cert, notes.0))
}

/// Notes for the mismatch, deduplicated and bounded (a certificate may
/// present thousands of names).
#[derive(Default)]
struct Notes(Vec<String>);

impl Notes {
    const MAX: usize = 16;
    fn is_full(&self) -> bool {
        self.0.len() >= Self::MAX
    }
    fn push(&mut self, note: String) {
        if self.0.len() < Self::MAX && !self.0.contains(&note) {
            self.0.push(note);
        }
    }
}

/// Why a presented name can never match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unusable {
    /// A character outside ASCII: presented names are not Unicode-mapped.
    NonAscii,
    /// A control character (NUL, newline, ESC, ...).
    Control,
    /// An absolute name (`example.com.`).
    TrailingDot,
    /// Not a host name (empty labels, spaces, other punctuation).
    NotAHostName,
}

/// The form in which a presented DNS name is compared: ASCII only, ASCII
/// lower case, letters, digits, `-`, `_`, `*` and dots, no empty label, no
/// trailing dot. Nothing else is mapped: a presented name is never put
/// through IDNA or Unicode case folding.
fn presented_form(name: &str) -> Result<String, Unusable> {
    if !name.is_ascii() {
        return Err(Unusable::NonAscii);
    }
    if name.bytes().any(|b| b.is_ascii_control()) {
        return Err(Unusable::Control);
    }
    if name.len() > 1 && name.ends_with('.') {
        return Err(Unusable::TrailingDot);
    }
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'*' || b == b'_')
        && !name.split('.').any(str::is_empty);
    if ok {
        Ok(name.to_ascii_lowercase())
    } else {
        Err(Unusable::NotAHostName)
    }
}

/// Notes why `name` (a presented `field`, e.g. "the CN") never matches.
fn note_unusable(field: &str, name: &str, why: Unusable, reference: &str, notes: &mut Notes) {
    note_unusable_part(field, name, name, why, reference, notes)
}

/// Notes why `part` of the presented `name` (the host of a URI) never matches.
fn note_unusable_part(
    field: &str,
    name: &str,
    part: &str,
    why: Unusable,
    reference: &str,
    notes: &mut Notes,
) {
    if notes.is_full() {
        return; // no more notes: spare the look-alike check
    }
    let shown = escape_untrusted(name);
    match why {
        Unusable::NonAscii => {
            let mut note = format!(
                "{field} '{shown}' holds non-ASCII characters; presented names are compared as ASCII, \
                 so it never matches (an internationalized name must be presented as its A-label, xn--...)"
            );
            // For the admin only, never for matching: does it imitate the reference?
            if part.len() <= 1024
                && idna::domain_to_ascii(part)
                    .is_ok_and(|a| a.strip_suffix('.').unwrap_or(&a) == reference)
            {
                note.push_str(&format!(
                    "; after Unicode mapping it would read '{reference}': a look-alike of the expected name"
                ));
            }
            notes.push(note);
        }
        Unusable::Control => notes.push(format!(
            "{field} '{shown}' holds control characters and never matches"
        )),
        Unusable::TrailingDot => notes.push(format!(
            "{field} '{shown}' ends with a dot; presented names must not (RFC 5280, CA/Browser Forum), so it never matches"
        )),
        Unusable::NotAHostName => {}
    }
}

fn find_match(
    rule: &IdentityRule,
    cert: &impl Presented,
    notes: &mut Notes,
) -> Option<(MatchedName, bool)> {
    match &rule.reference {
        ReferenceName::Ip(ip) => {
            if let Some(hit) = cert.presented_ips().iter().find(|p| *p == ip) {
                return Some((MatchedName::IpSan(*hit), false));
            }
            if rule.kind == RuleKind::CnOrSan {
                if let Some((cn, clean)) = cert.presented_cn() {
                    // Compared as ASCII too: no fullwidth digits, no `。`.
                    if !cn.is_ascii() || !clean {
                        let why = if cn.is_ascii() {
                            Unusable::Control
                        } else {
                            Unusable::NonAscii
                        };
                        note_unusable("the CN", &cn, why, &ip.to_string(), notes);
                    } else if cn.parse::<std::net::IpAddr>().ok() == Some(*ip) {
                        return Some((MatchedName::CommonName(cn), false));
                    }
                }
            }
            None
        }
        ReferenceName::Dns(reference) => {
            let mut dns_sans_count = true;
            if rule.kind == RuleKind::SanThenCn {
                let mut sip_identities = false;
                for uri in cert.presented_uris() {
                    match sip_uri_host(uri) {
                        Ok(host) => {
                            sip_identities = true;
                            match presented_form(host) {
                                Ok(h) if h == *reference => {
                                    return Some((MatchedName::UriSan(uri.clone()), false));
                                }
                                Ok(_) => {}
                                Err(why) => note_unusable_part(
                                    "the host of the URI SAN",
                                    uri,
                                    host,
                                    why,
                                    reference,
                                    notes,
                                ),
                            }
                        }
                        Err(why) => {
                            if uri_mentions(uri, reference) {
                                notes.push(format!(
                                    "the URI SAN '{}' is not a SIP domain identity: {why}",
                                    escape_untrusted(uri)
                                ));
                            }
                        }
                    }
                }
                if sip_identities {
                    dns_sans_count = false;
                    if !cert.presented_dns().is_empty() {
                        notes.push(
                            "the DNS SANs are ignored because the certificate has sip: URI SANs (RFC 5922 7.1)"
                                .to_string(),
                        );
                    }
                }
            }
            if dns_sans_count {
                for presented in cert.presented_dns() {
                    match dns_matches(presented, reference, rule.wildcards, notes) {
                        Ok(Some(wildcard)) => {
                            return Some((MatchedName::DnsSan(presented.clone()), wildcard))
                        }
                        Ok(None) => {}
                        Err(why) => note_unusable("the DNS SAN", presented, why, reference, notes),
                    }
                }
            }
            let use_cn = match rule.kind {
                RuleKind::San => false,
                RuleKind::SanThenCn => {
                    if cert.presented_has_san() {
                        if cert.presented_cn().is_some() {
                            notes.push(
                                "the CN is ignored because the certificate has subjectAltNames (RFC 5922 7.1)"
                                    .to_string(),
                            );
                        }
                        false
                    } else {
                        true
                    }
                }
                RuleKind::CnOrSan => true,
            };
            if !use_cn {
                if rule.kind == RuleKind::San
                    && cert
                        .presented_cn()
                        .and_then(|(cn, _)| presented_form(&cn).ok())
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
            match dns_matches(&cn, reference, rule.wildcards, notes) {
                Ok(hit) => hit.map(|w| (MatchedName::CommonName(cn), w)),
                Err(why) => {
                    note_unusable("the CN", &cn, why, reference, notes);
                    None
                }
            }
        }
    }
}

/// The host of a `sip:` URI that RFC 5922 7.1 accepts as a SIP domain
/// identity: scheme `sip` (any case), no user part; the host ends at a port,
/// parameters or headers. Anything else is refused with the reason.
fn sip_uri_host(uri: &str) -> Result<&str, &'static str> {
    let Some((scheme, rest)) = uri.split_once(':') else {
        return Err("not a URI");
    };
    if !scheme.eq_ignore_ascii_case("sip") {
        return Err("only sip: URIs name a SIP domain (RFC 5922 7.1)");
    }
    if rest.contains('@') {
        return Err("it has a user part, so it names a user, not a domain (RFC 5922 7.1)");
    }
    if rest.starts_with('[') {
        return Err("an IP literal is not a domain name");
    }
    let host = rest.split([':', ';', '?']).next().unwrap_or_default();
    if host.is_empty() {
        return Err("it has no host");
    }
    Ok(host)
}

/// True when a refused URI looks like it was meant for the reference (so its
/// refusal is worth a note).
fn uri_mentions(uri: &str, reference: &str) -> bool {
    uri.len() <= 1024 && uri.to_ascii_lowercase().contains(reference)
}

/// Lower-case A-label form of a presented name, or `None` when it cannot be
/// compared (see [`presented_form`]).
fn normalise(name: &str) -> Option<String> {
    presented_form(name).ok()
}

/// `Ok(Some(wildcard_used))` when `presented` matches `reference`,
/// `Ok(None)` when it does not, `Err` when it can never match anything.
fn dns_matches(
    presented: &str,
    reference: &str,
    mode: WildcardMode,
    notes: &mut Notes,
) -> Result<Option<bool>, Unusable> {
    let presented = presented_form(presented)?;
    if !presented.contains('*') {
        return Ok((presented == reference).then_some(false));
    }
    let Some(suffix) = presented.strip_prefix("*.") else {
        return Ok(None); // partial-label wildcards such as f*o.example.com never match
    };
    if suffix.contains('*') || !suffix.contains('.') {
        return Ok(None); // *.*.com, *.com
    }
    let Some((first, rest)) = reference.split_once('.') else {
        return Ok(None);
    };
    if first.is_empty() || rest != suffix {
        return Ok(None);
    }
    match mode {
        WildcardMode::LeftmostLabel => Ok(Some(true)),
        WildcardMode::Disallowed => {
            notes.push(format!(
                "'{}' would match through its wildcard, but this rule accepts exact names only",
                escape_untrusted(&presented)
            ));
            Ok(None)
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
    let cn_display = cn.as_ref().map(|(cn, _)| escape_untrusted(cn).into_owned());
    // Near misses and aliases among the names that could ever match: a
    // refused name (non-ASCII, trailing dot, control characters) is
    // explained by its note instead.
    let mut candidates: Vec<String> = cert
        .presented_dns()
        .iter()
        .filter_map(|d| normalise(d))
        .collect();
    if rule.kind == RuleKind::SanThenCn {
        candidates.extend(
            cert.presented_uris()
                .iter()
                .filter_map(|u| sip_uri_host(u).ok())
                .filter_map(normalise),
        );
    }
    if let Some((cn, true)) = &cn {
        candidates.extend(normalise(cn));
    }
    let nearest = candidates
        .iter()
        .map(|c| (edit_distance(c, &expected), c))
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
    let escaped = |names: &[String]| -> Vec<String> {
        names
            .iter()
            .map(|n| escape_untrusted(n).into_owned())
            .collect()
    };
    NameMismatch {
        rule: rule.kind,
        expected,
        presented_dns: escaped(cert.presented_dns()),
        presented_ips: cert.presented_ips().to_vec(),
        presented_uris: escaped(cert.presented_uris()),
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
        dns_matches(presented, reference, mode, &mut Notes::default())
            .ok()
            .flatten()
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
            m("CallService.WEBEX.com", "callservice.webex.com", rfc),
            Some(false)
        );
        // An absolute presented name is refused, as webpki refuses it.
        assert_eq!(
            m("CallService.WEBEX.com.", "callservice.webex.com", rfc),
            None
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

    /// Names as a certificate parser might hand them over (a dNSName is an
    /// IA5String, but the matcher must not rely on the parser for that).
    struct Names {
        dns: Vec<String>,
        uris: Vec<String>,
    }

    impl Presented for Names {
        fn presented_dns(&self) -> &[String] {
            &self.dns
        }
        fn presented_ips(&self) -> &[std::net::IpAddr] {
            &[]
        }
        fn presented_uris(&self) -> &[String] {
            &self.uris
        }
        fn presented_has_san(&self) -> bool {
            true
        }
        fn presented_cn(&self) -> Option<(String, bool)> {
            None
        }
        fn presented_der(&self) -> &[u8] {
            &[]
        }
    }

    #[test]
    fn non_ascii_dns_and_uri_sans_never_match() {
        for name in [
            "ｃａｌｌｓｅｒｖｉｃｅ.webex.com",
            "callservice\u{3002}webex.com",
            "call\u{ad}service.webex.com",
            "call\u{200b}service.webex.com",
        ] {
            let names = Names {
                dns: vec![name.to_string()],
                uris: vec![format!("sip:{name}")],
            };
            for rule in [
                IdentityRule::cn_or_san("callservice.webex.com").unwrap(),
                IdentityRule::san_then_cn("callservice.webex.com").unwrap(),
            ] {
                let miss = check(&rule, &names).unwrap_err();
                assert!(
                    miss.notes.iter().any(|n| n.contains("look-alike")),
                    "{name}: {:?}",
                    miss.notes
                );
            }
            let names = Names {
                dns: vec![],
                uris: vec![format!("sip:{name}")],
            };
            let rule = IdentityRule::san_then_cn("callservice.webex.com").unwrap();
            assert!(check(&rule, &names).is_err());
        }
    }

    #[test]
    fn sip_uri_hosts() {
        assert_eq!(sip_uri_host("sip:a.example"), Ok("a.example"));
        assert_eq!(
            sip_uri_host("SiP:a.example:5061;transport=tls"),
            Ok("a.example")
        );
        assert!(sip_uri_host("sips:a.example").is_err());
        assert!(sip_uri_host("sip:u@a.example").is_err());
        assert!(sip_uri_host("sip:[2001:db8::1]").is_err());
        assert!(sip_uri_host("sip:").is_err());
        assert!(sip_uri_host("a.example").is_err());
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
