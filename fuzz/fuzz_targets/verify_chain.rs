//! Chain verification with arbitrary chains and policies.
//!
//! Input: a policy byte, a time byte, a flags byte, then certificates
//! separated by `FF 00 FF`. Invariants: no panic; the cached verifier, the
//! uncached one and `verify()` agree; an accepted chain's leaf is the
//! presented leaf, its anchor is in the store, and an identity rule that
//! accepted it also accepts the fully parsed leaf.
#![no_main]

use hybridtrust::{
    verify, Certificate, CertificateDer, IdentityRule, RuleKind, Verifier, WildcardMode,
};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let [selector, time, flags, rest @ ..] = data else {
        return;
    };
    let pieces = common::pieces(rest, 80);
    // Flag 1: the last piece is also a trust anchor.
    let (anchor, chain_pieces) = if flags & 1 != 0 && pieces.len() > 1 {
        (Some(pieces[pieces.len() - 1]), &pieces[..pieces.len() - 1])
    } else {
        (None, &pieces[..])
    };
    let store = common::example_store(anchor);
    let policy = common::policy(*selector, *time);
    // Flag 2: the chain is PEM text to parse; otherwise DER buffers.
    let chain: Vec<CertificateDer<'static>> = if flags & 2 != 0 {
        match hybridtrust::parse_chain(chain_pieces[0]) {
            Ok(c) => c,
            Err(_) => return,
        }
    } else {
        chain_pieces
            .iter()
            .map(|p| CertificateDer::from(p.to_vec()))
            .collect()
    };
    let kind = match (flags >> 2) & 3 {
        0 => RuleKind::San,
        1 => RuleKind::SanThenCn,
        _ => RuleKind::CnOrSan,
    };
    let mode = if flags & 0x10 != 0 {
        WildcardMode::Disallowed
    } else {
        WildcardMode::LeftmostLabel
    };
    let names = [
        "callservice.webex.com",
        "exchange.example.com",
        "10.0.0.1",
        "sip.webex.com",
    ];
    let rule = IdentityRule::new(kind, names[usize::from(flags >> 5) % names.len()])
        .unwrap()
        .with_wildcards(mode);
    let rule = (flags & 0x80 == 0).then_some(rule);

    let cached = Verifier::new(store.clone(), policy.clone());
    let first = cached.verify(&chain, rule.as_ref());
    let second = cached.verify(&chain, rule.as_ref());
    let plain = verify(&store, &chain, &policy, rule.as_ref());
    let outcome = |r: &Result<hybridtrust::Verified, hybridtrust::Diagnosis>| match r {
        Ok(v) => Ok((v.store_generation(), v.path().len())),
        Err(d) => Err((d.kind, d.store_generation)),
    };
    assert_eq!(
        outcome(&first),
        outcome(&plain),
        "cached verifier and verify() disagree"
    );
    assert_eq!(
        outcome(&first),
        outcome(&second),
        "a cache hit changed the outcome"
    );

    match &plain {
        Ok(v) => {
            let path = v.path();
            assert_eq!(path[0].position, Some(0));
            assert!(store
                .anchor_by_fingerprint(&v.anchor().certificate().fingerprint())
                .is_some());
            let leaf = Certificate::from_der(chain[0].to_vec()).expect("an accepted leaf parses");
            if let Some(rule) = &rule {
                assert!(
                    rule.check(&leaf).is_ok(),
                    "fast and full name views disagree"
                );
            }
            let _ = v.to_json();
            let _ = v.to_string();
        }
        Err(d) => {
            let _ = d.to_json();
            let _ = d.to_string();
        }
    }
});
