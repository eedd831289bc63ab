//! Assembling a trust store from files, directories, bytes, profiles and the OS.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use pki_types::{CertificateDer, UnixTime};

use super::finding::{Finding, FindingKind, Provenance, Severity};
use super::source::{self, Item};
use super::trust_store::{next_generation, Anchor, Inner, Rejected, TrustStore};
use crate::cert::{CaFlag, Certificate, Fingerprint, SignatureHash};
use crate::error::Error;
use crate::limits::{read_bounded, BoundedReadError, Limits};
use crate::profile::{CaStatus, Profile};
use crate::time::{days_between, format_time};

/// Builds a [`TrustStore`], recording a [`Finding`] for every problem.
///
/// Lenient by default: problems are recorded and assembly goes on. In strict
/// mode ([`TrustStoreBuilder::strict`]) the first finding of
/// [`Severity::Error`] is returned as [`Error::Store`]. Either way nothing is
/// dropped silently: a certificate that is not added has a finding saying why.
///
/// ```
/// # let dir = hybridtrust::doc_support::example_dir();
/// use hybridtrust::{TrustStore, Severity};
/// let mut builder = TrustStore::builder();
/// builder.add_dir(&dir)?;
/// let store = builder.build()?;
/// for finding in store.findings() {
///     println!("{finding}");
/// }
/// assert!(store.len() >= 1);
/// # Ok::<(), hybridtrust::Error>(())
/// ```
pub struct TrustStoreBuilder {
    strict: bool,
    at: UnixTime,
    expiry_warning_days: u64,
    limits: Limits,
    anchors: Vec<Anchor>,
    webpki_anchors: Vec<pki_types::TrustAnchor<'static>>,
    by_fingerprint: HashMap<Fingerprint, usize>,
    by_subject_and_key: HashMap<(Vec<u8>, Vec<u8>), usize>,
    rejected: Vec<Rejected>,
    findings: Vec<Finding>,
    files_read: HashSet<PathBuf>,
    required: Vec<Profile>,
}

impl Default for TrustStoreBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl TrustStoreBuilder {
    /// A lenient builder whose validity checks use the current time.
    pub fn new() -> Self {
        Self {
            strict: false,
            at: UnixTime::now(),
            expiry_warning_days: 30,
            limits: Limits::default(),
            anchors: Vec::new(),
            webpki_anchors: Vec::new(),
            by_fingerprint: HashMap::new(),
            by_subject_and_key: HashMap::new(),
            rejected: Vec::new(),
            findings: Vec::new(),
            files_read: HashSet::new(),
            required: Vec::new(),
        }
    }

    /// Strict (`true`): stop at the first finding of error severity.
    /// Lenient (`false`, the default): record it and go on.
    pub fn strict(&mut self, strict: bool) -> &mut Self {
        self.strict = strict;
        self
    }
    /// The time validity is judged at (default: when the builder was made).
    /// Set it before adding certificates.
    pub fn at(&mut self, at: UnixTime) -> &mut Self {
        self.at = at;
        self
    }
    /// Warn about anchors expiring within this many days (default 30).
    pub fn expiry_warning_days(&mut self, days: u32) -> &mut Self {
        self.expiry_warning_days = u64::from(days);
        self
    }
    /// Input limits (default [`Limits::default`]).
    pub fn limits(&mut self, limits: Limits) -> &mut Self {
        self.limits = limits;
        self
    }
    /// The findings recorded so far.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Adds every certificate of a PEM text (any number of blocks; text
    /// between blocks is ignored). `label` names the source in findings.
    pub fn add_pem(&mut self, label: &str, pem: &[u8]) -> Result<&mut Self, Error> {
        self.add_bytes_from(Provenance::label(label), pem)?;
        Ok(self)
    }

    /// Adds one DER-encoded certificate.
    pub fn add_der(&mut self, label: &str, der: &[u8]) -> Result<&mut Self, Error> {
        let provenance = Provenance::label(label).at(0, None, None);
        self.add_certificate(provenance, der.to_vec())?;
        Ok(self)
    }

