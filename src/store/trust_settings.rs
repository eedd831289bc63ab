//! OpenSSL's trust settings: the `X509_CERT_AUX` structure that follows the
//! certificate in a `-----BEGIN TRUSTED CERTIFICATE-----` block (`openssl x509
//! -trustout`, `-addtrust`, `-addreject`, `-setalias`; Fedora/RHEL's
//! `ca-bundle.trust.crt`), and what they mean for an anchor.

use std::fmt;

use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Reader, Sequence, SliceReader};
use serde::Serialize;
use x509_cert::spki::AlgorithmIdentifierOwned;

use crate::verify::Usage;

/// serverAuth (1.3.6.1.5.5.7.3.1).
pub(crate) const SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
/// clientAuth (1.3.6.1.5.5.7.3.2).
pub(crate) const CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
/// anyExtendedKeyUsage (2.5.29.37.0).
pub(crate) const ANY_EKU: &str = "2.5.29.37.0";

/// OpenSSL's `X509_CERT_AUX` (crypto/x509/x_x509a.c):
///
/// ```text
/// X509_CERT_AUX ::= SEQUENCE {
///     trust   SEQUENCE OF OBJECT IDENTIFIER OPTIONAL,
///     reject  [0] IMPLICIT SEQUENCE OF OBJECT IDENTIFIER OPTIONAL,
///     alias   UTF8String OPTIONAL,
///     keyid   OCTET STRING OPTIONAL,
///     other   [1] IMPLICIT SEQUENCE OF AlgorithmIdentifier OPTIONAL }
/// ```
#[derive(Sequence)]
struct CertAux {
    trust: Option<Vec<ObjectIdentifier>>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    reject: Option<Vec<ObjectIdentifier>>,
    alias: Option<String>,
    keyid: Option<OctetString>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    other: Option<Vec<AlgorithmIdentifierOwned>>,
}

/// The trust settings an anchor carries: for which purposes it is trusted
/// and for which it is rejected.
///
/// A certificate from a plain `CERTIFICATE` block (or DER, the embedded CAs,
/// the OS store) is trusted for every purpose. A `TRUSTED CERTIFICATE` block
/// carries OpenSSL's settings, which are honoured as `openssl verify` does for
/// its SSL purposes: a usage is refused when its EKU (serverAuth for
/// [`Usage::ServerAuth`], clientAuth for [`Usage::ClientAuth`]) or
/// anyExtendedKeyUsage is rejected, or when a trust list is present and holds
/// neither that EKU nor anyExtendedKeyUsage.
///
/// ```
/// use hybridtrust::{TrustSettings, Usage};
/// let any = TrustSettings::default();
/// assert!(any.is_unrestricted() && any.allows(Usage::ServerAuth));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct TrustSettings {
    /// `None`: no trust list (trusted for any purpose not rejected).
    #[serde(rename = "trusted_purposes")]
    trusted: Option<Vec<String>>,
    #[serde(rename = "rejected_purposes")]
    rejected: Vec<String>,
    alias: Option<String>,
}

impl TrustSettings {
    /// The purposes (dotted EKU OIDs) the anchor is explicitly trusted for;
    /// `None` when there is no trust list, so that every purpose that is not
    /// rejected is trusted. An empty list trusts nothing.
    pub fn trusted_purposes(&self) -> Option<&[String]> {
        self.trusted.as_deref()
    }
    /// The purposes (dotted EKU OIDs) the anchor is rejected for;
    /// anyExtendedKeyUsage (`2.5.29.37.0`) rejects every purpose.
    pub fn rejected_purposes(&self) -> &[String] {
        &self.rejected
    }
    /// OpenSSL's alias (`-setalias`), when one was set; informational only.
    pub fn alias(&self) -> Option<&str> {
        self.alias.as_deref()
    }
    /// True when the settings restrict nothing (no trust list other than one
    /// holding anyExtendedKeyUsage, nothing rejected): a plain certificate
    /// says the same, so only such anchors go into a plain PEM export.
    pub fn is_unrestricted(&self) -> bool {
        self.rejected.is_empty()
            && self
                .trusted
                .as_ref()
                .is_none_or(|t| t.iter().any(|o| o == ANY_EKU))
    }
    /// True when the anchor may complete a path for `usage`.
    pub fn allows(&self, usage: Usage) -> bool {
        let eku = match usage {
            Usage::ServerAuth => SERVER_AUTH,
            Usage::ClientAuth => CLIENT_AUTH,
        };
        if self.rejected.iter().any(|o| o == eku || o == ANY_EKU) {
            return false;
        }
        match &self.trusted {
            None => true,
            Some(list) => list.iter().any(|o| o == eku || o == ANY_EKU),
        }
    }
    /// True when the anchor may complete a path for no usage this library verifies.
    pub fn allows_no_usage(&self) -> bool {
        !self.allows(Usage::ServerAuth) && !self.allows(Usage::ClientAuth)
    }

