//! Identity rules: RFC 6125 SAN matching, SAN-then-CN, CN-or-SAN, wildcards, IDNs, junk.

mod common;

use common::*;
use hybridtrust::{Certificate, IdentityRule, MatchedName, RuleKind, WildcardMode};

fn cert(cn: Option<&str>, dns: &[&str], ips: &[&str]) -> Certificate {
    let pki = Pki::new();
    let mut spec = Spec::leaf("placeholder", dns);
    spec.cn = cn.map(str::to_string);
    spec.ips = ips.iter().map(|i| i.parse().unwrap()).collect();
    let (der, _) = leaf(spec, &pki.issuing);
    Certificate::from_der(der.to_vec()).unwrap()
}

fn matches(rule: IdentityRule, c: &Certificate) -> Option<MatchedName> {
    rule.check(c).ok().map(|m| m.matched)
}

#[test]
fn san_rule_matches_dns_case_insensitively_and_ignores_the_cn() {
    let c = cert(Some("cn.example.com"), &["CallService.Webex.com"], &[]);
    assert_eq!(
        matches(IdentityRule::san("callservice.WEBEX.com.").unwrap(), &c),
        Some(MatchedName::DnsSan("CallService.Webex.com".into()))
    );
    let miss = IdentityRule::san("cn.example.com")
        .unwrap()
        .check(&c)
        .unwrap_err();
    assert_eq!(miss.rule, RuleKind::San);
    assert_eq!(miss.presented_cn.as_deref(), Some("cn.example.com"));
    assert!(
        miss.notes.iter().any(|n| n.contains("only in the CN")),
        "{:?}",
        miss.notes
    );
}

#[test]
fn ip_references_match_ip_sans_only() {
    let c = cert(
        Some("192.0.2.10"),
        &["192.0.2.10"],
        &["192.0.2.7", "2001:db8::1"],
    );
    assert_eq!(
        matches(IdentityRule::san("192.0.2.7").unwrap(), &c),
        Some(MatchedName::IpSan("192.0.2.7".parse().unwrap()))
    );
    assert!(matches(IdentityRule::san("2001:db8::1").unwrap(), &c).is_some());
    // An IP-looking DNS SAN or CN never satisfies an IP reference under the SAN rule.
    assert!(matches(IdentityRule::san("192.0.2.10").unwrap(), &c).is_none());
}

#[test]
fn wildcards_follow_rfc6125_or_are_refused_by_setting() {
    let c = cert(None, &["*.webex.com"], &[]);
    let rfc = IdentityRule::san("callservice.webex.com").unwrap();
    let hit = rfc.check(&c).unwrap();
    assert!(hit.wildcard);
    assert!(matches(IdentityRule::san("webex.com").unwrap(), &c).is_none());
    assert!(matches(IdentityRule::san("a.b.webex.com").unwrap(), &c).is_none());
    let strict = rfc.clone().with_wildcards(WildcardMode::Disallowed);
    let miss = strict.check(&c).unwrap_err();
    assert!(miss.notes.iter().any(|n| n.contains("exact names only")));
}

#[test]
fn wildcard_abuse_never_matches() {
    for bad in ["*.com", "*.*.com", "f*o.example.com", "*oo.example.com"] {
        let c = cert(None, &[bad], &[]);
        for name in ["foo.example.com", "example.com", "a.b.com", "webex.com"] {
            assert!(
                matches(IdentityRule::san(name).unwrap(), &c).is_none(),
                "{bad} must not match {name}"
            );
        }
    }
}

#[test]
fn san_then_cn_uses_the_cn_only_without_dns_sans() {
    let cn_only = cert(Some("sip.partner.example"), &[], &[]);
    assert_eq!(
        matches(
            IdentityRule::san_then_cn("sip.partner.example").unwrap(),
            &cn_only
        ),
        Some(MatchedName::CommonName("sip.partner.example".into()))
    );
    let both = cert(Some("sip.partner.example"), &["other.partner.example"], &[]);
    let miss = IdentityRule::san_then_cn("sip.partner.example")
        .unwrap()
        .check(&both)
        .unwrap_err();
    assert!(miss.notes.iter().any(|n| n.contains("CN is ignored")));
}

