//! Findings of a store's assembly: `ht_finding` and the stable finding kind codes.

use std::ffi::c_char;

use ht::{Finding, FindingKind, Severity};

use crate::error::ht_result;
use crate::ffi::{check_out, code, text_out, try_ref, write_out, Castable, Text};
use crate::panic::ffi_panic_boundary;

/// One problem met while assembling a store; borrowed from its `ht_store`
/// (or builder) and valid as long as that object lives. Thread-safe to read.
pub struct ht_finding {
    _private: [u8; 0],
}

pub(crate) struct CFinding {
    kind: ht_finding_kind,
    severity: ht_severity,
    source: Text,
    index: Option<usize>,
    line: Option<usize>,
    subject: Option<Text>,
    sha256: Option<Text>,
    message: Text,
    hint: Option<Text>,
    text: Text,
}

impl Castable for ht_finding {
    type RustType = CFinding;
}

/// How serious a finding is.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_severity {
    /// Worth knowing; nothing to do ("info").
    HT_SEVERITY_INFO = 1,
    /// Kept, but an admin should look ("warning").
    HT_SEVERITY_WARNING = 2,
    /// Not added, or the store cannot serve its purpose ("error").
    HT_SEVERITY_ERROR = 3,
}

/// What kind of problem a finding reports; mirrors the core's `FindingKind`.
/// Numbers are stable and never reused; the comment gives the core's name.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_finding_kind {
    /// A kind this version of the C API does not know yet (a newer core).
    HT_FINDING_UNRECOGNIZED = 0,
    /// "unparsable": neither a PEM nor a DER certificate, or fails to parse.
    HT_FINDING_UNPARSABLE = 1,
    /// "not-a-certificate": a PEM block that is not a certificate; not added.
    HT_FINDING_NOT_A_CERTIFICATE = 2,
    /// "not-a-ca": basicConstraints says not a CA; it cannot anchor a chain.
    HT_FINDING_NOT_A_CA = 3,
    /// "no-basic-constraints": a legacy v1 self-issued root; kept.
    HT_FINDING_NO_BASIC_CONSTRAINTS = 4,
    /// "expired": expired before the assembly time; not added.
    HT_FINDING_EXPIRED = 5,
    /// "not-yet-valid": validity starts after the assembly time; kept.
    HT_FINDING_NOT_YET_VALID = 6,
    /// "expiring-soon": expires within the warning window; kept.
    HT_FINDING_EXPIRING_SOON = 7,
    /// "weak-key": RSA below 2048 bits; not added.
    HT_FINDING_WEAK_KEY = 8,
    /// "md5-signature": signed with MD2/MD5; not added.
    HT_FINDING_MD5_SIGNATURE = 9,
    /// "sha1-signature": signed with SHA-1; kept.
    HT_FINDING_SHA1_SIGNATURE = 10,
    /// "duplicate-certificate": the same DER was already added.
    HT_FINDING_DUPLICATE_CERTIFICATE = 11,
    /// "duplicate-subject-and-key": a re-issue of a present certificate.
    HT_FINDING_DUPLICATE_SUBJECT_AND_KEY = 12,
    /// "duplicate-common-name": two CA certificates share a common name.
    HT_FINDING_DUPLICATE_COMMON_NAME = 13,
    /// "missing-required-ca": a CA the profile requires is not in the store.
    HT_FINDING_MISSING_REQUIRED_CA = 14,
    /// "missing-legacy-ca": a legacy CA of the profile is not in the store.
    HT_FINDING_MISSING_LEGACY_CA = 15,
    /// "ca-not-embedded": a listed CA is no longer in Mozilla's root program.
    HT_FINDING_CA_NOT_EMBEDDED = 16,
    /// "unreadable": a file or directory could not be read.
    HT_FINDING_UNREADABLE = 17,
    /// "too-large": a source exceeded a documented limit.
    HT_FINDING_TOO_LARGE = 18,
    /// "directory-loop": a directory symlink leads back to a directory being read.
    HT_FINDING_DIRECTORY_LOOP = 19,
    /// "empty": a source that holds no certificate.
    HT_FINDING_EMPTY = 20,
    /// "folder-absent": the device-tool certificate folder does not exist.
    HT_FINDING_FOLDER_ABSENT = 21,
    /// "trust-restricted": an OpenSSL TRUSTED CERTIFICATE whose trust settings
    /// restrict the anchor; kept, never used for a usage they refuse, left out
    /// of a plain PEM export.
    HT_FINDING_TRUST_RESTRICTED = 22,
    /// "distrusted-entry": an OpenSSL TRUSTED CERTIFICATE whose trust settings
    /// allow neither serverAuth nor clientAuth; not added, no copy is trusted.
    HT_FINDING_DISTRUSTED_ENTRY = 23,
}

