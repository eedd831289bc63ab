//! Documented input limits, so that hostile input costs a bounded amount of work.

/// Upper bounds on what the library reads and verifies.
///
/// Every limit, when exceeded, yields a typed error or finding
/// ([`Error::LimitExceeded`](crate::Error::LimitExceeded),
/// [`FindingKind::TooLarge`](crate::FindingKind::TooLarge),
/// [`DiagnosisKind::TooManyCertificates`](crate::DiagnosisKind::TooManyCertificates)),
/// never a panic or a partial accept.
///
/// ```
/// let limits = hybridtrust::Limits::default();
/// assert_eq!(limits.max_source_bytes, 32 * 1024 * 1024);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file or byte buffer read as a certificate source (32 MiB:
    /// a bundle of 10,000 roots is about 20 MB of PEM).
    pub max_source_bytes: usize,
    /// Most certificates taken from one source (100,000).
    pub max_certificates_per_source: usize,
    /// Deepest directory nesting followed under a directory source (16).
    pub max_directory_depth: usize,
    /// Most entries read from one directory tree (100,000).
    pub max_directory_entries: usize,
    /// Most certificates accepted in one presented chain, leaf included (64).
    /// A TLS peer needs a handful; more is treated as hostile.
    pub max_chain_certificates: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_source_bytes: 32 * 1024 * 1024,
            max_certificates_per_source: 100_000,
            max_directory_depth: 16,
            max_directory_entries: 100_000,
            max_chain_certificates: 64,
        }
    }
}
