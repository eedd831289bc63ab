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
                let mut mutated = chain.clone();
                let mut bytes = mutated[which].to_vec();
                let i = at.index(bytes.len());
                bytes[i] ^= flip;
                mutated[which] = CertificateDer::from(bytes);
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

#[test]
fn a_hundred_thousand_line_pem_of_junk_is_bounded_and_typed() {
    let junk = "-----BEGIN CERTIFICATE-----\n".repeat(100_000);
    let mut b = TrustStore::builder();
    b.add_pem("junk", junk.as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.len(), 0);
    assert!(!store.findings().is_empty());
}
