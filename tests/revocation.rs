//! Revocation with several CRLs: an older CRL never hides a newer one that
//! revokes, a CRL that is not current yet is treated as absent, and CRLs
//! that break RFC 5280's CRL profile are refused when they are parsed.

mod common;

use common::*;
use der::{Decode, Encode};
use hybridtrust::{
    CertificateDer, Crl, DiagnosisKind, Error, Limits, Policy, RevocationScope, UnknownStatus,
    Verifier,
};
use rcgen::SigningKey;

fn policy() -> Policy {
    Policy::server_auth().with_time(at())
}

/// A CRL by `ca` with crlNumber `number`, thisUpdate `this` and nextUpdate
/// `next` (dates), revoking `serials`.
fn crl_at(
    ca: &Ca,
    number: u64,
    this: (i32, u8, u8),
    next: (i32, u8, u8),
    serials: &[u64],
) -> Vec<u8> {
    let params = rcgen::CertificateRevocationListParams {
        this_update: rcgen::date_time_ymd(this.0, this.1, this.2),
        next_update: rcgen::date_time_ymd(next.0, next.1, next.2),
        crl_number: rcgen::SerialNumber::from(number),
        issuing_distribution_point: None,
        revoked_certs: serials
            .iter()
            .map(|s| rcgen::RevokedCertParams {
                serial_number: rcgen::SerialNumber::from(*s),
                revocation_time: rcgen::date_time_ymd(this.0, this.1, this.2),
                reason_code: Some(rcgen::RevocationReason::KeyCompromise),
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: rcgen::KeyIdMethod::Sha256,
    };
    params.signed_by(&ca.issuer).unwrap().der().to_vec()
}

fn one(der: &[u8]) -> Crl {
    Crl::from_der(der).unwrap()
}

/// The standard PKI, a leaf with serial 4242, and a current empty root CRL
/// (so the whole chain has a CRL).
fn setup() -> (Pki, Vec<CertificateDer<'static>>, Vec<u8>) {
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]).serial(4242));
    let root_crl = crl_at(&pki.root, 1, (2026, 5, 1), (2026, 7, 1), &[]);
    (pki, chain, root_crl)
}

fn verify(
    pki: &Pki,
    chain: &[CertificateDer<'_>],
    policy: Policy,
) -> Result<(), hybridtrust::Diagnosis> {
    Verifier::new(pki.store(), policy)
        .with_cache_capacity(0)
        .verify(chain, None)
        .map(|_| ())
}

#[test]
fn an_older_crl_does_not_hide_a_newer_one_that_revokes_in_either_order() {
    let (pki, chain, root_crl) = setup();
    let older = crl_at(&pki.issuing, 1, (2026, 5, 1), (2026, 7, 1), &[]);
    let newer = crl_at(&pki.issuing, 2, (2026, 5, 15), (2026, 7, 15), &[4242]);
    for order in [[&older, &newer], [&newer, &older]] {
        let crls = vec![one(order[0]), one(order[1]), one(&root_crl)];
        let d = verify(&pki, &chain, policy().with_crls(crls)).unwrap_err();
        assert_eq!(d.kind, DiagnosisKind::Revoked, "{d}");
        assert_eq!(d.certificate.as_ref().unwrap().position, Some(0), "{d}");
    }
    // Only the leaf in scope: the same.
    let crls = vec![one(&older), one(&newer)];
    let d = verify(
        &pki,
        &chain,
        policy()
            .with_crls(crls)
            .with_revocation_scope(RevocationScope::EndEntity),
    )
    .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::Revoked, "{d}");
}

#[test]
fn any_current_crl_that_revokes_decides_even_an_older_one() {
    let (pki, chain, root_crl) = setup();
    let older = crl_at(&pki.issuing, 1, (2026, 5, 1), (2026, 7, 1), &[4242]);
    let newer = crl_at(&pki.issuing, 2, (2026, 5, 15), (2026, 7, 15), &[]);
    for order in [[&older, &newer], [&newer, &older]] {
        let crls = vec![one(order[0]), one(order[1]), one(&root_crl)];
        let d = verify(&pki, &chain, policy().with_crls(crls)).unwrap_err();
        assert_eq!(d.kind, DiagnosisKind::Revoked, "{d}");
    }
}

