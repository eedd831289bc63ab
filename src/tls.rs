//! rustls integration (feature `rustls`, on by default): verifiers that make a
//! rustls client or server enforce exactly the rules of this crate.
//!
//! * [`ServerVerifier`] is a [`ServerCertVerifier`]: a TLS client verifies the
//!   server's chain against a [`TrustStore`] under a [`Policy`], and its name
//!   with an [`IdentityRule`], which may differ from the name it dialled (the
//!   SIP case: connect to an SRV target, verify `callservice.webex.com`).
//! * [`ClientVerifier`] is a [`ClientCertVerifier`] for mutual TLS: a TLS
//!   server verifies the client's chain, the zone's inbound rule (CN or SAN)
//!   and the zone's EKU mode, and classifies the connection as an Expressway
//!   would ([`Inbound`]).
//!
//! A rejected handshake carries the full [`Diagnosis`]: rustls reports
//! `Error::InvalidCertificate(CertificateError::Other(..))` wrapping it, and
//! [`diagnosis_of`] gets it back. Each verifier also keeps the last diagnosis.
//!
//! Handshake signatures are checked by the rustls crypto provider selected
//! by the crate features (`aws-lc-rs` by default, or `ring`), unless one is
//! given with `with_provider`.
//!
//! ```
//! # let (store, _chain, _at) = hybridtrust::doc_support::example_store_chain_time();
//! use std::sync::Arc;
//! use hybridtrust::{Policy, Zone};
//! use hybridtrust::tls::ServerVerifier;
//!
//! // Dial an SRV target, but verify the zone's subject name.
//! let verifier = Arc::new(ServerVerifier::for_zone(store, &Zone::webex_hybrid(), &Policy::server_auth()));
//! let config = rustls::ClientConfig::builder_with_provider(verifier.provider().clone())
//!     .with_safe_default_protocol_versions()
//!     .unwrap()
//!     .dangerous()
//!     .with_custom_certificate_verifier(verifier.clone())
//!     .with_no_client_auth();
//! # let _ = config;
//! ```

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{
    CertificateError, DigitallySignedStruct, DistinguishedName, OtherError, SignatureScheme,
};

use crate::name::IdentityRule;
use crate::profile::{Inbound, Zone};
use crate::store::TrustStore;
use crate::verify::{Diagnosis, DiagnosisKind, Policy, Verified, Verifier};

/// The crypto provider the crate features select: aws-lc-rs (feature
/// `aws-lc-rs`, the default) or *ring* (feature `ring`).
pub fn default_provider() -> Arc<CryptoProvider> {
    #[cfg(feature = "aws-lc-rs")]
    {
        Arc::new(rustls::crypto::aws_lc_rs::default_provider())
    }
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    {
        Arc::new(rustls::crypto::ring::default_provider())
    }
}

/// The rustls error that carries `diagnosis` (alert `certificate_unknown`).
pub fn to_rustls_error(diagnosis: Diagnosis) -> rustls::Error {
    rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(diagnosis))))
}

/// The [`Diagnosis`] a verifier of this module put into a rustls error, if any.
///
/// ```
/// use hybridtrust::tls::{diagnosis_of, ServerVerifier};
/// # let (store, chain, at) = hybridtrust::doc_support::example_store_chain_time();
/// let verifier = ServerVerifier::new(store, hybridtrust::Policy::server_auth().with_time(at), None);
/// let err = verifier.verify_chain(&chain[..1], "callservice.webex.com").unwrap_err();
/// let rustls_err = hybridtrust::tls::to_rustls_error(err);
/// assert_eq!(diagnosis_of(&rustls_err).unwrap().kind, hybridtrust::DiagnosisKind::IncompleteChain);
/// ```
pub fn diagnosis_of(error: &rustls::Error) -> Option<&Diagnosis> {
    match error {
        rustls::Error::InvalidCertificate(CertificateError::Other(other)) => {
            other.0.downcast_ref::<Diagnosis>()
        }
        _ => None,
    }
}

