//! Chain verification on rustls-webpki, and what it returns: a verified path or a diagnosis.

mod algorithms;
mod cache;
mod cn_constraints;
mod diagnosis;
mod explain;
mod policy;
pub(crate) mod profile;

use std::fmt;
use std::sync::{Arc, OnceLock};

use pki_types::{CertificateDer, SignatureVerificationAlgorithm, TrustAnchor, UnixTime};
use serde::Serialize;
use webpki::{EndEntityCert, ExtendedKeyUsageValidator, KeyPurposeIdIter, KeyUsage};

pub use diagnosis::{CertRef, Diagnosis, DiagnosisKind, Role};
pub use policy::{
    Crl, EkuMode, Policy, ProfileChecks, RevocationScope, Sha1Policy, UnknownStatus, Usage,
};

use crate::cert::{CertSummary, Certificate, SignatureHash, OID_EKU_CLIENT_AUTH};
use crate::error::Error;
use crate::facts::{Facts, Want};
use crate::name::{IdentityRule, MatchedName, NameMatch, Presented};
use crate::store::{Anchor, Provenance, TrustStore};
use crate::time::{days_between, format_time};

const EKU_SERVER_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
const EKU_CLIENT_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];

/// Verifies chains against one trust store and one policy.
///
/// Cheap to clone; `Send + Sync`.
///
/// ```
/// # let (store, chain, at) = hybridtrust::doc_support::example_store_chain_time();
/// use hybridtrust::{IdentityRule, Policy, Verifier};
/// let verifier = Verifier::new(store, Policy::server_auth().with_time(at));
/// let rule = IdentityRule::san("callservice.webex.com").unwrap();
/// let verified = verifier.verify(&chain, Some(&rule)).unwrap();
/// assert_eq!(verified.path().len(), 3);
///
/// let wrong = IdentityRule::san("exchange.example.com").unwrap();
/// let diagnosis = verifier.verify(&chain, Some(&wrong)).unwrap_err();
/// assert_eq!(diagnosis.kind, hybridtrust::DiagnosisKind::NameMismatch);
/// ```
#[derive(Clone, Debug)]
pub struct Verifier {
    store: TrustStore,
    policy: Policy,
    cache: Option<Arc<cache::Cache>>,
}

/// Accepted chains a [`Verifier`] remembers by default.
pub const DEFAULT_CACHE_CAPACITY: usize = 256;

impl Verifier {
    /// A verifier for `store` under `policy`, with a cache of
    /// [`DEFAULT_CACHE_CAPACITY`] accepted chains.
    pub fn new(store: TrustStore, policy: Policy) -> Self {
        Self {
            store,
            policy,
            cache: Some(Arc::new(cache::Cache::new(DEFAULT_CACHE_CAPACITY))),
        }
    }

    /// Sets the cache size in accepted chains; 0 turns the cache off.
    ///
    /// The cache is sound by construction: a verifier has one store snapshot
    /// and one policy; an entry matches only the exact chain bytes and
    /// identity rule; a hit is returned only while the validation time lies
    /// inside the window in which the original result stays the same (every
    /// certificate valid, no expiry warning due, no enforced CRL past its
    /// nextUpdate). Rejections are never cached. Memory is bounded: the least
    /// recently used entry is evicted.
    pub fn with_cache_capacity(mut self, capacity: usize) -> Self {
        self.cache = (capacity > 0).then(|| Arc::new(cache::Cache::new(capacity)));
        self
    }

    /// Number of accepted chains currently cached.
    pub fn cached_len(&self) -> usize {
        self.cache.as_ref().map_or(0, |c| c.len())
    }

