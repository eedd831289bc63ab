//! Trust-store assembly: `ht_store_builder`.

use std::time::Duration;

use ht::{Profile, TrustStore, TrustStoreBuilder, UnixTime};

use crate::error::ht_result;
use crate::ffi::{
    check_out, code, enum_from_u32, free_box, path_from_bytes, to_boxed_mut_ptr, try_mut, try_ref,
    try_slice, try_str, write_out, Castable,
};
use crate::finding::{ht_finding, CFinding};
use crate::panic::ffi_panic_boundary;
use crate::store::{ht_store, Store};

/// Assembles a trust store. Made by `ht_store_builder_new`, consumed by
/// `ht_store_builder_build`, released by `ht_store_builder_free`.
///
/// Not thread-safe: use a builder from one thread at a time.
pub struct ht_store_builder {
    _private: [u8; 0],
}

pub(crate) struct Builder {
    inner: Option<TrustStoreBuilder>,
    last_error: Option<CFinding>,
}

impl Castable for ht_store_builder {
    type RustType = Builder;
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
