//! # libhybridtrust: the C API of hybridtrust
//!
//! A thin layer over the `hybridtrust` crate: the same trust-store assembly,
//! verification, diagnoses, identity rules and zones, for C and C++. The
//! header `include/hybridtrust.h` is generated from this crate by cbindgen.
//!
//! Conventions (see `README.md`): every fallible function returns an
//! [`ht_result`]; outputs go through out-params, written
//! only on success; every pointer is NULL-checked and every buffer comes with
//! its length; `_free` functions accept NULL; strings are UTF-8 with a length
//! and a NUL after them; no panic crosses the boundary.
//!
//! `unsafe` lives only in this crate, each block with a `// SAFETY:` comment.

// The C names are the ABI; they follow C conventions, not Rust's.
#![allow(non_camel_case_types)]
// Exported functions take raw pointers from C by design; each dereference
// goes through the checked helpers of `ffi.rs` under a `// SAFETY:` comment.
#![allow(clippy::not_unsafe_ptr_arg_deref)]
// The verify functions mirror the C signature: store, policy, rule, chain, outputs.
#![allow(clippy::too_many_arguments)]

mod bytes;
mod chain;
mod diagnosis;
mod error;
mod ffi;
mod finding;
mod identity;
mod names;
mod panic;
mod policy;
mod store;
mod store_builder;
mod verified;
mod verifier;
mod verify;
mod zone;

pub use bytes::ht_bytes_free;
pub use error::{ht_result, ht_result_is_input_error, ht_result_is_usage_error, ht_result_message};

/// Major version of the library; equals the crate's (checked by the tests).
pub const HYBRIDTRUST_VERSION_MAJOR: u32 = 0;
/// Minor version of the library.
pub const HYBRIDTRUST_VERSION_MINOR: u32 = 1;
/// Patch version of the library.
pub const HYBRIDTRUST_VERSION_PATCH: u32 = 0;

/// The library's version, "MAJOR.MINOR.PATCH" (static, NUL-terminated).
/// Compare with the `HYBRIDTRUST_VERSION_*` defines of the header you built
/// against to detect a mismatched shared library. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_version() -> *const std::ffi::c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_defines_match_the_crate_version() {
        assert_eq!(
            HYBRIDTRUST_VERSION_MAJOR.to_string(),
            env!("CARGO_PKG_VERSION_MAJOR")
        );
        assert_eq!(
            HYBRIDTRUST_VERSION_MINOR.to_string(),
            env!("CARGO_PKG_VERSION_MINOR")
        );
        assert_eq!(
            HYBRIDTRUST_VERSION_PATCH.to_string(),
            env!("CARGO_PKG_VERSION_PATCH")
        );
    }
}