    /// The store.
    pub fn store(&self) -> &TrustStore {
        &self.store
    }
    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Verifies `chain` (leaf first, then intermediates in any order;
    /// duplicates and unrelated certificates are tolerated) and, when given,
    /// the identity rule on the leaf.
    pub fn verify(
        &self,
        chain: &[CertificateDer<'_>],
        identity: Option<&IdentityRule>,
    ) -> Result<Verified, Diagnosis> {
        let at = self.policy.time.unwrap_or_else(UnixTime::now);
        self.verify_at(chain, identity, at)
    }

    /// [`Verifier::verify`] at an explicit validation time, overriding the
    /// policy's (a TLS library hands its own notion of "now").
    pub fn verify_at(
        &self,
        chain: &[CertificateDer<'_>],
        identity: Option<&IdentityRule>,
        at: UnixTime,
    ) -> Result<Verified, Diagnosis> {
        if let Some(hit) = self.cache.as_ref().and_then(|c| c.get(chain, identity, at)) {
            return Ok(hit);
        }
        let result = verify_chain(&self.store, &self.policy, at, chain, identity);
        match result {
            Ok(verified) => {
                if let Some(cache) = &self.cache {
                    cache.put(chain, identity, &verified);
                }
                Ok(verified)
            }
            Err(mut d) => {
                d.store_generation = self.store.generation();
                Err(d)
            }
        }
    }
}

/// Verifies `chain` against `store` under `policy`; see [`Verifier::verify`].
pub fn verify(
    store: &TrustStore,
    chain: &[CertificateDer<'_>],
    policy: &Policy,
    identity: Option<&IdentityRule>,
) -> Result<Verified, Diagnosis> {
    let at = policy.time.unwrap_or_else(UnixTime::now);
    verify_chain(store, policy, at, chain, identity).map_err(|mut d| {
        d.store_generation = store.generation();
        d
    })
}

/// Reads a chain from PEM text (leaf first) or one DER certificate.
///
/// ```
/// let err = hybridtrust::parse_chain(b"garbage").unwrap_err();
/// assert!(err.to_string().contains("PEM"));
/// ```
pub fn parse_chain(bytes: &[u8]) -> Result<Vec<CertificateDer<'static>>, Error> {
    let limits = crate::Limits::default();
    if bytes.len() > limits.max_source_bytes {
        return Err(Error::LimitExceeded {
            what: "chain input",
            limit: limits.max_source_bytes,
            actual: bytes.len(),
        });
    }
    let mut out = Vec::new();
    for item in crate::store::split_source(bytes, limits.max_chain_certificates) {
        match item.content {
            Ok(der) => out.push(CertificateDer::from(der)),
            Err((_, message)) => {
                return Err(Error::Parse(format!(
                    "chain item #{}: {message}",
                    item.index
                )))
            }
        }
    }
    if out.is_empty() {
        return Err(Error::Parse("no certificate in the chain input".into()));
    }
    Ok(out)
}

/// What kind of warning a successful verification carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum WarningKind {
    /// A certificate of the path expires within the policy's warning window.
    ExpiresSoon,
    /// A SHA-1 signature was accepted because the policy allows it with a warning.
    Sha1Accepted,
    /// A client certificate without clientAuth was accepted (EKU transition mode).
    ClientAuthMissingAccepted,
    /// The peer's certificate lacks clientAuth although the peer also
    /// authenticates as a client (mutual TLS); strict EKU checking on the
    /// other direction will refuse it.
    NoClientAuthForMutualTls,
    /// The trust anchor itself is outside its validity period (anchors' dates are not enforced).
    AnchorOutsideValidity,
    /// A certificate of the path breaks a certificate-profile rule that the
    /// policy's [`ProfileChecks`] setting does not enforce for this chain
    /// (lenient, or a strict-verifier or CA/Browser Forum rule on a chain to
    /// a customer's own CA); the message starts with the rule id.
    ProfileViolationAccepted,
}

/// A warning on an accepted chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What kind.
    pub kind: WarningKind,
    /// The certificate concerned.
    pub certificate: CertRef,
    /// One sentence for the admin.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.certificate, self.message)
    }
}

/// One certificate of a verified path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathEntry {
    /// Leaf, intermediate or anchor.
    pub role: Role,
    /// Index in the presented chain; `None` for the anchor.
    pub position: Option<usize>,
    /// Subject, issuer, validity, fingerprint.
    pub certificate: CertSummary,
}

/// An accepted chain: the path, what the identity rule matched, the warnings.
#[derive(Clone, Debug)]
pub struct Verified {
    inner: Arc<VerifiedInner>,
    at: UnixTime,
    cached: bool,
}

