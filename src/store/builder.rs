//! Assembling a trust store from files, directories, bytes, profiles and the OS.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use pki_types::{CertificateDer, UnixTime};

use super::finding::{Finding, FindingKind, Provenance, Severity};
use super::source::{self, Item};
use super::trust_settings::TrustSettings;
use super::trust_store::{next_generation, Anchor, Inner, Rejected, TrustStore};
use crate::cert::{CaFlag, Certificate, Fingerprint, SignatureHash};
use crate::error::Error;
use crate::limits::{read_bounded, BoundedReadError, Limits};
use crate::profile::{CaStatus, Profile};
use crate::time::{days_between, format_time};
use crate::verify::Usage;

/// Builds a [`TrustStore`], recording a [`Finding`] for every problem.
///
/// Lenient by default: problems are recorded and assembly goes on. In strict
/// mode ([`TrustStoreBuilder::strict`]) the first finding of
/// [`Severity::Error`] is returned as [`Error::Store`]. Either way nothing is
/// dropped silently: a certificate that is not added has a finding saying why,
/// or, past [`Limits::max_similar_findings`] or [`Limits::max_findings`], is
/// counted by a summary finding of its kind ("and N more ... like it").
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
    /// Directories read (canonical paths): each real directory is read once,
    /// however many links lead to it.
    dirs_read: HashSet<PathBuf>,
    /// Directories already reported as nested too deep.
    dirs_too_deep: HashSet<PathBuf>,
    /// Certificates an entry distrusts, and that entry: no copy is trusted.
    distrusted: HashMap<Fingerprint, String>,
    /// Findings met per kind and source, for [`Limits::max_similar_findings`].
    similar: HashMap<(FindingKind, String), Similar>,
    /// (kind, source) pairs with findings left out and no summary yet, in order.
    pending_summaries: Vec<(FindingKind, String)>,
    /// Findings left out because the store held [`Limits::max_findings`], per kind.
    overflow: Vec<(FindingKind, usize)>,
    /// Findings recorded so far, kept or only counted.
    recorded: usize,
    required: Vec<Profile>,
}

