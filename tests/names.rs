//! Identity rules: RFC 6125 SAN matching, SAN-then-CN, CN-or-SAN, wildcards, IDNs, junk.

mod common;

use common::*;
use hybridtrust::{Certificate, IdentityRule, MatchedName, RuleKind, WildcardMode};
use rcgen::SanType;

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
fn san_then_cn_uses_the_cn_only_without_any_san() {
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
    // The A-label SAN matches; a U-label CN is not converted (see
    // `presented_names_are_never_unicode_mapped`).
    assert_eq!(
        matches(
            IdentityRule::cn_or_san("xn--bcher-kva.example").unwrap(),
            &c
        ),
        Some(MatchedName::DnsSan("xn--bcher-kva.example".into()))
    );
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

/// A leaf with the given CN and subjectAltNames (any rcgen SAN types).
fn cert_with_sans(cn: Option<&str>, sans: Vec<SanType>) -> Certificate {
    let pki = Pki::new();
    let mut spec = Spec::leaf("placeholder", &[]);
    spec.cn = cn.map(str::to_string);
    let key = spec.key();
    let mut params = spec.params();
    params.subject_alt_names = sans;
    let der = params.signed_by(&key, &pki.issuing.issuer).unwrap();
    Certificate::from_der(der.der().to_vec()).unwrap()
}

fn uri(u: &str) -> SanType {
    SanType::URI(u.try_into().unwrap())
}

fn dns(d: &str) -> SanType {
    SanType::DnsName(d.try_into().unwrap())
}

/// Look-alikes of `callservice.webex.com` that IDNA/UTS 46 mapping turns into
/// the real name: fullwidth letters, ideographic and fullwidth full stops, a
/// soft hyphen, a zero-width space (mapped away), upper-case fullwidth.
const LOOK_ALIKES: [&str; 7] = [
    "ｃａｌｌｓｅｒｖｉｃｅ.webex.com",
    "callservice\u{3002}webex.com",
    "callservice\u{ff0e}webex\u{ff61}com",
    "call\u{ad}service.webex.com",
    "call\u{200b}service.webex.com",
    "ＣＡＬＬＳＥＲＶＩＣＥ.WEBEX.COM",
    "callservice.webex.com\u{200b}",
];

#[test]
fn presented_names_are_never_unicode_mapped() {
    for cn in LOOK_ALIKES {
        let c = cert(Some(cn), &[], &[]);
        assert!(c.common_name_is_clean(), "{cn:?}");
        for rule in [
            IdentityRule::cn_or_san("callservice.webex.com").unwrap(),
            IdentityRule::san_then_cn("callservice.webex.com").unwrap(),
            IdentityRule::cn_or_san("CallService.Webex.com.").unwrap(),
        ] {
            let miss = rule.check(&c).expect_err(cn);
            assert!(
                miss.notes
                    .iter()
                    .any(|n| n.contains("non-ASCII") && n.contains("look-alike")),
                "{cn:?}: {:?}",
                miss.notes
            );
            // Invisible characters are shown, not hidden, in the mismatch.
            let shown = miss.presented_cn.clone().unwrap();
            assert!(
                !shown.contains('\u{ad}') && !shown.contains('\u{200b}'),
                "{shown:?}"
            );
            if cn.contains('\u{ad}') {
                assert!(shown.contains("\\u{ad}"), "{shown:?}");
            }
            assert!(miss.to_string().contains("CN '"), "{miss}");
        }
    }
    // A U-label CN does not match its own A-label reference; the A-label CN does.
    let u = cert(Some("bücher.example"), &[], &[]);
    let miss = IdentityRule::cn_or_san("bücher.example")
        .unwrap()
        .check(&u)
        .unwrap_err();
    assert!(
        miss.notes.iter().any(|n| n.contains("A-label")),
        "{:?}",
        miss.notes
    );
    let a = cert(Some("XN--BCHER-KVA.example"), &[], &[]);
    assert_eq!(
        matches(IdentityRule::san_then_cn("bücher.example").unwrap(), &a),
        Some(MatchedName::CommonName("XN--BCHER-KVA.example".into()))
    );
}

#[test]
fn an_ip_reference_never_matches_a_cn_in_non_ascii_digits() {
    // A reference in fullwidth digits is not mapped into an IP address either.
    assert!(IdentityRule::cn_or_san("１９２.０.２.１").is_err());
    let rule = IdentityRule::cn_or_san("192.0.2.1").unwrap();
    for cn in ["１９２.０.２.１", "192\u{3002}0.2.1", "192.0.2.1\u{200b}"] {
        let miss = rule.check(&cert(Some(cn), &[], &[])).expect_err(cn);
        assert!(
            miss.notes.iter().any(|n| n.contains("non-ASCII")),
            "{cn:?}: {:?}",
            miss.notes
        );
    }
    assert_eq!(
        matches(rule.clone(), &cert(Some("192.0.2.1"), &[], &[])),
        Some(MatchedName::CommonName("192.0.2.1".into()))
    );
    assert_eq!(
        matches(rule, &cert(None, &[], &["192.0.2.1"])),
        Some(MatchedName::IpSan("192.0.2.1".parse().unwrap()))
    );
}

#[test]
fn near_misses_still_work_beside_non_ascii_names() {
    let c = cert(
        Some("ｃａｌｌｓｅｒｖｉｃｅ.webex.com"),
        &["calllservice.webex.com"],
        &[],
    );
    let miss = IdentityRule::cn_or_san("callservice.webex.com")
        .unwrap()
        .check(&c)
        .unwrap_err();
    assert!(miss.near_miss);
    assert_eq!(miss.nearest.as_deref(), Some("calllservice.webex.com"));
    assert!(miss.notes.iter().any(|n| n.contains("non-ASCII")));
}

#[test]
fn san_then_cn_ignores_the_cn_when_any_san_is_present() {
    // RFC 5922 7.1: the CN only "if and only if the subjectAltName does not appear".
    for sans in [
        vec![uri("sip:other.partner.example")],
        vec![uri("https://partner.example/")],
        vec![SanType::IpAddress("192.0.2.9".parse().unwrap())],
    ] {
        let c = cert_with_sans(Some("sip.partner.example"), sans.clone());
        let miss = IdentityRule::san_then_cn("sip.partner.example")
            .unwrap()
            .check(&c)
            .expect_err("the CN must be ignored");
        assert!(
            miss.notes.iter().any(|n| n.contains("CN is ignored")),
            "{sans:?}: {:?}",
            miss.notes
        );
        // CN-or-SAN still reads it.
        assert!(matches(IdentityRule::cn_or_san("sip.partner.example").unwrap(), &c).is_some());
    }
}

#[test]
fn san_then_cn_matches_the_host_of_a_sip_uri_san() {
    let rule = IdentityRule::san_then_cn("callservice.webex.com").unwrap();
    for good in [
        "sip:callservice.webex.com",
        "SIP:CallService.Webex.com:5061;transport=tls",
        "sip:callservice.webex.com?x=y",
    ] {
        let c = cert_with_sans(None, vec![uri(good)]);
        assert_eq!(
            matches(rule.clone(), &c),
            Some(MatchedName::UriSan(good.into())),
            "{good}"
        );
    }
    for (bad, why) in [
        ("sips:callservice.webex.com", "only sip:"),
        ("sip:alice@callservice.webex.com", "user part"),
        ("https://callservice.webex.com/", "only sip:"),
        ("sip:callservice.webex.com.", "ends with a dot"),
        ("sip:*.webex.com", ""),
        ("sip:callservice.webex.com\u{1b}[2J", "control characters"),
    ] {
        let c = cert_with_sans(Some("callservice.webex.com"), vec![uri(bad)]);
        let miss = rule.check(&c).expect_err(bad);
        assert!(
            miss.notes.iter().any(|n| n.contains(why)),
            "{bad}: {:?}",
            miss.notes
        );
        assert_eq!(
            miss.presented_uris,
            [hybridtrust::text::escape_untrusted(bad)]
        );
    }
    // With a sip: URI SAN, the DNS SANs are not SIP domain identities.
    let c = cert_with_sans(
        None,
        vec![uri("sip:other.example.com"), dns("callservice.webex.com")],
    );
    let miss = rule.check(&c).unwrap_err();
    assert!(miss
        .notes
        .iter()
        .any(|n| n.contains("DNS SANs are ignored")));
    // A sips: URI is no identity, so the DNS SAN counts.
    let c = cert_with_sans(
        None,
        vec![uri("sips:other.example.com"), dns("callservice.webex.com")],
    );
    assert_eq!(
        matches(rule, &c),
        Some(MatchedName::DnsSan("callservice.webex.com".into()))
    );
    // The other rules do not read URI SANs.
    let c = cert_with_sans(None, vec![uri("sip:callservice.webex.com")]);
    assert!(matches(IdentityRule::san("callservice.webex.com").unwrap(), &c).is_none());
    assert!(matches(
        IdentityRule::cn_or_san("callservice.webex.com").unwrap(),
        &c
    )
    .is_none());
    assert_eq!(c.uris(), ["sip:callservice.webex.com"]);
}

#[test]
fn a_trailing_dot_on_a_presented_name_never_matches_under_any_rule() {
    let san = cert(None, &["callservice.webex.com."], &[]);
    let cn = cert(Some("callservice.webex.com."), &[], &[]);
    for kind in [RuleKind::San, RuleKind::SanThenCn, RuleKind::CnOrSan] {
        for reference in ["callservice.webex.com", "callservice.webex.com."] {
            let rule = IdentityRule::new(kind, reference).unwrap();
            let miss = rule.check(&san).expect_err("a dotted SAN");
            assert!(
                miss.notes.iter().any(|n| n.contains("ends with a dot")),
                "{kind:?}: {:?}",
                miss.notes
            );
            assert!(!miss.near_miss, "a refused name is no typo hint");
            if kind != RuleKind::San {
                let miss = rule.check(&cn).expect_err("a dotted CN");
                assert!(
                    miss.notes.iter().any(|n| n.contains("ends with a dot")),
                    "{kind:?}: {:?}",
                    miss.notes
                );
            }
        }
    }
}
