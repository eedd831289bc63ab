//! # hybridtrust
//!
//! Certificate trust for hybrid cloud/on-premises deployments: the Webex
//! Device Connector, an Expressway-E talking SIP over mutual TLS to the
//! cloud, a calendar connector talking to Exchange. It answers three
//! questions, and explains every "no" so an administrator can act on it:
//!
//! 1. **Which CAs do we trust?** [`TrustStoreBuilder`] assembles an immutable
//!    [`TrustStore`] from PEM/DER files, bundles, directories, the device
//!    tool folder `[home]/.devicestool/certs`, the embedded cloud CA set of a
//!    [`Profile`], and optionally the OS store. Every problem becomes a
//!    [`Finding`] with its source and position; nothing is dropped silently.
//! 2. **Is this chain trusted?** [`Verifier`] runs rustls-webpki on the leaf
//!    and unordered intermediates under a [`Policy`] (usage, EKU mode for the
//!    clientAuth sunset, time, CRLs, SHA-1 policy, depth). It returns the
//!    [`Verified`] path or a [`Diagnosis`]: which certificate, what failed,
//!    the next step.
//! 3. **Is it the right peer?** An [`IdentityRule`] checks names (RFC 6125
//!    SANs, SAN-then-CN, or Expressway's CN-or-SAN), and a [`Zone`] combines
//!    the outbound rule (SAN only) with inbound classification (CN or SAN,
//!    else the Default Zone).
//!
//! ```
//! # let (store, chain, at) = hybridtrust::doc_support::example_store_chain_time();
//! use hybridtrust::{Policy, Zone};
//! let zone = Zone::webex_hybrid();
//! match zone.verify_outbound(&store, &chain, &Policy::server_auth().with_time(at)) {
//!     Ok(verified) => println!("{verified}"),
//!     Err(diagnosis) => eprintln!("{diagnosis}"),
//! }
//! ```
//!
//! Features: `aws-lc-rs` (default) or `ring` selects the crypto provider for
//! signature checks; `rustls` (default) adds [`tls`], verifiers that put these
//! rules inside real rustls handshakes; `os-store` adds
//! `TrustStoreBuilder::add_os_store`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cert;
mod error;
mod facts;
mod limits;
mod name;
mod profile;
mod store;
pub mod text;
mod time;
mod verify;

#[cfg(feature = "rustls")]
pub mod tls;

#[doc(hidden)]
pub mod doc_support;

pub use cert::{CaFlag, CertSummary, Certificate, Fingerprint, PublicKeyKind, SignatureHash};
pub use error::Error;
pub use limits::Limits;
pub use name::{
    IdentityRule, MatchedName, NameAlias, NameMatch, NameMismatch, ReferenceName, RuleKind,
    WildcardMode,
};
pub use profile::{CaPresence, CaStatus, CloudCa, Inbound, Profile, Zone, WEBEX_CLOUD_CAS};
pub use store::{
    device_tool_certs_dir, Anchor, Finding, FindingKind, Provenance, Severity, SharedTrustStore,
    TrustSettings, TrustStore, TrustStoreBuilder,
};
pub use time::{format_time, parse_time};
pub use verify::{
    parse_chain, parse_chain_within, verify, CertRef, Crl, Diagnosis, DiagnosisKind, EkuMode,
    PathEntry, Policy, ProfileChecks, RevocationScope, Role, Sha1Policy, UnknownStatus, Usage,
    Verified, Verifier, Warning, WarningKind, DEFAULT_CACHE_CAPACITY,
};

/// Re-exports of the certificate types used in the API.
pub use pki_types::{CertificateDer, UnixTime};

/// The README's Rust examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
