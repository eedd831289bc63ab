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
//! Choices where the Requirements leave room or are stricter:
//!
//! * the CN is compared with the dNSName SANs ignoring ASCII case (the BRs
//!   ask for a character-for-character copy), and with the iPAddress SANs
//!   as an address; a CN in Unicode (U-labels) does not match the A-label
//!   SAN;
//! * a wildcard's base is looked up in the ICANN section of the Public
//!   Suffix List (and its default rule), as BR 3.2.2.6 recommends, so
//!   `*.github.io` (PRIVATE section) is allowed and `*.co.uk` is not;
//! * of a repeated extension the first is read (the repetition is an RFC 5280
//!   violation of its own).
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

use der::asn1::ObjectIdentifier;
use der::{Tag, Tagged};
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

/// DER identifier octets.
const TAG_INTEGER: u8 = 0x02;
const TAG_OID: u8 = 0x06;
const TAG_SEQUENCE: u8 = 0x30;
/// `dNSName [2] IA5String` in a GeneralName.
const TAG_DNS_NAME: u8 = 0x82;
/// `iPAddress [7] OCTET STRING` in a GeneralName.
const TAG_IP_ADDRESS: u8 = 0x87;

/// The longest host name (without a trailing dot) and label.
const MAX_HOST_NAME: usize = 253;
const MAX_LABEL: usize = 63;
/// Common names compared with the SANs; more than one CN is a violation of
/// its own, so the rest need not be compared (and the work stays linear).
const MAX_CNS_COMPARED: usize = 4;
/// Characters of a name from the certificate quoted in a message.
const MAX_QUOTED: usize = 80;

/// Every rule id [`check`] reports (the table above), for documentation and
/// for code that lists the rules.
pub(crate) const RULE_IDS: [&str; 14] = [
    "cabf-dsa-key",
    "cabf-ec-curve-not-allowed",
    "cabf-ec-parameters-not-named-curve",
    "cabf-rsa-key-too-small",
    "cabf-rsa-modulus-not-multiple-of-8",
    "cabf-rsa-key-unreadable",
    "cabf-san-missing",
    "cabf-san-invalid-dns-name",
    "cabf-wildcard-on-public-suffix",
    "cabf-cn-not-in-san",
    "cabf-cn-repeated",
    "cabf-eku-missing-server-auth",
    "cabf-eku-any",
    "cabf-eku-critical",
];

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

// --- DER reading -------------------------------------------------------------
//
// The SAN, EKU and RSA key values are not decoded by the full parse. They are
// read here with a minimal DER walker instead of `der`'s generic reader, which
// costs several hundred instructions per element; the tests check it against
// `der` on arbitrary input.

/// An element that is not valid DER.
#[derive(Debug, PartialEq, Eq)]
struct Malformed;

/// Splits the first element off `input`: its identifier octet, its value and
/// what follows. DER only: a tag `der` knows and a definite length in its
/// shortest form.
fn next_tlv(input: &[u8]) -> Result<(u8, &[u8], &[u8]), Malformed> {
    let (&tag, rest) = input.split_first().ok_or(Malformed)?;
    // What `der` accepts as a tag (no high tag numbers, no unknown universal
    // types), so that the walker reads exactly what `der` would; the tags of
    // these structures first, without asking.
    if !matches!(
        tag,
        TAG_INTEGER | TAG_OID | TAG_SEQUENCE | TAG_DNS_NAME | TAG_IP_ADDRESS
    ) {
        Tag::try_from(tag).map_err(|_| Malformed)?;
    }
    let (&first, mut rest) = rest.split_first().ok_or(Malformed)?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return Err(Malformed); // indefinite, or longer than any certificate
        }
        let (octets, after) = rest.split_at_checked(count).ok_or(Malformed)?;
        if octets[0] == 0 {
            return Err(Malformed); // not the shortest form
        }
        let len = octets
            .iter()
            .fold(0usize, |len, octet| (len << 8) | usize::from(*octet));
        if len < 0x80 {
            return Err(Malformed); // the short form was required
        }
        rest = after;
        len
    };
    let (value, rest) = rest.split_at_checked(len).ok_or(Malformed)?;
    Ok((tag, value, rest))
}

