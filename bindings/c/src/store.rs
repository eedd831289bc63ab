//! Trust-store assembly: `ht_store_builder`, `ht_store` and its `ht_finding`s.

use std::ffi::c_char;
use std::time::Duration;

use ht::{Finding, FindingKind, Profile, Severity, TrustStore, TrustStoreBuilder, UnixTime};

use crate::error::ht_result;
use crate::ffi::{
    check_out, code, enum_from_u32, free_box, path_from_bytes, text_out, to_boxed_mut_ptr, try_mut,
    try_ref, try_slice, try_str, write_out, Castable, Text,
};
use crate::panic::ffi_panic_boundary;

/// Assembles a trust store. Made by `ht_store_builder_new`, consumed by
/// `ht_store_builder_build`, released by `ht_store_builder_free`.
///
/// Not thread-safe: use a builder from one thread at a time.
pub struct ht_store_builder {
    _private: [u8; 0],
}

/// An immutable trust store and the findings of its assembly.
///
/// Thread-safe: any number of threads may verify against one store at once.
pub struct ht_store {
    _private: [u8; 0],
}

/// One problem met while assembling a store; borrowed from its `ht_store`
/// (or builder) and valid as long as that object lives. Thread-safe to read.
pub struct ht_finding {
    _private: [u8; 0],
}

pub(crate) struct Builder {
    inner: Option<TrustStoreBuilder>,
    last_error: Option<CFinding>,
}

pub(crate) struct Store {
    pub(crate) store: TrustStore,
    findings: Vec<CFinding>,
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

impl Castable for ht_store_builder {
    type RustType = Builder;
}
impl Castable for ht_store {
    type RustType = Store;
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
        _ => HT_FINDING_UNRECOGNIZED,
    }
}

impl CFinding {
    fn new(f: &Finding) -> Self {
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

/// The profile (connection of the hybrid deployment) whose CAs to add or require.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_profile {
    /// "device-connector": Device Connector -> Webex cloud (HTTPS) and devices.
    HT_PROFILE_DEVICE_CONNECTOR = 1,
    /// "expressway-e": Expressway-E <-> Webex cloud, SIP TLS, mutual authentication.
    HT_PROFILE_EXPRESSWAY_E = 2,
    /// "calendar-connector": calendar connector (Expressway-C) -> Exchange.
    HT_PROFILE_CALENDAR_CONNECTOR = 3,
}

enum_from_u32!(ht_profile {
    HT_PROFILE_DEVICE_CONNECTOR,
    HT_PROFILE_EXPRESSWAY_E,
    HT_PROFILE_CALENDAR_CONNECTOR
});

fn profile(code: u32) -> Result<Profile, ht_result> {
    Ok(match ht_profile::from_u32(code)? {
        ht_profile::HT_PROFILE_DEVICE_CONNECTOR => Profile::device_connector(),
        ht_profile::HT_PROFILE_EXPRESSWAY_E => Profile::expressway_e(),
        ht_profile::HT_PROFILE_CALENDAR_CONNECTOR => Profile::calendar_connector(),
    })
}

/// Validity instants as seconds since the Unix epoch (UTC).
pub(crate) fn unix_time(seconds: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(seconds))
}

impl Builder {
    fn live(&mut self) -> Result<&mut TrustStoreBuilder, ht_result> {
        self.inner.as_mut().ok_or(ht_result::HT_ALREADY_USED)
    }

    /// Runs one step; a strict builder's stop is kept for `ht_store_builder_last_error`.
    fn step(
        &mut self,
        f: impl FnOnce(&mut TrustStoreBuilder) -> Result<(), ht::Error>,
    ) -> Result<(), ht_result> {
        let b = self.live()?;
        f(b).map_err(|e| self.failed(&e))
    }

    fn failed(&mut self, e: &ht::Error) -> ht_result {
        if let ht::Error::Store(finding) = e {
            self.last_error = Some(CFinding::new(finding));
        }
        ht_result::from_error(e)
    }
}

/// Makes a lenient store builder whose assembly time is now.
///
/// On `HT_OK`, `*builder_out` owns a new builder: free it with
/// `ht_store_builder_free` (also after `ht_store_builder_build`).
/// `HT_NULL_PARAMETER` if `builder_out` is NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_new(builder_out: *mut *mut ht_store_builder) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            check_out(builder_out)?;
            let b = to_boxed_mut_ptr::<ht_store_builder>(Builder {
                inner: Some(TrustStore::builder()),
                last_error: None,
            });
            // SAFETY: checked non-NULL; the caller provides a writable pointer.
            unsafe { write_out(builder_out, b) }
        })())
    }
}

