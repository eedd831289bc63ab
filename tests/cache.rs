//! The verification cache never returns a stale accept.

mod common;

use common::*;
use hybridtrust::{Crl, DiagnosisKind, IdentityRule, Policy, TrustStore, Verifier, WarningKind};

fn verifier(pki: &Pki) -> Verifier {
    Verifier::new(pki.store(), Policy::server_auth().with_time(at()))
}

fn rule(n: &str) -> IdentityRule {
    IdentityRule::san(n).unwrap()
}

#[test]
fn a_repeat_is_served_from_the_cache_with_the_same_result() {
    let pki = Pki::new();
    let v = verifier(&pki);
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    let first = v.verify(&chain, Some(&rule("h.example.com"))).unwrap();
    assert!(!first.from_cache());
    let second = v.verify(&chain, Some(&rule("h.example.com"))).unwrap();
    assert!(second.from_cache());
    assert_eq!(first.path(), second.path());
    assert_eq!(first.identity(), second.identity());
    assert_eq!(v.cached_len(), 1);
}

#[test]
fn a_different_name_or_chain_is_not_a_hit() {
    let pki = Pki::new();
    let v = verifier(&pki);
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    v.verify(&chain, Some(&rule("h.example.com"))).unwrap();
    let d = v
        .verify(&chain, Some(&rule("other.example.com")))
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::NameMismatch);
    assert!(!v.verify(&chain, None).unwrap().from_cache());
    // The same leaf without its intermediate is another input.
    assert_eq!(
        v.verify(&chain[..1], Some(&rule("h.example.com")))
            .unwrap_err()
            .kind,
        DiagnosisKind::IncompleteChain
    );
}

#[test]
fn a_time_past_not_after_or_before_not_before_is_rejected_not_served() {
    let pki = Pki::new();
    let v = verifier(&pki);
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    let r = rule("h.example.com");
    v.verify_at(&chain, Some(&r), at()).unwrap();
    assert!(v
        .verify_at(&chain, Some(&r), time("2026-07-01T00:00:00Z"))
        .unwrap()
        .from_cache());
    assert_eq!(
        v.verify_at(&chain, Some(&r), time("2027-01-02T00:00:00Z"))
            .unwrap_err()
            .kind,
        DiagnosisKind::Expired
    );
    assert_eq!(
        v.verify_at(&chain, Some(&r), time("2025-12-01T00:00:00Z"))
            .unwrap_err()
            .kind,
        DiagnosisKind::NotYetValid
    );
}

#[test]
fn an_expiry_warning_due_later_is_not_hidden_by_the_cache() {
    let pki = Pki::new();
    let v = verifier(&pki);
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    assert!(v
        .verify_at(&chain, None, at())
        .unwrap()
        .warnings()
        .is_empty());
    let late = v
        .verify_at(&chain, None, time("2026-12-20T00:00:00Z"))
        .unwrap();
    assert!(!late.from_cache());
    assert!(late
        .warnings()
        .iter()
        .any(|w| w.kind == WarningKind::ExpiresSoon));
    // Results carrying time-dependent warnings are not reused.
    assert!(!v
        .verify_at(&chain, None, time("2026-12-20T00:00:00Z"))
        .unwrap()
        .from_cache());
}

#[test]
fn a_swapped_store_or_a_new_crl_cannot_reuse_an_accept() {
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]).serial(77));
    let shared = hybridtrust::SharedTrustStore::new(pki.store());
    let policy = Policy::server_auth().with_time(at());
    let v = Verifier::new(shared.current(), policy.clone());
    v.verify(&chain, None).unwrap();
    assert!(v.verify(&chain, None).unwrap().from_cache());
    // The admin removes the root: verifiers built on the new snapshot reject.
    let mut empty = TrustStore::builder();
    empty.at(at());
    shared.replace(empty.build().unwrap());
    let v2 = Verifier::new(shared.current(), policy.clone());
    let d = v2.verify(&chain, None).unwrap_err();
    assert_eq!(d.store_generation, shared.current().generation());
    // A CRL revoking the leaf: a verifier with the new policy rejects.
    let crls: Vec<Crl> = Crl::parse_all(&crl(&pki.issuing, &[77]))
        .unwrap()
        .into_iter()
        .chain(Crl::parse_all(&crl(&pki.root, &[])).unwrap())
        .collect();
    let v3 = Verifier::new(pki.store(), policy.with_crls(crls));
    assert_eq!(
        v3.verify(&chain, None).unwrap_err().kind,
        DiagnosisKind::Revoked
    );
}

#[test]
fn a_crl_past_its_next_update_ends_the_window() {
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    let crls: Vec<Crl> = Crl::parse_all(&crl(&pki.issuing, &[]))
        .unwrap()
        .into_iter()
        .chain(Crl::parse_all(&crl(&pki.root, &[])).unwrap())
        .collect();
    assert!(crls[0].next_update().is_some());
    let v = Verifier::new(pki.store(), Policy::server_auth().with_crls(crls));
    v.verify_at(&chain, None, at()).unwrap();
    assert!(v
        .verify_at(&chain, None, time("2026-06-02T00:00:00Z"))
        .unwrap()
        .from_cache());
    // The test CRLs' nextUpdate is 2026-07-01.
    assert_eq!(
        v.verify_at(&chain, None, time("2026-07-02T00:00:00Z"))
            .unwrap_err()
            .kind,
        DiagnosisKind::RevocationUnknown
    );
}

#[test]
fn rejections_are_never_cached_and_memory_is_bounded() {
    let pki = Pki::new();
    let v = verifier(&pki).with_cache_capacity(2);
    let bad = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    assert!(v.verify(&bad[..1], None).is_err());
    assert!(v.verify(&bad[..1], None).is_err());
    assert_eq!(v.cached_len(), 0);
    for i in 0..3 {
        let c = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]).serial(200 + i));
        v.verify(&c, None).unwrap();
    }
    assert_eq!(v.cached_len(), 2);
}

#[test]
fn the_cache_can_be_turned_off() {
    let pki = Pki::new();
    let v = verifier(&pki).with_cache_capacity(0);
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    v.verify(&chain, None).unwrap();
    assert!(!v.verify(&chain, None).unwrap().from_cache());
    assert_eq!(v.cached_len(), 0);
}