/// The elements of the one DER SEQUENCE that `der` holds, nothing after it.
fn sequence_elements(der: &[u8]) -> Result<Elements<'_>, Malformed> {
    match next_tlv(der)? {
        (TAG_SEQUENCE, contents, []) => Ok(Elements(contents)),
        _ => Err(Malformed),
    }
}

/// The elements of a SEQUENCE's contents, each as its identifier octet and
/// value; an element that cannot be read ends the iteration with an error.
struct Elements<'a>(&'a [u8]);

impl<'a> Iterator for Elements<'a> {
    type Item = Result<(u8, &'a [u8]), Malformed>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.0.is_empty() {
            return None;
        }
        match next_tlv(self.0) {
            Ok((tag, value, rest)) => {
                self.0 = rest;
                Some(Ok((tag, value)))
            }
            Err(e) => {
                self.0 = &[];
                Some(Err(e))
            }
        }
    }
}

/// The value of a non-negative DER INTEGER without its leading zero octet.
fn unsigned_integer(tag: u8, value: &[u8]) -> Result<&[u8], Malformed> {
    match value {
        _ if tag != TAG_INTEGER => Err(Malformed),
        [] => Err(Malformed),
        [first, ..] if first & 0x80 != 0 => Err(Malformed), // negative
        [0, second, ..] if second & 0x80 == 0 => Err(Malformed), // not the shortest form
        [0, rest @ ..] if !rest.is_empty() => Ok(rest),
        _ => Ok(value),
    }
}

/// The modulus of a DER RSAPublicKey (`SEQUENCE { modulus, publicExponent }`).
fn rsa_modulus(key: &[u8]) -> Result<&[u8], Malformed> {
    let mut elements = sequence_elements(key)?;
    let (tag, modulus) = elements.next().ok_or(Malformed)??;
    let modulus = unsigned_integer(tag, modulus)?;
    let (tag, exponent) = elements.next().ok_or(Malformed)??;
    unsigned_integer(tag, exponent)?;
    match elements.next() {
        None => Ok(modulus),
        Some(_) => Err(Malformed),
    }
}

// --- keys ----------------------------------------------------------------------

const KEYS_ALLOWED: &str =
    "only RSA keys of at least 2048 bits and ECDSA keys on P-256, P-384 or P-521 are allowed";

fn check_key(cert: &x509_cert::Certificate, out: &mut Vec<ProfileViolation>) {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let algorithm = &spki.algorithm;
    if algorithm.oid == OID_EC {
        let named = algorithm
            .parameters
            .as_ref()
            .filter(|p| p.tag() == Tag::ObjectIdentifier)
            .map(|p| p.value());
        let allowed = [OID_P256, OID_P384, OID_P521];
        if named.is_some_and(|curve| allowed.iter().any(|oid| oid.as_bytes() == curve)) {
            return;
        }
        check_ec_curve(algorithm, out);
    } else if algorithm.oid == OID_RSA {
        let modulus = spki
            .subject_public_key
            .as_bytes()
            .ok_or(Malformed)
            .and_then(rsa_modulus)
            .map(bit_length);
        match modulus {
            Err(Malformed) | Ok(0) => violation(
                out,
                "cabf-rsa-key-unreadable",
                "the RSA public key cannot be read (no valid modulus)".to_string(),
            ),
            Ok(bits) => {
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
    } else if algorithm.oid == OID_DSA {
        violation(
            out,
            "cabf-dsa-key",
            format!("the key is a DSA key; {KEYS_ALLOWED}"),
        );
    }
}

/// The violation of an EC key that is not on P-256, P-384 or P-521 by name.
fn check_ec_curve(
    algorithm: &x509_cert::spki::AlgorithmIdentifierOwned,
    out: &mut Vec<ProfileViolation>,
) {
    let parameters = algorithm.parameters.as_ref();
    let curve = parameters
        .filter(|p| p.tag() == Tag::ObjectIdentifier)
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    if let Some(curve) = curve {
        violation(
            out,
            "cabf-ec-curve-not-allowed",
            format!(
                "the EC key is on the curve {}; {KEYS_ALLOWED}",
                curve_name(&curve)
            ),
        );
        return;
    }
    let what = match parameters.map(|p| p.tag()) {
        None => "no curve parameters",
        Some(Tag::Null) => "implicitlyCA (NULL) curve parameters",
        Some(Tag::Sequence) => "explicit curve parameters",
        Some(_) => "unreadable curve parameters",
    };
    violation(
        out,
        "cabf-ec-parameters-not-named-curve",
        format!(
            "the EC key has {what} instead of a named curve; the curve must be given as \
             the OID of P-256, P-384 or P-521"
        ),
    );
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

// --- the server leaf -----------------------------------------------------------

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

    let mut cns = tbs
        .subject
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == OID_CN);
    let first_cn = cns.next();
    let first = first_cn.map(|atv| CommonName::of(&atv.value));

    // One pass over the SAN checks its names and looks for the first CN.
    let san = check_san(san, first.as_ref(), out);

    let mut count = 0usize;
    let mut reported = false;
    if let Some(atv) = first_cn {
        count = 1;
        if !san.first_cn_found {
            report_cn(&atv.value, san.readable, out);
            reported = true;
        }
    }
    let readable = san.readable.then_some(san.der).flatten();
    for atv in cns {
        count += 1;
        if reported || count > MAX_CNS_COMPARED {
            continue;
        }
        let cn = CommonName::of(&atv.value);
        if !readable.is_some_and(|san| cn.in_san(san)) {
            report_cn(&atv.value, san.readable, out);
            reported = true;
        }
    }
    if count > 1 {
        violation(
            out,
            "cabf-cn-repeated",
            format!("the subject has {count} common names; at most one is allowed"),
        );
    }

    check_eku(eku, out);
}

/// The longest text form of an IP address (IPv6 with an IPv4 suffix).
const MAX_IP_TEXT: usize = 45;

/// A common name as the SAN comparison needs it.
struct CommonName<'a> {
    /// Its characters, when they are all ASCII (otherwise it equals no SAN,
    /// which are ASCII host names).
    text: CnText<'a>,
    /// The text read as an IP address.
    ip: Option<IpAddr>,
}

