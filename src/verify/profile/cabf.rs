//! CA/Browser Forum Baseline Requirements for server certificates that webpki
//! does not check.
//!
//! Two groups of rules:
//!
//! * **Keys**, on every certificate of the path (leaf, intermediates and the
//!   anchor): RSA of at least 2048 bits with a modulus a whole number of
//!   bytes, or ECDSA on P-256, P-384 or P-521 given by its named-curve OID
//!   (BR 6.1.5, 7.1.3.1). DSA, other curves and explicit curve parameters are
//!   violations.
//! * **The leaf of a server-authentication path** (BR 7.1.2.7): a
//!   subjectAltName with valid host names, wildcards only as the whole
//!   left-most label and never directly on a public suffix (BR 3.2.2.6), a
//!   common name (if any) that repeats one of the SANs, and a non-critical
//!   extendedKeyUsage with serverAuth and without anyExtendedKeyUsage.
//!
//! The checks read the full parse the path already has and allocate nothing
//! for a certificate that breaks no rule. Each rule is reported at most once
//! per certificate (a certificate with many bad names gets one violation that
//! counts them), so the output is bounded whatever the input.
//!
//! Rule ids (stable):
//!
//! | id | rule |
//! |---|---|
//! | `cabf-dsa-key` | the key is DSA |
//! | `cabf-ec-curve-not-allowed` | an EC key on a curve other than P-256, P-384, P-521 |
//! | `cabf-ec-parameters-not-named-curve` | an EC key whose parameters are not a named-curve OID (explicit, implicitlyCA or absent) |
//! | `cabf-rsa-key-too-small` | an RSA modulus under 2048 bits |
//! | `cabf-rsa-modulus-not-multiple-of-8` | an RSA modulus whose size in bits is not a multiple of 8 |
//! | `cabf-rsa-key-unreadable` | an RSA key whose modulus cannot be read |
//! | `cabf-san-missing` | the leaf has no (readable, non-empty) subjectAltName |
//! | `cabf-san-invalid-dns-name` | a dNSName SAN is not a valid host name |
//! | `cabf-wildcard-on-public-suffix` | a wildcard directly on a public suffix (`*.com`, `*.co.uk`) |
//! | `cabf-cn-not-in-san` | the CN is not one of the DNS or IP SANs |
//! | `cabf-cn-repeated` | the subject has more than one CN |
//! | `cabf-eku-missing-server-auth` | no extendedKeyUsage, or one without serverAuth |
//! | `cabf-eku-any` | the extendedKeyUsage holds anyExtendedKeyUsage |
//! | `cabf-eku-critical` | the extendedKeyUsage extension is critical |

use std::net::IpAddr;

use der::asn1::{AnyRef, ObjectIdentifier, UintRef};
use der::{Decode, Reader, Sequence, SliceReader, Tag, TagNumber, Tagged};
use psl::Psl;

use super::super::diagnosis::Role;
use super::super::policy::Usage;
use super::{CheckContext, PathCert, ProfileViolation, RuleSource};

const OID_CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const OID_SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const OID_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const OID_EKU_ANY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");
const OID_EKU_SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const OID_P192: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.1");
const OID_P224: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.33");
const OID_SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");

/// `dNSName [2] IA5String` in a GeneralName.
const TAG_DNS_NAME: Tag = Tag::ContextSpecific {
    constructed: false,
    number: TagNumber::N2,
};
/// `iPAddress [7] OCTET STRING` in a GeneralName.
const TAG_IP_ADDRESS: Tag = Tag::ContextSpecific {
    constructed: false,
    number: TagNumber::N7,
};

/// The longest host name (without a trailing dot) and label.
const MAX_HOST_NAME: usize = 253;
const MAX_LABEL: usize = 63;
/// Common names compared with the SANs; more than one CN is a violation of
/// its own, so the rest need not be compared (and the work stays linear).
const MAX_CNS_COMPARED: usize = 4;
/// Characters of a name from the certificate quoted in a message.
const MAX_QUOTED: usize = 80;

/// Appends the CA/Browser Forum rules `cert` breaks.
///
/// The key rules apply to every certificate of the path; the name and EKU
/// rules to the leaf of a server-authentication path only.
pub(crate) fn check(cert: &PathCert<'_>, ctx: CheckContext, out: &mut Vec<ProfileViolation>) {
    check_key(cert.cert, out);
    if cert.role == Role::Leaf && ctx.usage == Usage::ServerAuth {
        check_server_leaf(cert.cert, out);
    }
}

fn violation(out: &mut Vec<ProfileViolation>, rule: &'static str, message: String) {
    out.push(ProfileViolation {
        rule,
        source: RuleSource::CabForum,
        message,
    });
}

#[derive(Sequence)]
struct RsaPublicKey<'a> {
    modulus: UintRef<'a>,
    #[allow(dead_code)]
    public_exponent: UintRef<'a>,
}

