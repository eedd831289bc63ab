//! Property tests: the identity rules agree with a small reference matcher
//! written from RFC 6125 (section 6.4) and the CA/Browser Forum rules, on
//! generated certificates with random DNS SANs, CNs and reference names.

mod common;

use common::*;
use hybridtrust::{Certificate, IdentityRule, RuleKind, WildcardMode};
use proptest::prelude::*;

/// RFC 6125 DNS-ID matching, written independently of the library:
/// case-insensitive; a wildcard only as the whole left-most label of a name
/// with at least two more labels, standing for exactly one non-empty label.
fn reference_dns_match(presented: &str, reference: &str, wildcards: bool) -> bool {
    let presented = presented.to_ascii_lowercase();
    let reference = reference.to_ascii_lowercase();
    let p: Vec<&str> = presented.split('.').collect();
    let r: Vec<&str> = reference.split('.').collect();
    if p.iter().any(|l| l.is_empty()) || r.iter().any(|l| l.is_empty()) {
        return false;
    }
    if !presented.contains('*') {
        return p == r;
    }
    wildcards
        && p[0] == "*"
        && p.len() >= 3
        && p[1..].iter().all(|l| !l.contains('*'))
        && p.len() == r.len()
        && p[1..] == r[1..]
}

/// A CN that a rule may use: no control characters.
fn clean(cn: &str) -> bool {
    !cn.chars().any(char::is_control)
}

fn reference_rule(
    kind: RuleKind,
    dns: &[String],
    cn: Option<&str>,
    reference: &str,
    wildcards: bool,
) -> bool {
    let by_san = dns
        .iter()
        .any(|d| reference_dns_match(d, reference, wildcards));
    let cn_matches =
        || cn.is_some_and(|cn| clean(cn) && reference_dns_match(cn, reference, wildcards));
    match kind {
        RuleKind::San => by_san,
        RuleKind::SanThenCn => by_san || (dns.is_empty() && cn_matches()),
        RuleKind::CnOrSan => by_san || cn_matches(),
    }
}

/// Labels drawn from a small alphabet so that names collide often; presented
/// labels also include wildcard abuse.
fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("a"),
        3 => Just("com"),
        1 => Just("x-y"),
        1 => Just("xn--bcher-kva"),
    ]
    .prop_map(str::to_string)
}

fn presented_label() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => label(),
        1 => Just("*".to_string()),
        1 => Just("f*o".to_string()),
        1 => Just("*a".to_string()),
    ]
}

fn random_case(s: String, mask: u64) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask >> (i % 64) & 1 == 1 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

fn presented_name() -> impl Strategy<Value = String> {
    (prop::collection::vec(presented_label(), 1..4), any::<u64>())
        .prop_map(|(labels, mask)| random_case(labels.join("."), mask))
}

fn reference_name() -> impl Strategy<Value = String> {
    (prop::collection::vec(label(), 1..5), any::<u64>())
        .prop_map(|(labels, mask)| random_case(labels.join("."), mask))
}

fn common_name() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        4 => presented_name().prop_map(Some),
        1 => presented_name().prop_map(|n| Some(format!("{n}\0.evil.example"))),
        1 => presented_name().prop_map(|n| Some(format!("{n}\n"))),
    ]
}

fn certificate(issuing: &Ca, cn: Option<&str>, dns: &[String]) -> Certificate {
    let mut spec = Spec::leaf("placeholder", &[]);
    spec.cn = cn.map(str::to_string);
    spec.dns = dns.to_vec();
    let (der, _) = leaf(spec, issuing);
    Certificate::from_der(der.to_vec()).unwrap()
}