enum CnText<'a> {
    /// The value of a string type of one byte per character.
    Bytes(&'a [u8]),
    /// The UTF-16 code units of a BMPString, every one ASCII.
    Bmp(&'a [u8]),
    /// Not ASCII text.
    Other,
}

impl<'a> CommonName<'a> {
    fn of(value: &'a der::Any) -> Self {
        let bytes = value.value();
        let text = match value.tag() {
            Tag::Utf8String
            | Tag::PrintableString
            | Tag::Ia5String
            | Tag::VisibleString
            | Tag::TeletexString
                if bytes.is_ascii() =>
            {
                CnText::Bytes(bytes)
            }
            Tag::BmpString
                if bytes.len() % 2 == 0
                    && bytes
                        .chunks_exact(2)
                        .all(|unit| unit[0] == 0 && unit[1].is_ascii()) =>
            {
                CnText::Bmp(bytes)
            }
            _ => CnText::Other,
        };
        let ip = match text {
            CnText::Bytes(bytes) => ip_address(bytes),
            CnText::Bmp(units) if units.len() / 2 <= MAX_IP_TEXT => {
                let mut buf = [0u8; MAX_IP_TEXT];
                for (to, unit) in buf.iter_mut().zip(units.chunks_exact(2)) {
                    *to = unit[1];
                }
                buf.get(..units.len() / 2).and_then(ip_address)
            }
            _ => None,
        };
        Self { text, ip }
    }

    /// True when this CN repeats the GeneralName `tag`/`value`: a dNSName
    /// equal to it ignoring ASCII case, or an iPAddress equal to its address.
    fn matches(&self, tag: u8, value: &[u8]) -> bool {
        match (tag, self.ip, &self.text) {
            (TAG_DNS_NAME, _, CnText::Bytes(cn)) => value == *cn || value.eq_ignore_ascii_case(cn),
            (TAG_DNS_NAME, _, CnText::Bmp(units)) => {
                value.len() * 2 == units.len()
                    && value
                        .iter()
                        .zip(units.chunks_exact(2))
                        .all(|(b, unit)| b.eq_ignore_ascii_case(&unit[1]))
            }
            (TAG_IP_ADDRESS, Some(IpAddr::V4(v4)), _) => value == v4.octets(),
            (TAG_IP_ADDRESS, Some(IpAddr::V6(v6)), _) => value == v6.octets(),
            _ => false,
        }
    }

    /// True when the (readable) SAN `san` holds a name this CN repeats.
    fn in_san(&self, san: &[u8]) -> bool {
        let Ok(mut names) = sequence_elements(san) else {
            return false;
        };
        names.any(|name| name.is_ok_and(|(tag, value)| self.matches(tag, value)))
    }
}

/// `text` read as an IPv4 or IPv6 address; the parse is tried only on digits
/// and dots, or on text that starts with a hex digit or colon and has a colon.
fn ip_address(text: &[u8]) -> Option<IpAddr> {
    let v4 = || text.iter().all(|b| b.is_ascii_digit() || *b == b'.');
    let v6 = || {
        text.first()
            .is_some_and(|b| b.is_ascii_hexdigit() || *b == b':')
            && text.contains(&b':')
    };
    let may_be = text.len() <= MAX_IP_TEXT && (v4() || v6());
    if !may_be {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

fn report_cn(value: &der::Any, san_readable: bool, out: &mut Vec<ProfileViolation>) {
    let (text, _) = crate::cert::directory_string(value);
    let why = if san_readable {
        "is not one of the DNS names or IP addresses in the subjectAltName"
    } else {
        "is not repeated in a subjectAltName (the certificate has none that can be read)"
    };
    violation(
        out,
        "cabf-cn-not-in-san",
        format!(
            "the common name {} {why}; a server certificate's CN, if present, must repeat \
             one of them",
            quoted(text.as_bytes())
        ),
    );
}

/// What the SAN pass found.
struct SanState<'a> {
    /// The extension's value, if there is one.
    der: Option<&'a [u8]>,
    /// The extension is there and can be read.
    readable: bool,
    /// The first common name is one of its names.
    first_cn_found: bool,
}

/// The SAN rules, and whether `first_cn` is one of its names.
fn check_san<'a>(
    san: Option<&'a [u8]>,
    first_cn: Option<&CommonName<'_>>,
    out: &mut Vec<ProfileViolation>,
) -> SanState<'a> {
    let mut state = SanState {
        der: san,
        readable: false,
        first_cn_found: false,
    };
    let Some(der) = san else {
        violation(
            out,
            "cabf-san-missing",
            "the server certificate has no subjectAltName extension; its host names must \
             be listed there (the common name alone is not enough)"
                .to_string(),
        );
        return state;
    };
    let mut entries = 0usize;
    let mut invalid: Option<(&[u8], &'static str)> = None;
    let mut invalid_count = 0usize;
    let mut on_suffix: Option<&[u8]> = None;
    let mut on_suffix_count = 0usize;
    let mut found = false;
    let read = sequence_elements(der).and_then(|names| {
        for name in names {
            let (tag, value) = name?;
            entries += 1;
            found = found || first_cn.is_some_and(|cn| cn.matches(tag, value));
            if tag != TAG_DNS_NAME {
                continue;
            }
            if let Some(problem) = host_name_problem(value) {
                invalid_count += 1;
                invalid.get_or_insert((value, problem));
            } else if let Some(base) = value.strip_prefix(b"*.") {
                if is_public_suffix(base) {
                    on_suffix_count += 1;
                    on_suffix.get_or_insert(value);
                }
            }
        }
        Ok(())
    });
    if read.is_err() {
        violation(
            out,
            "cabf-san-missing",
            "the subjectAltName extension cannot be read, so the certificate names no host"
                .to_string(),
        );
        return state;
    }
    state.readable = true;
    state.first_cn_found = found;
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
    state
}

fn more(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        n => format!(" (and {} more like it)", n - 1),
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
    if is_host_name(name) {
        None
    } else {
        // `host_name_fault` finds a fault in every name `is_host_name`
        // refuses (the tests check that they agree).
        Some(host_name_fault(name).unwrap_or("is not a valid host name"))
    }
}

/// The fast test behind [`host_name_problem`], one pass over the bytes.
fn is_host_name(name: &[u8]) -> bool {
    if name.is_empty() || name.len() > MAX_HOST_NAME {
        return false;
    }
    let body = name.strip_prefix(b"*.").unwrap_or(name);
    let mut label = 0usize;
    let mut previous = b'.';
    for &b in body {
        match HOST_NAME_BYTES[usize::from(b)] {
            LETTER_OR_DIGIT => label += 1,
            HYPHEN if label > 0 => label += 1,
            DOT if label > 0 && label <= MAX_LABEL && previous != b'-' => label = 0,
            _ => return false,
        }
        previous = b;
    }
    label > 0 && label <= MAX_LABEL && previous != b'-'
}

const NOT_IN_HOST_NAMES: u8 = 0;
const LETTER_OR_DIGIT: u8 = 1;
const HYPHEN: u8 = 2;
const DOT: u8 = 3;

/// The class of each byte in a host name.
static HOST_NAME_BYTES: [u8; 256] = {
    let mut table = [NOT_IN_HOST_NAMES; 256];
    let mut b = 0usize;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = LETTER_OR_DIGIT;
        }
        b += 1;
    }
    table[b'-' as usize] = HYPHEN;
    table[b'.' as usize] = DOT;
    table
};