#[test]
fn among_crls_that_do_not_revoke_the_newest_decides() {
    let (pki, chain, root_crl) = setup();
    // The older CRL is past its nextUpdate; the newer one is current.
    let stale = crl_at(&pki.issuing, 1, (2026, 4, 1), (2026, 5, 1), &[]);
    let current = crl_at(&pki.issuing, 2, (2026, 5, 15), (2026, 7, 15), &[]);
    for order in [[&stale, &current], [&current, &stale]] {
        let crls = vec![one(order[0]), one(order[1]), one(&root_crl)];
        verify(&pki, &chain, policy().with_crls(crls)).unwrap();
    }
    // crlNumber orders before thisUpdate: a higher number with an older
    // thisUpdate is the newer CRL.
    let numbered = crl_at(&pki.issuing, 9, (2026, 4, 1), (2026, 5, 1), &[]);
    let dated = crl_at(&pki.issuing, 3, (2026, 5, 15), (2026, 7, 15), &[]);
    let crls = vec![one(&dated), one(&numbered), one(&root_crl)];
    let d = verify(&pki, &chain, policy().with_crls(crls)).unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::RevocationUnknown, "{d}");
    assert!(d.message.contains("nextUpdate"), "{d}");
}

#[test]
fn a_crl_whose_this_update_is_after_the_validation_time_is_not_current() {
    let (pki, chain, root_crl) = setup();
    // Issued after the validation time (2026-06-01), revoking the leaf.
    let future = crl_at(&pki.issuing, 5, (2026, 7, 1), (2026, 8, 1), &[4242]);
    // Alone: the leaf's status is unknown, and the diagnosis says why.
    let crls = vec![one(&future), one(&root_crl)];
    let d = verify(&pki, &chain, policy().with_crls(crls)).unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::RevocationUnknown, "{d}");
    assert!(d.message.contains("not current"), "{d}");
    assert!(d.message.contains("2026-07-01"), "{d}");
    assert_eq!(d.certificate.as_ref().unwrap().position, Some(0), "{d}");
    // Unknown status allowed: accepted.
    let crls = vec![one(&future), one(&root_crl)];
    verify(
        &pki,
        &chain,
        policy()
            .with_crls(crls)
            .with_unknown_status(UnknownStatus::Allow),
    )
    .unwrap();
    // Beside a current CRL that does not list the leaf: that one decides.
    let current = crl_at(&pki.issuing, 2, (2026, 5, 1), (2026, 7, 1), &[]);
    let crls = vec![one(&future), one(&current), one(&root_crl)];
    verify(&pki, &chain, policy().with_crls(crls)).unwrap();
    // Every CRL in the future: nothing is current.
    let root_future = crl_at(&pki.root, 5, (2026, 7, 1), (2026, 8, 1), &[]);
    let crls = vec![one(&future), one(&root_future)];
    let d = verify(&pki, &chain, policy().with_crls(crls)).unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::RevocationUnknown, "{d}");
}

#[test]
fn a_cached_accept_is_not_reused_once_a_future_crl_becomes_current() {
    let (pki, chain, root_crl) = setup();
    let current = crl_at(&pki.issuing, 2, (2026, 5, 1), (2026, 8, 1), &[]);
    let future = crl_at(&pki.issuing, 5, (2026, 7, 1), (2026, 8, 1), &[4242]);
    drop(root_crl);
    let root_long = crl_at(&pki.root, 2, (2026, 5, 1), (2026, 8, 1), &[]);
    let v = Verifier::new(
        pki.store(),
        policy().with_crls(vec![one(&current), one(&future), one(&root_long)]),
    );
    v.verify_at(&chain, None, at()).unwrap();
    let later = time("2026-07-02T00:00:00Z");
    let d = v.verify_at(&chain, None, later).unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::Revoked, "{d}");
}

/// `der` (a CRL by `ca`) with its extensions changed by `edit`, signed again by `ca`.
fn edited(ca: &Ca, der: &[u8], edit: impl FnOnce(&mut Vec<x509_cert::ext::Extension>)) -> Vec<u8> {
    let mut list = x509_cert::crl::CertificateList::from_der(der).unwrap();
    let mut exts = list.tbs_cert_list.crl_extensions.take().unwrap_or_default();
    edit(&mut exts);
    list.tbs_cert_list.crl_extensions = (!exts.is_empty()).then_some(exts);
    let tbs = list.tbs_cert_list.to_der().unwrap();
    let signature = ca.issuer.key().sign(&tbs).unwrap();
    list.signature = der::asn1::BitString::from_bytes(&signature).unwrap();
    list.to_der().unwrap()
}

const CRL_NUMBER: &str = "2.5.29.20";

