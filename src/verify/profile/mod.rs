//! The certificate profile webpki leaves out: RFC 5280's MUSTs
//! ([`rfc5280`]) and the CA/Browser Forum's rules for server certificates
//! ([`cabf`]), checked on every certificate of a candidate path, on the full
//! parse the path already gets.
//!
//! Each check appends [`ProfileViolation`]s; [`apply`] decides, from the
//! policy's [`ProfileChecks`] setting and the anchor's origin, whether a
//! violation refuses the chain or becomes a warning.

pub(crate) mod cabf;
pub(crate) mod rfc5280;

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Serialize;

use super::diagnosis::{CertRef, Diagnosis, DiagnosisKind, Role};
use super::policy::{ProfileChecks, Usage};
use super::{Warning, WarningKind};
use crate::cert::{Certificate, Fingerprint};
use crate::store::Anchor;

/// Which body of rules a profile rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleSource {
    /// An RFC 5280 MUST that OpenSSL's default verification also enforces:
    /// refuses on every chain unless the policy is lenient.
    Rfc5280,
    /// An RFC 5280 MUST that only strict verifiers enforce (`openssl verify
    /// -x509_strict`, pyca/cryptography): refuses on chains to a public root,
    /// warns on chains to a private CA (by default).
    Rfc5280Strict,
    /// A CA/Browser Forum Baseline Requirement for server certificates:
    /// refuses on chains to a public root, warns on chains to a private CA
    /// (by default).
    CabForum,
}

/// One profile rule a certificate breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProfileViolation {
    /// A stable kebab-case rule id, e.g. `rfc5280-unknown-critical-extension`.
    pub rule: &'static str,
    /// Where the rule comes from.
    pub source: RuleSource,
    /// One sentence: what is wrong with the certificate.
    pub message: String,
}

/// One certificate of a candidate path, as the profile checks see it.
pub(crate) struct PathCert<'a> {
    /// The full parse every path certificate passes.
    pub cert: &'a x509_cert::Certificate,
    /// Its DER.
    pub der: &'a [u8],
    /// Leaf, intermediate or anchor.
    pub role: Role,
    /// Index in the presented chain; `None` for a store anchor.
    pub position: Option<usize>,
}

/// What the checks need to know about the verification.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CheckContext {
    /// Server or client authentication.
    pub usage: Usage,
}

impl RuleSource {
    /// Whether a violation of a rule from this source refuses the chain
    /// under `checks`, for a chain that ends at a public root or not.
    pub(crate) fn refuses(self, checks: ProfileChecks, public_anchor: bool) -> bool {
        match checks {
            ProfileChecks::Strict => true,
            ProfileChecks::Lenient => false,
            ProfileChecks::ByAnchorOrigin => match self {
                RuleSource::Rfc5280 => true,
                RuleSource::Rfc5280Strict | RuleSource::CabForum => public_anchor,
            },
        }
    }

    fn describe(self) -> &'static str {
        match self {
            RuleSource::Rfc5280 => "an RFC 5280 rule",
            RuleSource::Rfc5280Strict => "an RFC 5280 rule of strict verifiers",
            RuleSource::CabForum => "a CA/Browser Forum rule",
        }
    }
}

/// SHA-256 fingerprints and SPKI encodings of Mozilla's roots
/// (`webpki-root-certs`), built on first use.
fn mozilla_roots() -> &'static (HashSet<Fingerprint>, HashSet<Vec<u8>>) {
    static SET: OnceLock<(HashSet<Fingerprint>, HashSet<Vec<u8>>)> = OnceLock::new();
    SET.get_or_init(|| {
        let mut fps = HashSet::new();
        let mut spkis = HashSet::new();
        for der in webpki_root_certs::TLS_SERVER_ROOT_CERTS {
            fps.insert(Fingerprint::of(der.as_ref()));
            if let Ok(cert) = Certificate::from_der(der.as_ref()) {
                spkis.insert(cert.spki_der().to_vec());
            }
        }
        (fps, spkis)
    })
}

