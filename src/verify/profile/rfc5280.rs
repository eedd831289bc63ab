//! RFC 5280 MUSTs that webpki does not check.
//!
//! Each rule has a stable id (`rfc5280-...`) and a class:
//!
//! * [`RuleSource::Rfc5280`]: OpenSSL's default verification (`openssl
//!   verify`, a TLS client) enforces it too, so it refuses every chain
//!   unless the policy is lenient: keyCertSign in an issuing CA's keyUsage,
//!   a leaf keyUsage usable for the TLS usage, unknown critical extensions,
//!   the trust anchor's pathLenConstraint.
//! * [`RuleSource::Rfc5280Strict`]: only strict verifiers enforce it
//!   (`openssl verify -x509_strict`, pyca/cryptography's verifier): key
//!   identifiers, criticality, empty subjects, serial numbers, the form of
//!   name constraints, policy constraints and AIA. Private CAs and devices
//!   often break these, so by default they refuse only chains to a public
//!   root.
//!
//! The anchor is trusted input (RFC 5280 6.1.1(d)): of its own form only its
//! critical extensions are checked; its constraints (keyUsage, the
//! pathLenConstraint, name constraints, which webpki applies) bind the path.

use der::asn1::ObjectIdentifier;
use der::Decode;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, BasicConstraints, KeyUsage, KeyUsages, NameConstraints,
    PolicyConstraints, SubjectAltName,
};
use x509_cert::ext::Extension;

use super::{CheckContext, PathCert, ProfileViolation, RuleSource};
use crate::verify::diagnosis::Role;
use crate::verify::policy::Usage;

const OID_SKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const OID_KU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const OID_SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const OID_BC: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const OID_NC: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.30");
const OID_CRL_DP: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.31");
const OID_AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const OID_POLICY_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.36");
const OID_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const OID_AIA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");

/// The extensions whose meaning path validation applies when they are
/// critical: the ones webpki processes (keyUsage, subjectAltName,
/// basicConstraints, nameConstraints, cRLDistributionPoints, extKeyUsage).
/// Any other critical extension is refused (RFC 5280 4.2: "A certificate-using
/// system MUST reject the certificate if it encounters a critical extension it
/// does not recognize"). webpki refuses the same ones in presented
/// certificates; this rule also covers the trust anchor, whose extensions
/// webpki does not read.
pub(crate) const UNDERSTOOD_CRITICAL: [(ObjectIdentifier, &str); 6] = [
    (OID_KU, "keyUsage"),
    (OID_SAN, "subjectAltName"),
    (OID_BC, "basicConstraints"),
    (OID_NC, "nameConstraints"),
    (OID_CRL_DP, "cRLDistributionPoints"),
    (OID_EKU, "extKeyUsage"),
];