/// Strict (`true`): the first finding of error severity stops assembly and the
/// call that met it returns `HT_STORE_REJECTED`. Lenient (`false`, the
/// default): it is recorded and assembly goes on.
///
/// Returns `HT_ALREADY_USED` after `ht_store_builder_build`. Not thread-safe
/// (mutates the builder).
#[no_mangle]
pub extern "C" fn ht_store_builder_set_strict(
    builder: *mut ht_store_builder,
    strict: bool,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live builder used by this thread only.
            let b = unsafe { try_mut(builder) }?;
            b.live()?.strict(strict);
            Ok(())
        })())
    }
}

/// Judges validity at `unix_seconds` (seconds since 1970-01-01T00:00:00Z)
/// instead of now. Set it before adding certificates.
///
/// Returns `HT_ALREADY_USED` after build. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_set_time(
    builder: *mut ht_store_builder,
    unix_seconds: u64,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live builder used by this thread only.
            let b = unsafe { try_mut(builder) }?;
            b.live()?.at(unix_time(unix_seconds));
            Ok(())
        })())
    }
}

#[derive(Clone, Copy)]
enum BytesKind {
    Pem,
    Der,
    Any,
}

fn add_buffer(
    builder: *mut ht_store_builder,
    label: *const u8,
    label_len: usize,
    bytes: *const u8,
    bytes_len: usize,
    kind: BytesKind,
) -> ht_result {
    code((|| {
        // SAFETY: the caller passes NULL or a live builder used by this thread only.
        let b = unsafe { try_mut(builder) }?;
        // SAFETY: the caller passes NULL or `label_len` readable bytes.
        let label = unsafe { try_str(label, label_len) }?;
        // SAFETY: the caller passes NULL or `bytes_len` readable bytes.
        let bytes = unsafe { try_slice(bytes, bytes_len) }?;
        b.step(|inner| {
            match kind {
                BytesKind::Pem => inner.add_pem(label, bytes),
                BytesKind::Der => inner.add_der(label, bytes),
                BytesKind::Any => inner.add_bytes(label, bytes),
            }
            .map(|_| ())
        })
    })())
}

/// Adds every certificate of PEM text (`pem`, `pem_len` bytes; any number of
/// blocks). `label` (UTF-8, `label_len` bytes) names the source in findings.
///
/// Problems become findings (lenient) or `HT_STORE_REJECTED` (strict);
/// unparsable bytes are a finding, not an error code. NULL pointers (even
/// with length 0) give `HT_NULL_PARAMETER`; a non-UTF-8 label
/// `HT_INVALID_UTF8`; after build `HT_ALREADY_USED`. The bytes are copied
/// as needed; the caller keeps ownership. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_add_pem(
    builder: *mut ht_store_builder,
    label: *const u8,
    label_len: usize,
    pem: *const u8,
    pem_len: usize,
) -> ht_result {
    ffi_panic_boundary! { add_buffer(builder, label, label_len, pem, pem_len, BytesKind::Pem) }
}

/// Adds one DER-encoded certificate; otherwise (codes, ownership) as
/// `ht_store_builder_add_pem`. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_add_der(
    builder: *mut ht_store_builder,
    label: *const u8,
    label_len: usize,
    der: *const u8,
    der_len: usize,
) -> ht_result {
    ffi_panic_boundary! { add_buffer(builder, label, label_len, der, der_len, BytesKind::Der) }
}

/// Adds PEM or DER bytes, told apart by content; otherwise (codes, ownership)
/// as `ht_store_builder_add_pem`. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_add_bytes(
    builder: *mut ht_store_builder,
    label: *const u8,
    label_len: usize,
    bytes: *const u8,
    bytes_len: usize,
) -> ht_result {
    ffi_panic_boundary! { add_buffer(builder, label, label_len, bytes, bytes_len, BytesKind::Any) }
}

#[derive(Clone, Copy)]
enum PathKind {
    File,
    Dir,
    DeviceTool,
}

fn add_path(
    builder: *mut ht_store_builder,
    path: *const u8,
    path_len: usize,
    kind: PathKind,
) -> ht_result {
    code((|| {
        // SAFETY: the caller passes NULL or a live builder used by this thread only.
        let b = unsafe { try_mut(builder) }?;
        // SAFETY: the caller passes NULL or `path_len` readable bytes.
        let path = path_from_bytes(unsafe { try_slice(path, path_len) }?)?;
        b.step(|inner| {
            match kind {
                PathKind::File => inner.add_file(&path),
                PathKind::Dir => inner.add_dir(&path),
                PathKind::DeviceTool => inner.add_device_tool_certs_in(&path),
            }
            .map(|_| ())
        })
    })())
}

