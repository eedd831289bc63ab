//! Buffers the library allocates and the caller frees: `ht_bytes_free`.

use std::ffi::c_char;

use crate::error::ht_result;
use crate::panic::ffi_panic_boundary;

/// Hands `text` to C as a NUL-terminated buffer and its length (without the NUL).
pub(crate) fn into_raw(text: String) -> (*mut c_char, usize) {
    let len = text.len();
    let mut bytes = text.into_bytes();
    bytes.push(0);
    let boxed = bytes.into_boxed_slice();
    (Box::into_raw(boxed).cast::<c_char>(), len)
}

/// Frees a buffer the library allocated for the caller (e.g. by
/// `ht_store_to_pem`); `len` is the length the library reported with it.
/// NULL is accepted and returns `HT_OK`; a length of `SIZE_MAX` gives
/// `HT_INVALID_ARGUMENT`. Freeing twice, or with another length, is
/// undefined behaviour. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_bytes_free(buf: *mut c_char, len: usize) -> ht_result {
    ffi_panic_boundary! {
        if !buf.is_null() {
            if len == usize::MAX {
                // No buffer of the library has this length (its NUL would not fit).
                return ht_result::HT_INVALID_ARGUMENT;
            }
            let raw = std::ptr::slice_from_raw_parts_mut(buf.cast::<u8>(), len + 1);
            // SAFETY: per the documented contract `buf` came from `into_raw`
            // with this length (plus the NUL) and was not freed yet.
            drop(unsafe { Box::from_raw(raw) });
        }
        ht_result::HT_OK
    }
}