#[test]
fn cn_or_san_matches_either() {
    let c = cert(Some("callservice.webex.com"), &["edge.example.com"], &[]);
    let rule = IdentityRule::cn_or_san("callservice.webex.com").unwrap();
    assert_eq!(
        matches(rule.clone(), &c),
        Some(MatchedName::CommonName("callservice.webex.com".into()))
    );
    let c = cert(Some("edge.example.com"), &["callservice.webex.com"], &[]);
    assert_eq!(
        matches(rule, &c),
        Some(MatchedName::DnsSan("callservice.webex.com".into()))
    );
}

#[test]
fn a_cn_with_nul_or_control_characters_never_matches() {
    let c = cert(Some("callservice.webex.com\0.evil.example"), &[], &[]);
    assert!(!c.common_name_is_clean());
    let miss = IdentityRule::cn_or_san("callservice.webex.com")
        .unwrap()
        .check(&c)
        .unwrap_err();
    assert!(miss.notes.iter().any(|n| n.contains("control characters")));
    assert!(miss.presented_cn.unwrap().contains("\\0"));
    let c = cert(Some("callservice.webex.com\n"), &[], &[]);
    assert!(matches(
        IdentityRule::cn_or_san("callservice.webex.com").unwrap(),
        &c
    )
    .is_none());
}

#[test]
fn internationalized_names_compare_as_a_labels() {
    let c = cert(Some("bücher.example"), &["xn--bcher-kva.example"], &[]);
    assert!(matches(IdentityRule::san("bücher.example").unwrap(), &c).is_some());
    assert!(matches(IdentityRule::san("XN--BCHER-KVA.example").unwrap(), &c).is_some());
    // A U-label CN is converted too.
    assert!(matches(
        IdentityRule::cn_or_san("xn--bcher-kva.example").unwrap(),
        &c
    )
    .is_some());
    // A homograph (Cyrillic 'а') is a different name.
    assert!(matches(
        IdentityRule::san("pаypal.example").unwrap(),
        &cert(None, &["paypal.example"], &[])
    )
    .is_none());
}

#[test]
fn near_misses_are_reported_with_the_nearest_name() {
    let c = cert(
        Some("callservice.webex.com"),
        &["callservice.webex.com"],
        &[],
    );
    let miss = IdentityRule::san("calllservice.webex.com")
        .unwrap()
        .check(&c)
        .unwrap_err();
    assert!(miss.near_miss);
    assert_eq!(miss.nearest.as_deref(), Some("callservice.webex.com"));
    let far = IdentityRule::san("exchange.example.com")
        .unwrap()
        .check(&c)
        .unwrap_err();
    assert!(!far.near_miss);
}

#[test]
fn invalid_reference_names_are_typed_errors() {
    for bad in [
        "",
        "*.webex.com",
        "exa mple.com",
        "a..b",
        "bad\0name",
        "999.1.1.1",
    ] {
        assert!(IdentityRule::san(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn a_reference_name_with_two_trailing_dots_is_invalid() {
    // Regression (found by the identity fuzz target): "name.." lost one dot
    // and kept the other, so the stored reference ended with a dot, broke
    // the documented form (no trailing dot) and could never match.
    for name in ["callservice.webex.com..", "CallService.Webex..", "a..."] {
        assert!(
            matches!(
                IdentityRule::san(name),
                Err(hybridtrust::Error::InvalidName { .. })
            ),
            "{name:?}"
        );
    }
    let rule = IdentityRule::san("CallService.Webex.com.").unwrap();
    assert_eq!(rule.reference().to_string(), "callservice.webex.com");
}
