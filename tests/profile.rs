//! The certificate profile webpki leaves out (RFC 5280 MUSTs), the
//! `ProfileChecks` setting, and the behaviours of webpki where it refuses
//! what RFC 5280 allows (documented in SECURITY.md's deviations).

mod common;

use common::*;
use hybridtrust::{
    CertificateDer, Diagnosis, DiagnosisKind, IdentityRule, Policy, ProfileChecks, Role,
    TrustStore, Usage, Verifier, WarningKind,
};
use rcgen::{
    CertificateParams, CustomExtension, DistinguishedName, GeneralSubtree, IsCa, Issuer, KeyPair,
    KeyUsagePurpose as Ku, NameConstraints, SanType,
};

const STRICT: ProfileChecks = ProfileChecks::Strict;
const DEFAULT: ProfileChecks = ProfileChecks::ByAnchorOrigin;
const LENIENT: ProfileChecks = ProfileChecks::Lenient;

/// A store whose anchor counts as a private CA (a file of the customer's).
fn private_store(root: &Ca) -> TrustStore {
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_pem("customer-ca.pem", root.pem.as_bytes()).unwrap();
    b.build().unwrap()
}

/// A store whose anchor counts as a public root: the builder marks anchors
/// read from the operating system's store with the provenance `os-store`.
fn public_store(root: &Ca) -> TrustStore {
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_pem("os-store", root.pem.as_bytes()).unwrap();
    b.build().unwrap()
}

fn verify(
    store: &TrustStore,
    chain: &[CertificateDer<'static>],
    checks: ProfileChecks,
) -> Result<hybridtrust::Verified, Diagnosis> {
    let policy = Policy::server_auth()
        .with_time(at())
        .with_profile_checks(checks);
    Verifier::new(store.clone(), policy)
        .with_cache_capacity(0)
        .verify(chain, None)
}

/// The rule ids of the profile warnings of an accepted chain.
fn warned(result: &Result<hybridtrust::Verified, Diagnosis>) -> Vec<String> {
    let v = result.as_ref().expect("accepted");
    v.warnings()
        .iter()
        .filter(|w| w.kind == WarningKind::ProfileViolationAccepted)
        .map(|w| w.message.split(':').next().unwrap_or_default().to_string())
        .collect()
}

fn refused_rule(result: &Result<hybridtrust::Verified, Diagnosis>) -> (String, Role) {
    let d = result.as_ref().expect_err("refused");
    assert_eq!(d.kind, DiagnosisKind::ProfileViolation, "{d}");
    (
        d.detail.clone().unwrap_or_default(),
        d.certificate.as_ref().map(|c| c.role).unwrap(),
    )
}

/// Root -> intermediate -> leaf, each from rcgen parameters.
struct Chain {
    root: Ca,
    chain: Vec<CertificateDer<'static>>,
    inter: Issuer<'static, KeyPair>,
}

fn build(
    root_p: CertificateParams,
    inter_p: CertificateParams,
    leaf_p: CertificateParams,
) -> Chain {
    let rk = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let rc = root_p.self_signed(&rk).unwrap();
    let root = Ca {
        der: rc.der().clone(),
        pem: rc.pem(),
        issuer: Issuer::new(root_p, rk),
    };
    let ik = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let ic = inter_p.signed_by(&ik, &root.issuer).unwrap();
    let inter = Issuer::new(inter_p, ik);
    let lk = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let lc = leaf_p.signed_by(&lk, &inter).unwrap();
    Chain {
        root,
        chain: vec![lc.der().clone(), ic.der().clone()],
        inter,
    }
}

fn root_p() -> CertificateParams {
    Spec::ca("Profile Root").params()
}
fn inter_p() -> CertificateParams {
    Spec::ca("Profile Issuing CA").serial(2).params()
}
fn leaf_p() -> CertificateParams {
    Spec::leaf("leaf.example.com", &["leaf.example.com"]).params()
}

/// DER of a TLV.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// The TLVs inside the constructed TLV at the start of `der`.
fn children(der: &[u8]) -> Vec<Vec<u8>> {
    let header = |d: &[u8]| -> (usize, usize) {
        if d[1] < 0x80 {
            return (2, usize::from(d[1]));
        }
        let n = usize::from(d[1] & 0x7f);
        (
            2 + n,
            d[2..2 + n]
                .iter()
                .fold(0, |a, b| (a << 8) | usize::from(*b)),
        )
    };
    let (h, l) = header(der);
    let mut rest = &der[h..h + l];
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (h, l) = header(rest);
        out.push(rest[..h + l].to_vec());
        rest = &rest[h + l..];
    }
    out
}

/// `cert` with its serialNumber replaced (rcgen writes only positive ones),
/// re-signed with ECDSA P-256/SHA-256 by `issuer`.
fn with_serial(
    cert: &[u8],
    serial: &[u8],
    issuer: &Issuer<'static, KeyPair>,
) -> CertificateDer<'static> {
    use rcgen::SigningKey;
    let mut fields = children(&children(cert)[0]);
    fields[1] = tlv(0x02, serial); // [0] version, then serialNumber
    let tbs = tlv(0x30, &fields.concat());
    let signature = issuer.key().sign(&tbs).unwrap();
    let alg = [
        0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
    ];
    let mut bits = vec![0u8];
    bits.extend(signature);
    CertificateDer::from(tlv(0x30, &[tbs, alg.to_vec(), tlv(0x03, &bits)].concat()))
}

