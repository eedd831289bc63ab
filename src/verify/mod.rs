//! Chain verification on rustls-webpki, and what it returns: a verified path or a diagnosis.

mod algorithms;
mod anchors;
mod cache;
mod cn_constraints;
mod diagnosis;
mod explain;
mod identity;
mod ordering;
mod path;
mod policy;
pub(crate) mod profile;
mod revocation;
mod warnings;

use std::fmt;
use std::sync::{Arc, OnceLock};

use pki_types::{CertificateDer, UnixTime};
use serde::Serialize;
use webpki::EndEntityCert;

pub use diagnosis::{CertRef, Diagnosis, DiagnosisKind, Role};
pub use policy::{
    Crl, EkuMode, Policy, ProfileChecks, RevocationScope, Sha1Policy, UnknownStatus, Usage,
};

use crate::cert::{CertSummary, Certificate};
use crate::error::Error;
use crate::facts::{Facts, Want};
use crate::name::{IdentityRule, NameMatch};
use crate::store::{Anchor, Provenance, TrustStore};
use crate::time::format_time;

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
    /// and one policy (its profile-checks setting included, and a hit carries
    /// the profile warnings of the original result); an entry matches only the exact chain bytes and
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

/// Reads a chain from PEM text (leaf first) or one DER certificate, within
/// [`Limits::default`](crate::Limits); see [`parse_chain_within`].
///
/// ```
/// let err = hybridtrust::parse_chain(b"garbage").unwrap_err();
/// assert!(err.to_string().contains("PEM"));
/// ```
pub fn parse_chain(bytes: &[u8]) -> Result<Vec<CertificateDer<'static>>, Error> {
    parse_chain_within(&crate::Limits::default(), bytes)
}

/// Reads a chain from PEM text (leaf first) or one DER certificate.
///
/// `bytes` may hold at most [`Limits::max_source_bytes`](crate::Limits) and
/// at most [`Limits::max_chain_certificates`](crate::Limits) PEM blocks (the
/// same bound the verification applies, so a raised chain limit raises both);
/// more is [`Error::LimitExceeded`] (nothing is dropped silently). A block
/// that is not a certificate is [`Error::Parse`].
///
/// ```
/// let limits = hybridtrust::Limits { max_chain_certificates: 1, ..Default::default() };
/// let two = "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n".repeat(2);
/// let err = hybridtrust::parse_chain_within(&limits, two.as_bytes()).unwrap_err();
/// assert!(matches!(err, hybridtrust::Error::LimitExceeded { .. }));
/// ```
pub fn parse_chain_within(
    limits: &crate::Limits,
    bytes: &[u8],
) -> Result<Vec<CertificateDer<'static>>, Error> {
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
            Err((crate::store::FindingKind::TooLarge, _)) => {
                return Err(Error::LimitExceeded {
                    what: "certificates in a chain input",
                    limit: limits.max_chain_certificates,
                    actual: item.index + 1,
                })
            }
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
        write!(
            f,
            "{}: {}",
            self.certificate,
            crate::text::escape_untrusted(&self.message)
        )
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
    /// The result as JSON (path, anchor provenance, identity, warnings),
    /// ASCII only ([`ascii_json`](crate::text::ascii_json)).
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
        .map(|j| crate::text::ascii_json(&j).into_owned())
        .unwrap_or_else(|_| "{}".to_string())
    }
}

impl fmt::Display for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "trusted")?;
        if let Some(m) = &self.inner.identity {
            write!(
                f,
                " as '{}' (matched {})",
                crate::text::escape_untrusted(&m.expected),
                m.matched
            )?;
        }
        write!(f, "; anchor from {}", self.anchor_provenance())?;
        for w in &self.inner.warnings {
            write!(f, "\n  warning: {w}")?;
        }
        Ok(())
    }
}

/// The pipeline, one stage per step; each stage either passes its result on
/// or ends the verification with a diagnosis.
fn verify_chain(
    store: &TrustStore,
    policy: &Policy,
    at: UnixTime,
    chain: &[CertificateDer<'_>],
    identity: Option<&IdentityRule>,
) -> Result<Verified, Diagnosis> {
    let explain = |error| {
        explain::explain(&explain::Context {
            store,
            policy,
            chain,
            at,
            error,
        })
    };
    // 1. Input limits, and the leaf as webpki reads it.
    let leaf_der = check_input(policy, chain)?;
    let leaf = EndEntityCert::try_from(leaf_der).map_err(explain)?;
    // 2. Intermediates: deduplicated, the likely path first.
    let intermediates = ordering::intermediates(chain);
    // 3. Candidate anchors: only those named as an issuer.
    let parsed_intermediates: Vec<Option<EndEntityCert<'_>>> = intermediates
        .certs
        .iter()
        .map(|d| EndEntityCert::try_from(d).ok())
        .collect();
    let candidates = anchors::candidates(
        store,
        policy.usage,
        &leaf,
        leaf_der,
        &intermediates,
        &parsed_intermediates,
    );
    // 4. Path building (webpki), with 8. the revocation stage deciding which
    //    CRLs webpki consults, and building again when a CRL that revokes a
    //    path certificate was hidden behind another.
    let path = revocation::build_checked(policy, store, at, |revocation| {
        path::build(
            policy,
            at,
            leaf_der,
            &leaf,
            &intermediates,
            &candidates,
            revocation,
        )
    })
    .map_err(|failure| match failure {
        path::Failure::Webpki(error) => explain(error),
        path::Failure::AnchorNotInStore => Diagnosis::new(
            DiagnosisKind::Other,
            "internal error: the anchor webpki chose is not in the store",
            "report this as a bug",
        ),
        path::Failure::RevocationUndecided => Diagnosis::new(
            DiagnosisKind::RevocationUnknown,
            format!(
                "revocation could not be decided within {} path builds (several CRLs list certificates of the chain)",
                revocation::MAX_REVOCATION_BUILDS
            ),
            "supply only the current CRL of each issuing CA",
        ),
    })?;
    let anchor = &store.anchors()[path.anchor_index];
    // 5. Full parse of every path certificate, and the facts later stages read.
    let parsed = parse_path(chain, &path.presented)?;
    let facts = path_facts(chain, &path.presented, &parsed)?;
    // 6. Profile: the certificate rules webpki leaves out.
    let profile_warnings = check_profile(&path_certs(&path.presented, &parsed), anchor, policy)?;
    // 7. Identity.
    let identity_match = identity::check(chain, identity, &facts[0], &path.presented, anchor)?;
    // 9. Warnings.
    let mut warnings = profile_warnings;
    warnings.extend(warnings::collect(policy, at, chain, &path, &facts, anchor)?);
    // 10. Result.
    let window = reuse_window(policy, at, &facts, anchor.certificate(), &warnings);
    Ok(Verified {
        inner: Arc::new(VerifiedInner {
            store: store.clone(),
            anchor_index: path.anchor_index,
            identity: identity_match,
            warnings,
            presented: path.presented,
            path: OnceLock::new(),
            window,
        }),
        at,
        cached: false,
    })
}

/// Stage 1: a chain that is empty or longer than
/// [`Limits::max_chain_certificates`](crate::Limits) is refused before any
/// parsing; returns the leaf.
fn check_input<'c, 'd>(
    policy: &Policy,
    chain: &'c [CertificateDer<'d>],
) -> Result<&'c CertificateDer<'d>, Diagnosis> {
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
    Ok(leaf_der)
}

