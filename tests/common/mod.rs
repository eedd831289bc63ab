//! A small test PKI built with rcgen, at fixed dates, so nothing expires in CI.
#![allow(dead_code)]

use hybridtrust::{parse_time, CertificateDer, UnixTime};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};

/// The validation time of every generated scenario: 2026-06-01T00:00:00Z.
pub fn at() -> UnixTime {
    parse_time("2026-06-01T00:00:00Z").unwrap()
}

pub fn time(s: &str) -> UnixTime {
    parse_time(s).unwrap()
}

/// A CA: its certificate and the issuer handle to sign with.
pub struct Ca {
    pub der: CertificateDer<'static>,
    pub pem: String,
    pub issuer: Issuer<'static, KeyPair>,
}

/// What to put in a certificate.
#[derive(Clone)]
pub struct Spec {
    pub cn: Option<String>,
    pub org: Option<String>,
    pub dns: Vec<String>,
    pub ips: Vec<std::net::IpAddr>,
    pub ca: Option<Option<u8>>,
    pub not_before: (i32, u8, u8),
    pub not_after: (i32, u8, u8),
    pub eku: Vec<ExtendedKeyUsagePurpose>,
    pub serial: u64,
    pub rsa: bool,
}

impl Spec {
    pub fn ca(cn: &str) -> Self {
        Self {
            cn: Some(cn.into()),
            org: Some("hybridtrust tests".into()),
            dns: vec![],
            ips: vec![],
            ca: Some(None),
            not_before: (2025, 1, 1),
            not_after: (2045, 1, 1),
            eku: vec![],
            serial: 1,
            rsa: false,
        }
    }
    pub fn leaf(cn: &str, dns: &[&str]) -> Self {
        Self {
            cn: Some(cn.into()),
            org: Some("hybridtrust tests".into()),
            dns: dns.iter().map(|s| s.to_string()).collect(),
            ips: vec![],
            ca: None,
            not_before: (2026, 1, 1),
            not_after: (2027, 1, 1),
            eku: vec![
                ExtendedKeyUsagePurpose::ServerAuth,
                ExtendedKeyUsagePurpose::ClientAuth,
            ],
            serial: 100,
            rsa: false,
        }
    }
    pub fn valid(mut self, from: (i32, u8, u8), to: (i32, u8, u8)) -> Self {
        self.not_before = from;
        self.not_after = to;
        self
    }
    pub fn eku(mut self, eku: Vec<ExtendedKeyUsagePurpose>) -> Self {
        self.eku = eku;
        self
    }
    pub fn serial(mut self, serial: u64) -> Self {
        self.serial = serial;
        self
    }
    pub fn rsa(mut self) -> Self {
        self.rsa = true;
        self
    }
    pub fn path_len(mut self, n: u8) -> Self {
        self.ca = Some(Some(n));
        self
    }

    pub fn params(&self) -> CertificateParams {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        let mut dn = DistinguishedName::new();
        if let Some(o) = &self.org {
            dn.push(DnType::OrganizationName, o.as_str());
        }
        if let Some(cn) = &self.cn {
            dn.push(DnType::CommonName, cn.as_str());
        }
        p.distinguished_name = dn;
        p.subject_alt_names = self
            .dns
            .iter()
            .map(|d| SanType::DnsName(d.clone().try_into().unwrap()))
            .chain(self.ips.iter().map(|ip| SanType::IpAddress(*ip)))
            .collect();
        p.not_before =
            rcgen::date_time_ymd(self.not_before.0, self.not_before.1, self.not_before.2);
        p.not_after = rcgen::date_time_ymd(self.not_after.0, self.not_after.1, self.not_after.2);
        p.serial_number = Some(SerialNumber::from(self.serial));
        p.use_authority_key_identifier_extension = true;
        match self.ca {
            Some(limit) => {
                p.is_ca = IsCa::Ca(match limit {
                    Some(n) => BasicConstraints::Constrained(n),
                    None => BasicConstraints::Unconstrained,
                });
                p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            }
            None => {
                p.is_ca = IsCa::ExplicitNoCa;
                p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
                p.extended_key_usages = self.eku.clone();
            }
        }
        p
    }

    pub fn key(&self) -> KeyPair {
        if self.rsa {
            KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048).unwrap()
        } else {
            KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap()
        }
    }
}

/// A self-signed root.
pub fn root(spec: Spec) -> Ca {
    let key = spec.key();
    let params = spec.params();
    let cert = params.self_signed(&key).unwrap();
    Ca {
        der: cert.der().clone(),
        pem: cert.pem(),
        issuer: Issuer::new(params, key),
    }
}

/// A CA signed by `parent`.
pub fn sub_ca(spec: Spec, parent: &Ca) -> Ca {
    let key = spec.key();
    let params = spec.params();
    let cert = params.signed_by(&key, &parent.issuer).unwrap();
    Ca {
        der: cert.der().clone(),
        pem: cert.pem(),
        issuer: Issuer::new(params, key),
    }
}

/// A leaf signed by `parent`; returns its DER and PEM.
pub fn leaf(spec: Spec, parent: &Ca) -> (CertificateDer<'static>, String) {
    let key = spec.key();
    let cert = spec.params().signed_by(&key, &parent.issuer).unwrap();
    (cert.der().clone(), cert.pem())
}

/// A leaf with its key (for TLS tests).
pub fn leaf_with_key(spec: Spec, parent: &Ca) -> (CertificateDer<'static>, KeyPair) {
    let key = spec.key();
    let cert = spec.params().signed_by(&key, &parent.issuer).unwrap();
    (cert.der().clone(), key)
}

/// A CRL by `ca` revoking `serials`, valid 2026-05-01 .. 2026-07-01.
pub fn crl(ca: &Ca, serials: &[u64]) -> Vec<u8> {
    let params = rcgen::CertificateRevocationListParams {
        this_update: rcgen::date_time_ymd(2026, 5, 1),
        next_update: rcgen::date_time_ymd(2026, 7, 1),
        crl_number: SerialNumber::from(1u64),
        issuing_distribution_point: None,
        revoked_certs: serials
            .iter()
            .map(|s| rcgen::RevokedCertParams {
                serial_number: SerialNumber::from(*s),
                revocation_time: rcgen::date_time_ymd(2026, 5, 2),
                reason_code: Some(rcgen::RevocationReason::KeyCompromise),
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: rcgen::KeyIdMethod::Sha256,
    };
    params.signed_by(&ca.issuer).unwrap().der().to_vec()
}

/// The standard hybrid test PKI: root -> issuing CA -> leaves.
pub struct Pki {
    pub root: Ca,
    pub issuing: Ca,
}

impl Pki {
    pub fn new() -> Self {
        let root = root(Spec::ca("Test Hybrid Root CA"));
        let issuing = sub_ca(Spec::ca("Test Hybrid Issuing CA").serial(2), &root);
        Self { root, issuing }
    }

    pub fn store(&self) -> hybridtrust::TrustStore {
        let mut b = hybridtrust::TrustStore::builder();
        b.at(at());
        b.add_pem("test-root", self.root.pem.as_bytes()).unwrap();
        b.build().unwrap()
    }

    /// leaf + issuing CA.
    pub fn chain(&self, spec: Spec) -> Vec<CertificateDer<'static>> {
        let (l, _) = leaf(spec, &self.issuing);
        vec![l, self.issuing.der.clone()]
    }
}