#[test]
fn a_crl_without_crl_number_or_with_a_critical_one_is_refused() {
    let (pki, chain, root_crl) = setup();
    let good = crl_at(&pki.issuing, 7, (2026, 5, 1), (2026, 7, 1), &[4242]);
    let oid = der::asn1::ObjectIdentifier::new_unwrap(CRL_NUMBER);
    // The re-signed CRL with nothing changed is still good (the helper works).
    let same = edited(&pki.issuing, &good, |_| {});
    let d = verify(
        &pki,
        &chain,
        policy().with_crls(vec![one(&same), one(&root_crl)]),
    )
    .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::Revoked, "{d}");
    assert_eq!(one(&same).crl_number(), &[7]);

    let without = edited(&pki.issuing, &good, |exts| {
        exts.retain(|e| e.extn_id != oid)
    });
    let err = Crl::from_der(&without).unwrap_err();
    assert!(matches!(err, Error::Parse(_)), "{err:?}");
    assert!(err.to_string().contains("no crlNumber"), "{err}");
    assert!(Crl::parse_all(&without).is_err());

    let critical = edited(&pki.issuing, &good, |exts| {
        for e in exts.iter_mut().filter(|e| e.extn_id == oid) {
            e.critical = true;
        }
    });
    let err = Crl::from_der(&critical).unwrap_err();
    assert!(matches!(err, Error::Parse(_)), "{err:?}");
    assert!(err.to_string().contains("critical"), "{err}");

    let twice = edited(&pki.issuing, &good, |exts| {
        let number = exts.iter().find(|e| e.extn_id == oid).unwrap().clone();
        exts.push(number);
    });
    assert!(Crl::from_der(&twice).is_err());
}

#[test]
fn a_crl_whose_issuer_lacks_crl_sign_is_not_used() {
    // webpki enforces RFC 5280 6.3.3 (f): when the CRL issuer's certificate
    // has keyUsage, it must assert cRLSign.
    let pki = Pki::new();
    let spec = Spec::ca("No CRL Sign Issuing CA").serial(3);
    let mut params = spec.params();
    params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign];
    let key = spec.key();
    let same_key = rcgen::KeyPair::try_from(key.serialize_der()).unwrap();
    let cert = params.signed_by(&key, &pki.root.issuer).unwrap();
    let issuing = Ca {
        der: cert.der().clone(),
        pem: cert.pem(),
        issuer: rcgen::Issuer::new(params, key),
    };
    let (l, _) = leaf(
        Spec::leaf("h.example.com", &["h.example.com"]).serial(4242),
        &issuing,
    );
    let chain = vec![l, issuing.der.clone()];
    let root_crl = crl_at(&pki.root, 1, (2026, 5, 1), (2026, 7, 1), &[]);
    // rcgen refuses to sign a CRL for an issuer without cRLSign: sign it with
    // the same name and key under parameters that allow it.
    let signer = Ca {
        der: issuing.der.clone(),
        pem: String::new(),
        issuer: rcgen::Issuer::new(spec.params(), same_key),
    };
    let issuing_crl = crl_at(&signer, 1, (2026, 5, 1), (2026, 7, 1), &[]);
    let d = verify(
        &pki,
        &chain,
        policy().with_crls(vec![one(&issuing_crl), one(&root_crl)]),
    )
    .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::RevocationUnknown, "{d}");
    assert!(
        d.detail
            .as_deref()
            .unwrap_or("")
            .contains("IssuerNotCrlSigner"),
        "{d:?}"
    );
}

