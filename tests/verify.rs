//! Chain verification: success paths, warnings, and every diagnosis kind.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use hybridtrust::{
    CertificateDer, Crl, DiagnosisKind, EkuMode, IdentityRule, Limits, MatchedName, Policy, Role,
    Sha1Policy, TrustStore, UnknownStatus, Verifier, WarningKind,
};
use rcgen::ExtendedKeyUsagePurpose as Eku;

fn policy() -> Policy {
    Policy::server_auth().with_time(at())
}

fn name(n: &str) -> IdentityRule {
    IdentityRule::san(n).unwrap()
}

fn kind(store: &TrustStore, chain: &[CertificateDer<'_>], policy: Policy) -> DiagnosisKind {
    Verifier::new(store.clone(), policy)
        .verify(chain, None)
        .expect_err("must be refused")
        .kind
}

#[test]
fn full_chain_verifies_with_path_anchor_and_identity() {
    let pki = Pki::new();
    let store = pki.store();
    let chain = pki.chain(Spec::leaf(
        "callservice.webex.com",
        &["callservice.webex.com"],
    ));
    let v = Verifier::new(store.clone(), policy())
        .verify(&chain, Some(&name("callservice.webex.com")))
        .unwrap();
    let path = v.path();
    assert_eq!(path.len(), 3);
    assert_eq!(path[0].role, Role::Leaf);
    assert_eq!(path[1].position, Some(1));
    assert_eq!(path[2].role, Role::Anchor);
    assert_eq!(v.anchor_provenance().source, "test-root");
    assert_eq!(
        v.identity().unwrap().matched,
        MatchedName::DnsSan("callservice.webex.com".into())
    );
    assert_eq!(v.store_generation(), store.generation());
    assert!(v.warnings().is_empty(), "{:?}", v.warnings());
    assert!(v.to_json().contains("\"anchor_provenance\""));
}

#[test]
fn intermediates_in_any_order_with_duplicates_and_strangers() {
    let root_ca = root(Spec::ca("Deep Root"));
    let a = sub_ca(Spec::ca("Deep A").serial(2), &root_ca);
    let b = sub_ca(Spec::ca("Deep B").serial(3), &a);
    let stranger = root(Spec::ca("Stranger"));
    let (l, _) = leaf(Spec::leaf("h.example.com", &["h.example.com"]), &b);
    let mut sb = TrustStore::builder();
    sb.at(at());
    sb.add_pem("root", root_ca.pem.as_bytes()).unwrap();
    let store = sb.build().unwrap();
    let chain = vec![
        l.clone(),
        a.der.clone(),
        stranger.der.clone(),
        b.der.clone(),
        a.der.clone(),
        l,
    ];
    let v = Verifier::new(store, policy())
        .verify(&chain, Some(&name("h.example.com")))
        .unwrap();
    let positions: Vec<_> = v.path().iter().map(|e| e.position).collect();
    assert_eq!(positions, vec![Some(0), Some(3), Some(1), None]);
}

#[test]
fn unknown_ca_when_the_chain_leads_elsewhere() {
    let pki = Pki::new();
    let other_root = root(Spec::ca("Other Root CA"));
    let other_issuing = sub_ca(Spec::ca("Other Issuing CA").serial(2), &other_root);
    let (l, _) = leaf(
        Spec::leaf("x.example.com", &["x.example.com"]),
        &other_issuing,
    );
    let chain = vec![l, other_issuing.der.clone()];
    let d = Verifier::new(pki.store(), policy())
        .verify(&chain, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::UnknownCa);
    assert!(
        d.hint
            .contains("add the CA 'Other Root CA' to the trust store"),
        "{}",
        d.hint
    );
    assert_eq!(d.certificate.as_ref().unwrap().position, Some(1));
}

#[test]
fn unknown_ca_when_a_store_ca_has_the_same_name_but_another_key() {
    let pki = Pki::new();
    let impostor = Pki::new(); // same names, other keys
    let chain = impostor.chain(Spec::leaf("x.example.com", &["x.example.com"]));
    let d = Verifier::new(pki.store(), policy())
        .verify(&chain, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::UnknownCa, "{d}");
    assert!(d.message.contains("did not sign"), "{}", d.message);
}

#[test]
fn unknown_ca_when_the_peer_sends_its_own_untrusted_root() {
    let pki = Pki::new();
    let other_root = root(Spec::ca("Private Root CA"));
    let other_issuing = sub_ca(Spec::ca("Private Issuing CA").serial(2), &other_root);
    let (l, _) = leaf(
        Spec::leaf("x.example.com", &["x.example.com"]),
        &other_issuing,
    );
    let chain = vec![l, other_issuing.der.clone(), other_root.der.clone()];
    let d = Verifier::new(pki.store(), policy())
        .verify(&chain, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::UnknownCa);
    assert!(
        d.message.contains("self-signed root 'Private Root CA'"),
        "{}",
        d.message
    );
    assert_eq!(d.certificate.as_ref().unwrap().position, Some(2));
    assert_eq!(
        d.recognised_as,
        Some("self signed certificate in certificate chain / certificate verify failed")
    );
}

#[test]
fn incomplete_chain_when_only_the_leaf_is_sent() {
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf(
        "callservice.webex.com",
        &["callservice.webex.com"],
    ));
    let d = Verifier::new(pki.store(), policy())
        .verify(&chain[..1], None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::IncompleteChain);
    assert!(d.message.contains(
        "issuer 'Test Hybrid Issuing CA' was not presented and is not in the trust store"
    ));
    assert_eq!(d.recognised_as, Some("certificate unknown"));
    assert!(d.to_string().contains("next step"));
}