/// What is wrong with a name, label by label, for the message.
fn host_name_fault(name: &[u8]) -> Option<&'static str> {
    if name.is_empty() {
        return Some("is empty");
    }
    if name.len() > MAX_HOST_NAME {
        return Some("is longer than 253 characters");
    }
    if name == b"*" {
        return Some("is a bare wildcard with no domain");
    }
    for (index, label) in name.split(|b| *b == b'.').enumerate() {
        if label.is_empty() {
            return Some("has an empty label (a leading, trailing or doubled dot)");
        }
        if label == b"*" {
            if index == 0 {
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
                        "has a wildcard inside a label (only '*' as the whole left-most \
                         label is allowed)",
                    )
                }
                _ => return Some("has a character that is not a letter, digit, hyphen or dot"),
            }
        }
        if label.starts_with(b"-") || label.ends_with(b"-") {
            return Some("has a label that starts or ends with a hyphen");
        }
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
    psl::List.suffix(lower).is_some_and(|suffix| {
        suffix.as_bytes().len() == lower.len() && suffix.typ() != Some(psl::Type::Private)
    })
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
    let read = sequence_elements(ext.extn_value.as_bytes()).and_then(|purposes| {
        for purpose in purposes {
            let (tag, value) = purpose?;
            if tag == TAG_OID {
                server_auth |= value == OID_EKU_SERVER_AUTH.as_bytes();
                any |= value == OID_EKU_ANY.as_bytes();
            }
        }
        Ok(())
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
    use der::asn1::AnyRef;
    use der::asn1::BitString;
    use der::{Any, Decode, Encode, Reader, SliceReader};
    use proptest::prelude::*;
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
        for v in &out {
            assert_eq!(v.source, RuleSource::CabForum);
            assert!(RULE_IDS.contains(&v.rule), "{} is not in RULE_IDS", v.rule);
        }
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
            ("fe80::1", &["fe80::1"], true),
            ("::1", &["example.com", "::1"], true),
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

        // A BMPString IP address, and a CN in Unicode (a U-label is not the
        // A-label of the SAN: the CN must be a copy of a SAN).
        let mut params = leaf(None, &["192.0.2.1"]);
        let bmp = rcgen::string::BmpString::try_from("192.0.2.1").unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, DnValue::BmpString(bmp));
        assert_eq!(server_leaf_rules(&params, &key), Vec::<&str>::new());
        assert_eq!(
            server_leaf_rules(
                &leaf(Some("bücher.example"), &["xn--bcher-kva.example"]),
                &key
            ),
            ["cabf-cn-not-in-san"]
        );

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
        // Not an RSAPublicKey; a zero, a negative and a non-minimal modulus.
        let zero = [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x03];
        let negative = [0x30, 0x06, 0x02, 0x01, 0x80, 0x02, 0x01, 0x03];
        let padded = [0x30, 0x07, 0x02, 0x02, 0x00, 0x7f, 0x02, 0x01, 0x03];
        for bytes in [&[0x01, 0x02, 0x03][..], &zero, &negative, &padded] {
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

    /// The elements of a SEQUENCE as `der` reads them: the reference for
    /// the module's own DER walker.
    fn der_elements(input: &[u8]) -> Option<Vec<(u8, Vec<u8>)>> {
        let mut reader = SliceReader::new(input).ok()?;
        let elements = reader
            .sequence(|seq| {
                let mut elements = Vec::new();
                while !seq.is_finished() {
                    let any = AnyRef::decode(seq)?;
                    elements.push((u8::from(any.tag()), any.value().to_vec()));
                }
                Ok(elements)
            })
            .ok()?;
        reader.finish(elements).ok()
    }

    fn our_elements(input: &[u8]) -> Option<Vec<(u8, Vec<u8>)>> {
        sequence_elements(input)
            .ok()?
            .map(|element| element.map(|(tag, value)| (tag, value.to_vec())))
            .collect::<Result<Vec<_>, _>>()
            .ok()
    }

    /// Tags `der` knows (context-specific as in GeneralName, and the
    /// universal ones of these structures).
    const KNOWN_TAGS: &[u8] = &[
        0x80, 0x81, 0x82, 0x86, 0x87, 0x88, 0xa0, 0xa4, 0xa5, 0x02, 0x04, 0x05, 0x06, 0x0c, 0x13,
        0x16, 0x30, 0x31,
    ];

    /// A DER length in its shortest form, or in a wrong one (`mode` 1:
    /// a needless leading zero octet, 2: the long form for a short length,
    /// 3: indefinite, 4: one too long, 5: five length octets).
    fn encode_length(len: usize, mode: u8) -> Vec<u8> {
        let octets: Vec<u8> = (len as u32)
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        let minimal = |len: usize| -> Vec<u8> {
            if len < 0x80 {
                vec![len as u8]
            } else {
                let octets: Vec<u8> = (len as u32)
                    .to_be_bytes()
                    .into_iter()
                    .skip_while(|b| *b == 0)
                    .collect();
                let mut out = vec![0x80 | octets.len() as u8];
                out.extend(octets);
                out
            }
        };
        match mode {
            1 => {
                let mut out = vec![0x80 | (octets.len() as u8 + 1), 0];
                out.extend(&octets);
                out
            }
            2 => vec![0x81, len as u8],
            3 => vec![0x80],
            4 => minimal(len + 1),
            5 => {
                let mut out = vec![0x85, 0];
                out.extend((len as u32).to_be_bytes());
                out
            }
            _ => minimal(len),
        }
    }

    fn element() -> impl Strategy<Value = (u8, Vec<u8>, u8)> {
        (
            proptest::sample::select(KNOWN_TAGS),
            proptest::collection::vec(any::<u8>(), 0..300),
            // Mostly the shortest form.
            prop_oneof![8 => Just(0u8), 1 => 1u8..=5],
        )
    }

    fn sequence_of(elements: &[(u8, Vec<u8>, u8)], outer_mode: u8) -> Vec<u8> {
        let mut contents = Vec::new();
        for (tag, value, mode) in elements {
            contents.push(*tag);
            contents.extend(encode_length(value.len(), *mode));
            contents.extend(value);
        }
        let mut out = vec![TAG_SEQUENCE];
        out.extend(encode_length(contents.len(), outer_mode));
        out.extend(contents);
        out
    }

    #[test]
    fn the_der_walker_refuses_what_der_refuses() {
        // Nine length octets whose value wraps to 0x80 in a 64-bit word.
        let mut wraps = vec![0x30, 0x89, 1, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x04, 0x7e];
        wraps.extend([0u8; 0x7e]);
        let cases: &[&[u8]] = &[
            &wraps,
            // Indefinite length.
            &[0x30, 0x80, 0x05, 0x00, 0x00, 0x00],
            // A high tag number.
            &[0x30, 0x03, 0x9f, 0x21, 0x00],
            // Trailing data after the SEQUENCE, and an element cut short.
            &[0x30, 0x02, 0x05, 0x00, 0x00],
            &[0x30, 0x02, 0x04, 0x01],
        ];
        for input in cases {
            assert_eq!(der_elements(input), None, "{input:02x?}");
            assert_eq!(our_elements(input), None, "{input:02x?}");
        }
        let fine: &[u8] = &[0x30, 0x81, 0x80, 0x04, 0x7e];
        let mut fine = fine.to_vec();
        fine.extend([0u8; 0x7e]);
        assert_eq!(our_elements(&fine), Some(vec![(0x04, vec![0; 0x7e])]));
        assert_eq!(our_elements(&fine), der_elements(&fine));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// On sequences of elements with tags `der` knows, in valid and
        /// invalid encodings, the walker reads exactly what `der` reads.
        #[test]
        fn the_der_walker_reads_what_der_reads(
            elements in proptest::collection::vec(element(), 0..8),
            outer_mode in prop_oneof![8 => Just(0u8), 1 => 1u8..=5],
            trailing in proptest::collection::vec(any::<u8>(), 0..3),
        ) {
            let mut input = sequence_of(&elements, outer_mode);
            prop_assert_eq!(our_elements(&input), der_elements(&input));
            input.extend(trailing);
            prop_assert_eq!(our_elements(&input), der_elements(&input));
        }

        /// On any bytes (a changed byte of a valid sequence, or noise), the
        /// walker reads what `der` reads.
        #[test]
        fn the_der_walker_agrees_with_der_on_any_bytes(
            elements in proptest::collection::vec(element(), 0..6),
            flip in (any::<usize>(), 1u8..=255),
            noise in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let mut input = sequence_of(&elements, 0);
            let at = flip.0 % input.len();
            input[at] ^= flip.1;
            for input in [&input, &noise] {
                prop_assert_eq!(our_elements(input), der_elements(input));
            }
        }

        /// The one-pass host-name test and the label-by-label fault finder
        /// agree, so every refused name gets its reason.
        #[test]
        fn the_host_name_test_and_its_reasons_agree(
            labels in proptest::collection::vec("[a-zA-Z0-9*_ -]{0,5}|[a-z]{60,66}|\\*", 0..6),
            repeat in 1usize..70,
        ) {
            let name = labels.join(".");
            prop_assert_eq!(is_host_name(name.as_bytes()), host_name_fault(name.as_bytes()).is_none(), "{:?}", name);
            let long = vec![name.as_str(); repeat].join(".");
            prop_assert_eq!(is_host_name(long.as_bytes()), host_name_fault(long.as_bytes()).is_none(), "{:?}", long);
        }

        /// Any SAN or EKU value (these are not decoded by the full parse)
        /// goes through the leaf checks without a panic, and one that is not
        /// a DER SEQUENCE is reported.
        #[test]
        fn any_san_or_eku_value_is_checked_without_a_panic(
            san in proptest::collection::vec(any::<u8>(), 0..200),
            eku in proptest::collection::vec(any::<u8>(), 0..40),
        ) {
            let mut params = leaf(Some("example.com"), &["example.com"]);
            params.custom_extensions.push(CustomExtension::from_oid_content(SAN_OID, san.clone()));
            params.custom_extensions.push(CustomExtension::from_oid_content(EKU_OID, eku.clone()));
            params.extended_key_usages = vec![];
            params.subject_alt_names = vec![];
            let cert = parse(&der_of(&params, key_for_properties()));
            let got = rules(&run(&cert, Role::Leaf, Usage::ServerAuth));
            if der_elements(&san).is_none() {
                prop_assert!(got.contains(&"cabf-san-missing"), "{:?}", got);
            }
            if der_elements(&eku).is_none() {
                prop_assert!(got.contains(&"cabf-eku-missing-server-auth"), "{:?}", got);
            }
        }
    }

    fn key_for_properties() -> &'static KeyPair {
        static KEY: std::sync::OnceLock<KeyPair> = std::sync::OnceLock::new();
        KEY.get_or_init(p256)
    }

    /// The cost of the checks on a realistic clean leaf and on a CA, printed
    /// (timing is not asserted). Run by hand in release mode:
    /// `cargo test --release -p hybridtrust --lib cabf::tests::measure -- --ignored --nocapture`
    #[test]
    #[ignore = "a measurement, run by hand in release mode"]
    fn measure() {
        const N: u32 = 100_000;
        let keys = [
            ("P-256", p256()),
            (
                "RSA-2048",
                KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048).unwrap(),
            ),
        ];
        let names = [
            "www.example.com",
            "example.com",
            "*.example.com",
            "api.example.com",
            "mail.example.com",
        ];
        let mut params = leaf(Some("www.example.com"), &names);
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ];
        for (label, key) in &keys {
            let cert = parse(&der_of(&params, key));
            let der = cert.to_der().unwrap();
            for role in [Role::Leaf, Role::Intermediate] {
                let path = PathCert {
                    cert: &cert,
                    der: &der,
                    role,
                    position: Some(0),
                };
                let ctx = CheckContext {
                    usage: Usage::ServerAuth,
                };
                let mut out = Vec::new();
                let start = std::time::Instant::now();
                for _ in 0..N {
                    check(std::hint::black_box(&path), ctx, &mut out);
                }
                let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(N);
                assert_eq!(out, []);
                eprintln!("{label} {role:?}: {per:.3} us per certificate ({N} runs)");
            }
        }
    }
}