/// Rule ids, one per rule.
pub(crate) mod rule {
    /// An issuing CA's keyUsage lacks keyCertSign (4.2.1.3, 6.1.4(n)).
    pub const CA_KEY_CERT_SIGN: &str = "rfc5280-ca-key-cert-sign";
    /// A CA certificate has no keyUsage (4.2.1.3).
    pub const CA_KEY_USAGE_MISSING: &str = "rfc5280-ca-key-usage-missing";
    /// The leaf's keyUsage has no bit usable for the TLS usage (4.2.1.3, 4.2.1.12).
    pub const LEAF_KEY_USAGE: &str = "rfc5280-leaf-key-usage";
    /// keyCertSign without basicConstraints cA (4.2.1.3, 4.2.1.9).
    pub const KEY_CERT_SIGN_WITHOUT_CA: &str = "rfc5280-key-cert-sign-without-ca";
    /// A critical extension path validation does not understand (4.2).
    pub const UNKNOWN_CRITICAL_EXTENSION: &str = "rfc5280-unknown-critical-extension";
    /// A certificate not self-issued has no authorityKeyIdentifier (4.2.1.1).
    pub const AKI_MISSING: &str = "rfc5280-aki-missing";
    /// authorityKeyIdentifier marked critical (4.2.1.1).
    pub const AKI_CRITICAL: &str = "rfc5280-aki-critical";
    /// A CA certificate has no subjectKeyIdentifier (4.2.1.2).
    pub const SKI_MISSING: &str = "rfc5280-ski-missing";
    /// subjectKeyIdentifier marked critical (4.2.1.2).
    pub const SKI_CRITICAL: &str = "rfc5280-ski-critical";
    /// A CA certificate without basicConstraints (4.2.1.9).
    pub const CA_BASIC_CONSTRAINTS_MISSING: &str = "rfc5280-ca-basic-constraints-missing";
    /// A CA certificate's basicConstraints not critical (4.2.1.9).
    pub const CA_BASIC_CONSTRAINTS_NOT_CRITICAL: &str = "rfc5280-ca-basic-constraints-not-critical";
    /// A CA certificate with an empty subject (4.1.2.6).
    pub const CA_EMPTY_SUBJECT: &str = "rfc5280-ca-empty-subject";
    /// An empty subject without a critical subjectAltName (4.1.2.6, 4.2.1.6).
    pub const EMPTY_SUBJECT_SAN: &str = "rfc5280-empty-subject-san-not-critical";
    /// A serial number that is not positive (4.1.2.2); one longer than 20
    /// octets never gets this far (the full parse refuses it as malformed).
    pub const SERIAL_NUMBER: &str = "rfc5280-serial-number";
    /// nameConstraints not critical (4.2.1.10).
    pub const NAME_CONSTRAINTS_NOT_CRITICAL: &str = "rfc5280-name-constraints-not-critical";
    /// nameConstraints in a certificate that is not a CA (4.2.1.10).
    pub const NAME_CONSTRAINTS_NOT_CA: &str = "rfc5280-name-constraints-not-ca";
    /// nameConstraints empty, with an empty subtree list, or a dNSName with a leading period (4.2.1.10).
    pub const NAME_CONSTRAINTS_MALFORMED: &str = "rfc5280-name-constraints-malformed";
    /// policyConstraints not critical, or empty (4.2.1.11).
    pub const POLICY_CONSTRAINTS: &str = "rfc5280-policy-constraints";
    /// authorityInfoAccess critical, empty or not decodable (4.2.2.1).
    pub const AIA_MALFORMED: &str = "rfc5280-aia-malformed";
    /// More intermediates below the anchor than its pathLenConstraint allows (4.2.1.9, 6.1.4(m)).
    pub const ANCHOR_PATH_LEN: &str = "rfc5280-anchor-path-len";
}

fn violation(
    out: &mut Vec<ProfileViolation>,
    rule: &'static str,
    source: RuleSource,
    message: String,
) {
    out.push(ProfileViolation {
        rule,
        source,
        message,
    });
}

fn ku_names(ku: &KeyUsage) -> String {
    const NAMES: [(KeyUsages, &str); 9] = [
        (KeyUsages::DigitalSignature, "digitalSignature"),
        (KeyUsages::NonRepudiation, "nonRepudiation"),
        (KeyUsages::KeyEncipherment, "keyEncipherment"),
        (KeyUsages::DataEncipherment, "dataEncipherment"),
        (KeyUsages::KeyAgreement, "keyAgreement"),
        (KeyUsages::KeyCertSign, "keyCertSign"),
        (KeyUsages::CRLSign, "cRLSign"),
        (KeyUsages::EncipherOnly, "encipherOnly"),
        (KeyUsages::DecipherOnly, "decipherOnly"),
    ];
    let set: Vec<&str> = NAMES
        .iter()
        .filter(|(bit, _)| ku.0.contains(*bit))
        .map(|(_, n)| *n)
        .collect();
    if set.is_empty() {
        "no bit".into()
    } else {
        set.join(", ")
    }
}

/// The extensions of `cert` this module reads, decoded once each.
struct Exts<'a> {
    all: &'a [Extension],
    key_usage: Option<(bool, Result<KeyUsage, der::Error>)>,
    basic_constraints: Option<(bool, Result<BasicConstraints, der::Error>)>,
}

