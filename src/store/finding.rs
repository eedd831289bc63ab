//! Findings: every problem met while assembling a trust store, with where it was met.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::cert::{Certificate, Fingerprint};
use crate::text::escape_untrusted;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing; nothing to do.
    Info,
    /// The certificate was kept (or the problem is harmless), but an admin should look.
    Warning,
    /// The certificate was not added, or the store cannot serve its purpose.
    /// A strict builder stops at the first finding of this severity.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// What kind of problem a finding reports. Stable: new kinds may be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FindingKind {
    /// The bytes are neither a PEM certificate nor a DER certificate, or fail to parse.
    Unparsable,
    /// A PEM block that is not a certificate (a key, a CRL, a request); not added.
    NotACertificate,
    /// basicConstraints says the certificate is not a CA; it cannot anchor a chain.
    NotACa,
    /// A self-issued certificate without basicConstraints (a legacy v1 root); kept.
    NoBasicConstraints,
    /// The certificate expired before the assembly time; not added.
    Expired,
    /// The certificate's validity starts after the assembly time; kept.
    NotYetValid,
    /// The certificate expires within the warning window; kept.
    ExpiringSoon,
    /// The public key is too weak (RSA below 2048 bits); not added.
    WeakKey,
    /// Signed with MD2/MD5; not added.
    Md5Signature,
    /// Signed with SHA-1; kept (an anchor's own signature is not checked), but
    /// Expressway X15.2+ refuses SHA-1 server certificates.
    Sha1Signature,
    /// The same certificate (same DER) was already added; the copy is ignored.
    DuplicateCertificate,
    /// Another certificate with the same subject and public key is present (a re-issue).
    DuplicateSubjectAndKey,
    /// Two different CA certificates share a common name (Cisco warns against it).
    DuplicateCommonName,
    /// A CA that the chosen profile requires is not in the store.
    MissingRequiredCa,
    /// A legacy CA listed by the profile is not in the store.
    MissingLegacyCa,
    /// A CA listed by the profile is no longer in Mozilla's root program, so
    /// it is not embedded; add it yourself if your deployment still needs it.
    CaNotEmbedded,
    /// A file or directory could not be read.
    Unreadable,
    /// A source exceeded a documented limit.
    TooLarge,
    /// A directory symlink leads back to a directory already being read.
    DirectoryLoop,
    /// A source that holds no certificate at all.
    Empty,
    /// The device-tool certificate folder does not exist.
    FolderAbsent,
}

impl FindingKind {
    /// The severity this kind has.
    pub fn severity(self) -> Severity {
        use FindingKind::*;
        match self {
            Unparsable | NotACa | Expired | WeakKey | Md5Signature | MissingRequiredCa
            | Unreadable | TooLarge => Severity::Error,
            NotACertificate
            | NoBasicConstraints
            | NotYetValid
            | ExpiringSoon
            | Sha1Signature
            | DuplicateCertificate
            | DuplicateSubjectAndKey
            | DuplicateCommonName
            | CaNotEmbedded
            | DirectoryLoop
            | Empty => Severity::Warning,
            MissingLegacyCa | FolderAbsent => Severity::Info,
        }
    }

    /// A stable kebab-case name, as used in JSON.
    pub fn as_str(self) -> &'static str {
        use FindingKind::*;
        match self {
            Unparsable => "unparsable",
            NotACertificate => "not-a-certificate",
            NotACa => "not-a-ca",
            NoBasicConstraints => "no-basic-constraints",
            Expired => "expired",
            NotYetValid => "not-yet-valid",
            ExpiringSoon => "expiring-soon",
            WeakKey => "weak-key",
            Md5Signature => "md5-signature",
            Sha1Signature => "sha1-signature",
            DuplicateCertificate => "duplicate-certificate",
            DuplicateSubjectAndKey => "duplicate-subject-and-key",
            DuplicateCommonName => "duplicate-common-name",
            MissingRequiredCa => "missing-required-ca",
            MissingLegacyCa => "missing-legacy-ca",
            CaNotEmbedded => "ca-not-embedded",
            Unreadable => "unreadable",
            TooLarge => "too-large",
            DirectoryLoop => "directory-loop",
            Empty => "empty",
            FolderAbsent => "folder-absent",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a certificate (or a problem) came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The source: a path as text, or a label such as `embedded:webex-cloud`.
    pub source: String,
    /// The path, when the source is a file (kept exact, even if not UTF-8).
    #[serde(skip)]
    pub path: Option<PathBuf>,
    /// Index of the certificate (PEM block) within the source, from 0.
    pub index: Option<usize>,
    /// 1-based line of the PEM block's BEGIN line.
    pub line: Option<usize>,
    /// Byte offset of the certificate within the source.
    pub offset: Option<usize>,
}

impl Provenance {
    pub(crate) fn label(label: impl Into<String>) -> Self {
        Self {
            source: label.into(),
            path: None,
            index: None,
            line: None,
            offset: None,
        }
    }

    pub(crate) fn at(&self, index: usize, line: Option<usize>, offset: Option<usize>) -> Self {
        Self {
            index: Some(index),
            line,
            offset,
            ..self.clone()
        }
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape_untrusted(&self.source))?;
        match (self.index, self.line, self.offset) {
            (Some(i), Some(l), _) => write!(f, " #{i} (line {l})"),
            (Some(i), None, Some(o)) => write!(f, " #{i} (byte {o})"),
            (Some(i), None, None) => write!(f, " #{i}"),
            _ => Ok(()),
        }
    }
}

/// One problem met during assembly: what, where, which certificate, what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind of problem.
    pub kind: FindingKind,
    /// How serious (derived from the kind).
    pub severity: Severity,
    /// Where it was met.
    pub provenance: Provenance,
    /// The certificate's subject, when one was parsed.
    pub subject: Option<String>,
    /// The certificate's SHA-256, when one was parsed.
    pub sha256: Option<Fingerprint>,
    /// One sentence saying what is wrong.
    pub message: String,
    /// One sentence saying what to do, when there is something to do.
    pub hint: Option<String>,
}

impl Finding {
    pub(crate) fn new(
        kind: FindingKind,
        provenance: Provenance,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            severity: kind.severity(),
            provenance,
            subject: None,
            sha256: None,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn about(mut self, cert: &Certificate) -> Self {
        self.subject = Some(cert.subject().to_string());
        self.sha256 = Some(cert.fingerprint());
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}] {}: {}",
            self.severity,
            self.kind,
            self.provenance,
            escape_untrusted(&self.message)
        )?;
        if let Some(h) = &self.hint {
            write!(f, " ({})", escape_untrusted(h))?;
        }
        Ok(())
    }
}