fn ext(oid: &[u64], critical: bool, value: Vec<u8>) -> CustomExtension {
    let mut e = CustomExtension::from_oid_content(oid, value);
    e.set_criticality(critical);
    e
}

/// basicConstraints cA TRUE, written by hand (rcgen always marks its own critical).
fn bc_ca(critical: bool) -> CustomExtension {
    ext(&[2, 5, 29, 19], critical, tlv(0x30, &tlv(0x01, &[0xff])))
}

/// A subjectKeyIdentifier of 20 arbitrary octets.
fn ski(seed: u8) -> CustomExtension {
    ext(&[2, 5, 29, 14], false, tlv(0x04, &[seed; 20]))
}

/// nameConstraints permitting one dNSName.
fn nc_dns(name: &str, critical: bool) -> CustomExtension {
    let subtree = tlv(0x30, &tlv(0x82, name.as_bytes()));
    ext(&[2, 5, 29, 30], critical, tlv(0x30, &tlv(0xa0, &subtree)))
}

#[test]
fn a_conforming_chain_has_no_profile_violation_under_any_setting() {
    let c = build(root_p(), inter_p(), leaf_p());
    for store in [private_store(&c.root), public_store(&c.root)] {
        for checks in ProfileChecks::ALL {
            assert_eq!(
                warned(&verify(&store, &c.chain, checks)),
                Vec::<String>::new()
            );
        }
    }
}

// --- keyUsage -----------------------------------------------------------

#[test]
fn an_intermediate_without_key_cert_sign_is_refused() {
    let mut inter = inter_p();
    inter.key_usages = vec![Ku::DigitalSignature, Ku::CrlSign];
    let c = build(root_p(), inter, leaf_p());
    let r = verify(&private_store(&c.root), &c.chain, DEFAULT);
    assert_eq!(
        refused_rule(&r),
        ("rfc5280-ca-key-cert-sign".into(), Role::Intermediate)
    );
    let d = r.unwrap_err();
    assert!(d.message.contains("lacks keyCertSign"), "{d}");
    assert!(d.hint.contains("lenient"), "{d}");
    assert_eq!(d.certificate.unwrap().position, Some(1));
    assert_eq!(
        warned(&verify(&private_store(&c.root), &c.chain, LENIENT)),
        ["rfc5280-ca-key-cert-sign"]
    );
}

#[test]
fn an_anchor_whose_key_usage_lacks_key_cert_sign_is_refused() {
    let mut root = root_p();
    root.key_usages = vec![Ku::DigitalSignature, Ku::CrlSign];
    let c = build(root, inter_p(), leaf_p());
    let r = verify(&private_store(&c.root), &c.chain, DEFAULT);
    assert_eq!(
        refused_rule(&r),
        ("rfc5280-ca-key-cert-sign".into(), Role::Anchor)
    );
}

#[test]
fn a_leaf_whose_key_usage_is_only_key_cert_sign_is_refused() {
    let mut leaf = leaf_p();
    leaf.key_usages = vec![Ku::KeyCertSign];
    let c = build(root_p(), inter_p(), leaf);
    let store = private_store(&c.root);
    assert_eq!(
        refused_rule(&verify(&store, &c.chain, DEFAULT)),
        ("rfc5280-leaf-key-usage".into(), Role::Leaf)
    );
    assert_eq!(
        warned(&verify(&store, &c.chain, LENIENT)),
        ["rfc5280-leaf-key-usage", "rfc5280-key-cert-sign-without-ca"]
    );
}

#[test]
fn the_leaf_key_usage_follows_the_tls_usage_as_openssl_does() {
    // keyEncipherment alone: usable for a TLS server (RSA key exchange), not
    // for a client, which must sign (OpenSSL's check_purpose_ssl_client).
    let mut leaf = leaf_p();
    leaf.key_usages = vec![Ku::KeyEncipherment];
    let c = build(root_p(), inter_p(), leaf);
    let store = private_store(&c.root);
    assert!(verify(&store, &c.chain, STRICT).is_ok());
    let client = Policy::client_auth().with_time(at());
    let d = Verifier::new(store, client)
        .verify(&c.chain, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::ProfileViolation);
    assert_eq!(d.detail.as_deref(), Some("rfc5280-leaf-key-usage"));
    assert!(
        d.message.contains("digitalSignature or keyAgreement"),
        "{d}"
    );
}

#[test]
fn key_cert_sign_without_the_ca_flag_follows_the_anchor_origin() {
    let mut leaf = leaf_p();
    leaf.key_usages = vec![Ku::DigitalSignature, Ku::KeyCertSign];
    let c = build(root_p(), inter_p(), leaf);
    let private = private_store(&c.root);
    assert_eq!(
        warned(&verify(&private, &c.chain, DEFAULT)),
        ["rfc5280-key-cert-sign-without-ca"]
    );
    assert_eq!(
        refused_rule(&verify(&private, &c.chain, STRICT)),
        ("rfc5280-key-cert-sign-without-ca".into(), Role::Leaf)
    );
    assert_eq!(
        refused_rule(&verify(&public_store(&c.root), &c.chain, DEFAULT)).0,
        "rfc5280-key-cert-sign-without-ca"
    );
}

#[test]
fn an_intermediate_without_key_usage_follows_the_anchor_origin() {
    let mut inter = inter_p();
    inter.key_usages = vec![];
    let c = build(root_p(), inter, leaf_p());
    assert_eq!(
        warned(&verify(&private_store(&c.root), &c.chain, DEFAULT)),
        ["rfc5280-ca-key-usage-missing"]
    );
    assert_eq!(
        refused_rule(&verify(&public_store(&c.root), &c.chain, DEFAULT)).0,
        "rfc5280-ca-key-usage-missing"
    );
}