impl TrustStore {
    /// The anchors as a `rustls::RootCertStore` (feature `rustls`), for
    /// code that uses rustls' own verifier. Like
    /// [`webpki_anchors`](TrustStore::webpki_anchors), it leaves out anchors
    /// whose OpenSSL trust settings restrict them, which rustls cannot apply.
    ///
    /// ```
    /// # let (store, _, _) = hybridtrust::doc_support::example_store_chain_time();
    /// let roots = store.to_root_cert_store();
    /// assert_eq!(roots.len(), store.len());
    /// ```
    pub fn to_root_cert_store(&self) -> rustls::RootCertStore {
        rustls::RootCertStore {
            roots: self.webpki_anchors().to_vec(),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The guarded values are plain replacements; a panic cannot leave them torn.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn chain_of(
    end_entity: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
) -> Vec<CertificateDer<'static>> {
    std::iter::once(end_entity)
        .chain(intermediates)
        .map(|c| c.clone().into_owned())
        .collect()
}

/// The last decision a verifier made (for diagnostics; with concurrent
/// handshakes on one verifier, "last" is whichever finished last).
#[derive(Debug, Default)]
struct Last {
    chain: Option<Vec<CertificateDer<'static>>>,
    verified: Option<Verified>,
    diagnosis: Option<Diagnosis>,
}

/// A rustls [`ServerCertVerifier`] that applies a [`TrustStore`], a
/// [`Policy`] and an identity rule to the server's chain.
///
/// With no identity rule, the name the client dialled (SNI) is checked with
/// the RFC 6125 SAN rule ([`IdentityRule::san`]). With a rule, the rule's
/// name is checked instead, whatever name was dialled.
///
/// The policy's validation time, when unset, is the handshake's time. The
/// policy's usage is forced to server authentication.
///
/// The verifier remembers the last handshake's chain, result and diagnosis
/// ([`last_diagnosis`](Self::last_diagnosis) and friends). With concurrent
/// handshakes on one verifier, "last" is whichever finished last; for a
/// result tied to one connection, use [`diagnosis_of`] on its error, or
/// [`verify_chain`](Self::verify_chain) on its peer certificates.
///
/// ```
/// # let (store, chain, at) = hybridtrust::doc_support::example_store_chain_time();
/// use hybridtrust::{IdentityRule, Policy};
/// use hybridtrust::tls::ServerVerifier;
/// let rule = IdentityRule::san("callservice.webex.com").unwrap();
/// let verifier = ServerVerifier::new(store, Policy::server_auth().with_time(at), Some(rule));
/// // The rule's name is checked, not the dialled one.
/// assert!(verifier.verify_chain(&chain, "srv-target.example.net").is_ok());
/// ```
pub struct ServerVerifier {
    verifier: Verifier,
    identity: Option<IdentityRule>,
    provider: Arc<CryptoProvider>,
    last: Mutex<Last>,
}

impl fmt::Debug for ServerVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerVerifier")
            .field("store", self.verifier.store())
            .field("policy", self.verifier.policy())
            .field("identity", &self.identity)
            .finish_non_exhaustive()
    }
}

impl ServerVerifier {
    /// A verifier for `store` under `policy`, checking `identity` on the leaf
    /// (or the dialled name when `None`).
    pub fn new(store: TrustStore, policy: Policy, identity: Option<IdentityRule>) -> Self {
        Self {
            // Repeated handshakes with the same peer are served by the
            // verifier's sound cache.
            verifier: Verifier::new(store, policy.with_usage(crate::Usage::ServerAuth)),
            identity,
            provider: default_provider(),
            last: Mutex::new(Last::default()),
        }
    }

    /// A verifier for an outbound connection into `zone`: the zone's
    /// outbound policy and its SAN rule on the zone's subject name.
    pub fn for_zone(store: TrustStore, zone: &Zone, base: &Policy) -> Self {
        Self::new(
            store,
            zone.outbound_policy(base),
            Some(zone.outbound_rule()),
        )
    }

    /// Uses `provider` for handshake signatures instead of the default one.
    pub fn with_provider(mut self, provider: Arc<CryptoProvider>) -> Self {
        self.provider = provider;
        self
    }

    /// The crypto provider used for handshake signatures (also the one to
    /// build the `ClientConfig` with).
    pub fn provider(&self) -> &Arc<CryptoProvider> {
        &self.provider
    }
    /// The trust store.
    pub fn store(&self) -> &TrustStore {
        self.verifier.store()
    }
    /// The policy.
    pub fn policy(&self) -> &Policy {
        self.verifier.policy()
    }
    /// The identity rule, when one replaces the dialled name.
    pub fn identity(&self) -> Option<&IdentityRule> {
        self.identity.as_ref()
    }

