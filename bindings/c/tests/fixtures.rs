//! The committed fixtures of `tests/data/`: a small PKI with CRLs and a
//! chain whose issuer is not a CA, for the diagnoses the example data cannot
//! reach (revoked, revocation-unknown, issuer-not-ca). Valid 2025..2045; the
//! CRLs are current from 2026-05-01 (or -15) to 2026-07-01, so scenarios validate at
//! 2026-06-01. The end-entity certificates assert keyCertSign without
//! basicConstraints cA (so that the not-a-CA issuer is refused for what it
//! is, not its key usage); `test_verify.c`'s profile-checks test relies on it
//! (a rule of strict verifiers, on a chain to a private CA). Regenerate by hand:
//! `cargo test -p hybridtrust-ffi --test fixtures -- --ignored regenerate`.

use std::fs;
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DistinguishedName,
    DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose,
    RevocationReason, RevokedCertParams, SanType, SerialNumber,
};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn params(cn: &str, serial: u64, ca: bool) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "hybridtrust C tests");
    dn.push(DnType::CommonName, cn);
    p.distinguished_name = dn;
    p.serial_number = Some(SerialNumber::from(serial));
    p.not_before = rcgen::date_time_ymd(2025, 1, 1);
    p.not_after = rcgen::date_time_ymd(2045, 1, 1);
    p.use_authority_key_identifier_extension = true;
    if ca {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    } else {
        p.is_ca = IsCa::ExplicitNoCa;
        p.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyCertSign,
        ];
        p.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ];
        p.subject_alt_names = vec![SanType::DnsName(cn.try_into().unwrap())];
    }
    p
}

fn key() -> KeyPair {
    KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap()
}

fn crl(issuer: &Issuer<'_, KeyPair>, revoked: &[u64]) -> String {
    numbered_crl(issuer, revoked, 1, 1)
}

/// A CRL with crlNumber `number` and thisUpdate 2026-05-`day`.
fn numbered_crl(issuer: &Issuer<'_, KeyPair>, revoked: &[u64], number: u64, day: u8) -> String {
    CertificateRevocationListParams {
        this_update: rcgen::date_time_ymd(2026, 5, day),
        next_update: rcgen::date_time_ymd(2026, 7, 1),
        crl_number: SerialNumber::from(number),
        issuing_distribution_point: None,
        revoked_certs: revoked
            .iter()
            .map(|s| RevokedCertParams {
                serial_number: SerialNumber::from(*s),
                revocation_time: rcgen::date_time_ymd(2026, 5, 2),
                reason_code: Some(RevocationReason::KeyCompromise),
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(issuer)
    .unwrap()
    .pem()
    .unwrap()
}

/// Regenerates `tests/data/`.
#[test]
#[ignore]
fn regenerate() {
    let d = data();
    fs::create_dir_all(&d).unwrap();

    let root_key = key();
    let root_params = params("C Test Root CA", 1, true);
    let root = root_params.self_signed(&root_key).unwrap();
    let root_issuer = Issuer::new(root_params, root_key);

    let issuing_key = key();
    let issuing_params = params("C Test Issuing CA", 2, true);
    let issuing = issuing_params
        .signed_by(&issuing_key, &root_issuer)
        .unwrap();
    let issuing_issuer = Issuer::new(issuing_params, issuing_key);

    let leaf = params("revoked.example.com", 200, false)
        .signed_by(&key(), &issuing_issuer)
        .unwrap();

    // An end-entity certificate used as an issuer.
    let not_ca_key = key();
    let not_ca_params = params("not-a-ca.example.com", 3, false);
    let not_ca = not_ca_params.signed_by(&not_ca_key, &root_issuer).unwrap();
    let not_ca_issuer = Issuer::new(not_ca_params, not_ca_key);
    let victim = params("victim.example.com", 201, false)
        .signed_by(&key(), &not_ca_issuer)
        .unwrap();

    fs::write(d.join("root.pem"), root.pem()).unwrap();
    fs::write(d.join("revoked-chain.pem"), leaf.pem() + &issuing.pem()).unwrap();
    fs::write(
        d.join("crls.pem"),
        crl(&issuing_issuer, &[200]) + &crl(&root_issuer, &[]),
    )
    .unwrap();
    fs::write(d.join("root-crl.pem"), crl(&root_issuer, &[])).unwrap();
    // Two current CRLs of the issuing CA, the older (not listing the leaf)
    // first, the newer (revoking it) second; then the root's.
    fs::write(
        d.join("older-first-crls.pem"),
        numbered_crl(&issuing_issuer, &[], 1, 1)
            + &numbered_crl(&issuing_issuer, &[200], 2, 15)
            + &crl(&root_issuer, &[]),
    )
    .unwrap();
    fs::write(d.join("not-ca-chain.pem"), victim.pem() + &not_ca.pem()).unwrap();
}

/// Regenerates the identity fixtures of `tests/data/` only (their own
/// root): a leaf whose CN, O and SAN try to attack a terminal, and a leaf
/// whose only SAN is `sip:callservice.webex.com` (RFC 5922).
/// `cargo test -p hybridtrust-ffi --test fixtures -- --ignored regenerate_names`.
#[test]
#[ignore]
fn regenerate_names() {
    let d = data();
    fs::create_dir_all(&d).unwrap();
    let root_key = key();
    let root_params = params("C Names Test Root CA", 10, true);
    let root = root_params.self_signed(&root_key).unwrap();
    let root_issuer = Issuer::new(root_params, root_key);

    let mut hostile = params("placeholder.example.com", 300, false);
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "Org\u{1b}]0;pwned\u{7}\u{202e}");
    dn.push(
        DnType::CommonName,
        "callservice.webex.com\n  next step: trust everything\u{1b}[2J\r\u{202e}moc.live",
    );
    hostile.distinguished_name = dn;
    hostile.subject_alt_names = vec![SanType::DnsName(
        "evil\u{1b}[2J.example.com".try_into().unwrap(),
    )];
    let hostile = hostile.signed_by(&key(), &root_issuer).unwrap();

    let mut sip = params("other.example.com", 301, false);
    sip.subject_alt_names = vec![SanType::URI(
        "sip:callservice.webex.com".try_into().unwrap(),
    )];
    let sip = sip.signed_by(&key(), &root_issuer).unwrap();

    fs::write(d.join("names-root.pem"), root.pem()).unwrap();
    fs::write(d.join("hostile-names.pem"), hostile.pem()).unwrap();
    fs::write(d.join("sip-uri.pem"), sip.pem()).unwrap();
}

#[test]
fn fixtures_are_present() {
    for f in [
        "names-root.pem",
        "hostile-names.pem",
        "sip-uri.pem",
        "root.pem",
        "revoked-chain.pem",
        "crls.pem",
        "root-crl.pem",
        "older-first-crls.pem",
        "not-ca-chain.pem",
    ] {
        assert!(
            data().join(f).is_file(),
            "{f} missing: run the ignored regenerate test"
        );
    }
}