const KEYS_ALLOWED: &str =
    "only RSA keys of at least 2048 bits and ECDSA keys on P-256, P-384 or P-521 are allowed";

fn check_key(cert: &x509_cert::Certificate, out: &mut Vec<ProfileViolation>) {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let algorithm = &spki.algorithm;
    if algorithm.oid == OID_RSA {
        let modulus = spki
            .subject_public_key
            .as_bytes()
            .and_then(|key| RsaPublicKey::from_der(key).ok())
            .map(|key| bit_length(key.modulus.as_bytes()));
        match modulus {
            None | Some(0) => violation(
                out,
                "cabf-rsa-key-unreadable",
                "the RSA public key cannot be read (no valid modulus)".to_string(),
            ),
            Some(bits) => {
                if bits < 2048 {
                    violation(
                        out,
                        "cabf-rsa-key-too-small",
                        format!(
                            "the RSA key has {bits} bits; at least 2048 are required \
                             (reissue the certificate with a 2048-bit or larger key)"
                        ),
                    );
                }
                if bits % 8 != 0 {
                    violation(
                        out,
                        "cabf-rsa-modulus-not-multiple-of-8",
                        format!(
                            "the RSA key has {bits} bits, which is not a multiple of 8 \
                             (reissue the certificate with a 2048, 3072 or 4096-bit key)"
                        ),
                    );
                }
            }
        }
    } else if algorithm.oid == OID_EC {
        let curve = algorithm
            .parameters
            .as_ref()
            .filter(|p| p.tag() == Tag::ObjectIdentifier)
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        match curve {
            Some(c) if c == OID_P256 || c == OID_P384 || c == OID_P521 => {}
            Some(c) => violation(
                out,
                "cabf-ec-curve-not-allowed",
                format!(
                    "the EC key is on the curve {}; {KEYS_ALLOWED}",
                    curve_name(&c)
                ),
            ),
            None => {
                let what = match algorithm.parameters.as_ref().map(|p| p.tag()) {
                    None => "no curve parameters",
                    Some(Tag::Null) => "implicitlyCA (NULL) curve parameters",
                    Some(Tag::Sequence) => "explicit curve parameters",
                    Some(_) => "unreadable curve parameters",
                };
                violation(
                    out,
                    "cabf-ec-parameters-not-named-curve",
                    format!(
                        "the EC key has {what} instead of a named curve; the curve must be \
                         given as the OID of P-256, P-384 or P-521"
                    ),
                );
            }
        }
    } else if algorithm.oid == OID_DSA {
        violation(
            out,
            "cabf-dsa-key",
            format!("the key is a DSA key; {KEYS_ALLOWED}"),
        );
    }
}

fn curve_name(oid: &ObjectIdentifier) -> String {
    let name = if *oid == OID_P192 {
        " (P-192)"
    } else if *oid == OID_P224 {
        " (P-224)"
    } else if *oid == OID_SECP256K1 {
        " (secp256k1)"
    } else {
        ""
    };
    format!("{oid}{name}")
}

/// The number of significant bits of a big-endian unsigned integer.
fn bit_length(be: &[u8]) -> u32 {
    match be.iter().position(|b| *b != 0) {
        Some(i) => {
            let significant = &be[i..];
            let whole = u32::try_from(significant.len() - 1).unwrap_or(u32::MAX / 16);
            whole.saturating_mul(8) + (8 - significant[0].leading_zeros())
        }
        None => 0,
    }
}

fn check_server_leaf(cert: &x509_cert::Certificate, out: &mut Vec<ProfileViolation>) {
    let tbs = &cert.tbs_certificate;
    let mut san = None;
    let mut eku = None;
    for ext in tbs.extensions.iter().flatten() {
        if ext.extn_id == OID_SAN && san.is_none() {
            san = Some(ext.extn_value.as_bytes());
        } else if ext.extn_id == OID_EKU && eku.is_none() {
            eku = Some(ext);
        }
    }
    let san_ok = check_san(san, out);
    check_common_names(tbs, if san_ok { san } else { None }, out);
    check_eku(eku, out);
}

/// Calls `each` with every element of the DER `SEQUENCE OF` in `der`.
fn each_in_sequence<'a>(der: &'a [u8], mut each: impl FnMut(AnyRef<'a>)) -> der::Result<()> {
    let mut reader = SliceReader::new(der)?;
    reader.sequence(|seq| {
        while !seq.is_finished() {
            each(AnyRef::decode(seq)?);
        }
        Ok(())
    })?;
    reader.finish(())
}