#[test]
fn incomplete_chain_mentions_a_rejected_store_copy() {
    let pki = Pki::new();
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_pem("root", pki.root.pem.as_bytes()).unwrap();
    // The issuing CA is present but not a usable anchor? Use an expired copy of another CA with the
    // same subject: build a CA named like the issuer that expired.
    let expired_same_name =
        root(Spec::ca("Test Hybrid Issuing CA").valid((2010, 1, 1), (2020, 1, 1)));
    b.add_pem("old-issuing.pem", expired_same_name.pem.as_bytes())
        .unwrap();
    let store = b.build().unwrap();
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    let d = Verifier::new(store, policy())
        .verify(&chain[..1], None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::IncompleteChain);
    assert!(d.message.contains("old-issuing.pem"), "{}", d.message);
    assert!(d.message.contains("expired"), "{}", d.message);
}

#[test]
fn expired_and_not_yet_valid_name_the_certificate() {
    let pki = Pki::new();
    let store = pki.store();
    let old = pki
        .chain(Spec::leaf("h.example.com", &["h.example.com"]).valid((2024, 1, 1), (2025, 1, 1)));
    let d = Verifier::new(store.clone(), policy())
        .verify(&old, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::Expired);
    assert_eq!(d.certificate.as_ref().unwrap().role, Role::Leaf);
    assert_eq!(d.found.as_deref(), Some("notAfter 2025-01-01T00:00:00Z"));

    let late_issuer = sub_ca(
        Spec::ca("Late Issuing CA")
            .serial(9)
            .valid((2020, 1, 1), (2026, 1, 1)),
        &pki.root,
    );
    let (l, _) = leaf(
        Spec::leaf("h.example.com", &["h.example.com"]).valid((2025, 6, 1), (2025, 12, 1)),
        &late_issuer,
    );
    let (l2, _) = leaf(
        Spec::leaf("h.example.com", &["h.example.com"]),
        &late_issuer,
    );
    let d = Verifier::new(store.clone(), policy())
        .verify(&[l2, late_issuer.der.clone()], None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::Expired);
    assert_eq!(d.certificate.as_ref().unwrap().position, Some(1), "{d}");
    drop(l);

    let future = pki
        .chain(Spec::leaf("h.example.com", &["h.example.com"]).valid((2026, 9, 1), (2027, 9, 1)));
    assert_eq!(kind(&store, &future, policy()), DiagnosisKind::NotYetValid);
}

#[test]
fn bad_signature_on_a_tampered_leaf() {
    let pki = Pki::new();
    let mut chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    let mut bytes = chain[0].to_vec();
    let n = bytes.len();
    bytes[n - 5] ^= 0x01; // inside the signature value
    chain[0] = CertificateDer::from(bytes);
    assert_eq!(
        kind(&pki.store(), &chain, policy()),
        DiagnosisKind::BadSignature
    );
}