/// True when `anchor` is a public root: one of Mozilla's roots (by
/// fingerprint, or by key, so a re-issued or cross-signed form counts), an
/// anchor of the embedded cloud CA set (all of which are Mozilla roots), or
/// an anchor read from the operating system's store (provenance `os-store`).
pub(crate) fn is_public_anchor(anchor: &Anchor) -> bool {
    let p = anchor.provenance();
    if p.path.is_none() && (p.source == "os-store" || p.source.starts_with("embedded:")) {
        return true;
    }
    let cert = anchor.certificate();
    let (fps, spkis) = mozilla_roots();
    fps.contains(&cert.fingerprint()) || spkis.contains(cert.spki_der())
}

/// When `cert` has a critical extension path validation does not process,
/// a phrase naming it, e.g. "the critical extension 2.5.29.35
/// (authorityKeyIdentifier)": what webpki refused as an unsupported critical
/// extension, for its diagnosis.
pub(crate) fn unsupported_critical(cert: &Certificate) -> Option<String> {
    cert.full()
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| {
            e.critical
                && !rfc5280::UNDERSTOOD_CRITICAL
                    .iter()
                    .any(|(oid, _)| *oid == e.extn_id)
        })
        .map(|e| {
            format!(
                "the critical extension {} ({})",
                e.extn_id,
                rfc5280::extension_name(&e.extn_id)
            )
        })
}

