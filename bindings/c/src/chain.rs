//! Presented chains: `ht_chain` (PEM parsing) and the borrowed DER arrays
//! that the verify functions take.

use ht::CertificateDer;

use crate::error::ht_result;
use crate::ffi::{
    check_out, code, free_box, path_from_bytes, to_boxed_mut_ptr, try_ref, try_slice, write_out,
    Castable,
};
use crate::panic::ffi_panic_boundary;

/// A parsed presented chain (leaf first), for callers that hold PEM text.
/// Made by `ht_chain_parse`, freed by `ht_chain_free`; immutable and thread-safe.
pub struct ht_chain {
    _private: [u8; 0],
}

pub(crate) struct Chain(Vec<CertificateDer<'static>>);

impl Castable for ht_chain {
    type RustType = Chain;
}

/// Borrows the caller's array of DER buffers as a chain.
///
/// # Safety
/// `certs` and `cert_lens` are NULL or point to `count` elements; each
/// `certs[i]` is NULL or points to `cert_lens[i]` readable bytes; all stay
/// unchanged for `'a`.
pub(crate) unsafe fn chain_from<'a>(
    certs: *const *const u8,
    cert_lens: *const usize,
    count: usize,
) -> Result<Vec<CertificateDer<'a>>, ht_result> {
    // SAFETY: per this function's contract.
    let ptrs = unsafe { try_slice(certs, count) }?;
    // SAFETY: per this function's contract.
    let lens = unsafe { try_slice(cert_lens, count) }?;
    ptrs.iter()
        .zip(lens)
        // SAFETY: per this function's contract, each entry is NULL or readable for its length.
        .map(|(p, l)| unsafe { try_slice(*p, *l) }.map(CertificateDer::from))
        .collect()
}

/// Parses a presented chain from PEM text (leaf first) or one DER
/// certificate (`bytes`, `len` bytes; copied).
///
/// On `HT_OK`, `*chain_out` owns the chain: free it with `ht_chain_free`.
/// `HT_PARSE_ERROR` when an item is not a certificate or there is none;
/// `HT_LIMIT_EXCEEDED` above 32 MiB. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_chain_parse(
    bytes: *const u8,
    len: usize,
    chain_out: *mut *mut ht_chain,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or `len` readable bytes.
            let bytes = unsafe { try_slice(bytes, len) }?;
            check_out(chain_out)?;
            let chain = ht::parse_chain(bytes).map_err(|e| ht_result::from_error(&e))?;
            // SAFETY: checked non-NULL; the caller provides a writable pointer.
            unsafe { write_out(chain_out, to_boxed_mut_ptr::<ht_chain>(Chain(chain))) }
        })())
    }
}

/// Reads and parses a presented chain file: PEM (leaf first) or one DER
/// certificate.
///
/// `path` is `path_len` bytes, not NUL-terminated; on Unix any bytes except
/// NUL (non-UTF-8 names work). An empty path or one holding NUL gives
/// `HT_INVALID_ARGUMENT`. Only a regular file is read: a missing or
/// unreadable file, a directory, a FIFO or a device gives `HT_IO_ERROR`;
/// a file above 32 MiB `HT_LIMIT_EXCEEDED` (nothing past the limit is read);
/// contents that are not a chain `HT_PARSE_ERROR`. On `HT_OK`, `*chain_out`
/// owns the chain: free it with `ht_chain_free`. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_chain_parse_file(
    path: *const u8,
    path_len: usize,
    chain_out: *mut *mut ht_chain,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or `path_len` readable bytes.
            let path = path_from_bytes(unsafe { try_slice(path, path_len) }?)?;
            check_out(chain_out)?;
            let bytes = ht::Limits::default()
                .read_file(&path)
                .map_err(|e| ht_result::from_error(&e))?;
            let chain = ht::parse_chain(&bytes).map_err(|e| ht_result::from_error(&e))?;
            // SAFETY: checked non-NULL; the caller provides a writable pointer.
            unsafe { write_out(chain_out, to_boxed_mut_ptr::<ht_chain>(Chain(chain))) }
        })())
    }
}

/// Number of certificates in the chain (0 for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_chain_len(chain: *const ht_chain) -> usize {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live chain.
        unsafe { try_ref(chain) }.map(|c| c.0.len()).unwrap_or(0)
    }
}

/// The DER of certificate `index` (0 = leaf).
///
/// On `HT_OK`, `*der_out` / `*der_len_out` describe bytes owned by the chain,
/// valid until `ht_chain_free`. `HT_INDEX_OUT_OF_RANGE` past the end.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ht_chain_certificate(
    chain: *const ht_chain,
    index: usize,
    der_out: *mut *const u8,
    der_len_out: *mut usize,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live chain.
            let c = unsafe { try_ref(chain) }?;
            check_out(der_out)?;
            check_out(der_len_out)?;
            let der = c.0.get(index).ok_or(ht_result::HT_INDEX_OUT_OF_RANGE)?;
            // SAFETY: both checked non-NULL; the caller provides writable pointers.
            unsafe {
                der_out.write(der.as_ref().as_ptr());
                der_len_out.write(der.as_ref().len());
            }
            Ok(())
        })())
    }
}

/// Frees a chain; DER pointers from `ht_chain_certificate` become invalid.
/// NULL is accepted and returns `HT_OK`; freeing twice is undefined
/// behaviour. Not thread-safe with other uses of the same chain.
#[no_mangle]
pub extern "C" fn ht_chain_free(chain: *mut ht_chain) -> ht_result {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a chain from ht_chain_parse, not yet freed.
        unsafe { free_box(chain) };
        ht_result::HT_OK
    }
}