impl<'a> Exts<'a> {
    fn new(cert: &'a x509_cert::Certificate) -> Self {
        let all = cert.tbs_certificate.extensions.as_deref().unwrap_or(&[]);
        let find = |oid: ObjectIdentifier| all.iter().find(|e| e.extn_id == oid);
        Self {
            all,
            key_usage: find(OID_KU)
                .map(|e| (e.critical, KeyUsage::from_der(e.extn_value.as_bytes()))),
            basic_constraints: find(OID_BC).map(|e| {
                (
                    e.critical,
                    BasicConstraints::from_der(e.extn_value.as_bytes()),
                )
            }),
        }
    }
    fn get(&self, oid: ObjectIdentifier) -> Option<&'a Extension> {
        self.all.iter().find(|e| e.extn_id == oid)
    }
    /// `Some(true)` for cA=TRUE, `Some(false)` for cA=FALSE, `None` without
    /// (or with an undecodable) basicConstraints.
    fn is_ca(&self) -> Option<bool> {
        match &self.basic_constraints {
            Some((_, Ok(bc))) => Some(bc.ca),
            _ => None,
        }
    }
    fn key_usage(&self) -> Option<&KeyUsage> {
        match &self.key_usage {
            Some((_, Ok(ku))) => Some(ku),
            _ => None,
        }
    }
}

/// Appends the RFC 5280 rules `cert` breaks.
pub(crate) fn check(cert: &PathCert<'_>, ctx: CheckContext, out: &mut Vec<ProfileViolation>) {
    let exts = Exts::new(cert.cert);
    unknown_critical(&exts, out);
    key_usage(cert, &exts, ctx, out);
    if cert.role == Role::Anchor {
        // The anchor is trusted input: its form is the store's business
        // (findings at assembly), its constraints bind the path.
        return;
    }
    key_identifiers(cert, &exts, out);
    basic_constraints(cert, &exts, out);
    empty_subject(cert, &exts, out);
    serial_number(cert, out);
    name_constraints(cert, &exts, out);
    policy_constraints(&exts, out);
    aia(&exts, out);
}

/// The anchor's pathLenConstraint against the path below it: `intermediates`
/// are the presented CA certificates, leaf-side first. Self-issued
/// intermediates do not count (RFC 5280 6.1.4(l)).
pub(crate) fn check_anchor_path_len(
    anchor: &x509_cert::Certificate,
    intermediates: &[&x509_cert::Certificate],
    out: &mut Vec<ProfileViolation>,
) {
    let exts = Exts::new(anchor);
    let Some((_, Ok(bc))) = &exts.basic_constraints else {
        return;
    };
    let (true, Some(limit)) = (bc.ca, bc.path_len_constraint) else {
        return;
    };
    let counted = intermediates
        .iter()
        .filter(|c| c.tbs_certificate.subject != c.tbs_certificate.issuer)
        .count();
    if counted > usize::from(limit) {
        violation(
            out,
            rule::ANCHOR_PATH_LEN,
            RuleSource::Rfc5280,
            format!(
                "the trust anchor's pathLenConstraint is {limit}, but {counted} intermediate CA certificate(s) (not self-issued) lie below it"
            ),
        );
    }
}

fn unknown_critical(exts: &Exts<'_>, out: &mut Vec<ProfileViolation>) {
    for ext in exts.all.iter().filter(|e| e.critical) {
        if !UNDERSTOOD_CRITICAL
            .iter()
            .any(|(oid, _)| *oid == ext.extn_id)
        {
            violation(
                out,
                rule::UNKNOWN_CRITICAL_EXTENSION,
                RuleSource::Rfc5280,
                format!(
                    "has the critical extension {} ({}), which path validation does not understand (understood when critical: {})",
                    ext.extn_id,
                    extension_name(&ext.extn_id),
                    UNDERSTOOD_CRITICAL.map(|(_, n)| n).join(", ")
                ),
            );
        }
    }
}