// --- critical extensions ------------------------------------------------

#[test]
fn an_unknown_critical_extension_in_the_anchor_is_refused() {
    // webpki does not read an anchor's extensions.
    let mut root = root_p();
    root.custom_extensions = vec![ext(&[1, 3, 6, 1, 4, 1, 55555, 1], true, vec![0x05, 0x00])];
    let c = build(root, inter_p(), leaf_p());
    let r = verify(&private_store(&c.root), &c.chain, DEFAULT);
    assert_eq!(
        refused_rule(&r),
        ("rfc5280-unknown-critical-extension".into(), Role::Anchor)
    );
    assert!(r.unwrap_err().message.contains("1.3.6.1.4.1.55555.1"));
}

#[test]
fn an_unknown_critical_extension_in_a_presented_certificate_is_refused_by_webpki() {
    let mut leaf = leaf_p();
    leaf.custom_extensions = vec![ext(&[1, 3, 6, 1, 4, 1, 55555, 1], true, vec![0x05, 0x00])];
    let c = build(root_p(), inter_p(), leaf);
    for checks in ProfileChecks::ALL {
        let d = verify(&private_store(&c.root), &c.chain, checks).unwrap_err();
        assert_eq!(d.kind, DiagnosisKind::Unsupported, "{d}");
        // The diagnosis names the certificate and the extension.
        assert!(d.message.contains("1.3.6.1.4.1.55555.1"), "{d}");
        assert_eq!(d.certificate.as_ref().map(|c| c.role), Some(Role::Leaf));
    }
    // An intermediate's, named as such.
    let mut inter = inter_p();
    inter.custom_extensions = vec![ext(
        &[2, 5, 29, 32],
        true,
        tlv(0x30, &tlv(0x30, &tlv(0x06, &[0x55, 0x1d, 0x20, 0x00]))),
    )];
    let c = build(root_p(), inter, leaf_p());
    let d = verify(&private_store(&c.root), &c.chain, LENIENT).unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::Unsupported, "{d}");
    assert!(d.message.contains("certificatePolicies"), "{d}");
    assert_eq!(d.certificate.as_ref().and_then(|c| c.position), Some(1));
}

// --- key identifiers ----------------------------------------------------

#[test]
fn a_missing_authority_key_identifier_follows_the_anchor_origin() {
    let mut leaf = leaf_p();
    leaf.use_authority_key_identifier_extension = false;
    let c = build(root_p(), inter_p(), leaf);
    assert_eq!(
        warned(&verify(&private_store(&c.root), &c.chain, DEFAULT)),
        ["rfc5280-aki-missing"]
    );
    assert_eq!(
        refused_rule(&verify(&private_store(&c.root), &c.chain, STRICT)),
        ("rfc5280-aki-missing".into(), Role::Leaf)
    );
    assert_eq!(
        refused_rule(&verify(&public_store(&c.root), &c.chain, DEFAULT)).0,
        "rfc5280-aki-missing"
    );
}

#[test]
fn a_ca_without_subject_key_identifier_follows_the_anchor_origin() {
    let mut inter = inter_p();
    inter.is_ca = IsCa::NoCa; // rcgen then writes neither basicConstraints nor SKI
    inter.custom_extensions = vec![bc_ca(true)];
    let c = build(root_p(), inter, leaf_p());
    assert_eq!(
        warned(&verify(&private_store(&c.root), &c.chain, DEFAULT)),
        ["rfc5280-ski-missing"]
    );
    assert_eq!(
        refused_rule(&verify(&public_store(&c.root), &c.chain, DEFAULT)),
        ("rfc5280-ski-missing".into(), Role::Intermediate)
    );
}

#[test]
fn a_critical_key_identifier_is_refused_by_webpki() {
    let mut leaf = leaf_p();
    leaf.custom_extensions = vec![{
        let mut e = ski(7);
        e.set_criticality(true);
        e
    }];
    let c = build(root_p(), inter_p(), leaf);
    let d = verify(&private_store(&c.root), &c.chain, LENIENT).unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::Unsupported, "{d}");
    assert!(d.message.contains("subjectKeyIdentifier"), "{d}");
}

// --- basicConstraints, subject ------------------------------------------

#[test]
fn a_ca_whose_basic_constraints_are_not_critical_follows_the_anchor_origin() {
    let mut inter = inter_p();
    inter.is_ca = IsCa::NoCa;
    inter.custom_extensions = vec![bc_ca(false), ski(9)];
    let c = build(root_p(), inter, leaf_p());
    assert_eq!(
        warned(&verify(&private_store(&c.root), &c.chain, DEFAULT)),
        ["rfc5280-ca-basic-constraints-not-critical"]
    );
    assert_eq!(
        refused_rule(&verify(&private_store(&c.root), &c.chain, STRICT)).0,
        "rfc5280-ca-basic-constraints-not-critical"
    );
}

#[test]
fn a_ca_with_an_empty_subject_follows_the_anchor_origin() {
    let mut inter = inter_p();
    inter.distinguished_name = DistinguishedName::new();
    let c = build(root_p(), inter, leaf_p());
    assert_eq!(
        warned(&verify(&private_store(&c.root), &c.chain, DEFAULT)),
        [
            "rfc5280-ca-empty-subject",
            "rfc5280-empty-subject-san-not-critical"
        ]
    );
    assert_eq!(
        refused_rule(&verify(&public_store(&c.root), &c.chain, DEFAULT)),
        ("rfc5280-ca-empty-subject".into(), Role::Intermediate)
    );
}