    /// The narrower of two settings for the same certificate: what both allow.
    pub(crate) fn narrowed(&self, other: &TrustSettings) -> TrustSettings {
        let any =
            |t: &Option<Vec<String>>| t.as_ref().is_none_or(|t| t.iter().any(|o| o == ANY_EKU));
        let trusted = match (any(&self.trusted), any(&other.trusted)) {
            (true, true) => match (&self.trusted, &other.trusted) {
                (None, None) => None,
                (Some(t), _) | (_, Some(t)) => Some(t.clone()),
            },
            (true, false) => other.trusted.clone(),
            (false, true) => self.trusted.clone(),
            (false, false) => Some(
                self.trusted
                    .iter()
                    .flatten()
                    .filter(|o| other.trusted.iter().flatten().any(|p| p == *o))
                    .cloned()
                    .collect(),
            ),
        };
        let mut rejected = self.rejected.clone();
        for o in &other.rejected {
            if !rejected.contains(o) {
                rejected.push(o.clone());
            }
        }
        TrustSettings {
            trusted,
            rejected,
            alias: self.alias.clone().or_else(|| other.alias.clone()),
        }
    }

    /// What the settings do to the TLS usages, in words, e.g. "rejected for
    /// serverAuth; trusted for clientAuth only".
    pub(crate) fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = &self.trusted {
            parts.push(if t.is_empty() {
                "an empty trust list (trusted for nothing)".to_string()
            } else {
                format!("trusted only for {}", names(t))
            });
        }
        if !self.rejected.is_empty() {
            parts.push(format!("rejected for {}", names(&self.rejected)));
        }
        parts.join("; ")
    }

    /// The TLS usages the settings refuse, as EKU names.
    pub(crate) fn refused_usages(&self) -> Vec<&'static str> {
        [
            (Usage::ServerAuth, "serverAuth"),
            (Usage::ClientAuth, "clientAuth"),
        ]
        .into_iter()
        .filter(|(u, _)| !self.allows(*u))
        .map(|(_, n)| n)
        .collect()
    }
}

impl fmt::Display for TrustSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_unrestricted() {
            f.write_str("trusted for any purpose")
        } else {
            f.write_str(&self.describe())
        }
    }
}

/// The EKU OID's usual name (`serverAuth`), or the dotted OID.
pub(crate) fn purpose_name(oid: &str) -> &str {
    match oid {
        SERVER_AUTH => "serverAuth",
        CLIENT_AUTH => "clientAuth",
        "1.3.6.1.5.5.7.3.3" => "codeSigning",
        "1.3.6.1.5.5.7.3.4" => "emailProtection",
        "1.3.6.1.5.5.7.3.8" => "timeStamping",
        "1.3.6.1.5.5.7.3.9" => "OCSPSigning",
        ANY_EKU => "anyExtendedKeyUsage",
        other => other,
    }
}