/// How many findings of one kind one source gave, and how many were left out.
#[derive(Default)]
struct Similar {
    seen: usize,
    omitted: usize,
    first_omitted: Option<Provenance>,
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
            dirs_read: HashSet::new(),
            dirs_too_deep: HashSet::new(),
            distrusted: HashMap::new(),
            similar: HashMap::new(),
            pending_summaries: Vec::new(),
            overflow: Vec::new(),
            recorded: 0,
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
        self.add_certificate(provenance, der.to_vec(), None)?;
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
    /// followed; a file or directory reached twice (through links) is read
    /// once; a directory loop is reported; subdirectories are read up to
    /// [`Limits::max_directory_depth`].
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
                    self.add_certificate(provenance, der.to_vec(), None)?;
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
            self.add_certificate(provenance, der.to_vec(), None)?;
        }
        Ok(self)
    }

    /// Finishes assembly: cross-certificate checks (same common name,
    /// required profile CAs), then an immutable [`TrustStore`].
    pub fn build(mut self) -> Result<TrustStore, Error> {
        self.drop_distrusted();
        self.check_common_names()?;
        self.check_required()?;
        self.flush_summaries(None);
        for (kind, n) in std::mem::take(&mut self.overflow) {
            self.findings.push(Finding::new(
                kind,
                Provenance::label("store"),
                format!(
                    "and {n} more {kind} finding{}, not listed: a store keeps at most {} findings (Limits::max_findings)",
                    if n == 1 { "" } else { "s" },
                    self.limits.max_findings
                ),
            ));
        }
        let mut by_subject: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
        for (i, ta) in self.webpki_anchors.iter().enumerate() {
            by_subject.entry(ta.subject.to_vec()).or_default().push(i);
        }
        let unrestricted_webpki_anchors = self
            .anchors
            .iter()
            .any(|a| !a.trust.is_unrestricted())
            .then(|| {
                self.anchors
                    .iter()
                    .zip(&self.webpki_anchors)
                    .filter(|(a, _)| a.trust.is_unrestricted())
                    .map(|(_, ta)| ta.clone())
                    .collect()
            });
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
                unrestricted_webpki_anchors,
            }),
        })
    }

    /// Records a finding, within the bounds: at most
    /// [`Limits::max_similar_findings`] of one kind from one source (the rest
    /// are counted for a summary finding), at most [`Limits::max_findings`]
    /// in all (the rest are counted per kind for a summary at `build`).
    fn record(&mut self, finding: Finding) -> Result<(), Error> {
        self.recorded += 1;
        if self.strict && finding.severity == Severity::Error {
            self.findings.push(finding.clone());
            return Err(Error::Store(Box::new(finding)));
        }
        let key = (finding.kind, finding.provenance.source.clone());
        let similar = self.similar.entry(key).or_default();
        similar.seen += 1;
        if similar.seen > self.limits.max_similar_findings {
            if similar.omitted == 0 {
                similar.first_omitted = Some(finding.provenance.clone());
                self.pending_summaries
                    .push((finding.kind, finding.provenance.source));
            }
            similar.omitted += 1;
            return Ok(());
        }
        self.keep(finding, 1);
        Ok(())
    }

    /// Keeps `finding` (which stands for `count` findings) unless the store
    /// already holds [`Limits::max_findings`]; then it is only counted.
    fn keep(&mut self, finding: Finding, count: usize) {
        if self.findings.len() < self.limits.max_findings {
            self.findings.push(finding);
        } else if let Some(entry) = self.overflow.iter_mut().find(|(k, _)| *k == finding.kind) {
            entry.1 += count;
        } else {
            self.overflow.push((finding.kind, count));
        }
    }

    /// Adds the summary findings ("and N more like it") of `source`, or of
    /// every source when `None`.
    fn flush_summaries(&mut self, source: Option<&str>) {
        let pending = std::mem::take(&mut self.pending_summaries);
        for (kind, src) in pending {
            if source.is_some_and(|s| s != src) {
                self.pending_summaries.push((kind, src));
                continue;
            }
            let key = (kind, src);
            let Some(similar) = self.similar.get_mut(&key) else {
                continue;
            };
            let omitted = std::mem::take(&mut similar.omitted);
            let Some(first) = similar.first_omitted.take() else {
                continue;
            };
            let from = match (first.index, first.line) {
                (Some(i), Some(l)) => format!(" from #{i} (line {l}) on"),
                (Some(i), None) => format!(" from #{i} on"),
                _ => String::new(),
            };
            let provenance = Provenance {
                index: None,
                line: None,
                offset: None,
                ..first
            };
            let finding = Finding::new(
                kind,
                provenance,
                format!(
                    "and {omitted} more {kind} finding{} like it in this source{from}, not listed: at most {} of one kind are kept per source (Limits::max_similar_findings)",
                    if omitted == 1 { "" } else { "s" },
                    self.limits.max_similar_findings
                ),
            );
            self.keep(finding, omitted);
        }
    }

    /// Anchors that a later entry distrusted for every usage become rejected
    /// certificates (their findings were recorded when the entry was met).
    fn drop_distrusted(&mut self) {
        if !self.anchors.iter().any(|a| a.trust.allows_no_usage()) {
            return;
        }
        let anchors = std::mem::take(&mut self.anchors);
        let webpki_anchors = std::mem::take(&mut self.webpki_anchors);
        self.by_fingerprint.clear();
        for (anchor, ta) in anchors.into_iter().zip(webpki_anchors) {
            if anchor.trust.allows_no_usage() {
                self.rejected.push(Rejected {
                    cert: anchor.cert,
                    provenance: anchor.provenance,
                    reason: FindingKind::DistrustedEntry.as_str().to_string(),
                });
            } else {
                self.by_fingerprint
                    .insert(anchor.cert.fingerprint(), self.anchors.len());
                self.anchors.push(anchor);
                self.webpki_anchors.push(ta);
            }
        }
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
        let recorded_before = self.recorded;
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
            if !self.dirs_too_deep.insert(canonical) {
                return Ok(()); // reported when first reached
            }
            return self.record(Finding::new(
                FindingKind::TooLarge,
                provenance,
                format!(
                    "nested deeper than {} directories; not read",
                    self.limits.max_directory_depth
                ),
            ));
        }
        if !self.dirs_read.insert(canonical.clone()) {
            // Already read through another link: a DAG of links costs one visit per directory.
            return Ok(());
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
            // Findings met while reading it (kept or only counted) say why already.
            if self.recorded == recorded_before {
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
            trust,
        } in items
        {
            let at = provenance.at(index, line, Some(offset));
            match content {
                Ok(der) => self.add_certificate(at, der, trust)?,
                Err((kind, message)) => self.record(Finding::new(kind, at, message))?,
            }
        }
        self.flush_summaries(Some(&provenance.source));
        Ok(())
    }

    fn add_certificate(
        &mut self,
        provenance: Provenance,
        der: Vec<u8>,
        trust: Option<TrustSettings>,
    ) -> Result<(), Error> {
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
        let name = cert.display_name();
        let trust = trust.unwrap_or_default();
        if let Some(entry) = self.distrusted.get(&cert.fingerprint()) {
            let message = format!(
                "'{name}' is distrusted by the entry {entry}, so this copy is not trusted either"
            );
            return self.record(
                Finding::new(FindingKind::DistrustedEntry, provenance, message).about(&cert),
            );
        }
        if let Some(&first) = self.by_fingerprint.get(&cert.fingerprint()) {
            let earlier = self.anchors[first].provenance.to_string();
            self.record(
                Finding::new(
                    FindingKind::DuplicateCertificate,
                    provenance.clone(),
                    format!("the same certificate was already added from {earlier}"),
                )
                .about(&cert)
                .hint("remove the copy"),
            )?;
            // A copy never widens trust: the anchor keeps what both entries allow.
            let narrowed = self.anchors[first].trust.narrowed(&trust);
            if narrowed != self.anchors[first].trust {
                if narrowed.allows_no_usage() {
                    self.distrusted
                        .insert(cert.fingerprint(), provenance.to_string());
                }
                let finding = trust_finding(&cert, &narrowed, provenance, Some(&earlier));
                self.anchors[first].trust = narrowed;
                self.record(finding)?;
            }
            return Ok(());
        }
        if trust.allows_no_usage() {
            self.distrusted
                .insert(cert.fingerprint(), provenance.to_string());
            self.record(trust_finding(&cert, &trust, provenance.clone(), None))?;
            self.rejected.push(Rejected {
                cert,
                provenance,
                reason: FindingKind::DistrustedEntry.as_str().to_string(),
            });
            return Ok(());
        }
        let mut problems: Vec<Finding> = Vec::new();
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
        let restricted = (!trust.is_unrestricted())
            .then(|| trust_finding(&cert, &trust, provenance.clone(), None));
        self.by_fingerprint
            .insert(cert.fingerprint(), self.anchors.len());
        self.anchors.push(Anchor {
            cert,
            provenance,
            trust,
        });
        self.webpki_anchors.push(anchor);
        if let Some(finding) = restricted {
            self.record(finding)?;
        }
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
                // A cloud CA serves to verify the cloud's servers: present only when trusted for that.
                let present = self
                    .anchors
                    .iter()
                    .any(|a| ca.matches(&a.cert) && a.trust.allows(Usage::ServerAuth));
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

/// The finding for an entry whose OpenSSL trust settings restrict it
/// (`trust-restricted`) or allow no usage at all (`distrusted-entry`);
/// `narrowing` names the earlier entry of the same certificate they narrow.
fn trust_finding(
    cert: &Certificate,
    trust: &TrustSettings,
    provenance: Provenance,
    narrowing: Option<&str>,
) -> Finding {
    let name = cert.display_name();
    let of = match narrowing {
        Some(earlier) => format!("this copy's trust settings narrow the entry from {earlier}: "),
        None => String::new(),
    };
    if trust.allows_no_usage() {
        return Finding::new(
            FindingKind::DistrustedEntry,
            provenance,
            format!(
                "{of}'{name}' is distrusted by its OpenSSL trust settings ({}); not added, and no other copy of it is trusted",
                trust.describe()
            ),
        )
        .about(cert)
        .hint("nothing to do if it is meant to be distrusted; otherwise replace the entry with the plain certificate");
    }
    let refused = trust.refused_usages();
    let effect = if refused.is_empty() {
        "still used for serverAuth and clientAuth".to_string()
    } else {
        format!("not used to verify {}", refused.join(" or "))
    };
    Finding::new(
        FindingKind::TrustRestricted,
        provenance,
        format!(
            "{of}'{name}' is {} by its OpenSSL trust settings: {effect}; a plain PEM export leaves it out",
            trust.describe()
        ),
    )
    .about(cert)
    .hint("nothing to do if the restriction is meant; otherwise re-create the entry without it (openssl x509 -trustout without -addreject, or with -addtrust for the purpose)")
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
