//! A parsed, read-only view of one X.509 certificate, kept beside its DER.
//!
//! Parsing uses `x509-cert`; nothing here makes a trust decision. The view
//! exists so that findings and diagnoses can name a certificate the way an
//! administrator recognises it (subject, issuer, validity, fingerprint).

use std::fmt;
use std::net::IpAddr;
use std::sync::OnceLock;

use der::asn1::{ObjectIdentifier, UintRef};
use der::{Decode, Sequence, Tag, Tagged};
use pki_types::{CertificateDer, UnixTime};
use serde::Serialize;
use sha2::{Digest, Sha256};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, SubjectAltName,
    SubjectKeyIdentifier,
};

use crate::error::Error;
use crate::time::format_time;

const OID_CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const OID_BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const OID_SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const OID_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const OID_SKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const OID_AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
pub(crate) const OID_EKU_SERVER_AUTH: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
pub(crate) const OID_EKU_CLIENT_AUTH: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");

/// A SHA-256 fingerprint of a certificate's DER encoding.
///
/// Displays as 64 upper-case hex digits, the form Cisco's and browsers'
/// certificate viewers show (without colons).
///
/// ```
/// use hybridtrust::Fingerprint;
/// let fp = Fingerprint::of(b"not really a certificate");
/// assert_eq!(fp.to_string().len(), 64);
/// assert_eq!(Fingerprint::from_hex(&fp.to_string()).unwrap(), fp);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// The SHA-256 fingerprint of `der`.
    pub fn of(der: &[u8]) -> Self {
        Self(Sha256::digest(der).into())
    }

    /// Parses 64 hex digits; colons and spaces between byte pairs are ignored.
    pub fn from_hex(text: &str) -> Result<Self, Error> {
        let digits: Vec<u8> = text
            .bytes()
            .filter(|b| *b != b':' && !b.is_ascii_whitespace())
            .collect();
        let bad = || Error::InvalidInput(format!("not a SHA-256 fingerprint: {text:?}"));
        if digits.len() != 64 {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (i, pair) in digits.chunks(2).enumerate() {
            let hi = (pair[0] as char).to_digit(16).ok_or_else(bad)?;
            let lo = (pair[1] as char).to_digit(16).ok_or_else(bad)?;
            out[i] = (hi * 16 + lo) as u8;
        }
        Ok(Self(out))
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The public key of a certificate, as far as trust hygiene cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum PublicKeyKind {
    /// RSA with the modulus size in bits.
    Rsa {
        /// Modulus size in bits.
        bits: u32,
    },
    /// ECDSA on a named curve, with the curve's size in bits (256, 384, 521).
    Ec {
        /// Curve size in bits; 0 when the curve is not one of P-256, P-384, P-521.
        bits: u32,
    },
    /// Ed25519.
    Ed25519,
    /// Ed448.
    Ed448,
    /// Any other algorithm.
    Other,
}

impl PublicKeyKind {
    /// True for keys below today's minimum strength (RSA < 2048 bits, unknown curves).
    pub fn is_weak(&self) -> bool {
        match self {
            PublicKeyKind::Rsa { bits } => *bits < 2048,
            PublicKeyKind::Ec { bits } => *bits < 256,
            _ => false,
        }
    }
}

impl fmt::Display for PublicKeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublicKeyKind::Rsa { bits } => write!(f, "RSA-{bits}"),
            PublicKeyKind::Ec { bits: 0 } => write!(f, "EC (unknown curve)"),
            PublicKeyKind::Ec { bits } => write!(f, "EC P-{bits}"),
            PublicKeyKind::Ed25519 => write!(f, "Ed25519"),
            PublicKeyKind::Ed448 => write!(f, "Ed448"),
            PublicKeyKind::Other => write!(f, "unknown key type"),
        }
    }
}