fn names(oids: &[String]) -> String {
    oids.iter()
        .map(|o| purpose_name(o))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Splits a `TRUSTED CERTIFICATE` block's DER into the certificate's DER and
/// its trust settings. The block is the certificate, optionally followed by
/// one `X509_CERT_AUX`; anything else after the certificate, or an aux that
/// does not parse, is an error (the entry is refused, never trusted for more).
pub(crate) fn split_trusted_certificate(der: &[u8]) -> Result<(Vec<u8>, TrustSettings), String> {
    let mut reader = SliceReader::new(der).map_err(|e| format!("not DER: {e}"))?;
    let cert = reader
        .tlv_bytes()
        .map_err(|e| format!("no certificate at the start: {e}"))?
        .to_vec();
    if reader.is_finished() {
        // `-trustout` without settings: trusted for every purpose, as OpenSSL does.
        return Ok((cert, TrustSettings::default()));
    }
    let aux = CertAux::decode(&mut reader)
        .map_err(|e| format!("the trust settings after the certificate do not parse: {e}"))?;
    if !reader.is_finished() {
        return Err(format!(
            "{} bytes follow the certificate and its trust settings",
            reader.remaining_len()
        ));
    }
    // keyid and other are informational in OpenSSL's trust check; read, not used.
    let CertAux {
        trust,
        reject,
        alias,
        keyid: _,
        other: _,
    } = aux;
    let oids = |v: Vec<ObjectIdentifier>| v.iter().map(ToString::to_string).collect::<Vec<_>>();
    Ok((
        cert,
        TrustSettings {
            trusted: trust.map(oids),
            rejected: reject.map(oids).unwrap_or_default(),
            alias,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Encode;

    fn aux(trust: Option<&[&str]>, reject: Option<&[&str]>) -> Vec<u8> {
        let list = |l: &[&str]| {
            l.iter()
                .map(|o| ObjectIdentifier::new_unwrap(o))
                .collect::<Vec<_>>()
        };
        CertAux {
            trust: trust.map(list),
            reject: reject.map(list),
            alias: Some("alias".into()),
            keyid: None,
            other: None,
        }
        .to_der()
        .unwrap()
    }

    const CERT: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x05];

    #[test]
    fn settings_follow_openssl_for_the_ssl_purposes() {
        let mut der = CERT.to_vec();
        der.extend(aux(None, Some(&[SERVER_AUTH])));
        let (cert, s) = split_trusted_certificate(&der).unwrap();
        assert_eq!(cert, CERT);
        assert!(!s.allows(Usage::ServerAuth) && s.allows(Usage::ClientAuth));
        assert_eq!(s.alias(), Some("alias"));

        let mut der = CERT.to_vec();
        der.extend(aux(Some(&[CLIENT_AUTH]), None));
        let (_, s) = split_trusted_certificate(&der).unwrap();
        assert!(!s.allows(Usage::ServerAuth) && s.allows(Usage::ClientAuth));
        assert!(!s.is_unrestricted());

        let mut der = CERT.to_vec();
        der.extend(aux(Some(&[ANY_EKU]), None));
        assert!(split_trusted_certificate(&der).unwrap().1.is_unrestricted());

        let mut der = CERT.to_vec();
        der.extend(aux(Some(&[SERVER_AUTH]), Some(&[ANY_EKU])));
        assert!(split_trusted_certificate(&der).unwrap().1.allows_no_usage());

        let mut der = CERT.to_vec();
        der.extend(aux(Some(&[]), None));
        assert!(split_trusted_certificate(&der).unwrap().1.allows_no_usage());
    }

    #[test]
    fn anything_else_after_the_certificate_is_refused() {
        assert!(split_trusted_certificate(CERT).unwrap().1.is_unrestricted());
        let mut der = CERT.to_vec();
        der.extend(aux(None, Some(&[SERVER_AUTH])));
        der.push(0);
        assert!(split_trusted_certificate(&der).is_err());
        let mut der = CERT.to_vec();
        der.extend([0x04, 0x01, 0x00]); // an OCTET STRING, not an aux
        assert!(split_trusted_certificate(&der).is_err());
        let mut der = CERT.to_vec();
        der.extend([0x30, 0x05, 0x06]); // truncated
        assert!(split_trusted_certificate(&der).is_err());
        assert!(split_trusted_certificate(&[]).is_err());
    }

    #[test]
    fn narrowing_keeps_what_both_allow() {
        let server_only = TrustSettings {
            trusted: Some(vec![SERVER_AUTH.into()]),
            ..TrustSettings::default()
        };
        let client_only = TrustSettings {
            trusted: Some(vec![CLIENT_AUTH.into()]),
            ..TrustSettings::default()
        };
        assert!(server_only.narrowed(&client_only).allows_no_usage());
        let any = TrustSettings::default();
        assert_eq!(any.narrowed(&server_only), server_only);
        assert_eq!(server_only.narrowed(&any), server_only);
        let no_server = TrustSettings {
            rejected: vec![SERVER_AUTH.into()],
            ..TrustSettings::default()
        };
        assert!(any.narrowed(&no_server).allows(Usage::ClientAuth));
        assert!(!any.narrowed(&no_server).allows(Usage::ServerAuth));
    }
}
