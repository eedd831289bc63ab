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

/// An issuer line of `n` CAs under `top`: "Line CA 0" (which issues the
/// returned issuer's certificates) first, its issuer next, and so on up to
/// "Line CA n-1", issued by `top`.
fn issuer_line(
    n: usize,
    top: &rcgen::Issuer<'static, rcgen::KeyPair>,
) -> (
    Vec<CertificateDer<'static>>,
    rcgen::Issuer<'static, rcgen::KeyPair>,
) {
    let mut certs = Vec::with_capacity(n);
    let mut parent: Option<rcgen::Issuer<'static, rcgen::KeyPair>> = None;
    for i in (0..n).rev() {
        let spec = Spec::ca(&format!("Line CA {i}")).serial(50_000 + i as u64);
        let (params, key) = (spec.params(), spec.key());
        let cert = params
            .signed_by(&key, parent.as_ref().unwrap_or(top))
            .unwrap();
        certs.push(cert.der().clone());
        parent = Some(rcgen::Issuer::new(params, key));
    }
    certs.reverse();
    (certs, parent.expect("n > 0"))
}

/// Thousands of presented certificates (the chain limit raised): decoys that
/// share the issuing CA's name, each presented twice, copies of the leaf, an
/// unrelated issuer line, the real issuing CA last. Every step of chain
/// handling is at most n log n, so this decides in well under a second in a
/// release build (the figures are in the change that made it so); here the
/// decision is what is checked.
#[test]
fn four_thousand_presented_certificates_decide_the_same() {
    let pki = Pki::new();
    let policy = Policy::server_auth()
        .with_time(at())
        .with_limits(hybridtrust::Limits {
            max_chain_certificates: 4_000,
            ..hybridtrust::Limits::default()
        });
    let (l, _) = leaf(
        Spec::leaf("h.example.com", &["h.example.com"]),
        &pki.issuing,
    );
    let decoy_key = Spec::ca("decoys").key();
    let mut chain = vec![l.clone()];
    for i in 0..1_200u64 {
        let decoy = Spec::ca("Test Hybrid Issuing CA")
            .serial(10_000 + i)
            .params()
            .signed_by(&decoy_key, &pki.root.issuer)
            .unwrap();
        chain.push(decoy.der().clone());
        chain.push(decoy.der().clone());
    }
    let untrusted = root(Spec::ca("Line Root"));
    let (mut line, _) = issuer_line(1_000, &untrusted.issuer);
    line.reverse();
    chain.extend(line);
    while chain.len() < 3_999 {
        chain.push(l.clone());
    }
    chain.push(pki.issuing.der.clone());
    assert_eq!(chain.len(), 4_000);
    let verifier = Verifier::new(pki.store(), policy.clone()).with_cache_capacity(0);
    let v = verifier
        .verify(
            &chain,
            Some(&hybridtrust::IdentityRule::san("h.example.com").unwrap()),
        )
        .unwrap();
    assert_eq!(v.path().len(), 3);
    assert_eq!(v.path()[1].position, Some(3_999));
    assert_eq!(v.anchor().certificate().der(), &pki.root.der);

    // One more is refused before any parsing.
    let mut over = chain.clone();
    over.push(pki.issuing.der.clone());
    let d = verifier.verify(&over, None).unwrap_err();
    assert_eq!(
        d.kind,
        hybridtrust::DiagnosisKind::TooManyCertificates,
        "{d}"
    );

    // The leaf under a line of 3,999 CAs to the trusted root, presented top
    // first: webpki's depth bound refuses it, and the explanation walks the
    // whole line.
    let (line, bottom) = issuer_line(3_999, &pki.root.issuer);
    let (l, _) = leaf(
        Spec::leaf("h.example.com", &["h.example.com"]),
        &Ca {
            der: CertificateDer::from(Vec::new()),
            pem: String::new(),
            issuer: bottom,
        },
    );
    let mut chain = vec![l];
    chain.extend(line.into_iter().rev());
    let d = verifier.verify(&chain, None).unwrap_err();
    assert_eq!(d.kind, hybridtrust::DiagnosisKind::PathTooLong, "{d}");
    assert_eq!(
        d.certificate.as_ref().and_then(|c| c.position),
        Some(0),
        "{d}"
    );

    // Names in a cycle: 3,999 CAs alternately named "Ring A" (issued by
    // "Ring B") and "Ring B" (issued by "Ring A"), none with the key that
    // signed the leaf, nothing of theirs in the store. Only the best-ranked
    // intermediates are handed to webpki (each of its path-building calls
    // scans all it was given), so this costs what a 64-certificate chain
    // does, and the refusal names where the chain leads.
    let ring_issuer = |cn: &str| {
        let spec = Spec::ca(cn);
        rcgen::Issuer::new(spec.params(), spec.key())
    };
    let (a, b) = (ring_issuer("Ring A"), ring_issuer("Ring B"));
    let ring_key = Spec::ca("ring").key();
    let (l, _) = leaf(
        Spec::leaf("h.example.com", &["h.example.com"]),
        &Ca {
            der: CertificateDer::from(Vec::new()),
            pem: String::new(),
            issuer: ring_issuer("Ring A"),
        },
    );
    let mut chain = vec![l];
    for i in 0..3_999u64 {
        let (cn, parent) = if i % 2 == 0 {
            ("Ring A", &b)
        } else {
            ("Ring B", &a)
        };
        let cert = Spec::ca(cn)
            .serial(70_000 + i)
            .params()
            .signed_by(&ring_key, parent)
            .unwrap();
        chain.push(cert.der().clone());
    }
    let d = verifier.verify(&chain, None).unwrap_err();
    assert_eq!(d.kind, hybridtrust::DiagnosisKind::UnknownCa, "{d}");
    assert!(d.message.contains("'Ring "), "{d}");
}