/// The digest inside a certificate's signature algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SignatureHash {
    /// MD2 or MD5: broken, never acceptable.
    Md5,
    /// SHA-1: deprecated; Expressway X15.2+ refuses it for its own server certificate.
    Sha1,
    /// SHA-256, SHA-384, SHA-512, RSA-PSS, Ed25519 or Ed448.
    Modern,
    /// An algorithm this library does not recognise.
    Unknown,
}

impl SignatureHash {
    pub(crate) fn from_oid(oid: &ObjectIdentifier) -> Self {
        // Compared as OIDs (bytes), not as dotted text: this runs for every
        // certificate of every verified path and of every store assembly.
        const MD5: [ObjectIdentifier; 2] = [
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.2"),
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.4"),
        ];
        const SHA1: [ObjectIdentifier; 4] = [
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5"),
            ObjectIdentifier::new_unwrap("1.2.840.10045.4.1"),
            ObjectIdentifier::new_unwrap("1.2.840.10040.4.3"),
            ObjectIdentifier::new_unwrap("1.3.14.3.2.29"),
        ];
        const MODERN: [ObjectIdentifier; 9] = [
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10"),
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11"),
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12"),
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13"),
            ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2"),
            ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3"),
            ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4"),
            ObjectIdentifier::new_unwrap("1.3.101.112"),
            ObjectIdentifier::new_unwrap("1.3.101.113"),
        ];
        if MODERN.contains(oid) {
            SignatureHash::Modern
        } else if SHA1.contains(oid) {
            SignatureHash::Sha1
        } else if MD5.contains(oid) {
            SignatureHash::Md5
        } else {
            SignatureHash::Unknown
        }
    }
}

/// `basicConstraints` as it appears in the certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaFlag {
    /// `cA=TRUE`, with the optional path length constraint.
    Ca {
        /// `pathLenConstraint`, if present.
        path_len: Option<u8>,
    },
    /// `cA=FALSE` (or the extension present without `cA`).
    NotCa,
    /// No basicConstraints extension (typical of v1 certificates).
    Absent,
}

/// A parsed certificate: the DER plus the fields that findings and diagnoses use.
///
/// ```
/// # let der = hybridtrust::doc_support::example_root_der();
/// let cert = hybridtrust::Certificate::from_der(der).unwrap();
/// assert!(cert.subject().contains("CN="));
/// assert_eq!(cert.fingerprint().to_string().len(), 64);
/// ```
#[derive(Clone)]
pub struct Certificate {
    der: CertificateDer<'static>,
    fingerprint: Fingerprint,
    /// Subject and issuer as their DER TLVs, with the header length, so that
    /// the value bytes (what webpki compares) are a slice; their RFC 4514
    /// text is formatted on first use only (it costs more than the parse).
    subject_tlv: Vec<u8>,
    subject_header: usize,
    issuer_tlv: Vec<u8>,
    issuer_header: usize,
    subject_text: OnceLock<String>,
    issuer_text: OnceLock<String>,
    common_name: Option<String>,
    cn_is_clean: bool,
    serial: Vec<u8>,
    not_before: UnixTime,
    not_after: UnixTime,
    version: u8,
    ca: CaFlag,
    key: PublicKeyKind,
    spki_der: Vec<u8>,
    signature_hash: SignatureHash,
    signature_oid: String,
    dns_names: Vec<String>,
    ip_addresses: Vec<IpAddr>,
    uris: Vec<String>,
    has_subject_alt_name: bool,
    eku: Option<Vec<String>>,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    /// The full parse, kept for the checks that run on every verification
    /// ending at this certificate as an anchor (the profile checks).
    full: std::sync::Arc<x509_cert::Certificate>,
}

#[derive(Sequence)]
struct RsaPublicKey<'a> {
    modulus: UintRef<'a>,
    #[allow(dead_code)]
    public_exponent: UintRef<'a>,
}

/// True when a serial number's encoding is at most 20 octets of magnitude
/// (RFC 5280 4.1.2.2): 21 octets only with the leading zero octet a positive
/// number whose top bit is set needs. x509-cert alone decodes 21 octets for
/// interoperability; the store and the verifier both refuse them.
pub(crate) fn serial_length_ok(serial: &[u8]) -> bool {
    serial.len() <= 20 || (serial.len() == 21 && serial[0] == 0)
}