#[test]
fn sha1_leaf_rejected_warned_or_allowed_by_policy() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut b = TrustStore::builder();
    let t = time("2030-01-01T00:00:00Z");
    b.at(t);
    b.add_file(dir.join("legacy-root.pem")).unwrap();
    let store = b.build().unwrap();
    let chain = hybridtrust::parse_chain(&fs::read(dir.join("sha1-leaf.pem")).unwrap()).unwrap();
    let base = Policy::server_auth().with_time(t);
    let d = Verifier::new(store.clone(), base.clone())
        .verify(&chain, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::WeakSignature);
    assert!(d.hint.contains("SHA-1 policy"));
    let v = Verifier::new(store.clone(), base.clone().with_sha1(Sha1Policy::Warn))
        .verify(&chain, Some(&name("sha1.example.com")))
        .unwrap();
    assert!(v
        .warnings()
        .iter()
        .any(|w| w.kind == WarningKind::Sha1Accepted));
    let v = Verifier::new(store.clone(), base.with_sha1(Sha1Policy::Allow))
        .verify(&chain, None)
        .unwrap();
    assert!(v
        .warnings()
        .iter()
        .all(|w| w.kind != WarningKind::Sha1Accepted));
    // Client authentication accepts a SHA-1 peer with a warning by default.
    let v = Verifier::new(store, Policy::client_auth().with_time(t))
        .verify(&chain, None)
        .unwrap();
    assert!(v
        .warnings()
        .iter()
        .any(|w| w.kind == WarningKind::Sha1Accepted));
}

#[test]
fn name_mismatch_near_miss_and_alias() {
    let pki = Pki::new();
    let store = pki.store();
    let chain = pki.chain(Spec::leaf("sip.webex.com", &["sip.webex.com"]));
    let zone_rule = hybridtrust::Zone::webex_hybrid().outbound_rule();
    let d = Verifier::new(store.clone(), policy())
        .verify(&chain, Some(&zone_rule))
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::NameMismatch);
    assert_eq!(d.expected.as_deref(), Some("callservice.webex.com"));
    assert!(d.hint.contains("known alias"), "{}", d.hint);
    assert_eq!(
        d.recognised_as,
        Some("Peer's TLS certificate identity was unacceptable")
    );

    let ok = pki.chain(Spec::leaf(
        "callservice.webex.com",
        &["callservice.webex.com"],
    ));
    let d = Verifier::new(store, policy())
        .verify(&ok, Some(&name("calllservice.webex.com")))
        .unwrap_err();
    assert!(d.name_mismatch.as_ref().unwrap().near_miss);
    assert!(d.hint.contains("typo"), "{}", d.hint);
}

#[test]
fn missing_eku_and_the_client_auth_transition_mode() {
    let pki = Pki::new();
    let store = pki.store();
    let server_only = pki.chain(
        Spec::leaf("callservice.webex.com", &["callservice.webex.com"]).eku(vec![Eku::ServerAuth]),
    );
    let client = Policy::client_auth().with_time(at());
    let d = Verifier::new(store.clone(), client.clone())
        .verify(&server_only, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::MissingEku);
    assert_eq!(d.expected.as_deref(), Some("clientAuth"));
    assert_eq!(d.found.as_deref(), Some("serverAuth"));
    assert!(d.hint.contains("accept serverAuth-only"));

    let transition = client.with_eku_mode(EkuMode::AcceptServerAuthOnly);
    let v = Verifier::new(store.clone(), transition.clone())
        .verify(&server_only, None)
        .unwrap();
    assert!(v
        .warnings()
        .iter()
        .any(|w| w.kind == WarningKind::ClientAuthMissingAccepted));

    let code_signing =
        pki.chain(Spec::leaf("x.example.com", &["x.example.com"]).eku(vec![Eku::CodeSigning]));
    assert_eq!(
        kind(&store, &code_signing, transition),
        DiagnosisKind::MissingEku
    );
    let client_only =
        pki.chain(Spec::leaf("x.example.com", &["x.example.com"]).eku(vec![Eku::ClientAuth]));
    assert_eq!(
        kind(&store, &client_only, policy()),
        DiagnosisKind::MissingEku
    );

    // A server certificate that also serves mutual TLS but lacks clientAuth earns a warning.
    let v = Verifier::new(store, policy().with_mutual_tls(true))
        .verify(&server_only, None)
        .unwrap();
    assert!(v
        .warnings()
        .iter()
        .any(|w| w.kind == WarningKind::NoClientAuthForMutualTls));
}

