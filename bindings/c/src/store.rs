//! The immutable trust store: `ht_store` and access to its findings.

use std::ffi::c_char;

use ht::TrustStore;

use crate::error::ht_result;
use crate::ffi::{check_out, code, free_box, try_ref, write_out, Castable};
use crate::finding::{ht_finding, CFinding};
use crate::panic::ffi_panic_boundary;

/// An immutable trust store and the findings of its assembly.
///
/// Thread-safe: any number of threads may verify against one store at once.
pub struct ht_store {
    _private: [u8; 0],
}

pub(crate) struct Store {
    pub(crate) store: TrustStore,
    pub(crate) findings: Vec<CFinding>,
}

impl Castable for ht_store {
    type RustType = Store;
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
/// CA list upload takes), written to a new buffer. Anchors restricted by
/// OpenSSL trust settings (`HT_FINDING_TRUST_RESTRICTED`) are left out: a
/// plain PEM bundle cannot carry those settings, and must not widen them.
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