/// The SAN rules; returns whether the SAN could be read.
fn check_san(san: Option<&[u8]>, out: &mut Vec<ProfileViolation>) -> bool {
    let Some(san) = san else {
        violation(
            out,
            "cabf-san-missing",
            "the server certificate has no subjectAltName extension; its host names must \
             be listed there (the common name alone is not enough)"
                .to_string(),
        );
        return false;
    };
    let mut entries = 0usize;
    let mut invalid: Option<(&[u8], &'static str)> = None;
    let mut invalid_count = 0usize;
    let mut on_suffix: Option<&[u8]> = None;
    let mut on_suffix_count = 0usize;
    let read = each_in_sequence(san, |name| {
        entries += 1;
        if name.tag() != TAG_DNS_NAME {
            return;
        }
        let dns = name.value();
        if let Some(problem) = host_name_problem(dns) {
            invalid_count += 1;
            invalid.get_or_insert((dns, problem));
        } else if let Some(base) = dns.strip_prefix(b"*.") {
            if is_public_suffix(base) {
                on_suffix_count += 1;
                on_suffix.get_or_insert(dns);
            }
        }
    });
    if read.is_err() {
        violation(
            out,
            "cabf-san-missing",
            "the subjectAltName extension cannot be read, so the certificate names no host"
                .to_string(),
        );
        return false;
    }
    if entries == 0 {
        violation(
            out,
            "cabf-san-missing",
            "the subjectAltName extension is empty; the server's host names must be listed there"
                .to_string(),
        );
    }
    if let Some((name, problem)) = invalid {
        violation(
            out,
            "cabf-san-invalid-dns-name",
            format!(
                "the DNS name {} in the subjectAltName is not a valid host name: it {problem}{}",
                quoted(name),
                more(invalid_count)
            ),
        );
    }
    if let Some(name) = on_suffix {
        violation(
            out,
            "cabf-wildcard-on-public-suffix",
            format!(
                "the wildcard {} in the subjectAltName covers a whole public suffix (every \
                 domain registered under it), which is not allowed{}",
                quoted(name),
                more(on_suffix_count)
            ),
        );
    }
    true
}

fn more(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        n => format!(" ({} more like it)", n - 1),
    }
}

/// Quotes text from a certificate for a message: escaped, and cut short.
fn quoted(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(MAX_QUOTED)];
    let text = String::from_utf8_lossy(cut);
    let ellipsis = if cut.len() < bytes.len() { "..." } else { "" };
    format!("'{}{ellipsis}'", text.escape_debug())
}

/// Why `name` is not a valid host name for a server certificate: LDH labels
/// (letters, digits, hyphens not at either end) of 1 to 63 characters, at
/// most 253 in all, no trailing dot, and `*` only as the whole left-most
/// label of a name with at least one more label.
fn host_name_problem(name: &[u8]) -> Option<&'static str> {
    if name.is_empty() {
        return Some("is empty");
    }
    if name.len() > MAX_HOST_NAME {
        return Some("is longer than 253 characters");
    }
    let mut labels = 0usize;
    for label in name.split(|b| *b == b'.') {
        labels += 1;
        if label.is_empty() {
            return Some("has an empty label (a leading, trailing or doubled dot)");
        }
        if label == b"*" {
            if labels == 1 {
                continue;
            }
            return Some("has a wildcard that is not the left-most label");
        }
        if label.len() > MAX_LABEL {
            return Some("has a label longer than 63 characters");
        }
        for b in label {
            match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' => {}
                b'_' => return Some("has an underscore, which host names may not contain"),
                b'*' => {
                    return Some(
                        "has a wildcard inside a label (only '*' as the whole left-most label \
                         is allowed)",
                    )
                }
                _ => return Some("has a character that is not a letter, digit, hyphen or dot"),
            }
        }
        if label.starts_with(b"-") || label.ends_with(b"-") {
            return Some("has a label that starts or ends with a hyphen");
        }
    }
    if labels == 1 && name == b"*" {
        return Some("is a bare wildcard with no domain");
    }
    None
}

/// True when `name` (a valid host name) is itself a public suffix.
///
/// Decided by the ICANN section of the Public Suffix List and its default
/// rule (every top-level domain is a public suffix, listed or not), as BR
/// 3.2.2.6 asks; suffixes in the PRIVATE section (`github.io`, `blogspot.com`)
/// are registrable domains there, so `*.github.io` is not a violation. The
/// list is the one compiled into the `psl` crate; it reports the longest
/// matching rule, and no PRIVATE rule is also matched whole by an ICANN rule,
/// so a name it calls private is not an ICANN suffix.
fn is_public_suffix(name: &[u8]) -> bool {
    // The list is lower-case; it holds internationalised rules both as
    // U-labels and as A-labels (`xn--55qx5d.cn`).
    let mut buf = [0u8; MAX_HOST_NAME];
    let Some(lower) = buf.get_mut(..name.len()) else {
        return false; // never: the name passed `host_name_problem`
    };
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    is_listed_suffix(lower)
}

