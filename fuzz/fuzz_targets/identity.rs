//! Identity rules with arbitrary reference names and certificates.
//!
//! Input: a name (up to the first `FF 00 FF`) and a certificate (DER or PEM).
//! Invariants: no panic; parsing a reference name is idempotent; the rules
//! nest (SAN match => SAN-then-CN match unless a sip: URI SAN sets the DNS
//! SANs aside, and any match but a URI SAN's => CN-or-SAN match); a match
//! without wildcards implies a match with them; a reported match names a
//! field the certificate presents; a matched DNS name or CN is ASCII without
//! a trailing dot.
#![no_main]

use hybridtrust::{Certificate, IdentityRule, MatchedName, ReferenceName, RuleKind, WildcardMode};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let pieces = common::pieces(data, 2);
    let name = String::from_utf8_lossy(pieces[0]);
    let reference = match ReferenceName::parse(&name) {
        Ok(r) => {
            let again = ReferenceName::parse(&r.to_string()).expect("a parsed name parses again");
            assert_eq!(again, r, "parsing a reference name is not idempotent");
            r
        }
        Err(_) => return,
    };
    let Some(cert_bytes) = pieces.get(1) else {
        return;
    };
    let cert = match Certificate::from_der(cert_bytes.to_vec()) {
        Ok(c) => c,
        Err(_) => match hybridtrust::parse_chain(cert_bytes)
            .ok()
            .and_then(|c| Certificate::from_der(c[0].to_vec()).ok())
        {
            Some(c) => c,
            None => return,
        },
    };
    let name = reference.to_string();
    let check = |kind, mode| {
        IdentityRule::new(kind, &name)
            .unwrap()
            .with_wildcards(mode)
            .check(&cert)
    };
    for mode in [WildcardMode::LeftmostLabel, WildcardMode::Disallowed] {
        let san = check(RuleKind::San, mode);
        let san_then_cn = check(RuleKind::SanThenCn, mode);
        let cn_or_san = check(RuleKind::CnOrSan, mode);
        // RFC 5922: with a sip: URI SAN, SAN-then-CN ignores the DNS SANs,
        // and only it reads URI SANs; otherwise the rules nest.
        let sip_uri = cert
            .uris()
            .iter()
            .any(|u| u.get(..4).is_some_and(|s| s.eq_ignore_ascii_case("sip:")));
        if san.is_ok() && !sip_uri {
            assert!(san_then_cn.is_ok(), "SAN matched but SAN-then-CN did not");
        }
        let by_uri = matches!(&san_then_cn, Ok(m) if matches!(m.matched, MatchedName::UriSan(_)));
        if san.is_ok() || (san_then_cn.is_ok() && !by_uri) {
            assert!(
                cn_or_san.is_ok(),
                "a stricter rule matched but CN-or-SAN did not"
            );
        }
        for result in [&san, &san_then_cn, &cn_or_san] {
            match result {
                Ok(m) => {
                    match &m.matched {
                        MatchedName::DnsSan(d) => assert!(cert.dns_names().contains(d)),
                        MatchedName::UriSan(u) => assert!(cert.uris().contains(u)),
                        MatchedName::IpSan(ip) => assert!(cert.ip_addresses().contains(ip)),
                        MatchedName::CommonName(cn) => {
                            assert_eq!(cert.common_name(), Some(cn.as_str()));
                            assert!(
                                cert.common_name_is_clean(),
                                "a CN with control characters matched"
                            );
                        }
                    }
                    // Presented names are compared as ASCII, never Unicode-mapped,
                    // and an absolute presented name never matches.
                    if let MatchedName::DnsSan(n) | MatchedName::CommonName(n) = &m.matched {
                        assert!(n.is_ascii(), "a non-ASCII name matched: {n:?}");
                        assert!(
                            !n.ends_with('.'),
                            "a name with a trailing dot matched: {n:?}"
                        );
                    }
                    if mode == WildcardMode::Disallowed {
                        assert!(!m.wildcard, "a wildcard matched with wildcards disallowed");
                    }
                }
                Err(miss) => {
                    let _ = miss.to_string();
                }
            }
        }
        if mode == WildcardMode::Disallowed {
            for kind in [RuleKind::San, RuleKind::SanThenCn, RuleKind::CnOrSan] {
                if check(kind, mode).is_ok() {
                    assert!(check(kind, WildcardMode::LeftmostLabel).is_ok());
                }
            }
        }
    }
});