#[test]
fn crl_inputs_are_bounded_in_size_and_count() {
    let (pki, _, root_crl) = setup();
    let pem = |der: &[u8]| pem_rfc7468_encode(der);
    let two = format!(
        "{}{}",
        pem(&root_crl),
        pem(&crl_at(&pki.issuing, 1, (2026, 5, 1), (2026, 7, 1), &[]))
    );
    assert_eq!(Crl::parse_all(two.as_bytes()).unwrap().len(), 2);
    let small = Limits {
        max_source_bytes: two.len() - 1,
        ..Limits::default()
    };
    let err = Crl::parse_all_within(&small, two.as_bytes()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::LimitExceeded {
                what: "CRL input",
                ..
            }
        ),
        "{err:?}"
    );
    let one_crl = Limits {
        max_crls: 1,
        ..Limits::default()
    };
    let err = Crl::parse_all_within(&one_crl, two.as_bytes()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::LimitExceeded {
                what: "CRLs",
                limit: 1,
                actual: 2
            }
        ),
        "{err:?}"
    );
    assert_eq!(Crl::parse_all_within(&one_crl, &root_crl).unwrap().len(), 1);
    // PEM blocks of any kind count against max_certificates_per_source.
    let one_block = Limits {
        max_certificates_per_source: 1,
        ..Limits::default()
    };
    let mixed = format!("{}{}", pki.root.pem, pem(&root_crl));
    let err = Crl::parse_all_within(&one_block, mixed.as_bytes()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::LimitExceeded {
                what: "PEM blocks in a CRL input",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(Crl::parse_all(mixed.as_bytes()).unwrap().len(), 1);
    assert!(Crl::check_count(&one_crl, 2).is_err());
    assert!(Crl::check_count(&one_crl, 1).is_ok());
}

fn pem_rfc7468_encode(der: &[u8]) -> String {
    pem_rfc7468::encode_string("X509 CRL", pem_rfc7468::LineEnding::LF, der).unwrap()
}

/// A root whose keyUsage is keyCertSign only, an issuing CA under it, and a
/// CRL by the root's key (rcgen refuses to sign one for an issuer without
/// cRLSign, so the CRL is signed under parameters that allow it).
fn root_without_crl_sign() -> (Ca, Ca, Vec<u8>) {
    let spec = Spec::ca("No CRL Sign Root");
    let mut params = spec.params();
    params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign];
    let key = spec.key();
    let same_key = rcgen::KeyPair::try_from(key.serialize_der()).unwrap();
    let cert = params.self_signed(&key).unwrap();
    let root = Ca {
        der: cert.der().clone(),
        pem: cert.pem(),
        issuer: rcgen::Issuer::new(params, key),
    };
    let issuing = sub_ca(Spec::ca("Test Hybrid Issuing CA").serial(2), &root);
    let signer = Ca {
        der: root.der.clone(),
        pem: String::new(),
        issuer: rcgen::Issuer::new(spec.params(), same_key),
    };
    let root_crl = crl_at(&signer, 1, (2026, 5, 1), (2026, 7, 1), &[]);
    (root, issuing, root_crl)
}

#[test]
fn a_crl_from_an_anchor_without_crl_sign_is_not_used() {
    // RFC 5280 6.3.3 (f) for the trust anchor too: webpki keeps no keyUsage
    // for anchors, so without this check the root's CRL would decide the
    // issuing CA's status. OpenSSL refuses the same chain under
    // -crl_check_all ("key usage does not include CRL signing").
    let (root, issuing, root_crl) = root_without_crl_sign();
    let (l, _) = leaf(
        Spec::leaf("h.example.com", &["h.example.com"]).serial(4242),
        &issuing,
    );
    let chain = vec![l, issuing.der.clone()];
    let issuing_crl = crl_at(&issuing, 1, (2026, 5, 1), (2026, 7, 1), &[]);
    let mut b = hybridtrust::TrustStore::builder();
    b.at(at());
    b.add_pem("test-root", root.pem.as_bytes()).unwrap();
    let store = b.build().unwrap();
    let run = |scope, unknown| {
        Verifier::new(
            store.clone(),
            policy()
                .with_crls(vec![one(&issuing_crl), one(&root_crl)])
                .with_revocation_scope(scope)
                .with_unknown_status(unknown),
        )
        .with_cache_capacity(0)
        .verify(&chain, None)
    };
    for unknown in [UnknownStatus::Deny, UnknownStatus::Allow] {
        let d = run(RevocationScope::Chain, unknown).unwrap_err();
        assert_eq!(d.kind, DiagnosisKind::RevocationUnknown, "{d}");
        assert!(
            d.detail
                .as_deref()
                .unwrap_or("")
                .contains("IssuerNotCrlSigner"),
            "{d:?}"
        );
    }
    // Only the leaf in scope: the root's CRL is not consulted.
    assert!(run(RevocationScope::EndEntity, UnknownStatus::Deny).is_ok());

    // OpenSSL agrees.
    let dir = std::env::temp_dir().join(format!("ht-crl-sign-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pem = |label: &str, der: &[u8]| {
        pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).unwrap()
    };
    std::fs::write(dir.join("root.pem"), &root.pem).unwrap();
    std::fs::write(dir.join("int.pem"), &issuing.pem).unwrap();
    std::fs::write(dir.join("leaf.pem"), pem("CERTIFICATE", chain[0].as_ref())).unwrap();
    let crls = pem("X509 CRL", &root_crl) + &pem("X509 CRL", &issuing_crl);
    std::fs::write(dir.join("crls.pem"), crls).unwrap();
    let out = std::process::Command::new("openssl")
        .args(["verify", "-attime", &at().as_secs().to_string()])
        .args([
            "-crl_check_all",
            "-CRLfile",
            "crls.pem",
            "-CAfile",
            "root.pem",
        ])
        .args(["-untrusted", "int.pem", "leaf.pem"])
        .current_dir(&dir)
        .output()
        .expect("the openssl command is needed");
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        !out.status.success(),
        "openssl accepted: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}