/// Stage 5: every path certificate must also pass the full parser. A
/// certificate the store would refuse as unparsable (e.g. a serial number
/// over 20 octets, which webpki tolerates) is not accepted in a chain either,
/// and a verified path never silently lacks one of its certificates.
fn parse_path(
    chain: &[CertificateDer<'_>],
    presented: &[(usize, CertificateDer<'static>)],
) -> Result<Vec<x509_cert::Certificate>, Diagnosis> {
    presented
        .iter()
        .map(|(pos, der)| {
            <x509_cert::Certificate as der::Decode>::from_der(der.as_ref())
                .ok()
                .filter(|c| {
                    crate::cert::serial_length_ok(c.tbs_certificate.serial_number.as_bytes())
                })
                .ok_or_else(|| explain::malformed(chain, *pos, &webpki::Error::BadDer))
        })
        .collect()
}

/// The facts the success path needs, from the full parse (names and EKU for
/// the leaf only; key identifiers not at all).
fn path_facts<'p>(
    chain: &[CertificateDer<'_>],
    presented: &[(usize, CertificateDer<'static>)],
    parsed: &'p [x509_cert::Certificate],
) -> Result<Vec<Facts<'p>>, Diagnosis> {
    presented
        .iter()
        .zip(parsed)
        .enumerate()
        .map(|(i, ((pos, _), cert))| {
            let want = Want {
                names: i == 0,
                authority_key_id: false,
            };
            Facts::from_certificate(cert, want)
                .map_err(|_| explain::malformed(chain, *pos, &webpki::Error::BadDer))
        })
        .collect()
}

/// The presented path certificates as the profile stage sees them.
fn path_certs<'p>(
    presented: &'p [(usize, CertificateDer<'static>)],
    parsed: &'p [x509_cert::Certificate],
) -> Vec<profile::PathCert<'p>> {
    presented
        .iter()
        .zip(parsed)
        .enumerate()
        .map(|(i, ((pos, der), cert))| profile::PathCert {
            cert,
            der: der.as_ref(),
            role: if i == 0 {
                Role::Leaf
            } else {
                Role::Intermediate
            },
            position: Some(*pos),
        })
        .collect()
}

/// Stage 6, the profile: the RFC 5280 and CA/Browser Forum rules webpki
/// leaves out, on the parsed path (leaf first, presented certificates only)
/// and its `anchor`, under `policy`.
///
/// The profile checks (`profile::rfc5280`, `profile::cabf`) run on every
/// certificate of the path and on the anchor; the policy's
/// [`ProfileChecks`] setting and the anchor's origin decide whether a
/// violation refuses the chain or is one of the returned warnings.
fn check_profile(
    path: &[profile::PathCert<'_>],
    anchor: &Anchor,
    policy: &Policy,
) -> Result<Vec<Warning>, Diagnosis> {
    let mut warnings = Vec::new();
    profile::run(path, anchor, policy, &mut warnings)?;
    Ok(warnings)
}

/// A path certificate's parsed view; a failure is a `malformed` diagnosis
/// for its position.
pub(super) fn full_cert(
    chain: &[CertificateDer<'_>],
    pos: usize,
    der: &CertificateDer<'_>,
) -> Result<Certificate, Diagnosis> {
    Certificate::from_der(der.as_ref())
        .map_err(|_| explain::malformed(chain, pos, &webpki::Error::BadDer))
}

/// The times at which verifying the same inputs gives the same result: inside
/// every path certificate's validity (and the anchor's), before any expiry
/// warning would start, before any enforced CRL's nextUpdate, not before the
/// thisUpdate of a CRL that was current at `at`, and before the thisUpdate of
/// one that was not (it would become current). Results with time-dependent
/// warnings are not reused.
fn reuse_window(
    policy: &Policy,
    at: UnixTime,
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
    for crl in policy.crls.iter() {
        let this_update = crl.this_update.as_secs();
        if revocation::is_current(crl, at) {
            lo = lo.max(this_update);
        } else {
            hi = hi.min(this_update.saturating_sub(1));
        }
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