/// A name for an extension OID in messages.
pub(crate) fn extension_name(oid: &ObjectIdentifier) -> &'static str {
    const KNOWN: [(ObjectIdentifier, &str); 16] = [
        (OID_SKI, "subjectKeyIdentifier"),
        (OID_KU, "keyUsage"),
        (OID_SAN, "subjectAltName"),
        (OID_BC, "basicConstraints"),
        (OID_NC, "nameConstraints"),
        (OID_CRL_DP, "cRLDistributionPoints"),
        (OID_AKI, "authorityKeyIdentifier"),
        (OID_POLICY_CONSTRAINTS, "policyConstraints"),
        (OID_EKU, "extKeyUsage"),
        (OID_AIA, "authorityInfoAccess"),
        (ObjectIdentifier::new_unwrap("2.5.29.18"), "issuerAltName"),
        (
            ObjectIdentifier::new_unwrap("2.5.29.32"),
            "certificatePolicies",
        ),
        (ObjectIdentifier::new_unwrap("2.5.29.33"), "policyMappings"),
        (
            ObjectIdentifier::new_unwrap("2.5.29.54"),
            "inhibitAnyPolicy",
        ),
        (
            ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.11"),
            "subjectInfoAccess",
        ),
        (
            ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.4.2"),
            "signedCertificateTimestampList",
        ),
    ];
    KNOWN
        .iter()
        .find(|(o, _)| o == oid)
        .map_or("an unrecognised extension", |(_, n)| n)
}

fn key_usage(
    cert: &PathCert<'_>,
    exts: &Exts<'_>,
    ctx: CheckContext,
    out: &mut Vec<ProfileViolation>,
) {
    if let Some((_, Err(e))) = &exts.key_usage {
        // The full parse keeps extension values as octets; webpki reads
        // keyUsage only for issuers. An undecodable one is refused.
        violation(
            out,
            if cert.role == Role::Leaf {
                rule::LEAF_KEY_USAGE
            } else {
                rule::CA_KEY_CERT_SIGN
            },
            RuleSource::Rfc5280,
            format!("has a keyUsage extension that cannot be decoded ({e})"),
        );
        return;
    }
    let ku = exts.key_usage();
    let cert_sign = ku.is_some_and(|k| k.0.contains(KeyUsages::KeyCertSign));
    match cert.role {
        Role::Intermediate | Role::Anchor => match ku {
            Some(k) if !cert_sign => violation(
                out,
                rule::CA_KEY_CERT_SIGN,
                RuleSource::Rfc5280,
                format!(
                    "issues certificates in this path, but its keyUsage ({}) lacks keyCertSign",
                    ku_names(k)
                ),
            ),
            Some(_) => {}
            None if cert.role == Role::Intermediate => violation(
                out,
                rule::CA_KEY_USAGE_MISSING,
                RuleSource::Rfc5280Strict,
                "is a CA certificate without a keyUsage extension (RFC 5280 4.2.1.3: CAs MUST include it, with keyCertSign)".into(),
            ),
            None => {}
        },
        Role::Leaf => {
            if let Some(k) = ku {
                // What OpenSSL's purpose checks accept (check_purpose_ssl_server
                // / _client): any of these bits makes the key usable for TLS.
                let (usable, names) = match ctx.usage {
                    Usage::ServerAuth => (
                        KeyUsages::DigitalSignature
                            | KeyUsages::KeyEncipherment
                            | KeyUsages::KeyAgreement,
                        "digitalSignature, keyEncipherment or keyAgreement",
                    ),
                    Usage::ClientAuth => (
                        KeyUsages::DigitalSignature | KeyUsages::KeyAgreement,
                        "digitalSignature or keyAgreement",
                    ),
                };
                if (k.0 & usable).is_empty() {
                    violation(
                        out,
                        rule::LEAF_KEY_USAGE,
                        RuleSource::Rfc5280,
                        format!(
                            "its keyUsage ({}) does not allow TLS {}: it needs {names}",
                            ku_names(k),
                            match ctx.usage {
                                Usage::ServerAuth => "server authentication",
                                Usage::ClientAuth => "client authentication",
                            }
                        ),
                    );
                }
            }
        }
    }
    // The anchor's form is not checked (see the module documentation).
    if cert_sign && exts.is_ca() != Some(true) && cert.role != Role::Anchor {
        violation(
            out,
            rule::KEY_CERT_SIGN_WITHOUT_CA,
            RuleSource::Rfc5280Strict,
            format!(
                "asserts keyCertSign in its keyUsage, but its basicConstraints {} (RFC 5280 4.2.1.3: keyCertSign requires cA TRUE)",
                match exts.is_ca() {
                    Some(_) => "has cA FALSE",
                    None => "are absent",
                }
            ),
        );
    }
}