    /// Verifies `chain` as if `dialled` had been the server name of a
    /// handshake (without recording anything).
    pub fn verify_chain(
        &self,
        chain: &[CertificateDer<'_>],
        dialled: &str,
    ) -> Result<Verified, Diagnosis> {
        let at = self.policy().time().unwrap_or_else(UnixTime::now);
        self.verify_at(chain, dialled, at)
    }

    fn verify_at(
        &self,
        chain: &[CertificateDer<'_>],
        dialled: &str,
        at: UnixTime,
    ) -> Result<Verified, Diagnosis> {
        let rule = match &self.identity {
            Some(rule) => rule.clone(),
            None => IdentityRule::san(dialled).map_err(|e| {
                Diagnosis::new(
                    DiagnosisKind::NameMismatch,
                    format!("the dialled name cannot be checked: {e}"),
                    "dial a DNS name or an IP address, or give an explicit identity rule",
                )
            })?,
        };
        self.verifier.verify_at(chain, Some(&rule), at)
    }

    /// The diagnosis of the last rejected handshake (cleared by an accepted one).
    pub fn last_diagnosis(&self) -> Option<Diagnosis> {
        lock(&self.last).diagnosis.clone()
    }
    /// The result of the last accepted handshake (cleared by a rejected one).
    pub fn last_verified(&self) -> Option<Verified> {
        lock(&self.last).verified.clone()
    }
    /// The chain the server presented in the last handshake, leaf first.
    pub fn last_presented_chain(&self) -> Option<Vec<CertificateDer<'static>>> {
        lock(&self.last).chain.clone()
    }
}

impl ServerCertVerifier for ServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let chain = chain_of(end_entity, intermediates);
        let dialled = match server_name {
            ServerName::DnsName(d) => d.as_ref().to_string(),
            ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
            _ => String::new(),
        };
        let at = self.policy().time().unwrap_or(now);
        let result = self.verify_at(&chain, &dialled, at);
        let mut last = lock(&self.last);
        last.chain = Some(chain);
        match result {
            Ok(v) => {
                last.verified = Some(v);
                last.diagnosis = None;
                Ok(ServerCertVerified::assertion())
            }
            Err(d) => {
                last.verified = None;
                last.diagnosis = Some(d.clone());
                Err(to_rustls_error(d))
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// What a [`ClientVerifier`] does with a trusted client whose certificate
/// does not carry the zone's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unmapped {
    /// Refuse the handshake (the default: only the zone's peer may connect).
    Reject,
    /// Accept the handshake and classify the connection into the Default
    /// Zone, as Expressway does. The chain must still be trusted, and the EKU
    /// must still satisfy the zone's EKU mode. Clients without a certificate
    /// are accepted too (client authentication becomes optional).
    DefaultZone,
}

/// A rustls [`ClientCertVerifier`] for mutual TLS into a [`Zone`]: the
/// client's chain must be trusted for client authentication under the zone's
/// EKU mode (strict clientAuth, or serverAuth-only accepted during the
/// clientAuth sunset), and its CN or a SAN must carry the zone's subject name.
///
/// [`ClientVerifier::classify`] gives the Expressway-style classification of
/// a connection's peer chain (after the handshake, from
/// `ServerConnection::peer_certificates`; an empty chain when the client
/// sent none); [`ClientVerifier::last_inbound`] the classification of the
/// last handshake that presented a certificate (with concurrent handshakes,
/// whichever finished last).
///
/// ```
/// # let (store, chain, at) = hybridtrust::doc_support::example_store_chain_time();
/// use std::sync::Arc;
/// use hybridtrust::{EkuMode, Inbound, Policy, Zone};
/// use hybridtrust::tls::ClientVerifier;
///
/// let zone = Zone::webex_hybrid().with_eku_mode(EkuMode::AcceptServerAuthOnly);
/// let verifier = Arc::new(ClientVerifier::new(store, zone, Policy::client_auth().with_time(at)));
/// assert!(matches!(verifier.classify(&chain), Inbound::Mapped { .. }));
/// let config = rustls::ServerConfig::builder_with_provider(verifier.provider().clone())
///     .with_safe_default_protocol_versions()
///     .unwrap()
///     .with_client_cert_verifier(verifier.clone());
/// # let _ = config;
/// ```
pub struct ClientVerifier {
    verifier: Verifier,
    zone: Zone,
    rule: IdentityRule,
    unmapped: Unmapped,
    hints: Vec<DistinguishedName>,
    provider: Arc<CryptoProvider>,
    last: Mutex<Option<Inbound>>,
}

impl fmt::Debug for ClientVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientVerifier")
            .field("store", self.verifier.store())
            .field("zone", &self.zone.name)
            .field("policy", self.verifier.policy())
            .field("unmapped", &self.unmapped)
            .finish_non_exhaustive()
    }
}