#[test]
fn an_empty_subject_needs_a_critical_san() {
    // rcgen marks the SAN critical itself when the subject is empty: a
    // conforming leaf...
    let mut leaf = leaf_p();
    leaf.distinguished_name = DistinguishedName::new();
    let c = build(root_p(), inter_p(), leaf.clone());
    assert_eq!(
        warned(&verify(&private_store(&c.root), &c.chain, STRICT)),
        Vec::<String>::new()
    );
    // ...and one with the same SAN written as a non-critical extension.
    leaf.subject_alt_names = vec![];
    let san = tlv(0x30, &tlv(0x82, b"leaf.example.com"));
    leaf.custom_extensions = vec![ext(&[2, 5, 29, 17], false, san)];
    let c = build(root_p(), inter_p(), leaf);
    assert_eq!(
        warned(&verify(&private_store(&c.root), &c.chain, DEFAULT)),
        ["rfc5280-empty-subject-san-not-critical"]
    );
    assert_eq!(
        refused_rule(&verify(&private_store(&c.root), &c.chain, STRICT)),
        ("rfc5280-empty-subject-san-not-critical".into(), Role::Leaf)
    );
}

// --- serial number ------------------------------------------------------

#[test]
fn a_serial_number_that_is_not_positive_follows_the_anchor_origin() {
    for serial in [vec![0x80, 0x01], vec![0x00]] {
        let mut c = build(root_p(), inter_p(), leaf_p());
        c.chain[0] = with_serial(c.chain[0].as_ref(), &serial, &c.inter);
        assert_eq!(
            warned(&verify(&private_store(&c.root), &c.chain, DEFAULT)),
            ["rfc5280-serial-number"],
            "{serial:?}"
        );
        assert_eq!(
            refused_rule(&verify(&public_store(&c.root), &c.chain, DEFAULT)),
            ("rfc5280-serial-number".into(), Role::Leaf)
        );
    }
}

// --- name constraints ---------------------------------------------------

#[test]
fn name_constraints_must_be_critical() {
    let mut inter = inter_p();
    inter.custom_extensions = vec![nc_dns("example.com", false)];
    let c = build(root_p(), inter, leaf_p());
    assert_eq!(
        warned(&verify(&private_store(&c.root), &c.chain, DEFAULT)),
        ["rfc5280-name-constraints-not-critical"]
    );
    assert_eq!(
        refused_rule(&verify(&private_store(&c.root), &c.chain, STRICT)).0,
        "rfc5280-name-constraints-not-critical"
    );
}

#[test]
fn name_constraints_only_in_ca_certificates() {
    let mut leaf = leaf_p();
    leaf.custom_extensions = vec![nc_dns("example.com", true)];
    let c = build(root_p(), inter_p(), leaf);
    assert_eq!(
        warned(&verify(&private_store(&c.root), &c.chain, DEFAULT)),
        ["rfc5280-name-constraints-not-ca"]
    );
    assert_eq!(
        refused_rule(&verify(&public_store(&c.root), &c.chain, DEFAULT)),
        ("rfc5280-name-constraints-not-ca".into(), Role::Leaf)
    );
}

#[test]
fn name_constraints_must_be_well_formed() {
    // A leading period in a dNSName constraint.
    let mut inter = inter_p();
    inter.name_constraints = Some(NameConstraints {
        permitted_subtrees: vec![GeneralSubtree::DnsName(".example.com".into())],
        excluded_subtrees: vec![],
    });
    let c = build(root_p(), inter, leaf_p());
    let r = verify(&private_store(&c.root), &c.chain, STRICT);
    assert_eq!(
        refused_rule(&r),
        (
            "rfc5280-name-constraints-malformed".into(),
            Role::Intermediate
        )
    );
    assert!(r.unwrap_err().message.contains("starts with a period"));
    // An empty list of permitted subtrees.
    let mut inter = inter_p();
    inter.custom_extensions = vec![ext(&[2, 5, 29, 30], true, tlv(0x30, &tlv(0xa0, &[])))];
    let c = build(root_p(), inter, leaf_p());
    let r = verify(&private_store(&c.root), &c.chain, LENIENT);
    assert_eq!(warned(&r), ["rfc5280-name-constraints-malformed"]);
}

#[test]
fn an_anchors_name_constraints_apply() {
    // webpki keeps them in the TrustAnchor it makes from the certificate.
    let mut root = root_p();
    root.name_constraints = Some(NameConstraints {
        permitted_subtrees: vec![GeneralSubtree::DnsName("example.org".into())],
        excluded_subtrees: vec![],
    });
    let c = build(root, inter_p(), leaf_p());
    for checks in ProfileChecks::ALL {
        let d = verify(&private_store(&c.root), &c.chain, checks).unwrap_err();
        assert_eq!(d.kind, DiagnosisKind::NameConstraintViolation, "{d}");
    }
}

// --- policyConstraints, AIA ---------------------------------------------