impl Certificate {
    /// Parses one DER-encoded certificate (no trailing data allowed).
    pub fn from_der(der: impl Into<Vec<u8>>) -> Result<Self, Error> {
        let der: Vec<u8> = der.into();
        let parsed = x509_cert::Certificate::from_der(&der)
            .map_err(|e| Error::Parse(format!("not a valid X.509 certificate: {e}")))?;
        let tbs = &parsed.tbs_certificate;
        let raw = raw_parts(&der)
            .map_err(|e| Error::Parse(format!("not a valid X.509 certificate: {e}")))?;
        if !serial_length_ok(tbs.serial_number.as_bytes()) {
            return Err(Error::Parse(format!(
                "not a valid X.509 certificate: its serial number is {} octets long \
                 (RFC 5280 4.1.2.2 allows at most 20)",
                tbs.serial_number.as_bytes().len()
            )));
        }

        let mut common_name = None;
        let mut cn_is_clean = true;
        for rdn in tbs.subject.0.iter() {
            for atv in rdn.0.iter() {
                if atv.oid == OID_CN && common_name.is_none() {
                    let (text, clean) = directory_string(&atv.value);
                    common_name = Some(text);
                    cn_is_clean = clean;
                }
            }
        }

        let mut ca = CaFlag::Absent;
        let mut dns_names = Vec::new();
        let mut ip_addresses = Vec::new();
        let mut uris = Vec::new();
        let mut has_subject_alt_name = false;
        let mut eku = None;
        let mut subject_key_id = None;
        let mut authority_key_id = None;
        for ext in tbs.extensions.iter().flatten() {
            let value = ext.extn_value.as_bytes();
            let bad = |what: &str, e: der::Error| {
                Error::Parse(format!("malformed {what} extension: {e}"))
            };
            if ext.extn_id == OID_BASIC_CONSTRAINTS {
                let bc =
                    BasicConstraints::from_der(value).map_err(|e| bad("basicConstraints", e))?;
                ca = if bc.ca {
                    CaFlag::Ca {
                        path_len: bc.path_len_constraint,
                    }
                } else {
                    CaFlag::NotCa
                };
            } else if ext.extn_id == OID_SAN {
                let san = SubjectAltName::from_der(value).map_err(|e| bad("subjectAltName", e))?;
                has_subject_alt_name = true;
                for name in san.0 {
                    match name {
                        GeneralName::DnsName(n) => {
                            dns_names.push(String::from_utf8_lossy(n.as_bytes()).into_owned())
                        }
                        GeneralName::IpAddress(ip) => match ip.as_bytes().len() {
                            4 => {
                                let b: [u8; 4] = ip.as_bytes().try_into().unwrap_or_default();
                                ip_addresses.push(IpAddr::from(b));
                            }
                            16 => {
                                let b: [u8; 16] = ip.as_bytes().try_into().unwrap_or_default();
                                ip_addresses.push(IpAddr::from(b));
                            }
                            _ => {}
                        },
                        GeneralName::UniformResourceIdentifier(u) => {
                            uris.push(String::from_utf8_lossy(u.as_bytes()).into_owned())
                        }
                        _ => {}
                    }
                }
            } else if ext.extn_id == OID_EKU {
                let e = ExtendedKeyUsage::from_der(value).map_err(|e| bad("extKeyUsage", e))?;
                eku = Some(e.0.iter().map(|o| o.to_string()).collect());
            } else if ext.extn_id == OID_SKI {
                let s = SubjectKeyIdentifier::from_der(value)
                    .map_err(|e| bad("subjectKeyIdentifier", e))?;
                subject_key_id = Some(s.0.as_bytes().to_vec());
            } else if ext.extn_id == OID_AKI {
                let a = AuthorityKeyIdentifier::from_der(value)
                    .map_err(|e| bad("authorityKeyIdentifier", e))?;
                authority_key_id = a.key_identifier.map(|k| k.as_bytes().to_vec());
            }
        }

        let spki = &tbs.subject_public_key_info;
        let key = if spki.algorithm.oid == OID_RSA {
            spki.subject_public_key
                .as_bytes()
                .and_then(|b| RsaPublicKey::from_der(b).ok())
                .map(|k| PublicKeyKind::Rsa {
                    bits: bit_length(k.modulus.as_bytes()),
                })
                .unwrap_or(PublicKeyKind::Rsa { bits: 0 })
        } else if spki.algorithm.oid == OID_EC {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            let bits = match curve {
                Some(c) if c == OID_P256 => 256,
                Some(c) if c == OID_P384 => 384,
                Some(c) if c == OID_P521 => 521,
                _ => 0,
            };
            PublicKeyKind::Ec { bits }
        } else if spki.algorithm.oid == OID_ED25519 {
            PublicKeyKind::Ed25519
        } else if spki.algorithm.oid == OID_ED448 {
            PublicKeyKind::Ed448
        } else {
            PublicKeyKind::Other
        };

        let to_unix = |t: &x509_cert::time::Time| UnixTime::since_unix_epoch(t.to_unix_duration());
        let version = match tbs.version {
            x509_cert::certificate::Version::V1 => 1,
            x509_cert::certificate::Version::V2 => 2,
            x509_cert::certificate::Version::V3 => 3,
        };
        Ok(Self {
            fingerprint: Fingerprint::of(&der),
            subject_header: header_len(raw.subject),
            subject_tlv: raw.subject.to_vec(),
            issuer_header: header_len(raw.issuer),
            issuer_tlv: raw.issuer.to_vec(),
            subject_text: OnceLock::new(),
            issuer_text: OnceLock::new(),
            common_name,
            cn_is_clean,
            serial: tbs.serial_number.as_bytes().to_vec(),
            not_before: to_unix(&tbs.validity.not_before),
            not_after: to_unix(&tbs.validity.not_after),
            version,
            ca,
            key,
            spki_der: raw.spki.to_vec(),
            signature_hash: SignatureHash::from_oid(&parsed.signature_algorithm.oid),
            signature_oid: parsed.signature_algorithm.oid.to_string(),
            dns_names,
            ip_addresses,
            uris,
            has_subject_alt_name,
            eku,
            subject_key_id,
            authority_key_id,
            der: CertificateDer::from(der),
            full: std::sync::Arc::new(parsed),
        })
    }