pub(crate) fn finding_kind(kind: FindingKind) -> ht_finding_kind {
    use ht_finding_kind::*;
    use FindingKind::*;
    match kind {
        Unparsable => HT_FINDING_UNPARSABLE,
        NotACertificate => HT_FINDING_NOT_A_CERTIFICATE,
        NotACa => HT_FINDING_NOT_A_CA,
        NoBasicConstraints => HT_FINDING_NO_BASIC_CONSTRAINTS,
        Expired => HT_FINDING_EXPIRED,
        NotYetValid => HT_FINDING_NOT_YET_VALID,
        ExpiringSoon => HT_FINDING_EXPIRING_SOON,
        WeakKey => HT_FINDING_WEAK_KEY,
        Md5Signature => HT_FINDING_MD5_SIGNATURE,
        Sha1Signature => HT_FINDING_SHA1_SIGNATURE,
        DuplicateCertificate => HT_FINDING_DUPLICATE_CERTIFICATE,
        DuplicateSubjectAndKey => HT_FINDING_DUPLICATE_SUBJECT_AND_KEY,
        DuplicateCommonName => HT_FINDING_DUPLICATE_COMMON_NAME,
        MissingRequiredCa => HT_FINDING_MISSING_REQUIRED_CA,
        MissingLegacyCa => HT_FINDING_MISSING_LEGACY_CA,
        CaNotEmbedded => HT_FINDING_CA_NOT_EMBEDDED,
        Unreadable => HT_FINDING_UNREADABLE,
        TooLarge => HT_FINDING_TOO_LARGE,
        DirectoryLoop => HT_FINDING_DIRECTORY_LOOP,
        Empty => HT_FINDING_EMPTY,
        FolderAbsent => HT_FINDING_FOLDER_ABSENT,
        TrustRestricted => HT_FINDING_TRUST_RESTRICTED,
        DistrustedEntry => HT_FINDING_DISTRUSTED_ENTRY,
        _ => HT_FINDING_UNRECOGNIZED,
    }
}

impl CFinding {
    pub(crate) fn new(f: &Finding) -> Self {
        Self {
            kind: finding_kind(f.kind),
            severity: match f.severity {
                Severity::Info => ht_severity::HT_SEVERITY_INFO,
                Severity::Warning => ht_severity::HT_SEVERITY_WARNING,
                Severity::Error => ht_severity::HT_SEVERITY_ERROR,
            },
            source: Text::new(&f.provenance.source),
            index: f.provenance.index,
            line: f.provenance.line,
            subject: Text::opt(f.subject.as_deref()),
            sha256: f.sha256.map(|fp| Text::new(&fp.to_string())),
            message: Text::new(&f.message),
            hint: Text::opt(f.hint.as_deref()),
            text: Text::new(&f.to_string()),
        }
    }
}

/// The finding's kind (`HT_FINDING_UNRECOGNIZED` for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_finding_kind_of(finding: *const ht_finding) -> ht_finding_kind {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live finding.
        unsafe { try_ref(finding) }.map(|f| f.kind).unwrap_or(ht_finding_kind::HT_FINDING_UNRECOGNIZED)
    }
}

/// The stable kebab-case name of a finding kind code (e.g. "expired"),
/// static and NUL-terminated; "unrecognized" for an unknown code. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_finding_kind_name(kind: u32) -> *const c_char {
    ffi_panic_boundary! {
        crate::names::finding_kind_name(kind).as_ptr().cast()
    }
}

/// The finding's severity (`HT_SEVERITY_ERROR` for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_finding_severity(finding: *const ht_finding) -> ht_severity {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live finding.
        unsafe { try_ref(finding) }.map(|f| f.severity).unwrap_or(ht_severity::HT_SEVERITY_ERROR)
    }
}

/// Where the finding was met: a path as text, or a label such as `embedded:device-connector`.
///
/// UTF-8, NUL-terminated, owned by the finding's store (or builder);
/// `*len` (when `len` is non-NULL) gets the length without the NUL.
/// NULL (and length 0) only when `finding` is NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_finding_source(finding: *const ht_finding, len: *mut usize) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live finding.
        let f = unsafe { try_ref(finding) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(f.map(|f| &f.source), len) }
    }
}