#[test]
fn policy_constraints_must_be_critical() {
    // requireExplicitPolicy 0, not critical (a critical one webpki refuses
    // as an unsupported critical extension).
    let mut inter = inter_p();
    inter.custom_extensions = vec![ext(&[2, 5, 29, 36], false, tlv(0x30, &tlv(0x80, &[0])))];
    let c = build(root_p(), inter.clone(), leaf_p());
    assert_eq!(
        warned(&verify(&private_store(&c.root), &c.chain, DEFAULT)),
        ["rfc5280-policy-constraints"]
    );
    assert_eq!(
        refused_rule(&verify(&private_store(&c.root), &c.chain, STRICT)).0,
        "rfc5280-policy-constraints"
    );
    inter.custom_extensions = vec![ext(&[2, 5, 29, 36], true, tlv(0x30, &tlv(0x80, &[0])))];
    let c = build(root_p(), inter, leaf_p());
    let d = verify(&private_store(&c.root), &c.chain, LENIENT).unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::Unsupported, "{d}");
}

#[test]
fn authority_info_access_must_be_well_formed() {
    let mut leaf = leaf_p();
    leaf.custom_extensions = vec![ext(&[1, 3, 6, 1, 5, 5, 7, 1, 1], false, tlv(0x30, &[]))];
    let c = build(root_p(), inter_p(), leaf);
    assert_eq!(
        warned(&verify(&private_store(&c.root), &c.chain, DEFAULT)),
        ["rfc5280-aia-malformed"]
    );
    assert_eq!(
        refused_rule(&verify(&public_store(&c.root), &c.chain, DEFAULT)),
        ("rfc5280-aia-malformed".into(), Role::Leaf)
    );
}

// --- the anchor's pathLenConstraint -------------------------------------

#[test]
fn the_anchors_path_len_constraint_bounds_the_intermediates_below_it() {
    let root0 = Spec::ca("Profile Root").path_len(0).params();
    let c = build(root0, inter_p(), leaf_p());
    let store = private_store(&c.root);
    assert_eq!(
        refused_rule(&verify(&store, &c.chain, DEFAULT)),
        ("rfc5280-anchor-path-len".into(), Role::Anchor)
    );
    assert_eq!(
        warned(&verify(&store, &c.chain, LENIENT)),
        ["rfc5280-anchor-path-len"]
    );
    // pathLen 1 allows the one intermediate.
    let root1 = Spec::ca("Profile Root").path_len(1).params();
    let c = build(root1, inter_p(), leaf_p());
    assert!(verify(&private_store(&c.root), &c.chain, STRICT).is_ok());
    // A leaf directly under a pathLen 0 anchor is fine.
    let r = root(Spec::ca("Profile Root").path_len(0));
    let (leaf, _) = leaf(Spec::leaf("leaf.example.com", &["leaf.example.com"]), &r);
    assert!(verify(&private_store(&r), &[leaf], STRICT).is_ok());
}

// --- the settings -------------------------------------------------------

#[test]
fn the_three_settings_on_both_kinds_of_rule_and_both_origins() {
    // An RFC 5280 rule OpenSSL enforces by default (keyCertSign)...
    let mut inter = inter_p();
    inter.key_usages = vec![Ku::DigitalSignature];
    let hard = build(root_p(), inter, leaf_p());
    // ...and one only strict verifiers enforce (authorityKeyIdentifier).
    let mut leaf = leaf_p();
    leaf.use_authority_key_identifier_extension = false;
    let soft = build(root_p(), inter_p(), leaf);
    let outcome = |c: &Chain, public: bool, checks| {
        let store = if public {
            public_store(&c.root)
        } else {
            private_store(&c.root)
        };
        verify(&store, &c.chain, checks).is_ok()
    };
    for public in [false, true] {
        assert!(!outcome(&hard, public, STRICT));
        assert!(!outcome(&hard, public, DEFAULT));
        assert!(outcome(&hard, public, LENIENT));
        assert!(!outcome(&soft, public, STRICT));
        assert_eq!(outcome(&soft, public, DEFAULT), !public);
        assert!(outcome(&soft, public, LENIENT));
    }
    assert_eq!(Policy::server_auth().profile_checks(), DEFAULT);
    assert_eq!(Policy::client_auth().profile_checks(), DEFAULT);
    for checks in ProfileChecks::ALL {
        assert_eq!(checks.as_str().parse::<ProfileChecks>().unwrap(), checks);
    }
    assert!("Strict".parse::<ProfileChecks>().is_err());
    assert!("".parse::<ProfileChecks>().is_err());
}

#[test]
fn the_hint_names_the_setting_that_relaxes_the_rule() {
    let mut leaf = leaf_p();
    leaf.use_authority_key_identifier_extension = false;
    let c = build(root_p(), inter_p(), leaf);
    let d = verify(&private_store(&c.root), &c.chain, STRICT).unwrap_err();
    assert!(d.hint.contains("by-anchor-origin"), "{d}");
    assert!(d.to_string().starts_with("profile-violation: "), "{d}");
    assert!(d.to_json().contains("\"kind\":\"profile-violation\""));
    let d = verify(&public_store(&c.root), &c.chain, DEFAULT).unwrap_err();
    assert!(d.hint.contains("lenient"), "{d}");
    assert!(!d.hint.contains("by-anchor-origin"), "{d}");
    let v = verify(&private_store(&c.root), &c.chain, LENIENT).unwrap();
    let w = &v.warnings()[0];
    assert_eq!(w.certificate.role, Role::Leaf);
    assert!(w.message.contains("lenient"), "{w}");
    assert!(v.to_json().contains("profile-violation-accepted"));
}

