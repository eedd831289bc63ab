//! `ht_verifier`: one store snapshot and one policy, with the core's sound
//! cache of accepted chains, for callers that verify the same peers again.

use ht::{IdentityRule, Verifier};

use crate::chain::chain_from;
use crate::diagnosis::ht_diagnosis;
use crate::error::ht_result;
use crate::ffi::{
    check_out, code, free_box, opt_ref, to_boxed_mut_ptr, try_ref, write_out, Castable,
};
use crate::identity::ht_identity_rule;
use crate::panic::ffi_panic_boundary;
use crate::policy::ht_policy;
use crate::store::ht_store;
use crate::verified::ht_verified;
use crate::verify::write_outcome;

/// A verifier: a snapshot of a store and a copy of a policy, with a cache of
/// up to a given number of accepted chains. A repeat of the same chain and
/// rule, at a validation time inside the window in which the result stays
/// the same, is answered without checking signatures again; rejections are
/// never cached.
///
/// Thread-safe: any number of threads may verify with one verifier at once.
pub struct ht_verifier {
    _private: [u8; 0],
}

impl Castable for ht_verifier {
    type RustType = Verifier;
}

/// Makes a verifier for `store` under `policy`, caching up to
/// `cache_capacity` accepted chains (0 turns the cache off; the Rust API's
/// default is 256). The store and policy are copied: they may be freed or the
/// policy changed afterwards without affecting the verifier.
///
/// On `HT_OK`, `*verifier_out` owns the verifier: free it with
/// `ht_verifier_free`. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verifier_new(
    store: *const ht_store,
    policy: *const ht_policy,
    cache_capacity: usize,
    verifier_out: *mut *mut ht_verifier,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live store.
            let store = unsafe { try_ref(store) }?;
            // SAFETY: the caller passes NULL or a live policy not mutated meanwhile.
            let policy = unsafe { try_ref(policy) }?;
            check_out(verifier_out)?;
            let verifier = Verifier::new(store.store.clone(), policy.clone())
                .with_cache_capacity(cache_capacity);
            // SAFETY: checked non-NULL; the caller provides a writable pointer.
            unsafe { write_out(verifier_out, to_boxed_mut_ptr::<ht_verifier>(verifier)) }
        })())
    }
}

/// Verifies a presented chain with `verifier` (see `ht_verify` for the chain
/// arguments, the two outcomes and the out-params): `HT_OK` with
/// `*verified_out`, or `HT_CHAIN_REJECTED` with `*diagnosis_out`.
/// `rule` may be NULL (no identity check). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verifier_verify(
    verifier: *const ht_verifier,
    rule: *const ht_identity_rule,
    certs: *const *const u8,
    cert_lens: *const usize,
    count: usize,
    verified_out: *mut *mut ht_verified,
    diagnosis_out: *mut *mut ht_diagnosis,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live verifier.
            let verifier = unsafe { try_ref(verifier) }?;
            // SAFETY: the caller passes NULL (no identity check) or a live rule not mutated meanwhile.
            let rule: Option<&IdentityRule> = unsafe { opt_ref(rule) };
            // SAFETY: the caller passes arrays of `count` buffers, per the documented contract.
            let chain = unsafe { chain_from(certs, cert_lens, count) }?;
            check_out(verified_out)?;
            check_out(diagnosis_out)?;
            let outcome = verifier.verify(&chain, rule);
            // SAFETY: both out-params checked non-NULL; the caller provides writable pointers.
            unsafe { write_outcome(outcome, verified_out, diagnosis_out) }
        })())
    }
}

/// Number of accepted chains the verifier currently caches (0 for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verifier_cached_len(verifier: *const ht_verifier) -> usize {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live verifier.
        unsafe { try_ref(verifier) }.map(|v| v.cached_len()).unwrap_or(0)
    }
}

/// Frees a verifier. NULL is accepted and returns `HT_OK`; freeing twice is
/// undefined behaviour. Results it returned stay valid. Not thread-safe with
/// other uses of the same verifier.
#[no_mangle]
pub extern "C" fn ht_verifier_free(verifier: *mut ht_verifier) -> ht_result {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a verifier from ht_verifier_new, not yet freed.
        unsafe { free_box(verifier) };
        ht_result::HT_OK
    }
}