    /// Adds PEM or DER bytes, told apart by content.
    pub fn add_bytes(&mut self, label: &str, bytes: &[u8]) -> Result<&mut Self, Error> {
        self.add_bytes_from(Provenance::label(label), bytes)?;
        Ok(self)
    }

    /// Adds a file holding PEM (one or many certificates) or DER, by content.
    /// Only regular files are read (a FIFO or device is an
    /// [`FindingKind::Unreadable`] finding, as in a directory).
    pub fn add_file(&mut self, path: impl AsRef<Path>) -> Result<&mut Self, Error> {
        let path = path.as_ref();
        let provenance = file_provenance(path);
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                self.record(
                    Finding::new(
                        FindingKind::Unreadable,
                        provenance,
                        "is a directory, not a file",
                    )
                    .hint("add it as a directory source"),
                )?;
            }
            Ok(m) if m.is_file() => self.add_file_inner(path, provenance)?,
            // A FIFO, socket or device: opening a FIFO without a writer would
            // block forever, and a device can stream without end.
            Ok(_) => self.record(Finding::new(
                FindingKind::Unreadable,
                provenance,
                "neither a regular file nor a directory",
            ))?,
            Err(e) => self.record(Finding::new(
                FindingKind::Unreadable,
                provenance,
                e.to_string(),
            ))?,
        }
        Ok(self)
    }

    /// Adds every file of a directory, by content rather than extension
    /// (OpenSSL hashed names such as `5ad8a5d6.0` just work). Symlinks are
    /// followed; a file reached twice is read once; a directory loop is
    /// reported; subdirectories are read up to [`Limits::max_directory_depth`].
    pub fn add_dir(&mut self, dir: impl AsRef<Path>) -> Result<&mut Self, Error> {
        let dir = dir.as_ref();
        let mut active = Vec::new();
        let mut entries = 0usize;
        self.walk(dir, 0, &mut active, &mut entries)?;
        Ok(self)
    }

    /// Adds the Device Connector's certificate folder, `[home]/.devicestool/certs`,
    /// with the home folder of the current user (see [`device_tool_certs_dir`]).
    /// An absent folder is an informational finding, not an error.
    pub fn add_device_tool_certs(&mut self) -> Result<&mut Self, Error> {
        match device_tool_certs_dir() {
            Some(dir) => self.add_device_tool_certs_in(&dir),
            None => {
                self.record(Finding::new(
                    FindingKind::FolderAbsent,
                    Provenance::label("[home]/.devicestool/certs"),
                    "the home folder of the current user is not known",
                ))?;
                Ok(self)
            }
        }
    }

    /// Adds a device-tool certificate folder at an explicit path.
    pub fn add_device_tool_certs_in(&mut self, dir: &Path) -> Result<&mut Self, Error> {
        if dir.is_dir() {
            self.add_dir(dir)
        } else {
            self.record(
                Finding::new(
                    FindingKind::FolderAbsent,
                    file_provenance(dir),
                    "the device tool certificate folder does not exist",
                )
                .hint("place the CA certificates of your devices there (PEM or DER)"),
            )?;
            Ok(self)
        }
    }

    /// Adds the embedded CA certificates a profile lists (taken from Mozilla's
    /// root program via `webpki-root-certs`). A listed CA that is no longer
    /// there gets a [`FindingKind::CaNotEmbedded`] finding.
    pub fn add_profile_cas(&mut self, profile: &Profile) -> Result<&mut Self, Error> {
        let label = format!("embedded:{}", profile.name());
        for (i, ca) in profile.cloud_cas().iter().enumerate() {
            match ca.embedded_der() {
                Some(der) => {
                    let provenance = Provenance::label(label.clone()).at(i, None, None);
                    self.add_certificate(provenance, der.to_vec())?;
                }
                None => {
                    let mut f = Finding::new(
                        FindingKind::CaNotEmbedded,
                        Provenance::label(label.clone()),
                        format!(
                            "'{}' ({}) is no longer in Mozilla's root program, so it is not embedded",
                            ca.name,
                            ca.status
                        ),
                    )
                    .hint(format!(
                        "if your deployment still needs '{}', add it from your own copy or the OS store",
                        ca.name
                    ));
                    f.subject = Some(ca.subject.to_string());
                    f.sha256 = ca.sha256;
                    self.record(f)?;
                }
            }
        }
        Ok(self)
    }

    /// Checks at [`build`](Self::build) time that every CA the profile
    /// requires is present ([`FindingKind::MissingRequiredCa`], an error) and
    /// reports missing legacy CAs ([`FindingKind::MissingLegacyCa`], info).
    pub fn require_profile(&mut self, profile: &Profile) -> &mut Self {
        self.required.push(profile.clone());
        self
    }

    /// Adds the operating system's trusted roots (opt-in, feature `os-store`).
    #[cfg(feature = "os-store")]
    pub fn add_os_store(&mut self) -> Result<&mut Self, Error> {
        let result = rustls_native_certs::load_native_certs();
        for e in result.errors {
            self.record(Finding::new(
                FindingKind::Unreadable,
                Provenance::label("os-store"),
                e.to_string(),
            ))?;
        }
        for (i, der) in result.certs.into_iter().enumerate() {
            let provenance = Provenance::label("os-store").at(i, None, None);
            self.add_certificate(provenance, der.to_vec())?;
        }
        Ok(self)
    }

    /// Finishes assembly: cross-certificate checks (same common name,
    /// required profile CAs), then an immutable [`TrustStore`].
    pub fn build(mut self) -> Result<TrustStore, Error> {
        self.check_common_names()?;
        self.check_required()?;
        let mut by_subject: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
        for (i, ta) in self.webpki_anchors.iter().enumerate() {
            by_subject.entry(ta.subject.to_vec()).or_default().push(i);
        }
        Ok(TrustStore {
            inner: std::sync::Arc::new(Inner {
                generation: next_generation(),
                assembled_at: self.at,
                anchors: self.anchors,
                webpki_anchors: self.webpki_anchors,
                by_subject,
                by_fingerprint: self.by_fingerprint,
                rejected: self.rejected,
                findings: self.findings,
            }),
        })
    }

    fn record(&mut self, finding: Finding) -> Result<(), Error> {
        let stop = self.strict && finding.severity == Severity::Error;
        self.findings.push(finding.clone());
        if stop {
            return Err(Error::Store(Box::new(finding)));
        }
        Ok(())
    }

    fn add_file_inner(&mut self, path: &Path, provenance: Provenance) -> Result<(), Error> {
        if let Ok(canonical) = fs::canonicalize(path) {
            if !self.files_read.insert(canonical) {
                // The same file through another name (an OpenSSL hash link): read once.
                return Ok(());
            }
        }
        match read_bounded(path, self.limits.max_source_bytes) {
            Ok(bytes) => self.add_bytes_from(provenance, &bytes),
            Err(BoundedReadError::TooLarge(len)) => self.record(
                Finding::new(
                    FindingKind::TooLarge,
                    provenance,
                    format!(
                        "file of {len} bytes exceeds the limit of {} bytes",
                        self.limits.max_source_bytes
                    ),
                )
                .hint("split the bundle, or raise Limits::max_source_bytes"),
            ),
            Err(BoundedReadError::NotRegular { .. }) => self.record(Finding::new(
                FindingKind::Unreadable,
                provenance,
                "neither a regular file nor a directory",
            )),
            Err(BoundedReadError::Io(e)) => self.record(Finding::new(
                FindingKind::Unreadable,
                provenance,
                e.to_string(),
            )),
        }
    }

    fn walk(
        &mut self,
        dir: &Path,
        depth: usize,
        active: &mut Vec<PathBuf>,
        entries: &mut usize,
    ) -> Result<(), Error> {
        let provenance = file_provenance(dir);
        let canonical = match fs::canonicalize(dir) {
            Ok(c) => c,
            Err(e) => {
                return self.record(Finding::new(
                    FindingKind::Unreadable,
                    provenance,
                    e.to_string(),
                ))
            }
        };
        if active.contains(&canonical) {
            return self.record(Finding::new(
                FindingKind::DirectoryLoop,
                provenance,
                format!("leads back to {}; not followed again", canonical.display()),
            ));
        }
        if depth > self.limits.max_directory_depth {
            return self.record(Finding::new(
                FindingKind::TooLarge,
                provenance,
                format!(
                    "nested deeper than {} directories; not read",
                    self.limits.max_directory_depth
                ),
            ));
        }
        let read = match fs::read_dir(dir) {
            Ok(r) => r,
            Err(e) => {
                return self.record(Finding::new(
                    FindingKind::Unreadable,
                    provenance,
                    e.to_string(),
                ))
            }
        };
        let mut paths = Vec::new();
        for entry in read {
            match entry {
                Ok(e) => paths.push(e.path()),
                Err(e) => self.record(Finding::new(
                    FindingKind::Unreadable,
                    provenance.clone(),
                    e.to_string(),
                ))?,
            }
        }
        paths.sort();
        active.push(canonical);
        let before = self.anchors.len() + self.rejected.len();
        let mut result = Ok(());
        for path in paths {
            *entries += 1;
            if *entries > self.limits.max_directory_entries {
                result = self.record(Finding::new(
                    FindingKind::TooLarge,
                    provenance.clone(),
                    format!(
                        "more than {} entries; the rest is not read",
                        self.limits.max_directory_entries
                    ),
                ));
                break;
            }
            let step = match fs::metadata(&path) {
                Ok(m) if m.is_dir() => self.walk(&path, depth + 1, active, entries),
                Ok(m) if m.is_file() => self.add_file_inner(&path, file_provenance(&path)),
                Ok(_) => self.record(Finding::new(
                    FindingKind::Unreadable,
                    file_provenance(&path),
                    "neither a regular file nor a directory",
                )),
                Err(e) => self.record(Finding::new(
                    FindingKind::Unreadable,
                    file_provenance(&path),
                    format!("{e} (a dangling symlink?)"),
                )),
            };
            if let Err(e) = step {
                result = Err(e);
                break;
            }
        }
        active.pop();
        result?;
        if depth == 0 && self.anchors.len() + self.rejected.len() == before {
            let already = self.findings.iter().any(|f| {
                f.provenance
                    .path
                    .as_deref()
                    .is_some_and(|p| p.starts_with(dir))
            });
            if !already {
                self.record(Finding::new(
                    FindingKind::Empty,
                    provenance,
                    "the directory holds no certificate",
                ))?;
            }
        }
        Ok(())
    }

    fn add_bytes_from(&mut self, provenance: Provenance, bytes: &[u8]) -> Result<(), Error> {
        if bytes.len() > self.limits.max_source_bytes {
            return self.record(Finding::new(
                FindingKind::TooLarge,
                provenance,
                format!(
                    "{} bytes exceeds the limit of {} bytes",
                    bytes.len(),
                    self.limits.max_source_bytes
                ),
            ));
        }
        let items = source::split(bytes, self.limits.max_certificates_per_source);
        if items.is_empty() {
            return self.record(Finding::new(
                FindingKind::Empty,
                provenance,
                "holds no certificate",
            ));
        }
        for Item {
            index,
            line,
            offset,
            content,
        } in items
        {
            let at = provenance.at(index, line, Some(offset));
            match content {
                Ok(der) => self.add_certificate(at, der)?,
                Err((kind, message)) => self.record(Finding::new(kind, at, message))?,
            }
        }
        Ok(())
    }

    fn add_certificate(&mut self, provenance: Provenance, der: Vec<u8>) -> Result<(), Error> {
        let cert = match Certificate::from_der(der) {
            Ok(c) => c,
            Err(e) => {
                return self.record(
                    Finding::new(FindingKind::Unparsable, provenance, e.to_string()).hint(
                        "check that the file holds an X.509 certificate and is not truncated",
                    ),
                )
            }
        };
        let anchor =
            match webpki::anchor_from_trusted_cert(&CertificateDer::from(cert.der().as_ref())) {
                Ok(ta) => ta.to_owned(),
                Err(e) => {
                    return self.record(
                        Finding::new(
                            FindingKind::Unparsable,
                            provenance,
                            format!("cannot serve as a trust anchor: {e:?}"),
                        )
                        .about(&cert),
                    )
                }
            };
        if let Some(&first) = self.by_fingerprint.get(&cert.fingerprint()) {
            let earlier = self.anchors[first].provenance.to_string();
            return self.record(
                Finding::new(
                    FindingKind::DuplicateCertificate,
                    provenance,
                    format!("the same certificate was already added from {earlier}"),
                )
                .about(&cert)
                .hint("remove the copy"),
            );
        }
        let mut problems: Vec<Finding> = Vec::new();
        let name = cert.display_name();
        match cert.ca_flag() {
            CaFlag::Ca { .. } => {}
            CaFlag::NotCa => problems.push(
                Finding::new(
                    FindingKind::NotACa,
                    provenance.clone(),
                    format!("'{name}' is not a CA certificate (basicConstraints cA=FALSE)"),
                )
                .hint("put the CA that issued it in the store instead"),
            ),
            CaFlag::Absent if cert.is_self_issued() => problems.push(Finding::new(
                FindingKind::NoBasicConstraints,
                provenance.clone(),
                format!(
                    "'{name}' has no basicConstraints (a v{} certificate); kept as a legacy root",
                    cert.version()
                ),
            )),
            CaFlag::Absent => problems.push(
                Finding::new(
                    FindingKind::NotACa,
                    provenance.clone(),
                    format!("'{name}' has no basicConstraints and is not self-issued, so it is not a CA"),
                )
                .hint("put the CA that issued it in the store instead"),
            ),
        }
        if cert.not_after() < self.at {
            problems.push(
                Finding::new(
                    FindingKind::Expired,
                    provenance.clone(),
                    format!(
                        "'{name}' expired at {} (assembly time {})",
                        format_time(cert.not_after()),
                        format_time(self.at)
                    ),
                )
                .hint("remove it; trust the CA of the certificates the peer serves today"),
            );
        } else if cert.not_before() > self.at {
            problems.push(Finding::new(
                FindingKind::NotYetValid,
                provenance.clone(),
                format!(
                    "'{name}' is valid only from {}",
                    format_time(cert.not_before())
                ),
            ));
        } else if days_between(self.at, cert.not_after()) < self.expiry_warning_days {
            problems.push(
                Finding::new(
                    FindingKind::ExpiringSoon,
                    provenance.clone(),
                    format!(
                        "'{name}' expires at {} (in {} days)",
                        format_time(cert.not_after()),
                        days_between(self.at, cert.not_after())
                    ),
                )
                .hint("add its successor before it expires"),
            );
        }
        if cert.key().is_weak() {
            problems.push(
                Finding::new(
                    FindingKind::WeakKey,
                    provenance.clone(),
                    format!("'{name}' has a weak key ({})", cert.key()),
                )
                .hint(
                    "replace it with a CA using RSA-2048 or stronger, or ECDSA P-256 or stronger",
                ),
            );
        }
        match cert.signature_hash() {
            SignatureHash::Md5 => problems.push(
                Finding::new(
                    FindingKind::Md5Signature,
                    provenance.clone(),
                    format!("'{name}' is signed with MD2/MD5"),
                )
                .hint("remove it"),
            ),
            SignatureHash::Sha1 => problems.push(
                Finding::new(
                    FindingKind::Sha1Signature,
                    provenance.clone(),
                    format!("'{name}' is signed with SHA-1"),
                )
                .hint(
                    "a SHA-1 root's own signature is not checked, but prefer its SHA-256 successor",
                ),
            ),
            _ => {}
        }
        let rejected = problems.iter().any(|p| p.severity == Severity::Error);
        let reason = problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| p.kind.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        for p in problems {
            self.record(p.about(&cert))?;
        }
        if rejected {
            self.rejected.push(Rejected {
                cert,
                provenance,
                reason,
            });
            return Ok(());
        }
        let key = (cert.subject_der().to_vec(), cert.spki_der().to_vec());
        if let Some(&other) = self.by_subject_and_key.get(&key) {
            let earlier = self.anchors[other].provenance.to_string();
            self.record(
                Finding::new(
                    FindingKind::DuplicateSubjectAndKey,
                    provenance.clone(),
                    format!("'{name}' has the same subject and key as the certificate from {earlier} (a re-issue)"),
                )
                .about(&cert)
                .hint("keep only the current one"),
            )?;
        } else {
            self.by_subject_and_key.insert(key, self.anchors.len());
        }
        self.by_fingerprint
            .insert(cert.fingerprint(), self.anchors.len());
        self.anchors.push(Anchor { cert, provenance });
        self.webpki_anchors.push(anchor);
        Ok(())
    }

    fn check_common_names(&mut self) -> Result<(), Error> {
        let mut first_by_cn: HashMap<String, usize> = HashMap::new();
        let mut found = Vec::new();
        for (i, a) in self.anchors.iter().enumerate() {
            let Some(cn) = a.cert.common_name() else {
                continue;
            };
            match first_by_cn.get(&cn.to_lowercase()) {
                None => {
                    first_by_cn.insert(cn.to_lowercase(), i);
                }
                Some(&j) => {
                    let other = &self.anchors[j];
                    let same_ca = other.cert.subject_der() == a.cert.subject_der()
                        && other.cert.spki_der() == a.cert.spki_der();
                    if !same_ca {
                        found.push(
                            Finding::new(
                                FindingKind::DuplicateCommonName,
                                a.provenance.clone(),
                                format!(
                                    "two CA certificates share the CN '{}' (the other is from {})",
                                    crate::text::escape_untrusted(cn),
                                    other.provenance
                                ),
                            )
                            .about(&a.cert)
                            .hint("keep one CA per common name, as Cisco advises for Expressway"),
                        );
                    }
                }
            }
        }
        for f in found {
            self.record(f)?;
        }
        Ok(())
    }

    fn check_required(&mut self) -> Result<(), Error> {
        let mut found = Vec::new();
        for profile in &self.required {
            for ca in profile.cloud_cas() {
                let present = self.anchors.iter().any(|a| ca.matches(&a.cert));
                if present {
                    continue;
                }
                let provenance = Provenance::label(format!("profile:{}", profile.name()));
                let mut f = match ca.status {
                    CaStatus::Required => Finding::new(
                        FindingKind::MissingRequiredCa,
                        provenance,
                        format!(
                            "the {} profile requires '{}' ({}), which the store lacks",
                            profile.name(),
                            ca.name,
                            ca.role
                        ),
                    )
                    .hint(format!("add the CA '{}' to the trust store", ca.name)),
                    CaStatus::Legacy => Finding::new(
                        FindingKind::MissingLegacyCa,
                        provenance,
                        format!("legacy CA '{}' ({}) is not in the store", ca.name, ca.role),
                    ),
                };
                f.subject = Some(ca.subject.to_string());
                f.sha256 = ca.sha256;
                found.push(f);
            }
        }
        for f in found {
            self.record(f)?;
        }
        Ok(())
    }
}

/// `[home]/.devicestool/certs` for the current user: `$HOME` on Unix,
/// `%USERPROFILE%` on Windows. `None` when the home folder is not known.
pub fn device_tool_certs_dir() -> Option<PathBuf> {
    std::env::home_dir()
        .filter(|h| !h.as_os_str().is_empty())
        .map(|h| h.join(".devicestool").join("certs"))
}

fn file_provenance(path: &Path) -> Provenance {
    Provenance {
        source: path.to_string_lossy().into_owned(),
        path: Some(path.to_path_buf()),
        index: None,
        line: None,
        offset: None,
    }
}
