//! The few fields the verification success path needs: validity, signature
//! algorithm, SANs, EKU, key identifiers and the subject (its CN is decoded
//! only when a rule needs it). Read either straight from DER without building
//! any parsed view (key identifiers for path ordering, before verification),
//! or from the `x509_cert` parse that every certificate of a verified path
//! must pass anyway, so that no certificate is decoded twice.

use std::net::IpAddr;

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef};
use der::{Decode, Reader, SliceReader, Tag, TagNumber, Tagged};
use pki_types::UnixTime;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, ExtendedKeyUsage, SubjectAltName};

use crate::cert::SignatureHash;

const OID_SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const OID_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const OID_CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const OID_SKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const OID_AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");

/// What the success path reads from a certificate that webpki already accepted.
pub(crate) struct Facts<'a> {
    pub not_before: UnixTime,
    pub not_after: UnixTime,
    pub signature_hash: SignatureHash,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<IpAddr>,
    pub uris: Vec<String>,
    pub has_subject_alt_name: bool,
    pub eku: Option<Vec<ObjectIdentifier>>,
    pub subject_key_id: Option<&'a [u8]>,
    pub authority_key_id: Option<Vec<u8>>,
    subject: Subject<'a>,
}

/// The subject, as DER or as the already parsed name.
enum Subject<'a> {
    Der(AnyRef<'a>),
    Parsed(&'a x509_cert::name::Name),
}

/// Which extensions [`Facts::read_only`] decodes.
#[derive(Clone, Copy)]
pub(crate) struct Want {
    /// SANs and EKU (the leaf of a verified path).
    pub names: bool,
    /// The authority key identifier (path ordering).
    pub authority_key_id: bool,
}

impl<'a> Facts<'a> {
    /// Reads what path ordering needs (validity, signature algorithm and both
    /// key identifiers), skipping names and EKU.
    pub(crate) fn read_keys(der: &'a [u8]) -> der::Result<Self> {
        Self::read_only(
            der,
            Want {
                names: false,
                authority_key_id: true,
            },
        )
    }

    /// The same fields from a certificate the full parser already decoded.
    pub(crate) fn from_certificate(
        cert: &'a x509_cert::Certificate,
        want: Want,
    ) -> der::Result<Self> {
        let tbs = &cert.tbs_certificate;
        let mut facts = Facts {
            not_before: UnixTime::since_unix_epoch(tbs.validity.not_before.to_unix_duration()),
            not_after: UnixTime::since_unix_epoch(tbs.validity.not_after.to_unix_duration()),
            signature_hash: SignatureHash::from_oid(&cert.signature_algorithm.oid),
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
            uris: Vec::new(),
            has_subject_alt_name: false,
            eku: None,
            subject_key_id: None,
            authority_key_id: None,
            subject: Subject::Parsed(&tbs.subject),
        };
        for ext in tbs.extensions.iter().flatten() {
            facts.take_extension(&ext.extn_id, ext.extn_value.as_bytes(), want)?;
        }
        Ok(facts)
    }

    /// Reads validity, signature algorithm and key identifier, and of the
    /// other extensions only those `want` asks for (the rest stay empty):
    /// the success path needs names only from the leaf.
    pub(crate) fn read_only(der: &'a [u8], want: Want) -> der::Result<Self> {
        let mut reader = SliceReader::new(der)?;
        reader.sequence(|cert| {
            let mut facts = cert.sequence(|tbs| {
                if tbs.peek_tag()? == context(0, true) {
                    AnyRef::decode(tbs)?; // version
                }
                AnyRef::decode(tbs)?; // serialNumber
                AnyRef::decode(tbs)?; // signature
                AnyRef::decode(tbs)?; // issuer
                let validity = x509_cert::time::Validity::decode(tbs)?;
                let subject = AnyRef::decode(tbs)?;
                AnyRef::decode(tbs)?; // subjectPublicKeyInfo
                let mut facts = Facts {
                    not_before: UnixTime::since_unix_epoch(validity.not_before.to_unix_duration()),
                    not_after: UnixTime::since_unix_epoch(validity.not_after.to_unix_duration()),
                    signature_hash: SignatureHash::Unknown,
                    dns_names: Vec::new(),
                    ip_addresses: Vec::new(),
                    uris: Vec::new(),
                    has_subject_alt_name: false,
                    eku: None,
                    subject_key_id: None,
                    authority_key_id: None,
                    subject: Subject::Der(subject),
                };
                while !tbs.is_finished() {
                    let field = AnyRef::decode(tbs)?;
                    if field.tag() == context(3, true) {
                        facts.read_extensions(field.value(), want)?;
                    }
                }
                Ok(facts)
            })?;
            let algorithm = cert.sequence(|alg| {
                let oid = ObjectIdentifier::decode(alg)?;
                while !alg.is_finished() {
                    AnyRef::decode(alg)?;
                }
                Ok(oid)
            })?;
            BitStringRef::decode(cert)?;
            facts.signature_hash = SignatureHash::from_oid(&algorithm);
            Ok(facts)
        })
    }

    fn read_extensions(&mut self, explicit: &'a [u8], want: Want) -> der::Result<()> {
        let mut outer = SliceReader::new(explicit)?;
        outer.sequence(|list| {
            while !list.is_finished() {
                list.sequence(|ext| {
                    let oid = ObjectIdentifier::decode(ext)?;
                    if ext.peek_tag()? == Tag::Boolean {
                        bool::decode(ext)?;
                    }
                    let value = OctetStringRef::decode(ext)?.as_bytes();
                    self.take_extension(&oid, value, want)
                })?;
            }
            Ok(())
        })
    }

    /// Takes the fields `want` asks for from one extension's value.
    fn take_extension(
        &mut self,
        oid: &ObjectIdentifier,
        value: &'a [u8],
        want: Want,
    ) -> der::Result<()> {
        if *oid == OID_SAN && want.names {
            self.has_subject_alt_name = true;
            for name in SubjectAltName::from_der(value)?.0 {
                match name {
                    GeneralName::DnsName(n) => self
                        .dns_names
                        .push(String::from_utf8_lossy(n.as_bytes()).into_owned()),
                    GeneralName::IpAddress(ip) => {
                        if let Some(ip) = ip_from_bytes(ip.as_bytes()) {
                            self.ip_addresses.push(ip);
                        }
                    }
                    GeneralName::UniformResourceIdentifier(u) => self
                        .uris
                        .push(String::from_utf8_lossy(u.as_bytes()).into_owned()),
                    _ => {}
                }
            }
        } else if *oid == OID_EKU && want.names {
            self.eku = Some(ExtendedKeyUsage::from_der(value)?.0);
        } else if *oid == OID_SKI {
            self.subject_key_id = Some(OctetStringRef::from_der(value)?.as_bytes());
        } else if *oid == OID_AKI && want.authority_key_id {
            self.authority_key_id = AuthorityKeyIdentifier::from_der(value)?
                .key_identifier
                .map(|k| k.as_bytes().to_vec());
        }
        Ok(())
    }

    /// The subject's first CN, decoded, and whether it is clean (see
    /// [`Certificate::common_name_is_clean`](crate::Certificate::common_name_is_clean)).
    pub(crate) fn common_name(&self) -> Option<(String, bool)> {
        let decoded;
        let name = match &self.subject {
            Subject::Parsed(name) => *name,
            Subject::Der(der) => {
                decoded = der.decode_as::<x509_cert::name::Name>().ok()?;
                &decoded
            }
        };
        name.0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .find(|atv| atv.oid == OID_CN)
            .map(|atv| crate::cert::directory_string(&atv.value))
    }

    /// True when the EKU extension is absent or lists `oid`.
    pub(crate) fn eku_allows(&self, oid: &ObjectIdentifier) -> bool {
        self.eku.as_ref().is_none_or(|list| list.contains(oid))
    }
}

pub(crate) fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
        _ => None,
    }
}

