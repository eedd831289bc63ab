//! The immutable, shareable trust store and a handle for swapping it atomically.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use pki_types::{TrustAnchor, UnixTime};

use super::finding::{Finding, Provenance, Severity};
use super::trust_settings::TrustSettings;
use super::TrustStoreBuilder;
use crate::cert::{Certificate, Fingerprint};
use crate::verify::Usage;

static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

pub(crate) fn next_generation() -> u64 {
    NEXT_GENERATION.fetch_add(1, Ordering::Relaxed)
}

/// A trusted CA certificate, where it came from, and its trust settings.
#[derive(Clone, Debug)]
pub struct Anchor {
    pub(crate) cert: Certificate,
    pub(crate) provenance: Provenance,
    pub(crate) trust: TrustSettings,
}

impl Anchor {
    /// The certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.cert
    }
    /// Where it was loaded from.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }
    /// Its trust settings: unrestricted, unless it came from an OpenSSL
    /// `TRUSTED CERTIFICATE` block that limits or rejects purposes (when the
    /// same certificate came from several entries, what all of them allow).
    pub fn trust_settings(&self) -> &TrustSettings {
        &self.trust
    }
    /// True when the anchor may complete a path for `usage`; verification
    /// never uses it otherwise.
    pub fn is_trusted_for(&self, usage: Usage) -> bool {
        self.trust.allows(usage)
    }
}

/// A certificate that was read but not added, kept so that a failed
/// verification can say "the CA 'X' is in file F but was rejected: expired".
#[derive(Clone, Debug)]
pub(crate) struct Rejected {
    pub cert: Certificate,
    pub provenance: Provenance,
    pub reason: String,
}

pub(crate) struct Inner {
    pub generation: u64,
    pub assembled_at: UnixTime,
    pub anchors: Vec<Anchor>,
    pub webpki_anchors: Vec<TrustAnchor<'static>>,
    pub by_subject: HashMap<Vec<u8>, Vec<usize>>,
    pub by_fingerprint: HashMap<Fingerprint, usize>,
    pub rejected: Vec<Rejected>,
    pub findings: Vec<Finding>,
    /// The webpki anchors of the unrestricted anchors, when some anchor is
    /// restricted (`None`: every anchor is unrestricted).
    pub unrestricted_webpki_anchors: Option<Vec<TrustAnchor<'static>>>,
}

/// An immutable snapshot of trusted CA certificates, with the findings of its assembly.
///
/// Cheap to clone (one reference count) and `Send + Sync`: share one store
/// between all verifications. Each store has a process-unique generation id,
/// recorded in every verification result it decides.
///
/// ```
/// # let pem = hybridtrust::doc_support::example_root_pem();
/// use hybridtrust::TrustStore;
/// let mut builder = TrustStore::builder();
/// builder.add_pem("example", pem.as_bytes()).unwrap();
/// let store = builder.build().unwrap();
/// assert_eq!(store.len(), 1);
/// assert!(store.to_pem_bundle().starts_with("-----BEGIN CERTIFICATE-----"));
/// ```
#[derive(Clone)]
pub struct TrustStore {
    pub(crate) inner: Arc<Inner>,
}

impl TrustStore {
    /// A builder with default settings (lenient, assembly time = now).
    pub fn builder() -> TrustStoreBuilder {
        TrustStoreBuilder::new()
    }