fn self_issued(cert: &x509_cert::Certificate) -> bool {
    cert.tbs_certificate.subject == cert.tbs_certificate.issuer
}

fn key_identifiers(cert: &PathCert<'_>, exts: &Exts<'_>, out: &mut Vec<ProfileViolation>) {
    match exts.get(OID_AKI) {
        None if !self_issued(cert.cert) => violation(
            out,
            rule::AKI_MISSING,
            RuleSource::Rfc5280Strict,
            "has no authorityKeyIdentifier (RFC 5280 4.2.1.1: required in every certificate that is not self-signed)".into(),
        ),
        Some(e) if e.critical => violation(
            out,
            rule::AKI_CRITICAL,
            RuleSource::Rfc5280Strict,
            "marks its authorityKeyIdentifier critical (RFC 5280 4.2.1.1: MUST be non-critical)"
                .into(),
        ),
        _ => {}
    }
    match exts.get(OID_SKI) {
        None if exts.is_ca() == Some(true) => violation(
            out,
            rule::SKI_MISSING,
            RuleSource::Rfc5280Strict,
            "is a CA certificate without a subjectKeyIdentifier (RFC 5280 4.2.1.2: CAs MUST include it)".into(),
        ),
        Some(e) if e.critical => violation(
            out,
            rule::SKI_CRITICAL,
            RuleSource::Rfc5280Strict,
            "marks its subjectKeyIdentifier critical (RFC 5280 4.2.1.2: MUST be non-critical)"
                .into(),
        ),
        _ => {}
    }
}

fn basic_constraints(cert: &PathCert<'_>, exts: &Exts<'_>, out: &mut Vec<ProfileViolation>) {
    if cert.role != Role::Intermediate {
        return;
    }
    match &exts.basic_constraints {
        None => violation(
            out,
            rule::CA_BASIC_CONSTRAINTS_MISSING,
            RuleSource::Rfc5280Strict,
            "issues certificates in this path without a basicConstraints extension".into(),
        ),
        Some((false, _)) => violation(
            out,
            rule::CA_BASIC_CONSTRAINTS_NOT_CRITICAL,
            RuleSource::Rfc5280Strict,
            "is a CA certificate whose basicConstraints extension is not critical (RFC 5280 4.2.1.9: MUST be critical in CA certificates)".into(),
        ),
        Some((true, _)) => {}
    }
}

fn empty_subject(cert: &PathCert<'_>, exts: &Exts<'_>, out: &mut Vec<ProfileViolation>) {
    if !cert.cert.tbs_certificate.subject.0.is_empty() {
        return;
    }
    if cert.role == Role::Intermediate || exts.is_ca() == Some(true) {
        violation(
            out,
            rule::CA_EMPTY_SUBJECT,
            RuleSource::Rfc5280Strict,
            "is a CA certificate with an empty subject (RFC 5280 4.1.2.6: a CA's subject MUST be a non-empty name)".into(),
        );
    }
    let san = exts.get(OID_SAN);
    let non_empty = san.is_some_and(|e| {
        SubjectAltName::from_der(e.extn_value.as_bytes()).is_ok_and(|s| !s.0.is_empty())
    });
    if !(san.is_some_and(|e| e.critical) && non_empty) {
        violation(
            out,
            rule::EMPTY_SUBJECT_SAN,
            RuleSource::Rfc5280Strict,
            format!(
                "has an empty subject and {} (RFC 5280 4.1.2.6: an empty subject needs a critical subjectAltName)",
                match san {
                    None => "no subjectAltName",
                    Some(_) if !non_empty => "an empty subjectAltName",
                    Some(_) => "a subjectAltName that is not critical",
                }
            ),
        );
    }
}

fn serial_number(cert: &PathCert<'_>, out: &mut Vec<ProfileViolation>) {
    let bytes = cert.cert.tbs_certificate.serial_number.as_bytes();
    let problem = if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        Some("is negative")
    } else if bytes.iter().all(|b| *b == 0) {
        Some("is zero")
    } else {
        None
    };
    if let Some(p) = problem {
        violation(
            out,
            rule::SERIAL_NUMBER,
            RuleSource::Rfc5280Strict,
            format!(
                "its serial number {p} (RFC 5280 4.1.2.2: a positive integer of at most 20 octets)"
            ),
        );
    }
}

