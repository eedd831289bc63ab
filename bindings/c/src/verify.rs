//! Verification: `ht_verify`, with its two outcomes, `ht_verified` (the
//! accepted path) and `ht_diagnosis` (why not).

use ht::{Diagnosis, IdentityRule, Verified};

use crate::chain::chain_from;
use crate::diagnosis::{ht_diagnosis, CDiagnosis};
use crate::error::ht_result;
use crate::ffi::{check_out, code, opt_ref, to_boxed_mut_ptr, try_ref};
use crate::identity::ht_identity_rule;
use crate::panic::ffi_panic_boundary;
use crate::policy::ht_policy;
use crate::store::ht_store;
use crate::verified::{ht_verified, CVerified};

/// Writes a verification outcome: `HT_OK` with `*verified_out`, or
/// `HT_CHAIN_REJECTED` with `*diagnosis_out`; the other out-param gets NULL.
///
/// # Safety
/// Both out-params were checked non-NULL and are writable.
pub(crate) unsafe fn write_outcome(
    outcome: Result<Verified, Diagnosis>,
    verified_out: *mut *mut ht_verified,
    diagnosis_out: *mut *mut ht_diagnosis,
) -> Result<(), ht_result> {
    match outcome {
        Ok(v) => {
            let ptr = to_boxed_mut_ptr::<ht_verified>(CVerified::new(&v));
            // SAFETY: per this function's contract.
            unsafe {
                verified_out.write(ptr);
                diagnosis_out.write(std::ptr::null_mut());
            }
            Ok(())
        }
        Err(d) => {
            let ptr = to_boxed_mut_ptr::<ht_diagnosis>(CDiagnosis::new(&d));
            // SAFETY: per this function's contract.
            unsafe {
                verified_out.write(std::ptr::null_mut());
                diagnosis_out.write(ptr);
            }
            Err(ht_result::HT_CHAIN_REJECTED)
        }
    }
}

/// Verifies a presented chain against `store` under `policy` and, when
/// `rule` is non-NULL, checks the leaf's identity.
///
/// The chain is `count` DER buffers: `certs[i]` with `cert_lens[i]` bytes,
/// leaf first, intermediates in any order. `count` may be 0 (the outcome is
/// then the "empty-chain" diagnosis), but `certs` and `cert_lens` must not be
/// NULL. The buffers are only read during the call.
///
/// Returns `HT_OK` when the chain is trusted: `*verified_out` owns the path
/// (free with `ht_verified_free`) and `*diagnosis_out` is set to NULL.
/// Returns `HT_CHAIN_REJECTED` when it is refused: `*diagnosis_out` owns the
/// reason (free with `ht_diagnosis_free`) and `*verified_out` is set to NULL.
/// Any other code writes neither out-param. Thread-safe: the store, policy
/// and rule are only read.
#[no_mangle]
pub extern "C" fn ht_verify(
    store: *const ht_store,
    policy: *const ht_policy,
    rule: *const ht_identity_rule,
    certs: *const *const u8,
    cert_lens: *const usize,
    count: usize,
    verified_out: *mut *mut ht_verified,
    diagnosis_out: *mut *mut ht_diagnosis,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live store.
            let store = unsafe { try_ref(store) }?;
            // SAFETY: the caller passes NULL or a live policy not mutated meanwhile.
            let policy = unsafe { try_ref(policy) }?;
            // SAFETY: the caller passes NULL (no identity check) or a live rule not mutated meanwhile.
            let rule: Option<&IdentityRule> = unsafe { opt_ref(rule) };
            // SAFETY: the caller passes arrays of `count` buffers, per the documented contract.
            let chain = unsafe { chain_from(certs, cert_lens, count) }?;
            check_out(verified_out)?;
            check_out(diagnosis_out)?;
            let outcome = ht::verify(&store.store, &chain, policy, rule);
            // SAFETY: both out-params checked non-NULL; the caller provides writable pointers.
            unsafe { write_outcome(outcome, verified_out, diagnosis_out) }
        })())
    }
}
