//! The certificate authorities of the Webex cloud, named by subject and fingerprint.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;

use crate::cert::{Certificate, Fingerprint};

/// Whether a profile needs a CA today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaStatus {
    /// Certificates served today chain to it: the store must hold it.
    Required,
    /// Listed by Cisco for older services or before a migration; optional.
    Legacy,
}

impl fmt::Display for CaStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CaStatus::Required => "required",
            CaStatus::Legacy => "legacy",
        })
    }
}

/// A CA that a hybrid deployment trusts, named by subject and SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CloudCa {
    /// The CA's common name (or organisational unit when it has no CN).
    pub name: &'static str,
    /// The RFC 4514 subject.
    pub subject: &'static str,
    /// SHA-256 of the certificate, when known.
    pub sha256: Option<Fingerprint>,
    /// Required today or legacy.
    pub status: CaStatus,
    /// What it is for, per Cisco's documentation.
    pub role: &'static str,
}

impl CloudCa {
    /// The certificate from the embedded Mozilla root set (`webpki-root-certs`),
    /// or `None` when the CA is no longer in Mozilla's program.
    pub fn embedded_der(&self) -> Option<&'static [u8]> {
        self.sha256
            .and_then(|fp| embedded_by_fingerprint().get(&fp).copied())
    }

    /// True when `cert` is this CA: same fingerprint, or (when no fingerprint
    /// is listed) the same subject.
    pub fn matches(&self, cert: &Certificate) -> bool {
        match self.sha256 {
            Some(fp) => cert.fingerprint() == fp,
            None => cert.subject() == self.subject,
        }
    }
}

fn embedded_by_fingerprint() -> &'static HashMap<Fingerprint, &'static [u8]> {
    static MAP: OnceLock<HashMap<Fingerprint, &'static [u8]>> = OnceLock::new();
    MAP.get_or_init(|| {
        webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .map(|c| (Fingerprint::of(c.as_ref()), c.as_ref()))
            .collect()
    })
}

const fn fp(hex: &str) -> Fingerprint {
    let b = hex.as_bytes();
    assert!(b.len() == 64);
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = nibble(b[2 * i]) * 16 + nibble(b[2 * i + 1]);
        i += 1;
    }
    Fingerprint(out)
}

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'F' => c - b'A' + 10,
        _ => panic!("fingerprints are upper-case hex"),
    }
}

/// The Webex cloud's CAs (Cisco's connector-host table and the 2021 root migration).
///
/// The list changes: Cisco asks to trust the CAs of the certificates served
/// today and to drop expired or revoked ones.
pub static WEBEX_CLOUD_CAS: &[CloudCa] = &[
    CloudCa {
        name: "IdenTrust Commercial Root CA 1",
        subject: "CN=IdenTrust Commercial Root CA 1,O=IdenTrust,C=US",
        sha256: Some(fp(
            "5D56499BE4D2E08BCFCAD08A3E38723D50503BDE706948E42F55603019E528AE",
        )),
        status: CaStatus::Required,
        role: "Webex cloud root since 31 March 2021 (issues HydrantID Server CA O1)",
    },
    CloudCa {
        name: "QuoVadis Root CA 2",
        subject: "CN=QuoVadis Root CA 2,O=QuoVadis Limited,C=BM",
        sha256: Some(fp(
            "85A0DD7DD720ADB7FF05F83D542B209DC7FF4528F7D677B18389FEA5E5C49E86",
        )),
        status: CaStatus::Legacy,
        role: "Webex cloud root before 31 March 2021 (issued Hydrant SSL ICA G2)",
    },
    CloudCa {
        name: "Baltimore CyberTrust Root",
        subject: "CN=Baltimore CyberTrust Root,OU=CyberTrust,O=Baltimore,C=IE",
        sha256: Some(fp(
            "16AF57A9F676B0AB126095AA5EBADEF22AB31119D644AC95CD4B93DBF3F26AEB",
        )),
        status: CaStatus::Legacy,
        role: "content delivery network (Cisco connector-host table)",
    },
    CloudCa {
        name: "VeriSign Class 3 Public Primary Certification Authority",
        subject: "OU=Class 3 Public Primary Certification Authority,O=VeriSign\\, Inc.,C=US",
        sha256: None,
        status: CaStatus::Legacy,
        role: "common identity (Cisco connector-host table)",
    },
    CloudCa {
        name: "Go Daddy Class 2 Certification Authority",
        subject: "OU=Go Daddy Class 2 Certification Authority,O=The Go Daddy Group\\, Inc.,C=US",
        sha256: Some(fp(
            "C3846BF24B9E93CA64274C0EC67C1ECC5E024FFCACD2D74019350E81FE546AE4",
        )),
        status: CaStatus::Legacy,
        role: "Webex App (Cisco connector-host table)",
    },
];