/// The certificate's RFC 4514 subject, when one was parsed.
///
/// UTF-8, NUL-terminated, owned by the finding's store (or builder);
/// `*len` (when `len` is non-NULL) gets the length without the NUL.
/// NULL (and length 0) when absent or when `finding` is NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_finding_subject(finding: *const ht_finding, len: *mut usize) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live finding.
        let f = unsafe { try_ref(finding) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(f.and_then(|f| f.subject.as_ref()), len) }
    }
}

/// The certificate's SHA-256 fingerprint as 64 upper-case hex digits, when one was parsed.
///
/// UTF-8, NUL-terminated, owned by the finding's store (or builder);
/// `*len` (when `len` is non-NULL) gets the length without the NUL.
/// NULL (and length 0) when absent or when `finding` is NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_finding_sha256(finding: *const ht_finding, len: *mut usize) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live finding.
        let f = unsafe { try_ref(finding) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(f.and_then(|f| f.sha256.as_ref()), len) }
    }
}

/// One sentence saying what is wrong.
///
/// UTF-8, NUL-terminated, owned by the finding's store (or builder);
/// `*len` (when `len` is non-NULL) gets the length without the NUL.
/// NULL (and length 0) only when `finding` is NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_finding_message(finding: *const ht_finding, len: *mut usize) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live finding.
        let f = unsafe { try_ref(finding) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(f.map(|f| &f.message), len) }
    }
}

/// One sentence saying what to do, when there is something to do.
///
/// UTF-8, NUL-terminated, owned by the finding's store (or builder);
/// `*len` (when `len` is non-NULL) gets the length without the NUL.
/// NULL (and length 0) when absent or when `finding` is NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_finding_hint(finding: *const ht_finding, len: *mut usize) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live finding.
        let f = unsafe { try_ref(finding) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(f.and_then(|f| f.hint.as_ref()), len) }
    }
}

/// The whole finding as one line: severity, kind, source, message, hint.
///
/// UTF-8, NUL-terminated, owned by the finding's store (or builder);
/// `*len` (when `len` is non-NULL) gets the length without the NUL.
/// NULL (and length 0) only when `finding` is NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_finding_text(finding: *const ht_finding, len: *mut usize) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live finding.
        let f = unsafe { try_ref(finding) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(f.map(|f| &f.text), len) }
    }
}

fn finding_number(
    finding: *const ht_finding,
    out: *mut usize,
    pick: impl FnOnce(&CFinding) -> Option<usize>,
) -> ht_result {
    code((|| {
        // SAFETY: the caller passes NULL or a live finding.
        let f = unsafe { try_ref(finding) }?;
        check_out(out)?;
        let v = pick(f).ok_or(ht_result::HT_NOT_PRESENT)?;
        // SAFETY: checked non-NULL; the caller provides a writable pointer.
        unsafe { write_out(out, v) }
    })())
}

/// The index (from 0) of the certificate (PEM block) within its source.
/// `HT_NOT_PRESENT` when the finding is about the source as a whole.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ht_finding_index(finding: *const ht_finding, index_out: *mut usize) -> ht_result {
    ffi_panic_boundary! { finding_number(finding, index_out, |f| f.index) }
}

/// The 1-based line of the PEM block's BEGIN line. `HT_NOT_PRESENT` for DER
/// sources and findings about a whole source. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_finding_line(finding: *const ht_finding, line_out: *mut usize) -> ht_result {
    ffi_panic_boundary! { finding_number(finding, line_out, |f| f.line) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_finding_kind_has_a_code_and_its_name() {
        use FindingKind::*;
        for k in [
            Unparsable,
            NotACertificate,
            NotACa,
            NoBasicConstraints,
            Expired,
            NotYetValid,
            ExpiringSoon,
            WeakKey,
            Md5Signature,
            Sha1Signature,
            DuplicateCertificate,
            DuplicateSubjectAndKey,
            DuplicateCommonName,
            MissingRequiredCa,
            MissingLegacyCa,
            CaNotEmbedded,
            Unreadable,
            TooLarge,
            DirectoryLoop,
            Empty,
            FolderAbsent,
            TrustRestricted,
            DistrustedEntry,
        ] {
            let code = finding_kind(k);
            assert_ne!(code, ht_finding_kind::HT_FINDING_UNRECOGNIZED, "{k:?}");
            let name = crate::names::finding_kind_name(code as u32);
            assert_eq!(&name[..name.len() - 1], k.as_str());
        }
    }
}