#[derive(Debug)]
struct VerifiedInner {
    store: TrustStore,
    anchor_index: usize,
    identity: Option<NameMatch>,
    warnings: Vec<Warning>,
    /// The presented path certificates (position in the chain, DER), leaf
    /// first; each passed the full parser during verification.
    presented: Vec<(usize, CertificateDer<'static>)>,
    /// Leaf first, anchor last: built on first read.
    path: OnceLock<Vec<PathEntry>>,
    /// The validation times for which the same inputs give this same result
    /// (`None` when the result must not be reused).
    window: Option<(UnixTime, UnixTime)>,
}

impl Verified {
    /// The path, leaf first, anchor last.
    pub fn path(&self) -> &[PathEntry] {
        self.inner.path.get_or_init(|| {
            let mut out = Vec::with_capacity(self.inner.presented.len() + 1);
            for (i, (position, der)) in self.inner.presented.iter().enumerate() {
                // Verification refused any path certificate the full parser
                // refuses, so every entry is here.
                if let Ok(cert) = Certificate::from_der(der.as_ref()) {
                    out.push(PathEntry {
                        role: if i == 0 {
                            Role::Leaf
                        } else {
                            Role::Intermediate
                        },
                        position: Some(*position),
                        certificate: cert.summary(),
                    });
                }
            }
            out.push(PathEntry {
                role: Role::Anchor,
                position: None,
                certificate: self.anchor().certificate().summary(),
            });
            out
        })
    }
    /// The trust anchor that completed the path.
    pub fn anchor(&self) -> &Anchor {
        &self.inner.store.anchors()[self.inner.anchor_index]
    }
    /// Where the anchor came from.
    pub fn anchor_provenance(&self) -> &Provenance {
        self.anchor().provenance()
    }
    /// What the identity rule matched (`None` when no rule was given).
    pub fn identity(&self) -> Option<&NameMatch> {
        self.inner.identity.as_ref()
    }
    /// Warnings on the accepted chain.
    pub fn warnings(&self) -> &[Warning] {
        &self.inner.warnings
    }
    /// The generation of the trust store that decided.
    pub fn store_generation(&self) -> u64 {
        self.inner.store.generation()
    }
    /// The validation time used.
    pub fn validated_at(&self) -> UnixTime {
        self.at
    }
    /// True when this result came from the verifier's cache: the same chain,
    /// rule, policy and store were verified before, and the validation time
    /// lies inside the window in which that result stays the same.
    pub fn from_cache(&self) -> bool {
        self.cached
    }
    /// The result as JSON (path, anchor provenance, identity, warnings).
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            path: &'a [PathEntry],
            anchor_provenance: &'a Provenance,
            identity: Option<&'a NameMatch>,
            warnings: &'a [Warning],
            store_generation: u64,
            validated_at: String,
        }
        serde_json::to_string(&Out {
            path: self.path(),
            anchor_provenance: self.anchor_provenance(),
            identity: self.identity(),
            warnings: self.warnings(),
            store_generation: self.store_generation(),
            validated_at: format_time(self.at),
        })
        .unwrap_or_else(|_| "{}".to_string())
    }
}

impl fmt::Display for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "trusted")?;
        if let Some(m) = &self.inner.identity {
            write!(f, " as '{}' (matched {})", m.expected, m.matched)?;
        }
        write!(f, "; anchor from {}", self.anchor_provenance())?;
        for w in &self.inner.warnings {
            write!(f, "\n  warning: {w}")?;
        }
        Ok(())
    }
}

/// clientAuth, or serverAuth-only during the clientAuth sunset.
struct TransitionEku;

impl ExtendedKeyUsageValidator for TransitionEku {
    fn validate(&self, iter: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        let mut present = Vec::new();
        for id in iter {
            let id = id?;
            if id == webpki::KeyPurposeId::new(EKU_CLIENT_AUTH)
                || id == webpki::KeyPurposeId::new(EKU_SERVER_AUTH)
            {
                return Ok(());
            }
            present.push(id.to_decoded_oid());
        }
        if present.is_empty() {
            return Ok(()); // no EKU extension: any usage
        }
        Err(webpki::Error::RequiredEkuNotFoundContext(
            webpki::RequiredEkuNotFoundContext {
                required: KeyUsage::client_auth(),
                present,
            },
        ))
    }
}