fn is_listed_suffix(name: &[u8]) -> bool {
    psl::List.suffix(name).is_some_and(|suffix| {
        suffix.as_bytes().len() == name.len() && suffix.typ() != Some(psl::Type::Private)
    })
}

/// A common name's text as ASCII, copied into `buf`; `None` when it is not
/// ASCII text of at most `buf.len()` characters (it then equals no SAN, which
/// are ASCII host names and addresses).
fn cn_ascii<'b>(value: &der::Any, buf: &'b mut [u8; 256]) -> Option<&'b [u8]> {
    let bytes = value.value();
    let mut len = 0usize;
    match value.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::VisibleString
        | Tag::TeletexString => {
            if !bytes.is_ascii() {
                return None;
            }
            buf.get_mut(..bytes.len())?.copy_from_slice(bytes);
            len = bytes.len();
        }
        Tag::BmpString => {
            if bytes.len() % 2 != 0 {
                return None;
            }
            for unit in bytes.chunks_exact(2) {
                if unit[0] != 0 || !unit[1].is_ascii() {
                    return None;
                }
                *buf.get_mut(len)? = unit[1];
                len += 1;
            }
        }
        _ => return None,
    }
    buf.get(..len)
}

fn check_common_names(
    tbs: &x509_cert::TbsCertificate,
    san: Option<&[u8]>,
    out: &mut Vec<ProfileViolation>,
) {
    let mut count = 0usize;
    let mut reported = false;
    for atv in tbs.subject.0.iter().flat_map(|rdn| rdn.0.iter()) {
        if atv.oid != OID_CN {
            continue;
        }
        count += 1;
        if reported || count > MAX_CNS_COMPARED {
            continue;
        }
        let mut buf = [0u8; 256];
        let found = cn_ascii(&atv.value, &mut buf).is_some_and(|cn| cn_in_san(cn, san));
        if !found {
            reported = true;
            let (text, _) = crate::cert::directory_string(&atv.value);
            let why = if san.is_some() {
                "is not one of the DNS names or IP addresses in the subjectAltName"
            } else {
                "cannot be checked against a subjectAltName"
            };
            violation(
                out,
                "cabf-cn-not-in-san",
                format!(
                    "the common name {} {why}; a server certificate's CN, if present, must \
                     repeat one of them",
                    quoted(text.as_bytes())
                ),
            );
        }
    }
    if count > 1 {
        violation(
            out,
            "cabf-cn-repeated",
            format!("the subject has {count} common names; at most one is allowed"),
        );
    }
}

/// True when `cn` equals a dNSName (ignoring ASCII case) or, read as an IP
/// address, an iPAddress of `san`.
fn cn_in_san(cn: &[u8], san: Option<&[u8]>) -> bool {
    let Some(san) = san else {
        return false;
    };
    let ip = std::str::from_utf8(cn)
        .ok()
        .and_then(|s| s.parse::<IpAddr>().ok());
    let mut found = false;
    let read = each_in_sequence(san, |name| {
        if found {
            return;
        }
        let value = name.value();
        found = match (name.tag(), ip) {
            (TAG_DNS_NAME, _) => value.eq_ignore_ascii_case(cn),
            (TAG_IP_ADDRESS, Some(IpAddr::V4(v4))) => value == v4.octets(),
            (TAG_IP_ADDRESS, Some(IpAddr::V6(v6))) => value == v6.octets(),
            _ => false,
        };
    });
    found && read.is_ok()
}

