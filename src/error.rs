//! The one error type of the core crate (verification failures are
//! [`Diagnosis`](crate::Diagnosis) values, not errors).

use std::path::PathBuf;

use crate::store::Finding;
use crate::text::escape_untrusted;

/// Why an operation of the library could not be carried out.
///
/// The `Display` text is safe to show: paths, names and parser messages
/// that may come from a certificate or a directory listing are escaped
/// ([`escape_untrusted`](crate::text::escape_untrusted)).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A strict store builder met a problem; the finding says which and where.
    #[error("trust store rejected: {0}")]
    Store(Box<Finding>),
    /// Bytes that should hold a certificate, CRL or key do not.
    #[error("{}", escape_untrusted(.0))]
    Parse(String),
    /// A file or directory could not be read.
    #[error("cannot read {}: {}", escape_untrusted(&path.display().to_string()), escape_untrusted(&source.to_string()))]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// An input exceeded a documented limit (see [`Limits`](crate::Limits)).
    #[error("{what} exceeds the limit of {limit}: {actual}")]
    LimitExceeded {
        /// What was too large.
        what: &'static str,
        /// The limit in force.
        limit: usize,
        /// The size met.
        actual: usize,
    },
    /// A name given as a reference identity is not a valid DNS name or IP address.
    #[error("invalid reference name \"{}\": {reason}", escape_untrusted(name))]
    InvalidName {
        /// The name as given.
        name: String,
        /// Why it is invalid.
        reason: String,
    },
    /// Any other argument that cannot be used as given.
    #[error("{}", escape_untrusted(.0))]
    InvalidInput(String),
    /// A builder was used after `build()`.
    #[error("the builder was already used")]
    AlreadyBuilt,
}
