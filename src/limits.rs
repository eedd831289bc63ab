//! Documented input limits, so that hostile input costs a bounded amount of work.

use std::fs;
use std::io::Read;
use std::path::Path;

use crate::Error;

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
    /// Most entries read from one directory tree (100,000). A directory
    /// reached through several links is read once.
    pub max_directory_entries: usize,
    /// Most findings a store keeps (10,000). Beyond it, findings are only
    /// counted, and [`TrustStoreBuilder::build`](crate::TrustStoreBuilder::build)
    /// adds one summary finding per kind ("and N more ... findings"), of that
    /// kind and severity, so the store's memory stays bounded whatever the input.
    pub max_findings: usize,
    /// Most findings of one kind kept from one source (100). The rest are
    /// counted, and one summary finding of that kind and severity, at the
    /// end of the source, says how many more there were ("and N more like it").
    pub max_similar_findings: usize,
    /// Most certificates accepted in one presented chain, leaf included (64).
    /// A TLS peer needs a handful; more is treated as hostile.
    pub max_chain_certificates: usize,
    /// Most CRLs read from one CRL input (`Crl::parse_all_within`, the C and
    /// Python policies' CRL arguments) (10,000).
    pub max_crls: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_source_bytes: 32 * 1024 * 1024,
            max_certificates_per_source: 100_000,
            max_directory_depth: 16,
            max_directory_entries: 100_000,
            max_findings: 10_000,
            max_similar_findings: 100,
            max_chain_certificates: 64,
            max_crls: 10_000,
        }
    }
}

impl Limits {
    /// Reads a whole regular file of at most [`max_source_bytes`](Self::max_source_bytes),
    /// for the chain, CRL or zone files an application loads itself.
    ///
    /// Fails closed, without reading past the limit: a file that cannot be
    /// opened or read, and anything that is not a regular file (a directory,
    /// a FIFO that could block forever, a device such as `/dev/zero` that
    /// streams without end), is an [`Error::Io`] naming the path; a larger
    /// file is an [`Error::LimitExceeded`].
    ///
    /// ```
    /// use hybridtrust::{Error, Limits};
    ///
    /// let limits = Limits { max_source_bytes: 4, ..Limits::default() };
    /// let dir = std::env::temp_dir().join(format!("ht-read-file-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// std::fs::write(dir.join("small"), b"abcd")?;
    /// std::fs::write(dir.join("large"), b"abcde")?;
    ///
    /// assert_eq!(limits.read_file(dir.join("small"))?, b"abcd");
    /// assert!(matches!(limits.read_file(dir.join("large")), Err(Error::LimitExceeded { .. })));
    /// assert!(matches!(limits.read_file(&dir), Err(Error::Io { .. })));
    /// assert!(matches!(limits.read_file(dir.join("absent")), Err(Error::Io { .. })));
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_file(&self, path: impl AsRef<Path>) -> Result<Vec<u8>, Error> {
        let path = path.as_ref();
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        match read_bounded(path, self.max_source_bytes) {
            Ok(bytes) => Ok(bytes),
            Err(BoundedReadError::TooLarge(actual)) => Err(Error::LimitExceeded {
                what: "file size in bytes",
                limit: self.max_source_bytes,
                actual: usize::try_from(actual).unwrap_or(usize::MAX),
            }),
            Err(BoundedReadError::NotRegular { directory }) => Err(io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                if directory {
                    "is a directory, not a file"
                } else {
                    "is not a regular file (a FIFO, socket or device)"
                },
            ))),
            Err(BoundedReadError::Io(e)) => Err(io(e)),
        }
    }
}

/// Why [`read_bounded`] returned no bytes.
pub(crate) enum BoundedReadError {
    /// The file holds more than the limit (its size, or the bytes read so far).
    TooLarge(u64),
    /// What was opened is not a regular file: a directory, or a FIFO,
    /// socket or device.
    NotRegular {
        /// It is a directory.
        directory: bool,
    },
    /// The operating system's error.
    Io(std::io::Error),
}

/// Reads at most `limit` bytes of the regular file at `path`, never more than
/// `limit + 1` even when the file grows or lies about its size.
///
/// The check that it is a regular file is made on the opened handle, and on
/// Unix the open does not wait for a FIFO's writer: a path swapped for a FIFO
/// or a device after the caller looked at it is refused, never waited on.
pub(crate) fn read_bounded(path: &Path, limit: usize) -> Result<Vec<u8>, BoundedReadError> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // No effect on a regular file's reads; keeps a FIFO's open from blocking.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(BoundedReadError::Io)?;
    let metadata = file.metadata().map_err(BoundedReadError::Io)?;
    if !metadata.is_file() {
        return Err(BoundedReadError::NotRegular {
            directory: metadata.is_dir(),
        });
    }
    let len = metadata.len();
    if len > limit as u64 {
        return Err(BoundedReadError::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(BoundedReadError::Io)?;
    if bytes.len() > limit {
        return Err(BoundedReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The handle is checked, not only the path: a FIFO reached directly (as
    /// when it replaces a checked file) is refused at once, without a writer.
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = std::env::temp_dir().join(format!("ht-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("swapped.pem");
        let _ = std::fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("mkfifo is not available; skipped");
            return;
        }
        assert!(matches!(
            read_bounded(&fifo, 1024),
            Err(BoundedReadError::NotRegular { directory: false })
        ));
        assert!(matches!(
            read_bounded(&dir, 1024),
            Err(BoundedReadError::NotRegular { directory: true })
        ));
        assert!(matches!(
            read_bounded(Path::new("/dev/zero"), 1024),
            Err(BoundedReadError::NotRegular { directory: false })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_regular_file_is_read_up_to_the_limit() {
        let dir = std::env::temp_dir().join(format!("ht-bounded-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("f");
        std::fs::write(&file, b"12345").unwrap();
        assert_eq!(read_bounded(&file, 5).ok(), Some(b"12345".to_vec()));
        assert!(matches!(
            read_bounded(&file, 4),
            Err(BoundedReadError::TooLarge(5))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