/// Adds a file holding PEM (one or many certificates) or DER, told apart by content.
///
/// `path` is `path_len` bytes, not NUL-terminated; on Unix any bytes except
/// NUL (non-UTF-8 names work). An empty path or one holding NUL gives
/// `HT_INVALID_ARGUMENT`. An unreadable file is a finding (lenient) or
/// `HT_STORE_REJECTED` (strict), not `HT_IO_ERROR`. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_add_file(
    builder: *mut ht_store_builder,
    path: *const u8,
    path_len: usize,
) -> ht_result {
    ffi_panic_boundary! { add_path(builder, path, path_len, PathKind::File) }
}

/// Adds every file of a directory, by content (OpenSSL hashed names work);
/// symlinks followed, loops reported, subdirectories read to a depth limit.
/// Paths as in `ht_store_builder_add_file`. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_add_dir(
    builder: *mut ht_store_builder,
    path: *const u8,
    path_len: usize,
) -> ht_result {
    ffi_panic_boundary! { add_path(builder, path, path_len, PathKind::Dir) }
}

/// Adds a Device Connector certificate folder at an explicit path; an absent
/// folder is an informational finding. Paths as in `ht_store_builder_add_file`.
/// Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_add_device_tool_certs_in(
    builder: *mut ht_store_builder,
    path: *const u8,
    path_len: usize,
) -> ht_result {
    ffi_panic_boundary! { add_path(builder, path, path_len, PathKind::DeviceTool) }
}

/// Adds the Device Connector's folder `[home]/.devicestool/certs` of the
/// current user (`$HOME` on Unix, `%USERPROFILE%` on Windows); an absent
/// folder is an informational finding. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_add_device_tool_certs(
    builder: *mut ht_store_builder,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live builder used by this thread only.
            let b = unsafe { try_mut(builder) }?;
            b.step(|inner| inner.add_device_tool_certs().map(|_| ()))
        })())
    }
}

/// Adds the embedded CA certificates that `profile` (an `ht_profile` value)
/// lists, from Mozilla's root program. A listed CA that is no longer there
/// gets a `HT_FINDING_CA_NOT_EMBEDDED` finding. An unknown profile code gives
/// `HT_INVALID_ARGUMENT`. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_add_profile_cas(
    builder: *mut ht_store_builder,
    profile: u32,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live builder used by this thread only.
            let b = unsafe { try_mut(builder) }?;
            let p = self::profile(profile)?;
            b.step(|inner| inner.add_profile_cas(&p).map(|_| ()))
        })())
    }
}

/// At build time, checks that every CA `profile` (an `ht_profile` value)
/// requires is present (`HT_FINDING_MISSING_REQUIRED_CA`, error severity) and
/// reports missing legacy CAs (info). Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_require_profile(
    builder: *mut ht_store_builder,
    profile: u32,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live builder used by this thread only.
            let b = unsafe { try_mut(builder) }?;
            let p = self::profile(profile)?;
            b.live()?.require_profile(&p);
            Ok(())
        })())
    }
}

/// Adds the operating system's trusted roots. Returns `HT_FEATURE_DISABLED`
/// when the library was built without the `os-store` feature. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_add_os_store(builder: *mut ht_store_builder) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live builder used by this thread only.
            let b = unsafe { try_mut(builder) }?;
            b.live()?;
            #[cfg(feature = "os-store")]
            {
                b.step(|inner| inner.add_os_store().map(|_| ()))
            }
            #[cfg(not(feature = "os-store"))]
            {
                Err(ht_result::HT_FEATURE_DISABLED)
            }
        })())
    }
}

/// The finding that stopped a strict builder (after `HT_STORE_REJECTED`).
///
/// On `HT_OK`, `*finding_out` borrows from the builder: valid until the
/// builder's next call or its free. `HT_NOT_PRESENT` when nothing stopped it.
/// Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_last_error(
    builder: *const ht_store_builder,
    finding_out: *mut *const ht_finding,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live builder not mutated meanwhile.
            let b = unsafe { try_ref(builder) }?;
            check_out(finding_out)?;
            let f = b.last_error.as_ref().ok_or(ht_result::HT_NOT_PRESENT)?;
            // SAFETY: checked non-NULL; the caller provides a writable pointer.
            unsafe { write_out(finding_out, (f as *const CFinding).cast::<ht_finding>()) }
        })())
    }
}