fn verify_chain(
    store: &TrustStore,
    policy: &Policy,
    at: UnixTime,
    chain: &[CertificateDer<'_>],
    identity: Option<&IdentityRule>,
) -> Result<Verified, Diagnosis> {
    let Some(leaf_der) = chain.first() else {
        return Err(Diagnosis::new(
            DiagnosisKind::EmptyChain,
            "no certificate was presented",
            "make the peer send its certificate (for a client: configure a client certificate)",
        ));
    };
    if chain.len() > policy.limits.max_chain_certificates {
        return Err(Diagnosis::new(
            DiagnosisKind::TooManyCertificates,
            format!(
                "{} certificates were presented; at most {} are accepted",
                chain.len(),
                policy.limits.max_chain_certificates
            ),
            "the peer should send only its leaf and intermediates",
        ));
    }
    let leaf = EndEntityCert::try_from(leaf_der).map_err(|error| {
        explain::explain(&explain::Context {
            store,
            policy,
            chain,
            at,
            error,
        })
    })?;

    // Intermediates: drop copies of the leaf and duplicates, keep their positions.
    let mut positions: Vec<usize> = Vec::with_capacity(chain.len());
    let mut intermediates: Vec<CertificateDer<'_>> = Vec::with_capacity(chain.len());
    for (i, der) in chain.iter().enumerate().skip(1) {
        if der.as_ref() != leaf_der.as_ref()
            && !intermediates.iter().any(|d| d.as_ref() == der.as_ref())
        {
            positions.push(i);
            intermediates.push(CertificateDer::from(der.as_ref()));
        }
    }

    // With several intermediates, put the likely path first (issuer by name,
    // then by key identifier), so decoys that share a CA's name but not its
    // key cost no signature checks. Chains without key identifiers keep
    // their order after the name match, and every certificate stays available.
    if intermediates.len() > 1 {
        order_by_issuer(leaf_der, &mut intermediates, &mut positions);
    }

    // Only anchors named as an issuer of a presented certificate can complete a path.
    let mut issuers: Vec<&[u8]> = Vec::with_capacity(intermediates.len() + 1);
    issuers.push(leaf.issuer());
    let parsed_intermediates: Vec<Option<EndEntityCert<'_>>> = intermediates
        .iter()
        .map(|d| EndEntityCert::try_from(d).ok())
        .collect();
    for c in parsed_intermediates.iter().flatten() {
        issuers.push(c.issuer());
    }
    // Their authority key identifiers rank same-name anchors by key (read
    // only when more than one anchor has an issuer's name).
    let key_ids = || -> Vec<Vec<u8>> {
        std::iter::once(leaf_der)
            .chain(&intermediates)
            .filter_map(|d| Facts::read_keys(d.as_ref()).ok()?.authority_key_id)
            .collect()
    };
    let (candidate_indices, candidates): (Vec<usize>, Vec<TrustAnchor<'_>>) =
        store.candidate_anchors(issuers.into_iter(), key_ids);

    let algs: &[&dyn SignatureVerificationAlgorithm] = match policy.sha1 {
        Sha1Policy::Reject => algorithms::MODERN,
        Sha1Policy::Warn | Sha1Policy::Allow => algorithms::WITH_SHA1,
    };
    let crl_refs: Vec<&webpki::CertRevocationList<'_>> =
        policy.crls.iter().map(|c| &c.list).collect();
    let revocation = match webpki::RevocationOptionsBuilder::new(&crl_refs) {
        Ok(b) => Some(
            b.with_depth(match policy.revocation_scope {
                RevocationScope::EndEntity => webpki::RevocationCheckDepth::EndEntity,
                RevocationScope::Chain => webpki::RevocationCheckDepth::Chain,
            })
            .with_status_policy(match policy.unknown_status {
                UnknownStatus::Deny => webpki::UnknownStatusPolicy::Deny,
                UnknownStatus::Allow => webpki::UnknownStatusPolicy::Allow,
            })
            .with_expiration_policy(if policy.enforce_crl_expiry {
                webpki::ExpirationPolicy::Enforce
            } else {
                webpki::ExpirationPolicy::Ignore
            })
            .build(),
        ),
        Err(_) => None, // no CRLs given
    };
    let max_depth = policy.max_depth;
    let depth_check = move |path: &webpki::VerifiedPath<'_>| {
        // leaf + intermediates + anchor
        if path.intermediate_certificates().count() + 2 > max_depth {
            Err(webpki::Error::MaximumPathDepthExceeded)
        } else {
            Ok(())
        }
    };

    let mut eku_fallback = false;
    let result = match (policy.usage, policy.eku_mode) {
        (Usage::ServerAuth, _) => leaf.verify_for_usage(
            algs,
            &candidates,
            &intermediates,
            at,
            KeyUsage::server_auth(),
            revocation,
            Some(&depth_check),
        ),
        (Usage::ClientAuth, EkuMode::Strict) => leaf.verify_for_usage(
            algs,
            &candidates,
            &intermediates,
            at,
            KeyUsage::client_auth(),
            revocation,
            Some(&depth_check),
        ),
        (Usage::ClientAuth, EkuMode::AcceptServerAuthOnly) => {
            eku_fallback = true;
            leaf.verify_for_usage(
                algs,
                &candidates,
                &intermediates,
                at,
                TransitionEku,
                revocation,
                Some(&depth_check),
            )
        }
    };
    let path = match result {
        Ok(p) => p,
        Err(e) => {
            return Err(explain::explain(&explain::Context {
                store,
                policy,
                chain,
                at,
                error: e,
            }))
        }
    };

    // Map the anchor back to the store, and the intermediates back to positions.
    let anchor_spki = path.anchor().subject_public_key_info.as_ref();
    let anchor_subject = path.anchor().subject.as_ref();
    let anchor_index = candidates
        .iter()
        .zip(&candidate_indices)
        .find(|(ta, _)| {
            ta.subject_public_key_info.as_ref() == anchor_spki
                && ta.subject.as_ref() == anchor_subject
        })
        .map(|(_, i)| *i)
        .ok_or_else(|| {
            Diagnosis::new(
                DiagnosisKind::Other,
                "internal error: the anchor webpki chose is not in the store",
                "report this as a bug",
            )
        })?;
    let mut presented: Vec<(usize, CertificateDer<'static>)> =
        vec![(0, leaf_der.clone().into_owned())];
    for inter in path.intermediate_certificates() {
        let der = inter.der();
        let pos = intermediates
            .iter()
            .position(|d| d.as_ref() == der.as_ref())
            .map(|i| positions[i])
            .unwrap_or(0);
        presented.push((pos, der.into_owned()));
    }

    let full = |pos: usize, der: &CertificateDer<'_>| {
        Certificate::from_der(der.as_ref())
            .map_err(|_| explain::malformed(chain, pos, &webpki::Error::BadDer))
    };
    // Every path certificate must also pass the full parser: a certificate
    // the store would refuse as unparsable (e.g. a serial number over 20
    // octets, which webpki tolerates) is not accepted in a chain either, and
    // a verified path never silently lacks one of its certificates. The facts
    // the success path needs come from that same parse.
    let mut parsed = Vec::with_capacity(presented.len());
    for (pos, der) in &presented {
        match <x509_cert::Certificate as der::Decode>::from_der(der.as_ref()) {
            Ok(c) => parsed.push(c),
            Err(_) => return Err(explain::malformed(chain, *pos, &webpki::Error::BadDer)),
        }
    }
    let mut facts = Vec::with_capacity(presented.len());
    for (i, ((pos, _), cert)) in presented.iter().zip(&parsed).enumerate() {
        // Names and EKU matter only for the leaf; key identifiers not at all here.
        let want = Want {
            names: i == 0,
            authority_key_id: false,
        };
        facts.push(
            Facts::from_certificate(cert, want)
                .map_err(|_| explain::malformed(chain, *pos, &webpki::Error::BadDer))?,
        );
    }
    // The certificate profile webpki leaves out (RFC 5280, CA/Browser Forum).
    let mut profile_warnings = Vec::new();
    profile::stage(
        policy,
        &store.anchors()[anchor_index],
        &presented,
        &parsed,
        &mut profile_warnings,
    )?;
    let leaf_names = LeafNames {
        facts: &facts[0],
        der: leaf_der.as_ref(),
    };
    let identity_match = match identity {
        None => None,
        Some(rule) => match rule.check_presented(&leaf_names) {
            Ok(m) => Some(m),
            Err(miss) => return Err(explain::name_mismatch(&full(0, leaf_der)?, miss)),
        },
    };

    let anchor = &store.anchors()[anchor_index];
    if let Some(NameMatch {
        matched: MatchedName::CommonName(cn),
        expected,
        ..
    }) = &identity_match
    {
        // webpki applied the path's name constraints to the SANs only.
        let cas = presented[1..]
            .iter()
            .map(|(pos, der)| (Some(*pos), der.as_ref()))
            .chain(std::iter::once((None, anchor.certificate().der().as_ref())));
        for (pos, der) in cas {
            if !cn_constraints::permits(der, expected) {
                let (cert, role) = match pos {
                    Some(p) => (full(p, &CertificateDer::from(der))?, Role::Intermediate),
                    None => (anchor.certificate().clone(), Role::Anchor),
                };
                return Err(Diagnosis::new(
                    DiagnosisKind::NameConstraintViolation,
                    format!(
                        "the name '{expected}' matched only in the CN '{cn}', which the name constraints of '{}' do not permit",
                        cert.display_name()
                    ),
                    "the CA is not allowed to issue for this name; use a certificate from a CA that may, with the name in a SAN",
                )
                .cert(CertRef::new(&cert, pos, role)));
            }
        }
    }
    let mut warnings = profile_warnings;
    for (i, f) in facts.iter().enumerate() {
        let (pos, der) = &presented[i];
        let role = if i == 0 {
            Role::Leaf
        } else {
            Role::Intermediate
        };
        let left = days_between(at, f.not_after);
        let soon = left < u64::from(policy.expiry_warning_days);
        let sha1 = f.signature_hash == SignatureHash::Sha1 && policy.sha1 == Sha1Policy::Warn;
        if !soon && !sha1 {
            continue;
        }
        let cert = CertRef::new(&full(*pos, der)?, Some(*pos), role);
        if soon {
            warnings.push(Warning {
                kind: WarningKind::ExpiresSoon,
                certificate: cert.clone(),
                message: format!("expires at {} (in {left} days)", format_time(f.not_after)),
            });
        }
        if sha1 {
            warnings.push(Warning {
                kind: WarningKind::Sha1Accepted,
                certificate: cert,
                message: "signed with SHA-1; accepted by the SHA-1 policy (warn)".into(),
            });
        }
    }
    let leaf_lacks_client_auth = !facts[0].eku_allows(&OID_EKU_CLIENT_AUTH);
    if eku_fallback && leaf_lacks_client_auth {
        warnings.push(Warning {
            kind: WarningKind::ClientAuthMissingAccepted,
            certificate: CertRef::new(&full(0, leaf_der)?, Some(0), Role::Leaf),
            message: "has serverAuth but not clientAuth; accepted by the EKU transition mode"
                .into(),
        });
    }
    if policy.usage == Usage::ServerAuth && policy.mutual_tls && leaf_lacks_client_auth {
        warnings.push(Warning {
            kind: WarningKind::NoClientAuthForMutualTls,
            certificate: CertRef::new(&full(0, leaf_der)?, Some(0), Role::Leaf),
            message: "lacks the clientAuth EKU; when this peer connects to us, strict EKU checking will refuse it (clientAuth sunset)".into(),
        });
    }
    let anchor_cert = anchor.certificate();
    if !anchor_cert.is_valid_at(at) {
        warnings.push(Warning {
            kind: WarningKind::AnchorOutsideValidity,
            certificate: CertRef::new(anchor_cert, None, Role::Anchor),
            message: format!(
                "the trust anchor is valid only from {} to {}; anchors' dates are not enforced",
                format_time(anchor_cert.not_before()),
                format_time(anchor_cert.not_after())
            ),
        });
    }

    let window = reuse_window(policy, &facts, anchor_cert, &warnings);
    Ok(Verified {
        inner: Arc::new(VerifiedInner {
            store: store.clone(),
            anchor_index,
            identity: identity_match,
            warnings,
            presented,
            path: OnceLock::new(),
            window,
        }),
        at,
        cached: false,
    })
}

/// The times at which verifying the same inputs gives the same result: inside
/// every path certificate's validity (and the anchor's), before any expiry
/// warning would start, and before any enforced CRL's nextUpdate. Results with
/// time-dependent warnings are not reused.
fn reuse_window(
    policy: &Policy,
    facts: &[Facts<'_>],
    anchor: &Certificate,
    warnings: &[Warning],
) -> Option<(UnixTime, UnixTime)> {
    if warnings.iter().any(|w| {
        matches!(
            w.kind,
            WarningKind::ExpiresSoon | WarningKind::AnchorOutsideValidity
        )
    }) {
        return None;
    }
    let warn_secs = u64::from(policy.expiry_warning_days) * 86_400;
    let mut lo = anchor.not_before().as_secs();
    let mut hi = anchor.not_after().as_secs();
    for f in facts {
        lo = lo.max(f.not_before.as_secs());
        hi = hi.min(f.not_after.as_secs().saturating_sub(warn_secs));
    }
    if policy.enforce_crl_expiry {
        for crl in policy.crls.iter() {
            match crl.next_update {
                Some(next) => hi = hi.min(next.as_secs().saturating_sub(1)),
                None => return None,
            }
        }
    }
    (lo <= hi).then(|| {
        (
            UnixTime::since_unix_epoch(std::time::Duration::from_secs(lo)),
            UnixTime::since_unix_epoch(std::time::Duration::from_secs(hi)),
        )
    })
}

/// The leaf's names as the matcher reads them, from [`Facts`].
struct LeafNames<'a> {
    facts: &'a Facts<'a>,
    der: &'a [u8],
}

impl Presented for LeafNames<'_> {
    fn presented_dns(&self) -> &[String] {
        &self.facts.dns_names
    }
    fn presented_ips(&self) -> &[std::net::IpAddr] {
        &self.facts.ip_addresses
    }
    fn presented_cn(&self) -> Option<(String, bool)> {
        self.facts.common_name()
    }
    fn presented_der(&self) -> &[u8] {
        self.der
    }
}