    /// The full `x509-cert` parse this view was made from.
    pub(crate) fn full(&self) -> &x509_cert::Certificate {
        &self.full
    }

    /// The DER encoding.
    pub fn der(&self) -> &CertificateDer<'static> {
        &self.der
    }
    /// SHA-256 of the DER encoding.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }
    /// The subject as an RFC 4514 string, e.g. `CN=HydrantID Server CA O1,O=IdenTrust,C=US`.
    ///
    /// Safe to show: control characters are RFC 4514 hex pairs (`\1b`,
    /// `\0a`), and so are the UTF-8 bytes of C1 controls, bidi controls and
    /// the other characters [`text::is_unsafe`](crate::text::is_unsafe) names
    /// (`\e2\80\ae` for U+202E), so the text stays a valid RFC 4514 string
    /// that names the same DN.
    pub fn subject(&self) -> &str {
        self.subject_text
            .get_or_init(|| name_text(&self.subject_tlv))
    }
    /// The issuer as an RFC 4514 string, escaped as [`Certificate::subject`] is.
    pub fn issuer(&self) -> &str {
        self.issuer_text.get_or_init(|| name_text(&self.issuer_tlv))
    }
    /// The DER encoding of the subject name without its outer SEQUENCE header
    /// (the form webpki compares, and the key of the store's index).
    pub fn subject_der(&self) -> &[u8] {
        &self.subject_tlv[self.subject_header..]
    }
    /// The DER encoding of the issuer name without its outer SEQUENCE header.
    pub fn issuer_der(&self) -> &[u8] {
        &self.issuer_tlv[self.issuer_header..]
    }
    /// The subject's first common name, decoded; control characters are kept
    /// as they are (see [`Certificate::common_name_is_clean`]).
    pub fn common_name(&self) -> Option<&str> {
        self.common_name.as_deref()
    }
    /// False when the CN holds a NUL, another control character, or bytes
    /// that are not valid text; such a CN never matches a name.
    pub fn common_name_is_clean(&self) -> bool {
        self.cn_is_clean
    }
    /// A short label for messages: the CN, else the full subject; control,
    /// bidi and other invisible characters of the CN are shown as escapes
    /// ([`escape_untrusted`](crate::text::escape_untrusted)).
    pub fn display_name(&self) -> String {
        match &self.common_name {
            Some(cn) if !cn.is_empty() => crate::text::escape_untrusted(cn).into_owned(),
            _ => self.subject().to_string(),
        }
    }
    /// The serial number's big-endian bytes.
    pub fn serial(&self) -> &[u8] {
        &self.serial
    }
    /// Start of the validity period.
    pub fn not_before(&self) -> UnixTime {
        self.not_before
    }
    /// End of the validity period.
    pub fn not_after(&self) -> UnixTime {
        self.not_after
    }
    /// True when `at` lies inside `[notBefore, notAfter]`.
    pub fn is_valid_at(&self, at: UnixTime) -> bool {
        self.not_before <= at && at <= self.not_after
    }
    /// X.509 version (1, 2 or 3).
    pub fn version(&self) -> u8 {
        self.version
    }
    /// The basicConstraints extension.
    pub fn ca_flag(&self) -> CaFlag {
        self.ca
    }
    /// True when basicConstraints says `cA=TRUE`.
    pub fn is_ca(&self) -> bool {
        matches!(self.ca, CaFlag::Ca { .. })
    }
    /// True when subject and issuer are the same name (a root, or a self-issued cert).
    pub fn is_self_issued(&self) -> bool {
        self.subject_der() == self.issuer_der()
    }
    /// The public key's type and size.
    pub fn key(&self) -> PublicKeyKind {
        self.key
    }
    /// The DER SubjectPublicKeyInfo (used to detect "same subject and key" duplicates).
    pub fn spki_der(&self) -> &[u8] {
        &self.spki_der
    }
    /// The digest class of the certificate's own signature.
    pub fn signature_hash(&self) -> SignatureHash {
        self.signature_hash
    }
    /// The OID of the signature algorithm, dotted.
    pub fn signature_algorithm_oid(&self) -> &str {
        &self.signature_oid
    }
    /// DNS names from subjectAltName, as presented (not normalised).
    pub fn dns_names(&self) -> &[String] {
        &self.dns_names
    }
    /// IP addresses from subjectAltName.
    pub fn ip_addresses(&self) -> &[IpAddr] {
        &self.ip_addresses
    }
    /// URIs from subjectAltName (`sip:callservice.webex.com`), as presented.
    pub fn uris(&self) -> &[String] {
        &self.uris
    }
    /// True when the certificate has a subjectAltName extension (of any
    /// name types); RFC 5922 then forbids reading the CN.
    pub fn has_subject_alt_name(&self) -> bool {
        self.has_subject_alt_name
    }
    /// False when the certificate has a keyUsage extension without cRLSign
    /// (or one that does not decode): its key must not sign CRLs (RFC 5280
    /// 4.2.1.3). Without keyUsage any use is allowed, as webpki reads it.
    pub(crate) fn key_usage_allows_crl_sign(&self) -> bool {
        const OID_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
        let exts = self
            .full
            .tbs_certificate
            .extensions
            .as_deref()
            .unwrap_or(&[]);
        match exts.iter().find(|e| e.extn_id == OID_KEY_USAGE) {
            None => true,
            Some(e) => x509_cert::ext::pkix::KeyUsage::from_der(e.extn_value.as_bytes())
                .is_ok_and(|ku| ku.crl_sign()),
        }
    }
    /// Extended key usage OIDs, dotted; `None` when the extension is absent.
    pub fn extended_key_usage(&self) -> Option<&[String]> {
        self.eku.as_deref()
    }
    /// True when the certificate may be used for TLS client authentication
    /// (no EKU extension, or one that lists clientAuth).
    pub fn allows_client_auth(&self) -> bool {
        self.eku_allows(&OID_EKU_CLIENT_AUTH)
    }
    /// True when the certificate may be used for TLS server authentication.
    pub fn allows_server_auth(&self) -> bool {
        self.eku_allows(&OID_EKU_SERVER_AUTH)
    }
    fn eku_allows(&self, oid: &ObjectIdentifier) -> bool {
        let oid = oid.to_string();
        self.eku
            .as_ref()
            .map(|list| list.contains(&oid))
            .unwrap_or(true)
    }
    /// subjectKeyIdentifier, if present.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.subject_key_id.as_deref()
    }
    /// The keyIdentifier of authorityKeyIdentifier, if present.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.authority_key_id.as_deref()
    }
    /// PEM text of this certificate.
    pub fn to_pem(&self) -> String {
        pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &self.der)
            .unwrap_or_default()
    }
    /// A serialisable summary (subject, issuer, validity, fingerprint).
    pub fn summary(&self) -> CertSummary {
        CertSummary {
            subject: self.subject().to_string(),
            issuer: self.issuer().to_string(),
            common_name: self.common_name.clone(),
            serial: hex(&self.serial),
            not_before: format_time(self.not_before),
            not_after: format_time(self.not_after),
            sha256: self.fingerprint,
            key: self.key,
            is_ca: self.is_ca(),
        }
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject())
            .field("issuer", &self.issuer())
            .field("sha256", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}