/// Finishes assembly (cross-certificate checks, required profile CAs) and
/// makes an immutable store.
///
/// On `HT_OK`, `*store_out` owns the store: free it with `ht_store_free`.
/// The builder is consumed either way: free it with `ht_store_builder_free`;
/// any further use returns `HT_ALREADY_USED`. A strict builder whose required
/// CA is missing returns `HT_STORE_REJECTED` (see `ht_store_builder_last_error`).
/// Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_build(
    builder: *mut ht_store_builder,
    store_out: *mut *mut ht_store,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live builder used by this thread only.
            let b = unsafe { try_mut(builder) }?;
            check_out(store_out)?;
            let inner = b.inner.take().ok_or(ht_result::HT_ALREADY_USED)?;
            let store = inner.build().map_err(|e| b.failed(&e))?;
            let findings = store.findings().iter().map(CFinding::new).collect();
            let ptr = to_boxed_mut_ptr::<ht_store>(Store { store, findings });
            // SAFETY: checked non-NULL; the caller provides a writable pointer.
            unsafe { write_out(store_out, ptr) }
        })())
    }
}

/// Frees a builder (built or not). NULL is accepted and returns `HT_OK`.
/// Freeing the same builder twice is undefined behaviour: set your pointer to
/// NULL after freeing. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_builder_free(builder: *mut ht_store_builder) -> ht_result {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a builder from ht_store_builder_new, not yet freed.
        unsafe { free_box(builder) };
        ht_result::HT_OK
    }
}

/// Number of trusted certificates (0 for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_len(store: *const ht_store) -> usize {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live store.
        unsafe { try_ref(store) }.map(|s| s.store.len()).unwrap_or(0)
    }
}

/// The store's process-unique generation id (0 for NULL), recorded in every
/// verification result it decides. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_generation(store: *const ht_store) -> u64 {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live store.
        unsafe { try_ref(store) }.map(|s| s.store.generation()).unwrap_or(0)
    }
}

/// Number of findings of the store's assembly (0 for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_findings_len(store: *const ht_store) -> usize {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live store.
        unsafe { try_ref(store) }.map(|s| s.findings.len()).unwrap_or(0)
    }
}

/// The finding at `index` (0-based, below `ht_store_findings_len`).
///
/// On `HT_OK`, `*finding_out` borrows from the store: valid until
/// `ht_store_free`; do not free it. `HT_INDEX_OUT_OF_RANGE` past the end.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_finding(
    store: *const ht_store,
    index: usize,
    finding_out: *mut *const ht_finding,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live store.
            let s = unsafe { try_ref(store) }?;
            check_out(finding_out)?;
            let f = s.findings.get(index).ok_or(ht_result::HT_INDEX_OUT_OF_RANGE)?;
            // SAFETY: checked non-NULL; the caller provides a writable pointer.
            unsafe { write_out(finding_out, (f as *const CFinding).cast::<ht_finding>()) }
        })())
    }
}

/// All trusted certificates as one PEM bundle (what an Expressway's trusted
/// CA list upload takes), written to a new buffer.
///
/// On `HT_OK`, `*pem_out` points to `*pem_len_out` bytes plus a NUL, owned by
/// the caller: release it with `ht_bytes_free(*pem_out, *pem_len_out)`.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ht_store_to_pem(
    store: *const ht_store,
    pem_out: *mut *mut c_char,
    pem_len_out: *mut usize,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live store.
            let s = unsafe { try_ref(store) }?;
            check_out(pem_out)?;
            check_out(pem_len_out)?;
            let (ptr, len) = crate::bytes::into_raw(s.store.to_pem_bundle());
            // SAFETY: both checked non-NULL; the caller provides writable pointers.
            unsafe {
                pem_out.write(ptr);
                pem_len_out.write(len);
            }
            Ok(())
        })())
    }
}

/// Frees a store. Objects borrowed from it (findings) become invalid;
/// verification results made with it stay valid (they keep what they need).
/// NULL is accepted and returns `HT_OK`; freeing twice is undefined behaviour.
/// Not thread-safe with other uses of the same store.
#[no_mangle]
pub extern "C" fn ht_store_free(store: *mut ht_store) -> ht_result {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a store from ht_store_builder_build, not yet freed.
        unsafe { free_box(store) };
        ht_result::HT_OK
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
        ] {
            let code = finding_kind(k);
            assert_ne!(code, ht_finding_kind::HT_FINDING_UNRECOGNIZED, "{k:?}");
            let name = crate::names::finding_kind_name(code as u32);
            assert_eq!(&name[..name.len() - 1], k.as_str());
        }
    }
}