fn name_constraints(cert: &PathCert<'_>, exts: &Exts<'_>, out: &mut Vec<ProfileViolation>) {
    let Some(ext) = exts.get(OID_NC) else {
        return;
    };
    if !ext.critical {
        violation(
            out,
            rule::NAME_CONSTRAINTS_NOT_CRITICAL,
            RuleSource::Rfc5280Strict,
            "has a nameConstraints extension that is not critical (RFC 5280 4.2.1.10: MUST be critical)".into(),
        );
    }
    if cert.role == Role::Leaf || exts.is_ca() != Some(true) {
        violation(
            out,
            rule::NAME_CONSTRAINTS_NOT_CA,
            RuleSource::Rfc5280Strict,
            "has a nameConstraints extension but is not a CA certificate (RFC 5280 4.2.1.10: only in CA certificates)".into(),
        );
    }
    let malformed = |out: &mut Vec<ProfileViolation>, what: String| {
        violation(
            out,
            rule::NAME_CONSTRAINTS_MALFORMED,
            RuleSource::Rfc5280Strict,
            format!("has malformed nameConstraints: {what}"),
        )
    };
    let nc = match NameConstraints::from_der(ext.extn_value.as_bytes()) {
        Ok(nc) => nc,
        Err(e) => return malformed(out, format!("cannot be decoded ({e})")),
    };
    if nc.permitted_subtrees.is_none() && nc.excluded_subtrees.is_none() {
        malformed(
            out,
            "neither permittedSubtrees nor excludedSubtrees is present".into(),
        );
    }
    for (what, trees) in [
        ("permittedSubtrees", &nc.permitted_subtrees),
        ("excludedSubtrees", &nc.excluded_subtrees),
    ] {
        let Some(trees) = trees else { continue };
        if trees.is_empty() {
            malformed(out, format!("{what} is an empty list"));
        }
        for t in trees {
            if let GeneralName::DnsName(n) = &t.base {
                let name = n.as_str();
                if name.starts_with('.') {
                    malformed(
                        out,
                        format!(
                            "the dNSName {name:?} in {what} starts with a period (RFC 5280 4.2.1.10: a dNSName constraint is a host name; the leading-period form is for URIs and e-mail addresses)"
                        ),
                    );
                }
            }
        }
    }
}

fn policy_constraints(exts: &Exts<'_>, out: &mut Vec<ProfileViolation>) {
    let Some(ext) = exts.get(OID_POLICY_CONSTRAINTS) else {
        return;
    };
    let problem = match PolicyConstraints::from_der(ext.extn_value.as_bytes()) {
        Err(e) => Some(format!("cannot be decoded ({e})")),
        Ok(pc) if pc.require_explicit_policy.is_none() && pc.inhibit_policy_mapping.is_none() => {
            Some("is an empty sequence".into())
        }
        Ok(_) if !ext.critical => Some("is not critical".into()),
        Ok(_) => None,
    };
    if let Some(p) = problem {
        violation(
            out,
            rule::POLICY_CONSTRAINTS,
            RuleSource::Rfc5280Strict,
            format!(
                "its policyConstraints extension {p} (RFC 5280 4.2.1.11: MUST be critical and not empty)"
            ),
        );
    }
}

fn aia(exts: &Exts<'_>, out: &mut Vec<ProfileViolation>) {
    let Some(ext) = exts.get(OID_AIA) else {
        return;
    };
    let problem = match AuthorityInfoAccessSyntax::from_der(ext.extn_value.as_bytes()) {
        Err(e) => Some(format!("cannot be decoded ({e})")),
        Ok(a) if a.0.is_empty() => Some("is an empty sequence".into()),
        Ok(_) if ext.critical => Some("is critical".into()),
        Ok(_) => None,
    };
    if let Some(p) = problem {
        violation(
            out,
            rule::AIA_MALFORMED,
            RuleSource::Rfc5280Strict,
            format!(
                "its authorityInfoAccess extension {p} (RFC 5280 4.2.2.1: a non-empty sequence, MUST be non-critical)"
            ),
        );
    }
}