#[test]
fn revoked_and_unknown_revocation_status() {
    let pki = Pki::new();
    let store = pki.store();
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]).serial(4242));
    let issuing_crl = Crl::parse_all(&crl(&pki.issuing, &[4242])).unwrap();
    let root_crl = Crl::parse_all(&crl(&pki.root, &[])).unwrap();
    let crls: Vec<Crl> = issuing_crl.into_iter().chain(root_crl).collect();
    let d = Verifier::new(store.clone(), policy().with_crls(crls))
        .verify(&chain, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::Revoked);
    assert_eq!(d.certificate.as_ref().unwrap().position, Some(0));

    // Only the root's CRL: the leaf's status is unknown; denied by default, allowed on request.
    let only_root = Crl::parse_all(&crl(&pki.root, &[])).unwrap();
    let d = Verifier::new(store.clone(), policy().with_crls(only_root))
        .verify(&chain, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::RevocationUnknown);
    assert!(d.hint.contains("Test Hybrid Issuing CA"), "{}", d.hint);
    let only_root = Crl::parse_all(&crl(&pki.root, &[])).unwrap();
    Verifier::new(
        store,
        policy()
            .with_crls(only_root)
            .with_unknown_status(UnknownStatus::Allow),
    )
    .verify(&chain, None)
    .unwrap();
    assert!(Crl::parse_all(b"not a crl").is_err());
}

#[test]
fn path_too_long_by_policy_and_by_path_len_constraint() {
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    assert_eq!(
        kind(&pki.store(), &chain, policy().with_max_depth(2)),
        DiagnosisKind::PathTooLong
    );

    let r = root(Spec::ca("Constrained Root").path_len(0));
    let a = sub_ca(Spec::ca("Sub A").serial(2), &r);
    let b = sub_ca(Spec::ca("Sub B").serial(3), &a);
    let (l, _) = leaf(Spec::leaf("h.example.com", &["h.example.com"]), &b);
    let mut sb = TrustStore::builder();
    sb.at(at());
    sb.add_pem("r", r.pem.as_bytes()).unwrap();
    let store = sb.build().unwrap();
    // webpki ignores the anchor's own pathLen; constrain the intermediate instead.
    let r2 = root(Spec::ca("Root 2"));
    let a2 = sub_ca(Spec::ca("Sub A2").serial(2).path_len(0), &r2);
    let b2 = sub_ca(Spec::ca("Sub B2").serial(3), &a2);
    let (l2, _) = leaf(Spec::leaf("h.example.com", &["h.example.com"]), &b2);
    let mut sb2 = TrustStore::builder();
    sb2.at(at());
    sb2.add_pem("r2", r2.pem.as_bytes()).unwrap();
    let store2 = sb2.build().unwrap();
    assert_eq!(
        kind(&store2, &[l2, b2.der.clone(), a2.der.clone()], policy()),
        DiagnosisKind::PathTooLong
    );
    drop((store, l));
}