impl Eq for Certificate {}

/// The fields of a certificate that reports show, ready to serialise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertSummary {
    /// RFC 4514 subject.
    pub subject: String,
    /// RFC 4514 issuer.
    pub issuer: String,
    /// The first CN of the subject, if any.
    pub common_name: Option<String>,
    /// Serial number, hex.
    pub serial: String,
    /// notBefore, RFC 3339.
    pub not_before: String,
    /// notAfter, RFC 3339.
    pub not_after: String,
    /// SHA-256 fingerprint.
    pub sha256: Fingerprint,
    /// Public key type and size.
    pub key: PublicKeyKind,
    /// basicConstraints cA.
    pub is_ca: bool,
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn bit_length(be: &[u8]) -> u32 {
    let trimmed: &[u8] = match be.iter().position(|b| *b != 0) {
        Some(i) => &be[i..],
        None => return 0,
    };
    (trimmed.len() as u32 - 1) * 8 + (8 - trimmed[0].leading_zeros())
}

/// The length of the tag and length octets at the start of a DER TLV.
fn header_len(tlv: &[u8]) -> usize {
    der::SliceReader::new(tlv)
        .ok()
        .and_then(|mut r| der::Header::decode(&mut r).ok())
        .and_then(|h| der::Encode::encoded_len(&h).ok())
        .and_then(|l| usize::try_from(l).ok())
        .filter(|n| *n <= tlv.len())
        .unwrap_or(0)
}

