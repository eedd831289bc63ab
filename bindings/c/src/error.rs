//! Result codes: one `#[repr(u32)]` enum, stable numbers in bands, and its text.

use std::ffi::c_char;

use crate::panic::ffi_panic_boundary;

/// The result of every fallible function of the C API.
///
/// Numbers are stable ABI: they are never changed nor reused, and new codes
/// are only added. Bands:
///
/// * `0`: success.
/// * `1000..1999`: the call itself was wrong (NULL pointer, bad enum value,
///   object in the wrong state); fix the calling code.
/// * `2000..2999`: the input was refused (unparsable bytes, unreadable file,
///   a limit exceeded, an invalid name, a strict store stopped).
/// * `3000..3999`: a verdict: the verification ran and refused the chain;
///   the diagnosis out-param says why.
/// * `7000..7999`: a failure inside the library (a caught panic); please report it.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_result {
    /// Success.
    HT_OK = 0,

    /// A required pointer argument was NULL.
    HT_NULL_PARAMETER = 1000,
    /// An integer argument is not one of the documented values (e.g. an enum code).
    HT_INVALID_ARGUMENT = 1001,
    /// A text argument (label, name, JSON) is not valid UTF-8.
    HT_INVALID_UTF8 = 1002,
    /// A length or count is larger than any object can be (more than `PTRDIFF_MAX` bytes).
    HT_BUFFER_TOO_LARGE = 1003,
    /// The object was already consumed (a store builder after `ht_store_builder_build`).
    HT_ALREADY_USED = 1004,
    /// An index is not below the number of items.
    HT_INDEX_OUT_OF_RANGE = 1005,
    /// The requested optional value is absent (e.g. a finding without a line number).
    HT_NOT_PRESENT = 1006,
    /// The function needs a feature this build of the library lacks (e.g. `os-store`).
    HT_FEATURE_DISABLED = 1007,

    /// Bytes that should hold a certificate, chain, CRL or zone do not.
    HT_PARSE_ERROR = 2000,
    /// A file or directory could not be read.
    HT_IO_ERROR = 2001,
    /// An input exceeded a documented limit.
    HT_LIMIT_EXCEEDED = 2002,
    /// A name given as a reference identity is not a valid DNS name or IP address.
    HT_INVALID_NAME = 2003,
    /// An argument the core library cannot use as given.
    HT_INVALID_INPUT = 2004,
    /// A strict store builder met a finding of error severity and stopped;
    /// `ht_store_builder_last_error` gives the finding.
    HT_STORE_REJECTED = 2005,

    /// The chain was verified and refused: the diagnosis out-param is set.
    HT_CHAIN_REJECTED = 3000,

    /// A panic inside the library was caught at the boundary.
    HT_PANIC = 7000,
}

impl ht_result {
    pub(crate) fn message(self) -> &'static str {
        use ht_result::*;
        match self {
            HT_OK => "success\0",
            HT_NULL_PARAMETER => "a required pointer argument was NULL\0",
            HT_INVALID_ARGUMENT => "an integer argument is not one of the documented values\0",
            HT_INVALID_UTF8 => "a text argument is not valid UTF-8\0",
            HT_BUFFER_TOO_LARGE => "a length or count is larger than any object can be\0",
            HT_ALREADY_USED => "the object was already consumed (builder used after build)\0",
            HT_INDEX_OUT_OF_RANGE => "index out of range\0",
            HT_NOT_PRESENT => "the value is not present\0",
            HT_FEATURE_DISABLED => "this build of libhybridtrust lacks the needed feature\0",
            HT_PARSE_ERROR => "the input could not be parsed\0",
            HT_IO_ERROR => "a file or directory could not be read\0",
            HT_LIMIT_EXCEEDED => "an input exceeded a documented limit\0",
            HT_INVALID_NAME => "not a valid DNS name or IP address\0",
            HT_INVALID_INPUT => "invalid input\0",
            HT_STORE_REJECTED => "the strict trust store builder stopped at an error finding\0",
            HT_CHAIN_REJECTED => "the chain was refused; see the diagnosis\0",
            HT_PANIC => "internal error: a panic was caught in libhybridtrust\0",
        }
    }

    /// The code for a core error.
    pub(crate) fn from_error(e: &ht::Error) -> Self {
        use ht::Error::*;
        match e {
            Store(_) => ht_result::HT_STORE_REJECTED,
            Parse(_) => ht_result::HT_PARSE_ERROR,
            Io { .. } => ht_result::HT_IO_ERROR,
            LimitExceeded { .. } => ht_result::HT_LIMIT_EXCEEDED,
            InvalidName { .. } => ht_result::HT_INVALID_NAME,
            InvalidInput(_) => ht_result::HT_INVALID_INPUT,
            AlreadyBuilt => ht_result::HT_ALREADY_USED,
            // The core error is non-exhaustive; a new variant is still an input problem.
            _ => ht_result::HT_INVALID_INPUT,
        }
    }
}

/// A static, NUL-terminated English sentence describing `result`.
///
/// Takes the code as a plain integer so that any value is safe to pass:
/// an unknown code gives "unknown result code". Never returns NULL.
/// The string is static: do not free it. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_result_message(result: u32) -> *const c_char {
    ffi_panic_boundary! {
        match result_from_u32(result) {
            Some(r) => r.message().as_ptr().cast(),
            None => c"unknown result code".as_ptr(),
        }
    }
}

/// True when `result` is in the band of caller mistakes (1000..1999).
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ht_result_is_usage_error(result: u32) -> bool {
    (1000..2000).contains(&result)
}

/// True when `result` is in the band of refused inputs (2000..2999).
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ht_result_is_input_error(result: u32) -> bool {
    (2000..3000).contains(&result)
}

pub(crate) fn result_from_u32(v: u32) -> Option<ht_result> {
    use ht_result::*;
    const ALL: &[ht_result] = &[
        HT_OK,
        HT_NULL_PARAMETER,
        HT_INVALID_ARGUMENT,
        HT_INVALID_UTF8,
        HT_BUFFER_TOO_LARGE,
        HT_ALREADY_USED,
        HT_INDEX_OUT_OF_RANGE,
        HT_NOT_PRESENT,
        HT_FEATURE_DISABLED,
        HT_PARSE_ERROR,
        HT_IO_ERROR,
        HT_LIMIT_EXCEEDED,
        HT_INVALID_NAME,
        HT_INVALID_INPUT,
        HT_STORE_REJECTED,
        HT_CHAIN_REJECTED,
        HT_PANIC,
    ];
    ALL.iter().copied().find(|r| *r as u32 == v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_nul_terminated_and_codes_are_banded() {
        for v in 0..8000u32 {
            if let Some(r) = result_from_u32(v) {
                let m = r.message();
                assert!(
                    m.ends_with('\0') && !m[..m.len() - 1].contains('\0'),
                    "{r:?}"
                );
                assert!(matches!(v, 0 | 1000..=1999 | 2000..=2999 | 3000..=3999 | 7000..=7999));
            }
        }
        assert_eq!(ht_result::HT_CHAIN_REJECTED as u32, 3000);
    }
}