#[test]
fn issuer_not_a_ca_and_ca_as_leaf() {
    let pki = Pki::new();
    let store = pki.store();
    // A leaf used to sign another leaf.
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params =
        rcgen::CertificateParams::new(vec!["fake-ca.example.com".to_string()]).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Fake CA");
    params.is_ca = rcgen::IsCa::ExplicitNoCa;
    params.not_before = rcgen::date_time_ymd(2026, 1, 1);
    params.not_after = rcgen::date_time_ymd(2027, 1, 1);
    let fake_ca = params.signed_by(&key, &pki.issuing.issuer).unwrap();
    let fake_issuer = rcgen::Issuer::new(params, key);
    let victim_key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut vp = rcgen::CertificateParams::new(vec!["victim.example.com".to_string()]).unwrap();
    vp.not_before = rcgen::date_time_ymd(2026, 1, 1);
    vp.not_after = rcgen::date_time_ymd(2027, 1, 1);
    let victim = vp.signed_by(&victim_key, &fake_issuer).unwrap();
    let chain = vec![
        victim.der().clone(),
        fake_ca.der().clone(),
        pki.issuing.der.clone(),
    ];
    let d = Verifier::new(store.clone(), policy())
        .verify(&chain, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::IssuerNotCa, "{d}");
    assert_eq!(d.certificate.as_ref().unwrap().position, Some(1));

    let ca_leaf = vec![pki.issuing.der.clone()];
    assert_eq!(kind(&store, &ca_leaf, policy()), DiagnosisKind::CaAsLeaf);
}

#[test]
fn name_constraint_violation() {
    let r = root(Spec::ca("NC Root"));
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name
        .push(rcgen::DnType::CommonName, "Constrained Issuing CA");
    p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    p.not_before = rcgen::date_time_ymd(2025, 1, 1);
    p.not_after = rcgen::date_time_ymd(2030, 1, 1);
    p.name_constraints = Some(rcgen::NameConstraints {
        permitted_subtrees: vec![rcgen::GeneralSubtree::DnsName("example.org".into())],
        excluded_subtrees: vec![],
    });
    let ca_cert = p.signed_by(&key, &r.issuer).unwrap();
    let issuer = rcgen::Issuer::new(p, key);
    let (l, _) = {
        let k = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut lp =
            rcgen::CertificateParams::new(vec!["callservice.webex.com".to_string()]).unwrap();
        lp.not_before = rcgen::date_time_ymd(2026, 1, 1);
        lp.not_after = rcgen::date_time_ymd(2027, 1, 1);
        let c = lp.signed_by(&k, &issuer).unwrap();
        (c.der().clone(), ())
    };
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_pem("r", r.pem.as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(
        kind(&store, &[l, ca_cert.der().clone()], policy()),
        DiagnosisKind::NameConstraintViolation
    );
}

#[test]
fn malformed_unsupported_empty_and_too_many() {
    let pki = Pki::new();
    let store = pki.store();
    assert_eq!(
        kind(
            &store,
            &[CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01])],
            policy()
        ),
        DiagnosisKind::Malformed
    );
    assert_eq!(kind(&store, &[], policy()), DiagnosisKind::EmptyChain);

    // An unknown critical extension.
    let k = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut lp = rcgen::CertificateParams::new(vec!["h.example.com".to_string()]).unwrap();
    lp.not_before = rcgen::date_time_ymd(2026, 1, 1);
    lp.not_after = rcgen::date_time_ymd(2027, 1, 1);
    let mut ext =
        rcgen::CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 99999, 1], vec![0x05, 0x00]);
    ext.set_criticality(true);
    lp.custom_extensions = vec![ext];
    let l = lp.signed_by(&k, &pki.issuing.issuer).unwrap();
    assert_eq!(
        kind(
            &store,
            &[l.der().clone(), pki.issuing.der.clone()],
            policy()
        ),
        DiagnosisKind::Unsupported
    );

    // 1,000 intermediates: refused before any signature check.
    let mut chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    let filler = chain[1].clone();
    chain.extend(std::iter::repeat_n(filler, 1000));
    let d = Verifier::new(store, policy())
        .verify(&chain, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::TooManyCertificates);
}

#[test]
fn decoy_intermediates_exhaust_the_budget_as_too_complex() {
    let pki = Pki::new();
    let mut chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    // 150 CAs named like the real issuer but with other keys, and no real issuer.
    chain.truncate(1);
    for i in 0..150u64 {
        let decoy = root(Spec::ca("Test Hybrid Issuing CA").serial(1000 + i));
        chain.push(decoy.der.clone());
    }
    let policy = policy().with_limits(Limits {
        max_chain_certificates: 200,
        ..Limits::default()
    });
    let d = Verifier::new(pki.store(), policy)
        .verify(&chain, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::TooComplex, "{d}");
}