/// The RFC 4514 text of a DER Name.
fn name_text(tlv: &[u8]) -> String {
    match x509_cert::name::Name::from_der(tlv) {
        Ok(name) => display_name(&name),
        Err(_) => "(unreadable name)".to_string(),
    }
}

/// The issuer, subject and subjectPublicKeyInfo TLVs of a certificate, as
/// slices of its DER (no re-encoding).
struct RawParts<'a> {
    issuer: &'a [u8],
    subject: &'a [u8],
    spki: &'a [u8],
}

fn raw_parts(der: &[u8]) -> der::Result<RawParts<'_>> {
    use der::{Reader, Tag, TagNumber};
    let mut reader = der::SliceReader::new(der)?;
    reader.sequence(|cert| {
        let parts = cert.sequence(|tbs| {
            let version = Tag::ContextSpecific {
                constructed: true,
                number: TagNumber::new(0),
            };
            if tbs.peek_tag()? == version {
                tbs.tlv_bytes()?;
            }
            tbs.tlv_bytes()?; // serialNumber
            tbs.tlv_bytes()?; // signature
            let issuer = tbs.tlv_bytes()?;
            tbs.tlv_bytes()?; // validity
            let subject = tbs.tlv_bytes()?;
            let spki = tbs.tlv_bytes()?;
            while !tbs.is_finished() {
                tbs.tlv_bytes()?;
            }
            Ok(RawParts {
                issuer,
                subject,
                spki,
            })
        })?;
        cert.tlv_bytes()?; // signatureAlgorithm
        cert.tlv_bytes()?; // signatureValue
        Ok(parts)
    })
}