#[test]
fn identity_rules_agree_with_the_reference_matcher() {
    let pki = Pki::new();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 384,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    // Presented names are random, or derived from the reference name so that
    // matches and near misses are frequent: the name itself, a wildcard over
    // its parent, a wildcard one label too deep or too shallow, its parent.
    let strategy = reference_name().prop_flat_map(|reference| {
        let labels: Vec<String> = reference.split('.').map(str::to_string).collect();
        let parent = labels[1..].join(".");
        let derived = prop_oneof![
            Just(reference.clone()),
            Just(format!("*.{parent}")),
            Just(format!("*.{reference}")),
            Just(format!("*.{}", labels[labels.len() - 1])),
            Just(format!("{}.{parent}", labels[0].to_ascii_uppercase())),
        ]
        .prop_map(|n| n.trim_end_matches('.').to_string());
        // An absolute name (trailing dot) never matches, under any rule.
        let name =
            prop_oneof![2 => presented_name(), 3 => derived, 1 => Just(format!("{reference}."))];
        (
            prop::collection::vec(name.clone(), 0..3),
            prop_oneof![2 => common_name(), 1 => name.prop_map(Some)],
            Just(reference),
        )
    });
    let (matched, wildcard_matched) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&strategy, |(dns, cn, reference)| {
            let cert = certificate(&pki.issuing, cn.as_deref(), &dns);
            for kind in [RuleKind::San, RuleKind::SanThenCn, RuleKind::CnOrSan] {
                for (mode, wildcards) in [
                    (WildcardMode::LeftmostLabel, true),
                    (WildcardMode::Disallowed, false),
                ] {
                    let rule = IdentityRule::new(kind, &reference)
                        .unwrap()
                        .with_wildcards(mode);
                    let expected = reference_rule(kind, &dns, cn.as_deref(), &reference, wildcards);
                    let actual = rule.check(&cert);
                    prop_assert_eq!(
                        actual.is_ok(),
                        expected,
                        "{:?} {:?} for {:?}: SANs {:?}, CN {:?}: {:?}",
                        kind,
                        mode,
                        reference,
                        dns,
                        cn,
                        actual
                    );
                    if let Ok(m) = actual {
                        prop_assert!(wildcards || !m.wildcard);
                        matched.set(matched.get() + 1);
                        wildcard_matched.set(wildcard_matched.get() + usize::from(m.wildcard));
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    // The generator is not vacuous: names collide, also through wildcards.
    eprintln!(
        "{} matches, {} through a wildcard",
        matched.get(),
        wildcard_matched.get()
    );
    assert!(matched.get() > 100, "only {} matches", matched.get());
    assert!(
        wildcard_matched.get() > 10,
        "only {} wildcard matches",
        wildcard_matched.get()
    );
}

/// Characters that Unicode mapping (IDNA/UTS 46, NFKC, case folding) would
/// erase or turn into ASCII, and others that only look like it.
fn non_ascii_char() -> impl Strategy<Value = char> {
    prop_oneof![
        Just('\u{ad}'),   // soft hyphen (mapped away)
        Just('\u{200b}'), // zero-width space (mapped away)
        Just('\u{200d}'), // zero-width joiner
        Just('\u{feff}'), // BOM
        Just('\u{3002}'), // ideographic full stop (mapped to '.')
        Just('\u{ff0e}'), // fullwidth full stop
        Just('\u{ff61}'), // halfwidth ideographic full stop
        Just('\u{2024}'), // one dot leader
        Just('\u{130}'),  // capital I with dot
        Just('\u{212a}'), // Kelvin sign (folds to 'k')
        Just('ü'),
        (0x80u32..0x11_0000).prop_filter_map("a char", char::from_u32),
    ]
}

/// The fullwidth form of an ASCII letter or digit, else the character itself.
fn fullwidth(c: char) -> char {
    if c.is_ascii_alphanumeric() {
        char::from_u32(c as u32 - 0x21 + 0xff01).unwrap_or(c)
    } else {
        c
    }
}

/// A presented name derived from `reference` with at least one non-ASCII
/// character: some letters in fullwidth, a dot replaced, an invisible
/// character inserted.
fn non_ascii_variant(reference: String) -> impl Strategy<Value = String> {
    let len = reference.chars().count();
    (
        prop::collection::vec(any::<bool>(), len),
        0..=len,
        non_ascii_char(),
        any::<bool>(),
    )
        .prop_map(move |(widen, at, extra, replace)| {
            let mut chars: Vec<char> = reference
                .chars()
                .zip(&widen)
                .map(|(c, w)| if *w { fullwidth(c) } else { c })
                .collect();
            if replace && at < chars.len() {
                chars[at] = extra;
            } else {
                chars.insert(at, extra);
            }
            if chars.iter().all(char::is_ascii) {
                chars.push('\u{200b}');
            }
            chars.into_iter().collect()
        })
}

#[test]
fn non_ascii_presented_names_never_match() {
    let pki = Pki::new();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let strategy = prop_oneof![Just("callservice.webex.com".to_string()), reference_name(),]
        .prop_flat_map(|reference| (non_ascii_variant(reference.clone()), Just(reference)));
    let look_alikes = std::cell::Cell::new(0);
    runner
        .run(&strategy, |(presented, reference)| {
            prop_assert!(!presented.is_ascii());
            if idna::domain_to_ascii(&presented).is_ok_and(|a| a == reference.to_ascii_lowercase())
            {
                look_alikes.set(look_alikes.get() + 1);
            }
            let cert = certificate(&pki.issuing, Some(&presented), &[]);
            for kind in [RuleKind::San, RuleKind::SanThenCn, RuleKind::CnOrSan] {
                for mode in [WildcardMode::LeftmostLabel, WildcardMode::Disallowed] {
                    let rule = IdentityRule::new(kind, &reference)
                        .unwrap()
                        .with_wildcards(mode);
                    let result = rule.check(&cert);
                    prop_assert!(
                        result.is_err(),
                        "{:?} matched {:?} for {:?}",
                        kind,
                        presented,
                        reference
                    );
                }
            }
            Ok(())
        })
        .unwrap();
    // Many of the variants are true look-alikes: Unicode mapping would have
    // turned them into the reference name.
    assert!(
        look_alikes.get() > 20,
        "only {} look-alikes",
        look_alikes.get()
    );
}

#[test]
fn the_reference_matcher_itself_follows_rfc_6125() {
    assert!(reference_dns_match(
        "*.webex.com",
        "callservice.webex.com",
        true
    ));
    assert!(reference_dns_match(
        "CallService.Webex.COM",
        "callservice.webex.com",
        true
    ));
    assert!(!reference_dns_match(
        "*.webex.com",
        "callservice.webex.com",
        false
    ));
    assert!(!reference_dns_match("*.webex.com", "webex.com", true));
    assert!(!reference_dns_match("*.webex.com", "a.b.webex.com", true));
    assert!(!reference_dns_match("*.com", "webex.com", true));
    assert!(!reference_dns_match("*.*.com", "a.b.com", true));
    assert!(!reference_dns_match(
        "f*o.example.com",
        "foo.example.com",
        true
    ));
    assert!(!reference_dns_match(
        "*a.example.com",
        "ba.example.com",
        true
    ));
}