/// Reorders `intermediates` (and their `positions`) so that the certificates
/// of the likely path from the leaf come first, each chosen by subject name
/// and, when the child names one, by authority key identifier.
fn order_by_issuer(
    leaf: &CertificateDer<'_>,
    intermediates: &mut Vec<CertificateDer<'_>>,
    positions: &mut Vec<usize>,
) {
    struct Node {
        subject: Vec<u8>,
        issuer: Vec<u8>,
        ski: Option<Vec<u8>>,
        aki: Option<Vec<u8>>,
    }
    fn node(der: &CertificateDer<'_>) -> Option<Node> {
        let cert = EndEntityCert::try_from(der).ok()?;
        let facts = Facts::read_keys(der.as_ref()).ok()?;
        Some(Node {
            subject: cert.subject().to_vec(),
            issuer: cert.issuer().to_vec(),
            ski: facts.subject_key_id.map(<[u8]>::to_vec),
            aki: facts.authority_key_id,
        })
    }
    let nodes: Vec<Option<Node>> = intermediates.iter().map(node).collect();
    let Some(mut current) = node(leaf) else {
        return;
    };
    let mut order: Vec<usize> = Vec::with_capacity(nodes.len());
    while order.len() < nodes.len() {
        let fits = |i: usize| {
            !order.contains(&i)
                && nodes[i]
                    .as_ref()
                    .is_some_and(|n| n.subject == current.issuer)
        };
        let by_key = current.aki.as_deref().and_then(|aki| {
            (0..nodes.len())
                .find(|&i| fits(i) && nodes[i].as_ref().and_then(|n| n.ski.as_deref()) == Some(aki))
        });
        // Without a key match, prefer a CA that is not self-issued: a presented
        // self-signed certificate cannot lead to an anchor by another name.
        let self_issued = |i: usize| nodes[i].as_ref().is_some_and(|n| n.subject == n.issuer);
        let by_name = || {
            (0..nodes.len())
                .find(|&i| fits(i) && !self_issued(i))
                .or_else(|| (0..nodes.len()).find(|&i| fits(i)))
        };
        let Some(next) = by_key.or_else(by_name) else {
            break;
        };
        order.push(next);
        let Some(n) = &nodes[next] else { break };
        if n.subject == n.issuer {
            break;
        }
        current = Node {
            subject: n.subject.clone(),
            issuer: n.issuer.clone(),
            ski: n.ski.clone(),
            aki: n.aki.clone(),
        };
    }
    if order.iter().enumerate().all(|(k, &i)| k == i) {
        return; // already in path order
    }
    let is_self_issued = |i: usize| nodes[i].as_ref().is_some_and(|n| n.subject == n.issuer);
    for self_issued_pass in [false, true] {
        for i in 0..nodes.len() {
            if !order.contains(&i) && is_self_issued(i) == self_issued_pass {
                order.push(i);
            }
        }
    }
    let old_certs = std::mem::take(intermediates);
    let old_positions = std::mem::take(positions);
    let mut slots: Vec<Option<CertificateDer<'_>>> = old_certs.into_iter().map(Some).collect();
    for i in order {
        if let Some(c) = slots[i].take() {
            intermediates.push(c);
            positions.push(old_positions[i]);
        }
    }
}