fn display_name(name: &x509_cert::name::Name) -> String {
    // x509-cert writes C0 controls and DEL as RFC 4514 hex pairs already;
    // the other unsafe characters get the same treatment, byte by byte.
    let s = name.to_string();
    if s.is_empty() {
        return "(empty name)".to_string();
    }
    if !s.contains(crate::text::is_unsafe) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if crate::text::is_unsafe(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\{b:02x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Decodes a DirectoryString; returns the text and whether it is clean
/// (valid for its type, no control characters).
pub(crate) fn directory_string(value: &der::Any) -> (String, bool) {
    let bytes = value.value();
    let text = match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::VisibleString => {
            match std::str::from_utf8(bytes) {
                Ok(s) => s.to_string(),
                Err(_) => return (String::from_utf8_lossy(bytes).into_owned(), false),
            }
        }
        // T.61 in practice carries Latin-1.
        Tag::TeletexString => bytes.iter().map(|b| *b as char).collect(),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            match String::from_utf16(&units) {
                Ok(s) if bytes.len() % 2 == 0 => s,
                _ => return (String::from_utf16_lossy(&units), false),
            }
        }
        _ => return (String::from_utf8_lossy(bytes).into_owned(), false),
    };
    let clean = !text.chars().any(|c| c.is_control());
    (text, clean)
}

#[cfg(test)]
mod signature_hash_tests {
    use super::*;

    #[test]
    fn signature_algorithms_map_to_their_hash() {
        let cases = [
            ("1.2.840.113549.1.1.2", SignatureHash::Md5),
            ("1.2.840.113549.1.1.4", SignatureHash::Md5),
            ("1.2.840.113549.1.1.5", SignatureHash::Sha1),
            ("1.2.840.10045.4.1", SignatureHash::Sha1),
            ("1.2.840.10040.4.3", SignatureHash::Sha1),
            ("1.3.14.3.2.29", SignatureHash::Sha1),
            ("1.2.840.113549.1.1.10", SignatureHash::Modern),
            ("1.2.840.113549.1.1.11", SignatureHash::Modern),
            ("1.2.840.113549.1.1.12", SignatureHash::Modern),
            ("1.2.840.113549.1.1.13", SignatureHash::Modern),
            ("1.2.840.10045.4.3.2", SignatureHash::Modern),
            ("1.2.840.10045.4.3.3", SignatureHash::Modern),
            ("1.2.840.10045.4.3.4", SignatureHash::Modern),
            ("1.3.101.112", SignatureHash::Modern),
            ("1.3.101.113", SignatureHash::Modern),
            ("1.2.840.113549.1.1.1", SignatureHash::Unknown),
            ("1.2.840.113549.1.1.111", SignatureHash::Unknown),
        ];
        for (oid, want) in cases {
            let oid = ObjectIdentifier::new(oid).unwrap();
            assert_eq!(SignatureHash::from_oid(&oid), want, "{oid}");
        }
    }
}