#[test]
fn a_cached_accept_carries_its_profile_warnings() {
    let mut leaf = leaf_p();
    leaf.use_authority_key_identifier_extension = false;
    let c = build(root_p(), inter_p(), leaf);
    let verifier = Verifier::new(
        private_store(&c.root),
        Policy::server_auth().with_time(at()),
    );
    let first = verifier.verify(&c.chain, None).unwrap();
    let second = verifier.verify(&c.chain, None).unwrap();
    assert!(!first.from_cache());
    assert!(second.from_cache());
    assert_eq!(first.warnings(), second.warnings());
    assert_eq!(
        second.warnings()[0].kind,
        WarningKind::ProfileViolationAccepted
    );
    // The setting is part of the verifier's policy: a strict verifier over
    // the same store refuses the chain the default one has cached.
    let strict = Verifier::new(
        verifier.store().clone(),
        Policy::server_auth()
            .with_time(at())
            .with_profile_checks(STRICT),
    );
    assert!(strict.verify(&c.chain, None).is_err());
}

// --- how private CAs and devices make certificates ----------------------

fn openssl(dir: &std::path::Path, args: &[&str]) -> bool {
    std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn a_private_ca_made_with_openssl_defaults_verifies_under_the_default() {
    let dir = std::env::temp_dir().join(format!("ht-profile-openssl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    // `openssl req -x509` with the default configuration (v3_ca: SKI, AKI,
    // critical basicConstraints, no keyUsage), a CSR, and `openssl x509
    // -req` with only a subjectAltName (OpenSSL 3 adds SKI and AKI).
    let root = [
        &["req", "-x509"][..],
        &ec,
        &[
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-subj",
            "/CN=Private Root CA",
            "-days",
            "3650",
            "-set_serial",
            "1",
        ],
    ]
    .concat();
    let csr = [
        &["req"][..],
        &ec,
        &[
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
            "-subj",
            "/CN=expressway.example.com",
        ],
    ]
    .concat();
    std::fs::write(
        dir.join("ext"),
        "subjectAltName=DNS:expressway.example.com\n",
    )
    .unwrap();
    let sign = [
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-set_serial",
        "2",
        "-days",
        "365",
        "-out",
        "leaf.pem",
        "-extfile",
        "ext",
    ];
    assert!(
        openssl(&dir, &root) && openssl(&dir, &csr) && openssl(&dir, &sign),
        "the openssl command is needed"
    );
    let mut b = TrustStore::builder();
    b.add_pem("ca.pem", &std::fs::read(dir.join("ca.pem")).unwrap())
        .unwrap();
    let store = b.build().unwrap();
    let chain = hybridtrust::parse_chain(&std::fs::read(dir.join("leaf.pem")).unwrap()).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let rule = IdentityRule::san("expressway.example.com").unwrap();
    let verifier = |checks| {
        Verifier::new(
            store.clone(),
            Policy::server_auth().with_profile_checks(checks),
        )
    };
    for checks in [DEFAULT, LENIENT] {
        let v = verifier(checks)
            .verify(&chain, Some(&rule))
            .unwrap_or_else(|d| panic!("{checks}: {d}"));
        // The root lacks keyUsage, which `openssl verify -x509_strict` and
        // pyca refuse; an anchor's own form is not checked (SECURITY.md). No
        // RFC 5280 rule is broken; the leaf has no extendedKeyUsage, which
        // the CA/Browser Forum rules (a warning on a private CA) require.
        let rfc: Vec<&str> = v
            .warnings()
            .iter()
            .filter(|w| w.kind == WarningKind::ProfileViolationAccepted)
            .map(|w| w.message.as_str())
            .filter(|m| m.starts_with("rfc5280-"))
            .collect();
        assert!(rfc.is_empty(), "{checks}: {rfc:?}");
    }
    // Strict refuses it for a CA/Browser Forum rule only.
    if let Err(d) = verifier(STRICT).verify(&chain, Some(&rule)) {
        assert!(
            d.detail.as_deref().unwrap_or_default().starts_with("cabf-"),
            "{d}"
        );
    }
}

#[test]
fn a_device_certificate_without_key_identifiers_verifies_under_the_default() {
    // A device's own CA and certificate: no key identifiers, CN-only names,
    // no keyUsage on the leaf.
    let mut root = CertificateParams::new(Vec::<String>::new()).unwrap();
    root.distinguished_name
        .push(rcgen::DnType::CommonName, "Device CA");
    root.is_ca = IsCa::NoCa;
    root.custom_extensions = vec![bc_ca(true)];
    root.use_authority_key_identifier_extension = false;
    root.not_before = rcgen::date_time_ymd(2025, 1, 1);
    root.not_after = rcgen::date_time_ymd(2045, 1, 1);
    let rk = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let rc = root.self_signed(&rk).unwrap();
    let issuer = Issuer::new(root, rk);
    let mut leaf = CertificateParams::new(Vec::<String>::new()).unwrap();
    leaf.distinguished_name
        .push(rcgen::DnType::CommonName, "codec-42.example.com");
    leaf.is_ca = IsCa::NoCa;
    leaf.use_authority_key_identifier_extension = false;
    leaf.not_before = rcgen::date_time_ymd(2026, 1, 1);
    leaf.not_after = rcgen::date_time_ymd(2027, 1, 1);
    let lk = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let lc = leaf.signed_by(&lk, &issuer).unwrap();
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_der("device-ca.der", rc.der()).unwrap();
    let store = b.build().unwrap();
    let chain = [lc.der().clone()];
    let rule = IdentityRule::cn_or_san("codec-42.example.com").unwrap();
    let verifier = |checks| {
        Verifier::new(
            store.clone(),
            Policy::client_auth()
                .with_time(at())
                .with_profile_checks(checks),
        )
    };
    let v = verifier(DEFAULT).verify(&chain, Some(&rule)).unwrap();
    let rules: Vec<&str> = v
        .warnings()
        .iter()
        .filter(|w| w.kind == WarningKind::ProfileViolationAccepted)
        .map(|w| w.message.split(':').next().unwrap())
        .collect();
    assert_eq!(rules, ["rfc5280-aki-missing"]);
    assert_eq!(
        verifier(STRICT)
            .verify(&chain, Some(&rule))
            .unwrap_err()
            .detail
            .as_deref(),
        Some("rfc5280-aki-missing")
    );
}

// --- where webpki refuses what RFC 5280 allows (SECURITY.md) ------------

#[test]
fn deviation_a_ca_certificate_as_the_leaf_is_refused() {
    // RFC 5280 lets a CA certificate authenticate a TLS peer; webpki does not.
    let r = root(Spec::ca("Profile Root"));
    let (ca_leaf, _) = leaf(
        Spec {
            ca: Some(None),
            ..Spec::leaf("leaf.example.com", &["leaf.example.com"])
        },
        &r,
    );
    for checks in ProfileChecks::ALL {
        let d = verify(&private_store(&r), std::slice::from_ref(&ca_leaf), checks).unwrap_err();
        assert_eq!(d.kind, DiagnosisKind::CaAsLeaf, "{d}");
    }
}

#[test]
fn deviation_a_self_issued_intermediate_counts_against_path_len() {
    // RFC 5280 6.1.4(l): a self-issued certificate does not count against a
    // pathLenConstraint. webpki counts it: root -> A (pathLen 0) -> A' (A's
    // name, a new key: a key rollover) -> leaf is refused; without the
    // constraint the same shape verifies.
    let chain_with = |limit: Option<u8>| {
        let r = root(Spec::ca("Profile Root"));
        let mut spec = Spec::ca("Rollover CA").serial(2);
        spec.ca = Some(limit);
        let a = sub_ca(spec, &r);
        let a2 = sub_ca(Spec::ca("Rollover CA").serial(3), &a);
        let (l, _) = leaf(Spec::leaf("leaf.example.com", &["leaf.example.com"]), &a2);
        (private_store(&r), vec![l, a2.der.clone(), a.der.clone()])
    };
    let (store, chain) = chain_with(None);
    assert!(verify(&store, &chain, STRICT).is_ok());
    let (store, chain) = chain_with(Some(0));
    let d = verify(&store, &chain, LENIENT).unwrap_err();
    // webpki reports the last candidate it tried (the leaf against A, whose
    // name it shares with A'), so the diagnosis says bad-signature.
    assert!(
        matches!(
            d.kind,
            DiagnosisKind::PathTooLong | DiagnosisKind::BadSignature
        ),
        "{d}"
    );
}

#[test]
fn deviation_email_name_constraints() {
    // A CA constrained to e-mail addresses at example.com (rfc822Name) and a
    // leaf with an e-mail SAN inside that subtree: RFC 5280 4.2.1.10 accepts
    // it; webpki does not process rfc822Name constraints and refuses any
    // e-mail SAN under one (it fails closed). Without the e-mail SAN the same
    // chain verifies (the constraint binds e-mail names only).
    let mut inter = inter_p();
    inter.name_constraints = Some(NameConstraints {
        permitted_subtrees: vec![GeneralSubtree::Rfc822Name("example.com".into())],
        excluded_subtrees: vec![],
    });
    let mut leaf = leaf_p();
    leaf.subject_alt_names = vec![
        SanType::DnsName("leaf.example.com".try_into().unwrap()),
        SanType::Rfc822Name("admin@example.com".try_into().unwrap()),
    ];
    let c = build(root_p(), inter.clone(), leaf);
    let d = verify(&private_store(&c.root), &c.chain, LENIENT).unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::NameConstraintViolation, "{d}");
    let c = build(root_p(), inter, leaf_p());
    assert!(verify(&private_store(&c.root), &c.chain, STRICT).is_ok());
}

/// `openssl verify` at the tests' validation time: `root` trusted,
/// `chain[1..]` untrusted, `chain[0]` the leaf. True when OpenSSL accepts.
fn openssl_accepts(root: &Ca, chain: &[CertificateDer<'static>], tag: &str) -> bool {
    let dir = std::env::temp_dir().join(format!("ht-profile-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pem = |der: &CertificateDer<'_>| {
        hybridtrust::Certificate::from_der(der.as_ref().to_vec())
            .unwrap()
            .to_pem()
    };
    std::fs::write(dir.join("root.pem"), &root.pem).unwrap();
    std::fs::write(dir.join("leaf.pem"), pem(&chain[0])).unwrap();
    let untrusted: String = chain[1..].iter().map(pem).collect();
    std::fs::write(dir.join("untrusted.pem"), untrusted).unwrap();
    let attime = at().as_secs().to_string();
    let out = std::process::Command::new("openssl")
        .args(["verify", "-attime", &attime, "-CAfile", "root.pem"])
        .args(["-untrusted", "untrusted.pem", "leaf.pem"])
        .current_dir(&dir)
        .output()
        .expect("the openssl command is needed");
    std::fs::remove_dir_all(&dir).ok();
    out.status.success()
}

#[test]
fn deviation_directory_name_constraints_refuse_every_certificate_below() {
    // An issuing CA permitted only the directory subtree O=hybridtrust tests
    // and a leaf whose subject is inside it. RFC 5280 4.2.1.10 accepts the
    // chain and so does OpenSSL; webpki does not process directoryName
    // constraints and fails closed (RFC 5280: "process the constraint or
    // reject the certificate"). hybridtrust keeps webpki's refusal: a
    // constraint it does not evaluate never lets a name through.
    let mut permitted = DistinguishedName::new();
    permitted.push(rcgen::DnType::OrganizationName, "hybridtrust tests");
    let mut inter = inter_p();
    inter.name_constraints = Some(NameConstraints {
        permitted_subtrees: vec![GeneralSubtree::DirectoryName(permitted)],
        excluded_subtrees: vec![],
    });
    let mut leaf = leaf_p();
    leaf.distinguished_name = DistinguishedName::new();
    leaf.distinguished_name
        .push(rcgen::DnType::OrganizationName, "hybridtrust tests");
    leaf.distinguished_name
        .push(rcgen::DnType::CommonName, "leaf.example.com");
    let c = build(root_p(), inter.clone(), leaf);
    assert!(
        openssl_accepts(&c.root, &c.chain, "dirname-nc"),
        "OpenSSL processes the directoryName constraint and accepts"
    );
    for checks in ProfileChecks::ALL {
        let d = verify(&private_store(&c.root), &c.chain, checks).unwrap_err();
        assert_eq!(d.kind, DiagnosisKind::NameConstraintViolation, "{d}");
    }
}

#[test]
fn deviation_name_constraints_bind_self_issued_intermediates() {
    // RFC 5280 6.1.3(b) exempts a self-issued intermediate (a key rollover:
    // A' has A's name) from the name constraints above it, and OpenSSL skips
    // it too. webpki checks every certificate below the constraint: A'
    // naming a host outside A's permitted subtree is refused, though the
    // leaf is inside. Stricter, never an accept; the same chain without the
    // stray name verifies.
    let chain_with = |stray: bool| {
        let r = root(Spec::ca("Profile Root"));
        let mut a_p = Spec::ca("Rollover CA").serial(2).params();
        a_p.name_constraints = Some(NameConstraints {
            permitted_subtrees: vec![GeneralSubtree::DnsName("example.com".into())],
            excluded_subtrees: vec![],
        });
        let ak = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let a_der = a_p.signed_by(&ak, &r.issuer).unwrap().der().clone();
        let a = Issuer::new(a_p, ak);
        let mut a2_p = Spec::ca("Rollover CA").serial(3).params();
        if stray {
            a2_p.subject_alt_names = vec![SanType::DnsName("ca.other.test".try_into().unwrap())];
        }
        let a2k = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let a2_der = a2_p.signed_by(&a2k, &a).unwrap().der().clone();
        let a2 = Issuer::new(a2_p, a2k);
        let lk = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let l = leaf_p().signed_by(&lk, &a2).unwrap().der().clone();
        (r, vec![l, a2_der, a_der])
    };
    let (r, chain) = chain_with(false);
    assert!(verify(&private_store(&r), &chain, STRICT).is_ok());
    let (r, chain) = chain_with(true);
    assert!(
        openssl_accepts(&r, &chain, "self-issued-nc"),
        "OpenSSL skips the self-issued intermediate and accepts"
    );
    let d = verify(&private_store(&r), &chain, LENIENT).unwrap_err();
    // webpki reports the last candidate it tried (the leaf against A, whose
    // name it shares with A'), so the diagnosis may say bad-signature.
    assert!(
        matches!(
            d.kind,
            DiagnosisKind::NameConstraintViolation | DiagnosisKind::BadSignature
        ),
        "{d}"
    );
}

#[test]
fn client_usage_is_checked_on_the_leaf_key_usage() {
    let c = build(root_p(), inter_p(), leaf_p());
    let v = Verifier::new(
        private_store(&c.root),
        Policy::for_usage(Usage::ClientAuth).with_time(at()),
    )
    .verify(&c.chain, None)
    .unwrap();
    assert!(v.warnings().is_empty(), "{v}");
}

#[test]
fn a_zone_can_carry_its_own_profile_checks() {
    let mut leaf = leaf_p();
    leaf.use_authority_key_identifier_extension = false;
    let c = build(root_p(), inter_p(), leaf);
    let store = private_store(&c.root);
    let policy = Policy::server_auth().with_time(at());
    let plain = hybridtrust::Zone::new("edge", "leaf.example.com").unwrap();
    assert_eq!(plain.profile_checks, None);
    assert!(plain.verify_outbound(&store, &c.chain, &policy).is_ok());
    let strict = hybridtrust::Zone::from_json(
        r#"{"name": "edge", "subject_name": "leaf.example.com", "profile_checks": "strict"}"#,
    )
    .unwrap();
    assert_eq!(strict.profile_checks, Some(STRICT));
    let d = strict
        .verify_outbound(&store, &c.chain, &policy)
        .unwrap_err();
    assert_eq!(d.detail.as_deref(), Some("rfc5280-aki-missing"));
    // The zone's setting replaces the policy's, inbound too.
    let lenient = plain.clone().with_profile_checks(LENIENT);
    let strict_policy = policy.clone().with_profile_checks(STRICT);
    assert!(lenient
        .verify_outbound(&store, &c.chain, &strict_policy)
        .is_ok());
    assert_eq!(
        lenient.inbound_policy(&strict_policy).profile_checks(),
        LENIENT
    );
    assert!(hybridtrust::Zone::from_json(
        r#"{"name": "edge", "subject_name": "leaf.example.com", "profile_checks": "relaxed"}"#
    )
    .is_err());
}