#[test]
fn warnings_expiring_soon_and_anchor_outside_validity() {
    let pki = Pki::new();
    let chain = pki
        .chain(Spec::leaf("h.example.com", &["h.example.com"]).valid((2026, 1, 1), (2026, 6, 20)));
    let v = Verifier::new(pki.store(), policy())
        .verify(&chain, None)
        .unwrap();
    assert!(v
        .warnings()
        .iter()
        .any(|w| w.kind == WarningKind::ExpiresSoon));

    let old_root = root(Spec::ca("Old Root").valid((2000, 1, 1), (2026, 1, 1)));
    let issuing = sub_ca(
        Spec::ca("Still Valid Issuing")
            .serial(2)
            .valid((2025, 1, 1), (2030, 1, 1)),
        &old_root,
    );
    let (l, _) = leaf(Spec::leaf("h.example.com", &["h.example.com"]), &issuing);
    // Build the store at a time the root was valid, verify later.
    let mut b = TrustStore::builder();
    b.at(time("2025-06-01T00:00:00Z"));
    b.add_pem("old", old_root.pem.as_bytes()).unwrap();
    let v = Verifier::new(b.build().unwrap(), policy())
        .verify(&[l, issuing.der.clone()], None)
        .unwrap();
    assert!(v
        .warnings()
        .iter()
        .any(|w| w.kind == WarningKind::AnchorOutsideValidity));
}

#[test]
fn diagnoses_carry_the_store_generation_and_serialize() {
    let pki = Pki::new();
    let store = pki.store();
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    let d = Verifier::new(store.clone(), policy())
        .verify(&chain[..1], None)
        .unwrap_err();
    assert_eq!(d.store_generation, store.generation());
    let json: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
    assert_eq!(json["kind"], "incomplete-chain");
    assert_eq!(json["certificate"]["position"], 0);
}

#[test]
fn decoys_sharing_the_issuer_name_are_skipped_by_key_identifier() {
    let pki = Pki::new();
    let (l, _) = leaf(
        Spec::leaf("h.example.com", &["h.example.com"]),
        &pki.issuing,
    );
    let mut chain = vec![l];
    for i in 0..150u64 {
        chain.push(
            root(Spec::ca("Test Hybrid Issuing CA").serial(1000 + i))
                .der
                .clone(),
        );
    }
    chain.push(pki.issuing.der.clone());
    let policy = policy().with_limits(Limits {
        max_chain_certificates: 200,
        ..Limits::default()
    });
    // Tried in the presented order, the decoys would exhaust webpki's budget of
    // signature checks; ranked by key identifier, the real issuer comes first.
    let v = Verifier::new(pki.store(), policy)
        .verify(&chain, Some(&name("h.example.com")))
        .unwrap();
    assert_eq!(v.path()[1].position, Some(151));
}

#[test]
fn chains_without_key_identifiers_still_verify_past_decoys() {
    let pki = Pki::new();
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut p = rcgen::CertificateParams::new(vec!["h.example.com".to_string()]).unwrap();
    p.not_before = rcgen::date_time_ymd(2026, 1, 1);
    p.not_after = rcgen::date_time_ymd(2027, 1, 1);
    p.use_authority_key_identifier_extension = false;
    let l = p.signed_by(&key, &pki.issuing.issuer).unwrap();
    let mut chain = vec![l.der().clone()];
    for i in 0..10u64 {
        // Self-signed look-alikes and look-alikes issued by the real root.
        chain.push(
            root(Spec::ca("Test Hybrid Issuing CA").serial(2000 + i))
                .der
                .clone(),
        );
        let sibling = sub_ca(
            Spec::ca("Test Hybrid Issuing CA").serial(3000 + i),
            &pki.root,
        );
        chain.push(sibling.der.clone());
    }
    chain.push(pki.issuing.der.clone());
    let v = Verifier::new(pki.store(), policy())
        .verify(&chain, None)
        .unwrap();
    assert_eq!(v.path()[1].position, Some(21));
}