fn context(number: u8, constructed: bool) -> Tag {
    Tag::ContextSpecific {
        constructed,
        number: TagNumber::new(number),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: Want = Want {
        names: true,
        authority_key_id: true,
    };

    /// Both readers give the same facts for every certificate of a real chain.
    #[test]
    fn the_der_reader_and_the_parsed_view_agree() {
        let chain = crate::parse_chain(include_bytes!(
            "../examples/data/chains/callservice-full.pem"
        ))
        .unwrap();
        assert_eq!(chain.len(), 2);
        for der in &chain {
            let parsed = <x509_cert::Certificate as Decode>::from_der(der.as_ref()).unwrap();
            let a = Facts::read_only(der.as_ref(), ALL).unwrap();
            let b = Facts::from_certificate(&parsed, ALL).unwrap();
            assert_eq!(a.not_before, b.not_before);
            assert_eq!(a.not_after, b.not_after);
            assert_eq!(a.signature_hash, b.signature_hash);
            assert_eq!(a.dns_names, b.dns_names);
            assert_eq!(a.ip_addresses, b.ip_addresses);
            assert_eq!(a.uris, b.uris);
            assert_eq!(a.has_subject_alt_name, b.has_subject_alt_name);
            assert_eq!(a.eku, b.eku);
            assert_eq!(a.subject_key_id, b.subject_key_id);
            assert_eq!(a.authority_key_id, b.authority_key_id);
            assert_eq!(a.common_name(), b.common_name());
            assert!(a.subject_key_id.is_some() && a.common_name().is_some());
        }
        let leaf = Facts::read_only(chain[0].as_ref(), ALL).unwrap();
        assert_eq!(leaf.dns_names, ["callservice.webex.com"]);
        assert!(leaf.authority_key_id.is_some());
    }

    /// Path ordering reads key identifiers only: no names, no EKU.
    #[test]
    fn read_keys_skips_names() {
        let chain = crate::parse_chain(include_bytes!(
            "../examples/data/chains/callservice-full.pem"
        ))
        .unwrap();
        let keys = Facts::read_keys(chain[0].as_ref()).unwrap();
        assert!(keys.dns_names.is_empty() && keys.eku.is_none());
        assert!(keys.subject_key_id.is_some() && keys.authority_key_id.is_some());
    }
}