/// The profile stage on a path given as its presented certificates
/// (position, DER) and their full parses, leaf first (for the benchmarks).
pub(crate) fn stage(
    policy: &super::Policy,
    anchor: &Anchor,
    presented: &[(usize, pki_types::CertificateDer<'_>)],
    parsed: &[x509_cert::Certificate],
    warnings: &mut Vec<Warning>,
) -> Result<(), Diagnosis> {
    let certs: Vec<PathCert<'_>> = presented
        .iter()
        .zip(parsed)
        .enumerate()
        .map(|(i, ((pos, der), cert))| PathCert {
            cert,
            der: der.as_ref(),
            role: if i == 0 {
                Role::Leaf
            } else {
                Role::Intermediate
            },
            position: Some(*pos),
        })
        .collect();
    run(&certs, anchor, policy, warnings)
}

/// The profile stage of a verification: `path` is the candidate path webpki
/// returned (leaf first, presented certificates), `anchor` the store anchor
/// that completed it.
pub(crate) fn run(
    path: &[PathCert<'_>],
    anchor: &Anchor,
    policy: &super::Policy,
    warnings: &mut Vec<Warning>,
) -> Result<(), Diagnosis> {
    apply(
        path,
        anchor,
        CheckContext {
            usage: policy.usage(),
        },
        policy.profile_checks(),
        warnings,
    )
}

/// Runs every profile rule on `path` and applies `checks`: the first
/// violation that refuses becomes a [`DiagnosisKind::ProfileViolation`]
/// diagnosis; the others become [`WarningKind::ProfileViolationAccepted`]
/// warnings, appended to `warnings`.
pub(crate) fn apply(
    path: &[PathCert<'_>],
    anchor_of: &Anchor,
    ctx: CheckContext,
    checks: ProfileChecks,
    warnings: &mut Vec<Warning>,
) -> Result<(), Diagnosis> {
    let anchor_cert = anchor_of.certificate();
    let anchor = PathCert {
        cert: anchor_cert.full(),
        der: anchor_cert.der().as_ref(),
        role: Role::Anchor,
        position: None,
    };
    let mut found: Vec<(&PathCert<'_>, ProfileViolation)> = Vec::new();
    let mut scratch = Vec::new();
    for cert in path.iter().chain(std::iter::once(&anchor)) {
        rfc5280::check(cert, ctx, &mut scratch);
        if cert.role == Role::Anchor {
            let below: Vec<&x509_cert::Certificate> = path.iter().skip(1).map(|c| c.cert).collect();
            rfc5280::check_anchor_path_len(cert.cert, &below, &mut scratch);
        }
        cabf::check(cert, ctx, &mut scratch);
        // Rule ids are stable: each CA/Browser Forum id is in its list.
        debug_assert!(scratch
            .iter()
            .all(|v| v.source != RuleSource::CabForum || cabf::RULE_IDS.contains(&v.rule)));
        found.extend(scratch.drain(..).map(|v| (cert, v)));
    }
    if found.is_empty() {
        return Ok(());
    }
    // The origin is looked up only when it can matter.
    let public = OnceLock::new();
    let is_public = || *public.get_or_init(|| is_public_anchor(anchor_of));
    let cert_ref = |c: &PathCert<'_>| -> CertRef {
        match c.role {
            Role::Anchor => CertRef::new(anchor_cert, None, Role::Anchor),
            role => match Certificate::from_der(c.der) {
                Ok(full) => CertRef::new(&full, c.position, role),
                // Every path certificate passed this parser already.
                Err(_) => CertRef::new(anchor_cert, None, Role::Anchor),
            },
        }
    };
    for (cert, v) in &found {
        if v.source.refuses(checks, is_public()) {
            return Err(refusal(cert_ref(cert), v, checks, is_public()));
        }
    }
    for (cert, v) in found {
        let why = match checks {
            ProfileChecks::Lenient => "the profile-checks setting is lenient".to_string(),
            _ => format!(
                "{} on a chain to a private CA, which the profile-checks setting {checks} reports as a warning",
                v.source.describe()
            ),
        };
        warnings.push(Warning {
            kind: WarningKind::ProfileViolationAccepted,
            certificate: cert_ref(cert),
            message: format!("{}: {}; accepted: {why}", v.rule, v.message),
        });
    }
    Ok(())
}

fn refusal(
    cert: CertRef,
    v: &ProfileViolation,
    checks: ProfileChecks,
    public_anchor: bool,
) -> Diagnosis {
    let what = match cert.role {
        Role::Leaf => "the leaf",
        Role::Intermediate => "an intermediate",
        Role::Anchor => "the trust anchor",
    };
    let relax = match (checks, v.source, public_anchor) {
        (ProfileChecks::Strict, RuleSource::Rfc5280Strict | RuleSource::CabForum, false) => {
            "the profile-checks setting by-anchor-origin (the default) accepts it with a warning on chains to your own CA, lenient on any chain"
        }
        _ => "only the profile-checks setting lenient accepts it, with a warning",
    };
    let mut d = Diagnosis::new(
        DiagnosisKind::ProfileViolation,
        format!(
            "{what} breaks {} ({}): {}",
            v.source.describe(),
            v.rule,
            v.message
        ),
        format!(
            "have the CA reissue the certificate so that it follows {}; {relax}",
            v.rule
        ),
    )
    .cert(cert);
    d.detail = Some(v.rule.to_string());
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TrustStore;

    fn rules_of(der: &[u8], role: Role) -> Vec<&'static str> {
        let cert = <x509_cert::Certificate as der::Decode>::from_der(der).unwrap();
        let mut out = Vec::new();
        rfc5280::check(
            &PathCert {
                cert: &cert,
                der,
                role,
                position: None,
            },
            CheckContext {
                usage: Usage::ServerAuth,
            },
            &mut out,
        );
        out.into_iter().map(|v| v.rule).collect()
    }

    fn self_signed(params: rcgen::CertificateParams) -> Vec<u8> {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        params.self_signed(&key).unwrap().der().to_vec()
    }

    fn ca_params() -> rcgen::CertificateParams {
        let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name
            .push(rcgen::DnType::CommonName, "Unit CA");
        p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        p.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        p
    }

    fn custom(oid: &[u64], critical: bool, value: Vec<u8>) -> rcgen::CustomExtension {
        let mut e = rcgen::CustomExtension::from_oid_content(oid, value);
        e.set_criticality(critical);
        e
    }

    // webpki refuses these critical extensions in a presented certificate
    // before the profile stage runs, and an anchor's form is not checked:
    // the rules are exercised here on the parse directly.
    #[test]
    fn critical_key_identifiers_and_aia() {
        assert_eq!(
            rules_of(&self_signed(ca_params()), Role::Intermediate),
            Vec::<&str>::new()
        );
        let mut p = ca_params();
        p.custom_extensions = vec![
            custom(&[2, 5, 29, 35], true, vec![0x30, 0x03, 0x80, 0x01, 0x07]),
            custom(&[1, 3, 6, 1, 5, 5, 7, 1, 1], true, {
                // caIssuers, URI http://x
                let uri = b"http://x";
                let mut ad = vec![0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02];
                ad.push(0x86);
                ad.push(uri.len() as u8);
                ad.extend_from_slice(uri);
                let mut seq = vec![0x30, ad.len() as u8];
                seq.extend(ad);
                let mut outer = vec![0x30, seq.len() as u8];
                outer.extend(seq);
                outer
            }),
        ];
        let found = rules_of(&self_signed(p), Role::Intermediate);
        assert!(found.contains(&rfc5280::rule::AKI_CRITICAL), "{found:?}");
        assert!(found.contains(&rfc5280::rule::AIA_MALFORMED), "{found:?}");
        assert!(
            found.contains(&rfc5280::rule::UNKNOWN_CRITICAL_EXTENSION),
            "{found:?}"
        );
        let mut p = ca_params();
        p.is_ca = rcgen::IsCa::NoCa;
        p.custom_extensions = vec![
            custom(&[2, 5, 29, 19], true, vec![0x30, 0x03, 0x01, 0x01, 0xff]),
            custom(&[2, 5, 29, 14], true, vec![0x04, 0x01, 0x07]),
        ];
        let found = rules_of(&self_signed(p), Role::Intermediate);
        assert!(found.contains(&rfc5280::rule::SKI_CRITICAL), "{found:?}");
    }

    #[test]
    fn an_anchors_form_is_not_checked_its_constraints_are() {
        // keyCertSign without basicConstraints, no key identifiers, no
        // critical extension: a finding for the store, not a path rule.
        let mut p = ca_params();
        p.is_ca = rcgen::IsCa::NoCa;
        let der = self_signed(p);
        assert_eq!(rules_of(&der, Role::Anchor), Vec::<&str>::new());
        assert!(
            rules_of(&der, Role::Intermediate).contains(&rfc5280::rule::KEY_CERT_SIGN_WITHOUT_CA)
        );
        // keyUsage without keyCertSign binds the path.
        let mut p = ca_params();
        p.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
        assert_eq!(
            rules_of(&self_signed(p), Role::Anchor),
            [rfc5280::rule::CA_KEY_CERT_SIGN]
        );
    }

    #[test]
    fn no_mozilla_root_breaks_a_rule_as_an_anchor() {
        // A chain to a public root is refused on any violation by default,
        // so the roots themselves must pass what is checked of an anchor.
        for der in webpki_root_certs::TLS_SERVER_ROOT_CERTS {
            let found = rules_of(der.as_ref(), Role::Anchor);
            assert!(found.is_empty(), "{found:?}");
        }
    }

    #[test]
    fn public_anchors_are_mozillas_roots_the_embedded_set_and_the_os_store() {
        let mozilla = webpki_root_certs::TLS_SERVER_ROOT_CERTS[0].as_ref();
        let private = self_signed(ca_params());
        let store = |label: &str, der: &[u8]| {
            let mut b = TrustStore::builder();
            b.add_der(label, der).unwrap();
            b.build().unwrap()
        };
        // Mozilla's roots by fingerprint, whatever file they come from.
        assert!(is_public_anchor(&store("roots.pem", mozilla).anchors()[0]));
        assert!(!is_public_anchor(
            &store("customer-ca.pem", &private).anchors()[0]
        ));
        assert!(is_public_anchor(&store("os-store", &private).anchors()[0]));
        let mut b = TrustStore::builder();
        b.add_profile_cas(&crate::Profile::expressway_e()).unwrap();
        let embedded = b.build().unwrap();
        assert!(!embedded.anchors().is_empty());
        assert!(embedded.anchors().iter().all(is_public_anchor));
    }

    #[test]
    fn refusal_by_source_setting_and_origin() {
        use ProfileChecks::*;
        for public in [false, true] {
            for source in [
                RuleSource::Rfc5280,
                RuleSource::Rfc5280Strict,
                RuleSource::CabForum,
            ] {
                assert!(source.refuses(Strict, public));
                assert!(!source.refuses(Lenient, public));
            }
            assert!(RuleSource::Rfc5280.refuses(ByAnchorOrigin, public));
            assert_eq!(
                RuleSource::Rfc5280Strict.refuses(ByAnchorOrigin, public),
                public
            );
            assert_eq!(RuleSource::CabForum.refuses(ByAnchorOrigin, public), public);
        }
    }
}