#[test]
fn crls_in_pem_beside_other_blocks_and_broken_crl_blocks() {
    let pki = Pki::new();
    let der = crl(&pki.issuing, &[1]);
    let crl_pem =
        pem_rfc7468::encode_string("X509 CRL", pem_rfc7468::LineEnding::LF, &der).unwrap();
    let mixed = format!("{}{}", pki.root.pem, crl_pem);
    assert_eq!(Crl::parse_all(mixed.as_bytes()).unwrap().len(), 1);
    assert_eq!(Crl::parse_all(&der).unwrap().len(), 1);
    let broken = crl_pem.replace('A', "*");
    assert!(Crl::parse_all(broken.as_bytes()).is_err());
    assert!(
        Crl::parse_all(pki.root.pem.as_bytes()).is_err(),
        "no CRL at all"
    );
}

#[test]
fn a_leaf_only_webpki_can_parse_is_refused_not_accepted_without_its_path_entry() {
    // Regression: webpki tolerates serial numbers over 20 octets, the full
    // parser (and so the store) does not. Such a chain was accepted and its
    // verified path silently lacked the leaf. Now it is refused as malformed,
    // as the store refuses the same certificate as unparsable.
    use rcgen::SigningKey;
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    // TBSCertificate fields, with the serial replaced by 40 octets.
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match content.len() {
            n if n < 0x80 => out.push(n as u8),
            n if n < 0x100 => out.extend([0x81, n as u8]),
            n => out.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        out.extend_from_slice(content);
        out
    }
    fn children(der: &[u8]) -> Vec<Vec<u8>> {
        let skip = |d: &[u8]| -> (usize, usize) {
            match d[1] {
                n if n < 0x80 => (2, n as usize),
                0x81 => (3, d[2] as usize),
                _ => (4, (d[2] as usize) << 8 | d[3] as usize),
            }
        };
        let (h, l) = skip(der);
        let mut rest = &der[h..h + l];
        let mut out = Vec::new();
        while !rest.is_empty() {
            let (h, l) = skip(rest);
            out.push(rest[..h + l].to_vec());
            rest = &rest[h + l..];
        }
        out
    }
    let mut fields = children(&children(chain[0].as_ref())[0]);
    let mut serial = vec![0x01];
    serial.extend([0x5A; 39]);
    fields[1] = tlv(0x02, &serial);
    let tbs = tlv(0x30, &fields.concat());
    let mut sig = vec![0u8];
    sig.extend(pki.issuing.issuer.key().sign(&tbs).unwrap());
    let alg = [
        0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
    ];
    let leaf = CertificateDer::from(tlv(0x30, &[tbs, alg.to_vec(), tlv(0x03, &sig)].concat()));
    assert!(hybridtrust::Certificate::from_der(leaf.to_vec()).is_err());
    let d = Verifier::new(pki.store(), policy())
        .verify(&[leaf, chain[1].clone()], None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::Malformed, "{d}");
}