fn check_eku(eku: Option<&x509_cert::ext::Extension>, out: &mut Vec<ProfileViolation>) {
    let Some(ext) = eku else {
        violation(
            out,
            "cabf-eku-missing-server-auth",
            "the server certificate has no extendedKeyUsage extension; it must have one \
             with serverAuth (TLS Web Server Authentication)"
                .to_string(),
        );
        return;
    };
    let mut server_auth = false;
    let mut any = false;
    let read = each_in_sequence(ext.extn_value.as_bytes(), |purpose| {
        if purpose.tag() == Tag::ObjectIdentifier {
            server_auth |= purpose.value() == OID_EKU_SERVER_AUTH.as_bytes();
            any |= purpose.value() == OID_EKU_ANY.as_bytes();
        }
    });
    if read.is_err() {
        violation(
            out,
            "cabf-eku-missing-server-auth",
            "the extendedKeyUsage extension cannot be read, so serverAuth is not established"
                .to_string(),
        );
        return;
    }
    if !server_auth {
        violation(
            out,
            "cabf-eku-missing-server-auth",
            "the extendedKeyUsage extension does not include serverAuth (TLS Web Server \
             Authentication)"
                .to_string(),
        );
    }
    if any {
        violation(
            out,
            "cabf-eku-any",
            "the extendedKeyUsage includes anyExtendedKeyUsage, which a server certificate \
             must not have; it must list its purposes (serverAuth)"
                .to_string(),
        );
    }
    if ext.critical {
        violation(
            out,
            "cabf-eku-critical",
            "the extendedKeyUsage extension is marked critical; in a server certificate it \
             must not be"
                .to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::asn1::BitString;
    use der::{Any, Encode};
    use rcgen::{
        BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, DnValue,
        ExtendedKeyUsagePurpose, IsCa, KeyPair, RsaKeySize, PKCS_ECDSA_P256_SHA256,
        PKCS_ECDSA_P384_SHA384, PKCS_ECDSA_P521_SHA512, PKCS_RSA_SHA256,
    };

    const SAN_OID: &[u64] = &[2, 5, 29, 17];
    const EKU_OID: &[u64] = &[2, 5, 29, 37];
    /// `SEQUENCE { serverAuth }`, the value of an extendedKeyUsage extension.
    const EKU_SERVER_AUTH_ONLY: &[u8] = &[
        0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01,
    ];

    fn p256() -> KeyPair {
        KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap()
    }

    /// A server leaf's parameters: the CN (if any), the SANs (IP addresses
    /// become iPAddress entries) and EKU serverAuth.
    fn leaf(cn: Option<&str>, sans: &[&str]) -> CertificateParams {
        let sans: Vec<String> = sans.iter().map(|s| s.to_string()).collect();
        let mut params = CertificateParams::new(sans).unwrap();
        params.distinguished_name = DistinguishedName::new();
        if let Some(cn) = cn {
            params.distinguished_name.push(DnType::CommonName, cn);
        }
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params
    }

    fn der_of(params: &CertificateParams, key: &KeyPair) -> Vec<u8> {
        params.self_signed(key).unwrap().der().to_vec()
    }

    fn parse(der: &[u8]) -> x509_cert::Certificate {
        x509_cert::Certificate::from_der(der).unwrap()
    }

    fn run(cert: &x509_cert::Certificate, role: Role, usage: Usage) -> Vec<ProfileViolation> {
        let der = cert.to_der().unwrap();
        let path = PathCert {
            cert,
            der: &der,
            role,
            position: (role != Role::Anchor).then_some(0),
        };
        let mut out = Vec::new();
        check(&path, CheckContext { usage }, &mut out);
        assert!(out.iter().all(|v| v.source == RuleSource::CabForum));
        assert!(out.iter().all(|v| v.rule.starts_with("cabf-")));
        out
    }

    fn rules(violations: &[ProfileViolation]) -> Vec<&'static str> {
        violations.iter().map(|v| v.rule).collect()
    }

    /// The violations of `params` as the leaf of a server-authentication path.
    fn server_leaf(params: &CertificateParams, key: &KeyPair) -> Vec<ProfileViolation> {
        run(&parse(&der_of(params, key)), Role::Leaf, Usage::ServerAuth)
    }

    fn server_leaf_rules(params: &CertificateParams, key: &KeyPair) -> Vec<&'static str> {
        rules(&server_leaf(params, key))
    }

    fn fixture(name: &str) -> x509_cert::Certificate {
        let path = format!("{}/tests/fixtures/cabf/{name}", env!("CARGO_MANIFEST_DIR"));
        parse(&std::fs::read(path).unwrap())
    }

    #[test]
    fn a_clean_server_leaf_breaks_no_rule() {
        let sans = [
            "example.com",
            "www.example.com",
            "*.example.com",
            "*.example.co.uk",
            "*.github.io",
            "xn--bcher-kva.example",
            "a-b.123.example",
            "192.0.2.1",
            "2001:db8::1",
        ];
        let params = leaf(Some("example.com"), &sans);
        let keys = [
            p256(),
            KeyPair::generate_for(&PKCS_ECDSA_P384_SHA384).unwrap(),
            KeyPair::generate_for(&PKCS_ECDSA_P521_SHA512).unwrap(),
            KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048).unwrap(),
        ];
        for key in &keys {
            let cert = parse(&der_of(&params, key));
            for usage in [Usage::ServerAuth, Usage::ClientAuth] {
                assert_eq!(run(&cert, Role::Leaf, usage), [], "{:?}", key.algorithm());
            }
        }
    }

    #[test]
    fn clean_ca_certificates_break_no_rule() {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let cert = parse(&der_of(&params, &p256()));
        for role in [Role::Intermediate, Role::Anchor] {
            for usage in [Usage::ServerAuth, Usage::ClientAuth] {
                assert_eq!(run(&cert, role, usage), []);
            }
        }
    }

    #[test]
    fn the_common_name_must_be_one_of_the_sans() {
        let key = p256();
        let cases: &[(&str, &[&str], bool)] = &[
            ("other.example", &["example.com"], false),
            ("example.com", &["example.com"], true),
            ("EXAMPLE.com", &["www.example.com", "example.COM"], true),
            ("example.co", &["example.com"], false),
            ("*.example.com", &["*.example.com"], true),
            ("www.example.com", &["*.example.com"], false),
            ("192.0.2.1", &["example.com", "192.0.2.1"], true),
            ("192.0.2.2", &["192.0.2.1"], false),
            ("2001:db8::1", &["2001:db8:0:0::1"], true),
            ("2001:db8::2", &["2001:db8::1"], false),
        ];
        for (cn, sans, ok) in cases {
            let got = server_leaf_rules(&leaf(Some(cn), sans), &key);
            let want: &[&str] = if *ok { &[] } else { &["cabf-cn-not-in-san"] };
            assert_eq!(got, want, "CN {cn} with SANs {sans:?}");
        }

        let got = server_leaf(&leaf(Some("other.example"), &["example.com"]), &key);
        assert!(
            got[0].message.contains("'other.example'"),
            "{}",
            got[0].message
        );

        // A BMPString CN is compared by its characters.
        let mut params = leaf(None, &["example.com"]);
        let bmp = rcgen::string::BmpString::try_from("Example.com").unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, DnValue::BmpString(bmp));
        assert_eq!(server_leaf_rules(&params, &key), Vec::<&str>::new());
        let mut params = leaf(None, &["example.com"]);
        let bmp = rcgen::string::BmpString::try_from("other.example").unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, DnValue::BmpString(bmp));
        assert_eq!(server_leaf_rules(&params, &key), ["cabf-cn-not-in-san"]);

        // Only a leaf without a CN needs none.
        assert_eq!(
            server_leaf_rules(&leaf(None, &["example.com"]), &key),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn the_subject_has_at_most_one_common_name() {
        let key = p256();
        let mut cert = parse(&der_of(&leaf(Some("example.com"), &["example.com"]), &key));
        let cn = cert.tbs_certificate.subject.0[0].clone();
        cert.tbs_certificate.subject.0.push(cn.clone());
        let got = run(&cert, Role::Leaf, Usage::ServerAuth);
        assert_eq!(rules(&got), ["cabf-cn-repeated"]);
        assert!(
            got[0].message.contains("2 common names"),
            "{}",
            got[0].message
        );

        // A second CN that is not a SAN is reported too.
        let other = parse(&der_of(&leaf(Some("other.example"), &["x.example"]), &key));
        cert.tbs_certificate
            .subject
            .0
            .push(other.tbs_certificate.subject.0[0].clone());
        let got = run(&cert, Role::Leaf, Usage::ServerAuth);
        assert_eq!(rules(&got), ["cabf-cn-not-in-san", "cabf-cn-repeated"]);
        assert!(
            got[0].message.contains("'other.example'"),
            "{}",
            got[0].message
        );
        assert!(
            got[1].message.contains("3 common names"),
            "{}",
            got[1].message
        );

        // Many CNs: one violation each, and bounded work.
        for _ in 0..10_000 {
            cert.tbs_certificate.subject.0.push(cn.clone());
        }
        let got = run(&cert, Role::Leaf, Usage::ServerAuth);
        assert_eq!(rules(&got), ["cabf-cn-not-in-san", "cabf-cn-repeated"]);
    }

    #[test]
    fn a_server_leaf_needs_a_subject_alt_name() {
        let key = p256();
        assert_eq!(
            server_leaf_rules(&leaf(None, &[]), &key),
            ["cabf-san-missing"]
        );
        // A CN alone is not enough, and is then not in any SAN.
        assert_eq!(
            server_leaf_rules(&leaf(Some("example.com"), &[]), &key),
            ["cabf-san-missing", "cabf-cn-not-in-san"]
        );
        // An empty SAN, and one that cannot be read.
        for (content, what) in [
            (vec![0x30, 0x00], "empty"),
            (vec![0x04, 0x01, 0x00], "read"),
        ] {
            let mut params = leaf(None, &[]);
            params
                .custom_extensions
                .push(CustomExtension::from_oid_content(SAN_OID, content));
            let got = server_leaf(&params, &key);
            assert_eq!(rules(&got), ["cabf-san-missing"]);
            assert!(got[0].message.contains(what), "{}", got[0].message);
        }
    }

    #[test]
    fn dns_sans_must_be_valid_host_names() {
        let key = p256();
        let long_label = format!("{}.example", "a".repeat(64));
        let long_name = format!("{}.example", ["abcdefghi"; 25].join("."));
        assert_eq!(long_name.len(), 257);
        let bad: &[(&str, &str)] = &[
            ("foo_bar.example.com", "underscore"),
            ("_acme.example.com", "underscore"),
            ("example..com", "empty label"),
            (".example.com", "empty label"),
            ("example.com.", "empty label"),
            ("-foo.example.com", "hyphen"),
            ("foo-.example.com", "hyphen"),
            ("f*o.example.com", "inside a label"),
            ("*foo.example.com", "inside a label"),
            ("www.*.example.com", "not the left-most"),
            ("*.*.example.com", "not the left-most"),
            ("*", "bare wildcard"),
            ("exa mple.com", "not a letter"),
            ("ex@mple.com", "not a letter"),
            ("line\nbreak.example", "not a letter"),
            (&long_label, "longer than 63"),
            (&long_name, "longer than 253"),
        ];
        for (name, why) in bad {
            let got = server_leaf(&leaf(None, &[name]), &key);
            assert_eq!(rules(&got), ["cabf-san-invalid-dns-name"], "{name:?}");
            assert!(got[0].message.contains(why), "{name:?}: {}", got[0].message);
            assert!(!got[0].message.contains('\n'), "{}", got[0].message);
            assert!(got[0].message.len() < 300, "{}", got[0].message);
        }
        let good = [
            "a.example",
            "EXAMPLE.COM",
            "xn--bcher-kva.example",
            "a-b--c.example",
            "123.example",
            "*.example.com",
            "localhost",
        ];
        for name in good {
            assert_eq!(
                server_leaf_rules(&leaf(None, &[name]), &key),
                Vec::<&str>::new(),
                "{name}"
            );
        }
    }

    #[test]
    fn many_bad_names_are_one_violation_that_counts_them() {
        let names: Vec<String> = (0..1000).map(|i| format!("host_{i}.example")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let got = server_leaf(&leaf(None, &names), &p256());
        assert_eq!(rules(&got), ["cabf-san-invalid-dns-name"]);
        assert!(
            got[0].message.contains("'host_0.example'"),
            "{}",
            got[0].message
        );
        assert!(got[0].message.contains("999 more"), "{}", got[0].message);
    }

    #[test]
    fn no_wildcard_directly_on_a_public_suffix() {
        let key = p256();
        let bad = [
            "*.com",
            "*.COM",
            "*.co.uk",
            "*.Co.Uk",
            // Under the ICANN wildcard rule *.ck.
            "*.anything.ck",
            // Not in the list: the default rule makes every TLD a suffix.
            "*.internal",
            // 公司.cn (ICANN section, listed as U-labels) and the TLD 中国.
            "*.xn--55qx5d.cn",
            "*.xn--fiqs8s",
        ];
        for name in bad {
            let got = server_leaf(&leaf(None, &[name]), &key);
            assert_eq!(rules(&got), ["cabf-wildcard-on-public-suffix"], "{name}");
            assert!(got[0].message.contains(name), "{}", got[0].message);
        }
        let good = [
            "*.example.com",
            "*.example.co.uk",
            // The exception !www.ck: www.ck is registrable.
            "*.www.ck",
            // PRIVATE-section suffixes are registrable domains for the CA/B Forum.
            "*.github.io",
            "*.blogspot.com",
            "*.example.xn--55qx5d.cn",
        ];
        for name in good {
            assert_eq!(
                server_leaf_rules(&leaf(None, &[name]), &key),
                Vec::<&str>::new(),
                "{name}"
            );
        }
    }

    #[test]
    fn a_server_leaf_needs_the_server_auth_eku() {
        let key = p256();
        let mut params = leaf(Some("example.com"), &["example.com"]);
        params.extended_key_usages = vec![];
        let got = server_leaf(&params, &key);
        assert_eq!(rules(&got), ["cabf-eku-missing-server-auth"]);
        assert!(
            got[0].message.contains("no extendedKeyUsage"),
            "{}",
            got[0].message
        );

        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let got = server_leaf(&params, &key);
        assert_eq!(rules(&got), ["cabf-eku-missing-server-auth"]);
        assert!(
            got[0].message.contains("does not include"),
            "{}",
            got[0].message
        );

        params.extended_key_usages = vec![];
        params
            .custom_extensions
            .push(CustomExtension::from_oid_content(
                EKU_OID,
                vec![0x30, 0x02, 0x05, 0x01],
            ));
        let got = server_leaf(&params, &key);
        assert_eq!(rules(&got), ["cabf-eku-missing-server-auth"]);
        assert!(
            got[0].message.contains("cannot be read"),
            "{}",
            got[0].message
        );
    }

    #[test]
    fn a_server_leaf_must_not_have_any_extended_key_usage() {
        let key = p256();
        let mut params = leaf(Some("example.com"), &["example.com"]);
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::Any,
        ];
        assert_eq!(server_leaf_rules(&params, &key), ["cabf-eku-any"]);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::Any];
        assert_eq!(
            server_leaf_rules(&params, &key),
            ["cabf-eku-missing-server-auth", "cabf-eku-any"]
        );
    }

    #[test]
    fn the_eku_extension_must_not_be_critical() {
        let key = p256();
        for critical in [true, false] {
            let mut params = leaf(Some("example.com"), &["example.com"]);
            params.extended_key_usages = vec![];
            let mut eku = CustomExtension::from_oid_content(EKU_OID, EKU_SERVER_AUTH_ONLY.to_vec());
            eku.set_criticality(critical);
            params.custom_extensions.push(eku);
            let want: &[&str] = if critical {
                &["cabf-eku-critical"]
            } else {
                &[]
            };
            assert_eq!(server_leaf_rules(&params, &key), want);
        }
    }

    #[test]
    fn name_and_eku_rules_apply_to_the_leaf_of_a_server_path_only() {
        let key = p256();
        let mut params = leaf(Some("other.example"), &["bad_name.example", "*.com"]);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::Any];
        let cert = parse(&der_of(&params, &key));
        assert_eq!(
            rules(&run(&cert, Role::Leaf, Usage::ServerAuth)),
            [
                "cabf-san-invalid-dns-name",
                "cabf-wildcard-on-public-suffix",
                "cabf-cn-not-in-san",
                "cabf-eku-missing-server-auth",
                "cabf-eku-any",
            ]
        );
        assert_eq!(run(&cert, Role::Leaf, Usage::ClientAuth), []);
        for role in [Role::Intermediate, Role::Anchor] {
            assert_eq!(run(&cert, role, Usage::ServerAuth), []);
        }
    }

    #[test]
    fn forbidden_keys_on_every_certificate_of_the_path() {
        let cases = [
            ("dsa-2048.der", "cabf-dsa-key", "DSA"),
            ("ec-p192.der", "cabf-ec-curve-not-allowed", "P-192"),
            ("ec-secp256k1.der", "cabf-ec-curve-not-allowed", "secp256k1"),
            (
                "ec-explicit-p256.der",
                "cabf-ec-parameters-not-named-curve",
                "explicit",
            ),
            ("rsa-1024.der", "cabf-rsa-key-too-small", "1024 bits"),
            (
                "rsa-2052.der",
                "cabf-rsa-modulus-not-multiple-of-8",
                "2052 bits",
            ),
        ];
        for (file, rule, what) in cases {
            let cert = fixture(file);
            for role in [Role::Leaf, Role::Intermediate, Role::Anchor] {
                for usage in [Usage::ServerAuth, Usage::ClientAuth] {
                    let got = run(&cert, role, usage);
                    assert_eq!(rules(&got), [rule], "{file} as {role:?}");
                    assert!(got[0].message.contains(what), "{}", got[0].message);
                }
            }
        }
    }

    #[test]
    fn ec_parameters_must_be_a_named_curve() {
        let clean = parse(&der_of(&leaf(None, &["example.com"]), &p256()));
        assert_eq!(run(&clean, Role::Leaf, Usage::ServerAuth), []);
        let cases = [
            (Some(Any::null()), "implicitlyCA"),
            (None, "no curve parameters"),
            (
                Some(Any::new(Tag::Utf8String, b"P-256".as_slice()).unwrap()),
                "unreadable",
            ),
        ];
        for (parameters, what) in cases {
            let mut cert = clean.clone();
            cert.tbs_certificate
                .subject_public_key_info
                .algorithm
                .parameters = parameters;
            let got = run(&cert, Role::Anchor, Usage::ServerAuth);
            assert_eq!(rules(&got), ["cabf-ec-parameters-not-named-curve"]);
            assert!(got[0].message.contains(what), "{}", got[0].message);
        }
    }

    #[test]
    fn an_rsa_key_must_be_readable() {
        let key = KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048).unwrap();
        let clean = parse(&der_of(&leaf(None, &["example.com"]), &key));
        assert_eq!(run(&clean, Role::Intermediate, Usage::ServerAuth), []);
        // Not an RSAPublicKey; an all-zero modulus.
        let zero = [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x03];
        for bytes in [&[0x01, 0x02, 0x03][..], &zero[..]] {
            let mut cert = clean.clone();
            cert.tbs_certificate
                .subject_public_key_info
                .subject_public_key = BitString::from_bytes(bytes).unwrap();
            assert_eq!(
                rules(&run(&cert, Role::Intermediate, Usage::ServerAuth)),
                ["cabf-rsa-key-unreadable"]
            );
        }
    }

    /// Every single-byte change of a leaf that still parses goes through the
    /// checks without a panic (the SAN and EKU values are read here, not by
    /// the full parse).
    #[test]
    fn mutated_certificates_never_panic() {
        let mut params = leaf(
            Some("Example.com"),
            &["example.com", "*.example.com", "192.0.2.1"],
        );
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ];
        let der = der_of(&params, &p256());
        let mut parsed = 0;
        for i in 0..der.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = der.clone();
                bad[i] ^= flip;
                if let Ok(cert) = x509_cert::Certificate::from_der(&bad) {
                    parsed += 1;
                    let _ = run(&cert, Role::Leaf, Usage::ServerAuth);
                }
            }
        }
        assert!(parsed > der.len(), "only {parsed} mutations parsed");
    }
}