    /// The process-unique generation id of this snapshot.
    pub fn generation(&self) -> u64 {
        self.inner.generation
    }
    /// The time the store's validity checks were made at.
    pub fn assembled_at(&self) -> UnixTime {
        self.inner.assembled_at
    }
    /// The trusted certificates, in the order they were added.
    pub fn anchors(&self) -> &[Anchor] {
        &self.inner.anchors
    }
    /// Number of trusted certificates.
    pub fn len(&self) -> usize {
        self.inner.anchors.len()
    }
    /// True when nothing is trusted.
    pub fn is_empty(&self) -> bool {
        self.inner.anchors.is_empty()
    }
    /// Every problem met while assembling the store.
    pub fn findings(&self) -> &[Finding] {
        &self.inner.findings
    }
    /// The most serious severity among the findings, if any.
    pub fn worst_severity(&self) -> Option<Severity> {
        self.inner.findings.iter().map(|f| f.severity).max()
    }
    /// The anchor with this SHA-256 fingerprint, if trusted.
    pub fn anchor_by_fingerprint(&self, fp: &Fingerprint) -> Option<&Anchor> {
        self.inner
            .by_fingerprint
            .get(fp)
            .map(|i| &self.inner.anchors[*i])
    }
    /// Anchors whose subject equals `subject` (DER without the outer SEQUENCE
    /// header, as [`Certificate::issuer_der`] gives it).
    pub fn anchors_with_subject<'a>(&'a self, subject: &[u8]) -> impl Iterator<Item = &'a Anchor> {
        self.inner
            .by_subject
            .get(subject)
            .into_iter()
            .flatten()
            .map(|i| &self.inner.anchors[*i])
    }
    /// The unrestricted anchors in webpki's form (e.g. to fill a
    /// `rustls::RootCertStore`). Anchors whose trust settings restrict them
    /// ([`TrustSettings::is_unrestricted`] is false) are left out: webpki
    /// and rustls cannot apply those settings, and must not trust them for more.
    pub fn webpki_anchors(&self) -> &[TrustAnchor<'static>] {
        self.inner
            .unrestricted_webpki_anchors
            .as_deref()
            .unwrap_or(&self.inner.webpki_anchors)
    }
    /// The anchors a plain export holds: those whose trust settings restrict
    /// nothing. A plain PEM or DER certificate cannot carry trust settings, so
    /// a restricted anchor is left out rather than trusted for everything by
    /// whoever reads the export (its `trust-restricted` finding says so).
    pub fn exportable_anchors(&self) -> impl Iterator<Item = &Anchor> {
        self.inner
            .anchors
            .iter()
            .filter(|a| a.trust.is_unrestricted())
    }
    /// The unrestricted trusted certificates as one PEM bundle (what an
    /// Expressway's trusted CA list upload takes); see
    /// [`exportable_anchors`](Self::exportable_anchors).
    pub fn to_pem_bundle(&self) -> String {
        self.exportable_anchors().map(|a| a.cert.to_pem()).collect()
    }

    /// webpki anchors whose subject is one of `issuers` (borrowed, no copies):
    /// only these can complete a path, so webpki need not scan the rest.
    /// Anchors whose subject key identifier is one of `key_ids()` (the
    /// authority key identifiers of the presented certificates, read only
    /// when several anchors are picked) come first:
    /// webpki tries anchors in order within a budget of 100 signature checks,
    /// so many anchors sharing the issuer's name but not its key must not
    /// stand before the right one.
    /// Anchors whose trust settings refuse `usage` are never picked.
    pub(crate) fn candidate_anchors<'a>(
        &'a self,
        usage: Usage,
        issuers: impl Iterator<Item = &'a [u8]>,
        key_ids: impl FnOnce() -> Vec<Vec<u8>>,
    ) -> (Vec<usize>, Vec<TrustAnchor<'a>>) {
        let mut picked: Vec<usize> = Vec::new();
        for issuer in issuers {
            if let Some(list) = self.inner.by_subject.get(issuer) {
                for i in list {
                    if self.inner.anchors[*i].trust.allows(usage) && !picked.contains(i) {
                        picked.push(*i);
                    }
                }
            }
        }
        if picked.len() > 1 {
            let key_ids = key_ids();
            let by_key = |i: &usize| {
                self.inner.anchors[*i]
                    .cert
                    .subject_key_id()
                    .is_some_and(|ski| key_ids.iter().any(|k| k.as_slice() == ski))
            };
            // Stable: among equals, the store's order is kept.
            if !key_ids.is_empty() {
                picked.sort_by_key(|i| !by_key(i));
            }
        }
        let anchors = picked
            .iter()
            .map(|&i| {
                let ta = &self.inner.webpki_anchors[i];
                TrustAnchor {
                    subject: ta.subject.as_ref().into(),
                    subject_public_key_info: ta.subject_public_key_info.as_ref().into(),
                    name_constraints: ta.name_constraints.as_ref().map(|n| n.as_ref().into()),
                }
            })
            .collect();
        (picked, anchors)
    }

    /// An anchor named `subject` (with the key identifier `key_id`, when both
    /// it and the anchor have one) whose trust settings refuse `usage`, when
    /// no such anchor is trusted for it: what a failed verification names as
    /// the reason the store's CA was not used.
    pub(crate) fn refused_for_usage(
        &self,
        subject: &[u8],
        key_id: Option<&[u8]>,
        usage: Usage,
    ) -> Option<&Anchor> {
        let same_key = |a: &&Anchor| match (key_id, a.cert.subject_key_id()) {
            (Some(k), Some(ski)) => k == ski,
            _ => true,
        };
        let mut same_name = self
            .anchors_with_subject(subject)
            .filter(same_key)
            .peekable();
        same_name.peek()?;
        let mut refused = None;
        for a in same_name {
            if a.trust.allows(usage) {
                return None;
            }
            refused.get_or_insert(a);
        }
        refused
    }

    pub(crate) fn rejected_with_subject<'a>(
        &'a self,
        subject: &'a [u8],
    ) -> impl Iterator<Item = &'a Rejected> {
        self.inner
            .rejected
            .iter()
            .filter(move |r| r.cert.subject_der() == subject)
    }
}

impl std::fmt::Debug for TrustStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustStore")
            .field("generation", &self.inner.generation)
            .field("anchors", &self.inner.anchors.len())
            .field("findings", &self.inner.findings.len())
            .finish()
    }
}

/// A handle a long-running service keeps: verifications take the current
/// snapshot, an admin action swaps in a new one atomically, and verifications
/// already in flight finish on the snapshot they took.
///
/// ```
/// # let pem = hybridtrust::doc_support::example_root_pem();
/// use hybridtrust::{SharedTrustStore, TrustStore};
/// let first = TrustStore::builder().build().unwrap();
/// let shared = SharedTrustStore::new(first.clone());
/// let mut b = TrustStore::builder();
/// b.add_pem("new", pem.as_bytes()).unwrap();
/// let old = shared.replace(b.build().unwrap());
/// assert_eq!(old.generation(), first.generation());
/// assert_ne!(shared.current().generation(), first.generation());
/// ```
#[derive(Debug)]
pub struct SharedTrustStore {
    current: RwLock<TrustStore>,
}

impl SharedTrustStore {
    /// Starts with `store` as the current snapshot.
    pub fn new(store: TrustStore) -> Self {
        Self {
            current: RwLock::new(store),
        }
    }
    /// The current snapshot (a cheap clone).
    pub fn current(&self) -> TrustStore {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            // A writer cannot panic while holding the lock (it only moves a value),
            // so poisoning carries no torn state; take the value as it is.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
    /// Makes `store` current and returns the previous snapshot.
    pub fn replace(&self, store: TrustStore) -> TrustStore {
        let mut guard = match self.current.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        std::mem::replace(&mut *guard, store)
    }
}