#[test]
fn name_constraints_also_bind_a_name_that_matched_in_the_cn() {
    // Regression: webpki checks name constraints against SANs only, so a CA
    // constrained to example.org could issue a CN-only certificate for
    // callservice.webex.com that the CN-or-SAN and SAN-then-CN rules accepted.
    let r = root(Spec::ca("NC CN Root"));
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name
        .push(rcgen::DnType::CommonName, "Constrained CN CA");
    p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    p.not_before = rcgen::date_time_ymd(2025, 1, 1);
    p.not_after = rcgen::date_time_ymd(2030, 1, 1);
    p.name_constraints = Some(rcgen::NameConstraints {
        permitted_subtrees: vec![rcgen::GeneralSubtree::DnsName("example.org".into())],
        excluded_subtrees: vec![rcgen::GeneralSubtree::DnsName("bad.example.org".into())],
    });
    let ca_cert = p.signed_by(&key, &r.issuer).unwrap();
    let issuer = rcgen::Issuer::new(p, key);
    let cn_only = |cn: &str| {
        let k = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut lp = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        lp.distinguished_name.push(rcgen::DnType::CommonName, cn);
        lp.not_before = rcgen::date_time_ymd(2026, 1, 1);
        lp.not_after = rcgen::date_time_ymd(2027, 1, 1);
        vec![
            lp.signed_by(&k, &issuer).unwrap().der().clone(),
            ca_cert.der().clone(),
        ]
    };
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_pem("r", r.pem.as_bytes()).unwrap();
    let verifier = Verifier::new(b.build().unwrap(), policy());
    let check = |cn: &str, rule: IdentityRule| verifier.verify(&cn_only(cn), Some(&rule));

    for rule in [
        IdentityRule::cn_or_san("callservice.webex.com").unwrap(),
        IdentityRule::san_then_cn("callservice.webex.com").unwrap(),
    ] {
        let d = check("callservice.webex.com", rule).unwrap_err();
        assert_eq!(d.kind, DiagnosisKind::NameConstraintViolation, "{d}");
        assert!(d.message.contains("only in the CN"), "{d}");
    }
    let d = check(
        "x.bad.example.org",
        IdentityRule::cn_or_san("x.bad.example.org").unwrap(),
    )
    .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::NameConstraintViolation, "{d}");
    // Inside the permitted subtree, the CN still works.
    assert!(check(
        "host.example.org",
        IdentityRule::cn_or_san("host.example.org").unwrap()
    )
    .is_ok());
    // The inbound zone mapping refuses it too: the call falls into the Default Zone.
    match hybridtrust::Zone::webex_hybrid().classify_inbound(
        verifier.store(),
        &cn_only("callservice.webex.com"),
        &Policy::client_auth().with_time(at()),
    ) {
        hybridtrust::Inbound::DefaultZone { diagnosis } => {
            assert_eq!(diagnosis.kind, DiagnosisKind::NameConstraintViolation)
        }
        other => panic!("mapped into the zone: {other:?}"),
    }
}

#[test]
fn same_name_decoy_anchors_before_the_real_root_do_not_exhaust_the_budget() {
    // Regression: webpki tries candidate anchors in store order within 100
    // signature checks, so 150 store CAs named like the real root (other keys)
    // added before it made a valid chain fail as too-complex. Anchors whose
    // key identifier matches the chain's authority key identifier now come first.
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    let mut b = TrustStore::builder();
    b.at(at());
    for i in 0..150u64 {
        let decoy = root(Spec::ca("Test Hybrid Root CA").serial(5000 + i));
        b.add_der(&format!("decoy-{i}"), decoy.der.as_ref())
            .unwrap();
    }
    b.add_pem("test-root", pki.root.pem.as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.len(), 151);
    let v = Verifier::new(store, policy()).verify(&chain, None).unwrap();
    assert_eq!(v.anchor().provenance().source, "test-root");
}

#[test]
fn a_pem_chain_is_read_within_the_chain_limit_the_policy_uses() {
    let pki = Pki::new();
    let (l, leaf_pem) = leaf(
        Spec::leaf("h.example.com", &["h.example.com"]),
        &pki.issuing,
    );
    // The leaf and 99 copies of its issuer: 100 PEM blocks.
    let pem = format!("{leaf_pem}{}", pki.issuing.pem.repeat(99));
    let err = hybridtrust::parse_chain(pem.as_bytes()).unwrap_err();
    assert!(
        matches!(err, hybridtrust::Error::LimitExceeded { limit: 64, .. }),
        "{err:?}"
    );
    let raised = Limits {
        max_chain_certificates: 200,
        ..Limits::default()
    };
    let chain = hybridtrust::parse_chain_within(&raised, pem.as_bytes()).unwrap();
    assert_eq!(chain.len(), 100);
    assert_eq!(chain[0], l);
    let v = Verifier::new(pki.store(), policy().with_limits(raised.clone()))
        .verify(&chain, None)
        .unwrap();
    assert_eq!(v.path()[1].position, Some(1));
    let exact = Limits {
        max_chain_certificates: 100,
        ..Limits::default()
    };
    assert_eq!(
        hybridtrust::parse_chain_within(&exact, pem.as_bytes())
            .unwrap()
            .len(),
        100
    );
    let small = Limits {
        max_source_bytes: pem.len() - 1,
        ..raised
    };
    assert!(matches!(
        hybridtrust::parse_chain_within(&small, pem.as_bytes()),
        Err(hybridtrust::Error::LimitExceeded {
            what: "chain input",
            ..
        })
    ));
}