impl ClientVerifier {
    /// A verifier for inbound connections into `zone`, with `base` adjusted by
    /// [`Zone::inbound_policy`] (client authentication, the zone's EKU mode).
    /// The store's anchors are sent as the acceptable CA names.
    pub fn new(store: TrustStore, zone: Zone, base: Policy) -> Self {
        let hints = store
            .anchors()
            .iter()
            .filter(|a| a.is_trusted_for(crate::verify::Usage::ClientAuth))
            .map(|a| DistinguishedName::in_sequence(a.certificate().subject_der()))
            .collect();
        let policy = zone.inbound_policy(&base);
        Self {
            verifier: Verifier::new(store, policy),
            rule: zone.inbound_rule(),
            zone,
            unmapped: Unmapped::Reject,
            hints,
            provider: default_provider(),
            last: Mutex::new(None),
        }
    }

    /// Sets what happens to trusted clients outside the zone (default: [`Unmapped::Reject`]).
    pub fn with_unmapped(mut self, unmapped: Unmapped) -> Self {
        self.unmapped = unmapped;
        self
    }
    /// Uses `provider` for handshake signatures instead of the default one.
    pub fn with_provider(mut self, provider: Arc<CryptoProvider>) -> Self {
        self.provider = provider;
        self
    }
    /// The crypto provider (also the one to build the `ServerConfig` with).
    pub fn provider(&self) -> &Arc<CryptoProvider> {
        &self.provider
    }
    /// The zone.
    pub fn zone(&self) -> &Zone {
        &self.zone
    }
    /// The inbound policy in force.
    pub fn policy(&self) -> &Policy {
        self.verifier.policy()
    }

    /// Classifies a client chain (leaf first; empty when the client sent no
    /// certificate): mapped into the zone, or the Default Zone and why.
    pub fn classify(&self, chain: &[CertificateDer<'_>]) -> Inbound {
        let at = self.policy().time().unwrap_or_else(UnixTime::now);
        self.classify_at(chain, at)
    }

    fn classify_at(&self, chain: &[CertificateDer<'_>], at: UnixTime) -> Inbound {
        match self.verifier.verify_at(chain, Some(&self.rule), at) {
            Ok(verified) => Inbound::Mapped {
                zone: self.zone.name.clone(),
                verified,
            },
            Err(diagnosis) => Inbound::DefaultZone { diagnosis },
        }
    }

    /// The classification of the last handshake that presented a certificate.
    pub fn last_inbound(&self) -> Option<Inbound> {
        lock(&self.last).clone()
    }
    /// The diagnosis of the last handshake that did not map into the zone.
    pub fn last_diagnosis(&self) -> Option<Diagnosis> {
        match &*lock(&self.last) {
            Some(Inbound::DefaultZone { diagnosis }) => Some(diagnosis.clone()),
            _ => None,
        }
    }
}

impl ClientCertVerifier for ClientVerifier {
    fn client_auth_mandatory(&self) -> bool {
        self.unmapped == Unmapped::Reject
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.hints
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        let chain = chain_of(end_entity, intermediates);
        let inbound = self.classify_at(&chain, self.policy().time().unwrap_or(now));
        let result = match &inbound {
            Inbound::Mapped { .. } => Ok(ClientCertVerified::assertion()),
            Inbound::DefaultZone { diagnosis }
                if diagnosis.kind == DiagnosisKind::NameMismatch
                    && self.unmapped == Unmapped::DefaultZone =>
            {
                Ok(ClientCertVerified::assertion())
            }
            Inbound::DefaultZone { diagnosis } => Err(to_rustls_error(diagnosis.clone())),
        };
        *lock(&self.last) = Some(inbound);
        result
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
