//! Trust-store assembly: sources in, an immutable [`TrustStore`] and its findings out.

mod builder;
mod finding;
mod source;
mod trust_settings;
mod trust_store;

pub use builder::{device_tool_certs_dir, TrustStoreBuilder};
pub use finding::{Finding, FindingKind, Provenance, Severity};
pub(crate) use source::{looks_like_pem, split as split_source, split_pem};
pub use trust_settings::TrustSettings;
pub use trust_store::{Anchor, SharedTrustStore, TrustStore};
