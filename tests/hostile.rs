//! Hostile input: arbitrary bytes never panic, mutations never turn into accepts.

mod common;

use common::*;
use hybridtrust::{parse_chain, Certificate, CertificateDer, Policy, TrustStore, Verifier};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_anywhere(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let mut b = TrustStore::builder();
        b.add_bytes("fuzz", &bytes).unwrap();
        let store = b.build().unwrap();
        // Nothing is dropped silently: every input yields an anchor or a finding.
        prop_assert!(store.len() + store.findings().len() > 0);
        let _ = parse_chain(&bytes);
        let _ = Certificate::from_der(bytes.clone());
        let _ = hybridtrust::Crl::parse_all(&bytes);
        let chain = [CertificateDer::from(bytes.clone())];
        let v = Verifier::new(store, Policy::server_auth().with_time(at()));
        prop_assert!(v.verify(&chain, None).is_err());
    }

    #[test]
    fn pem_armoured_garbage_is_a_finding(body in "[A-Za-z0-9+/=\n]{0,400}") {
        let text = format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n");
        let mut b = TrustStore::builder();
        b.add_pem("fuzz", text.as_bytes()).unwrap();
        let store = b.build().unwrap();
        prop_assert_eq!(store.len(), 0);
        prop_assert_eq!(store.findings().len(), 1);
    }
}

/// `chain` with the byte at `at` of certificate `which` XORed with `flip`
/// (non-zero), and that byte's index.
fn mutate(
    chain: &[CertificateDer<'static>],
    which: usize,
    at: prop::sample::Index,
    flip: u8,
) -> (Vec<CertificateDer<'static>>, usize) {
    let mut mutated = chain.to_vec();
    let mut bytes = mutated[which].to_vec();
    let i = at.index(bytes.len());
    bytes[i] ^= flip;
    mutated[which] = CertificateDer::from(bytes);
    (mutated, i)
}

#[test]
fn single_byte_mutations_of_a_valid_chain_never_verify() {
    let pki = Pki::new();
    let store = pki.store();
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    let rule = hybridtrust::IdentityRule::san("h.example.com").unwrap();
    let verifier = Verifier::new(store, Policy::server_auth().with_time(at()));
    assert!(verifier.verify(&chain, Some(&rule)).is_ok());
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 512,
        ..ProptestConfig::default()
    });
    runner
        .run(
            &(0usize..2, any::<prop::sample::Index>(), 1u8..=255),
            |(which, at, flip)| {
                let (mutated, i) = mutate(&chain, which, at, flip);
                prop_assert!(
                    verifier.verify(&mutated, Some(&rule)).is_err(),
                    "a mutation of certificate {} at byte {} verified",
                    which,
                    i
                );
                Ok(())
            },
        )
        .unwrap();
}

/// The other half of the mutation property: a chain that is refused stays
/// refused under any single-byte change, whatever the reason it was refused
/// for, and a warm cache (the verifier has just accepted the unmutated valid
/// chain) never answers for a mutated one.
#[test]
fn single_byte_mutations_never_turn_a_reject_into_an_accept() {
    let pki = Pki::new();
    let other = Pki::new(); // same names, other keys: its chains lead to an untrusted root
    let name = "h.example.com";
    let rule = hybridtrust::IdentityRule::san(name).unwrap();
    let verifier = Verifier::new(pki.store(), Policy::server_auth().with_time(at()));
    let valid = pki.chain(Spec::leaf(name, &[name]));
    assert!(verifier.verify(&valid, Some(&rule)).is_ok());

    let refused: Vec<(&str, Vec<CertificateDer<'static>>)> = vec![
        (
            "expired leaf",
            pki.chain(Spec::leaf(name, &[name]).valid((2020, 1, 1), (2021, 1, 1))),
        ),
        (
            "not yet valid leaf",
            pki.chain(Spec::leaf(name, &[name]).valid((2030, 1, 1), (2031, 1, 1))),
        ),
        ("unknown CA", other.chain(Spec::leaf(name, &[name]))),
        (
            "name mismatch",
            pki.chain(Spec::leaf("g.example.com", &["g.example.com"])),
        ),
        (
            "clientAuth only",
            pki.chain(
                Spec::leaf(name, &[name]).eku(vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth]),
            ),
        ),
        ("leaf only", valid[..1].to_vec()),
        (
            "intermediate from the other PKI",
            vec![valid[0].clone(), other.issuing.der.clone()],
        ),
    ];
    for (why, chain) in &refused {
        assert!(
            verifier.verify(chain, Some(&rule)).is_err(),
            "{why}: refused before mutation"
        );
    }
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 1024,
        ..ProptestConfig::default()
    });
    runner
        .run(
            &(
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
                1u8..=255,
            ),
            |(case, which, at, flip)| {
                let (why, chain) = &refused[case.index(refused.len())];
                let which = which.index(chain.len());
                let (mutated, i) = mutate(chain, which, at, flip);
                prop_assert!(
                    verifier.verify(&mutated, Some(&rule)).is_err(),
                    "{}: a mutation of certificate {} at byte {} was accepted",
                    why,
                    which,
                    i
                );
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn a_hundred_thousand_line_pem_of_junk_is_bounded_and_typed() {
    let junk = "-----BEGIN CERTIFICATE-----\n".repeat(100_000);
    let mut b = TrustStore::builder();
    b.add_pem("junk", junk.as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.len(), 0);
    assert!(!store.findings().is_empty());
}
