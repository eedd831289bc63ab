//! Zones: `ht_zone` (the Webex hybrid zone or one from JSON), outbound
//! verification and inbound classification.

use std::ffi::c_char;

use ht::{Inbound, Zone};

use crate::chain::chain_from;
use crate::diagnosis::{ht_diagnosis, CDiagnosis};
use crate::error::ht_result;
use crate::ffi::{
    check_out, code, free_box, text_out, to_boxed_mut_ptr, try_mut, try_ref, try_str, write_out,
    Castable, Text,
};
use crate::panic::ffi_panic_boundary;
use crate::policy::ht_policy;
use crate::store::ht_store;
use crate::verified::{ht_verified, CVerified};
use crate::verify::write_outcome;

/// A zone as Expressway defines one: the peer's "TLS verify subject name",
/// the outbound rule (name in a SAN), inbound mapping (name in the CN or a
/// SAN, else the Default Zone), the EKU mode. Made by `ht_zone_webex_hybrid`
/// or `ht_zone_from_json`, freed by `ht_zone_free`. Setters are not
/// thread-safe; once set up, any number of threads may use one zone.
pub struct ht_zone {
    _private: [u8; 0],
}

pub(crate) struct CZone {
    zone: Zone,
    name: Text,
    subject_name: Text,
}

impl CZone {
    fn new(zone: Zone) -> Self {
        Self {
            name: Text::new(&zone.name),
            subject_name: Text::new(&zone.subject_name),
            zone,
        }
    }
}

impl Castable for ht_zone {
    type RustType = CZone;
}

/// How an inbound connection was classified.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_inbound {
    /// The client chain is trusted and its CN or SAN carries the zone's name.
    HT_INBOUND_MAPPED = 1,
    /// Not mapped: the call is handled in the Default Zone as unauthenticated
    /// traffic (not rejected); the diagnosis says why.
    HT_INBOUND_DEFAULT_ZONE = 2,
}

fn new_zone(zone: Zone, zone_out: *mut *mut ht_zone) -> Result<(), ht_result> {
    // Checked before allocating, so that a NULL out-param leaks nothing.
    check_out(zone_out)?;
    // SAFETY: checked non-NULL; the caller provides a writable pointer.
    unsafe { write_out(zone_out, to_boxed_mut_ptr::<ht_zone>(CZone::new(zone))) }
}

/// Makes the Webex hybrid zone: subject name `callservice.webex.com`, mutual
/// TLS, wildcards disallowed, strict EKU, and the cloud's known SIP names
/// (`sip.webex.com`, `callservice.ciscospark.com`) as aliases that earn a hint.
///
/// On `HT_OK`, `*zone_out` owns the zone: free it with `ht_zone_free`. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_zone_webex_hybrid(zone_out: *mut *mut ht_zone) -> ht_result {
    ffi_panic_boundary! { code(new_zone(Zone::webex_hybrid(), zone_out)) }
}

/// Reads a zone from JSON (`json`, `json_len` bytes, UTF-8), e.g.
/// `{"name": "partner", "subject_name": "sip.partner.example", "wildcards": "leftmost-label"}`;
/// optional keys: `wildcards` ("disallowed" | "leftmost-label"), `eku_mode`
/// ("strict" | "accept-server-auth-only"), `mutual_tls`, `aliases`
/// (`[{"name": ..., "note": ...}]`), `profile_checks` ("strict" |
/// "by-anchor-origin" | "lenient"; absent: the policy's setting).
///
/// On `HT_OK`, `*zone_out` owns the zone (`ht_zone_free`). `HT_INVALID_INPUT`
/// for JSON that is not a zone, `HT_INVALID_NAME` for a bad subject name.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ht_zone_from_json(
    json: *const u8,
    json_len: usize,
    zone_out: *mut *mut ht_zone,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or `json_len` readable bytes.
            let json = unsafe { try_str(json, json_len) }?;
            check_out(zone_out)?;
            let zone = Zone::from_json(json).map_err(|e| ht_result::from_error(&e))?;
            new_zone(zone, zone_out)
        })())
    }
}

/// Sets the zone's wildcard mode (an `ht_wildcard_mode` value). Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_zone_set_wildcards(zone: *mut ht_zone, mode: u32) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live zone used by this thread only.
            let z = unsafe { try_mut(zone) }?;
            let mode = crate::identity::wildcard_mode(mode)?;
            z.zone = z.zone.clone().with_wildcards(mode);
            Ok(())
        })())
    }
}

/// Sets the EKU mode for inbound client certificates (an `ht_eku_mode`
/// value). Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_zone_set_eku_mode(zone: *mut ht_zone, mode: u32) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live zone used by this thread only.
            let z = unsafe { try_mut(zone) }?;
            let mode = crate::policy::eku_mode(mode)?;
            z.zone = z.zone.clone().with_eku_mode(mode);
            Ok(())
        })())
    }
}

/// Sets the profile-checks setting of the zone's verifications (an
/// `ht_profile_checks` value), in place of the policy's. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_zone_set_profile_checks(zone: *mut ht_zone, checks: u32) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live zone used by this thread only.
            let z = unsafe { try_mut(zone) }?;
            let checks = crate::policy::profile_checks(checks)?;
            z.zone = z.zone.clone().with_profile_checks(checks);
            Ok(())
        })())
    }
}

/// The zone's name (e.g. "webex-hybrid"): UTF-8, NUL-terminated, owned by
/// the zone; `*len` (if non-NULL) gets its length. NULL for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_zone_name(zone: *const ht_zone, len: *mut usize) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live zone.
        let z = unsafe { try_ref(zone) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(z.map(|z| &z.name), len) }
    }
}

/// The zone's TLS verify subject name (e.g. "callservice.webex.com"); as
/// `ht_zone_name`. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_zone_subject_name(zone: *const ht_zone, len: *mut usize) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live zone.
        let z = unsafe { try_ref(zone) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(z.map(|z| &z.subject_name), len) }
    }
}

/// Verifies the peer's server chain for an outbound connection: server
/// authentication under `policy` (usage forced to server auth, the zone's
/// mutual-TLS warning added) and the zone's name in a SAN.
///
/// Chain and outcome exactly as `ht_verify`: `HT_OK` with `*verified_out`,
/// or `HT_CHAIN_REJECTED` with `*diagnosis_out`; the other is set to NULL.
/// Thread-safe: the zone, store and policy are only read.
#[no_mangle]
pub extern "C" fn ht_zone_verify_outbound(
    zone: *const ht_zone,
    store: *const ht_store,
    policy: *const ht_policy,
    certs: *const *const u8,
    cert_lens: *const usize,
    count: usize,
    verified_out: *mut *mut ht_verified,
    diagnosis_out: *mut *mut ht_diagnosis,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live zone.
            let z = unsafe { try_ref(zone) }?;
            // SAFETY: the caller passes NULL or a live store.
            let s = unsafe { try_ref(store) }?;
            // SAFETY: the caller passes NULL or a live policy not mutated meanwhile.
            let p = unsafe { try_ref(policy) }?;
            // SAFETY: the caller passes arrays of `count` buffers, per the documented contract.
            let chain = unsafe { chain_from(certs, cert_lens, count) }?;
            check_out(verified_out)?;
            check_out(diagnosis_out)?;
            let outcome = z.zone.verify_outbound(&s.store, &chain, p);
            // SAFETY: both out-params checked non-NULL; the caller provides writable pointers.
            unsafe { write_outcome(outcome, verified_out, diagnosis_out) }
        })())
    }
}

/// Classifies an inbound connection by the peer's client chain, as
/// Expressway's TLS verify inbound mapping does: client authentication under
/// `policy` with the zone's EKU mode, and the zone's name in the CN or a SAN.
///
/// Returns `HT_OK` for either classification (an unmapped call is not
/// rejected, it falls into the Default Zone): `*inbound_out` gets
/// `HT_INBOUND_MAPPED` with `*verified_out` set (and `*diagnosis_out` NULL),
/// or `HT_INBOUND_DEFAULT_ZONE` with `*diagnosis_out` saying why (and
/// `*verified_out` NULL). The caller frees whichever is set. Any other code
/// writes no out-param. Chain as in `ht_verify`. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_zone_classify_inbound(
    zone: *const ht_zone,
    store: *const ht_store,
    policy: *const ht_policy,
    certs: *const *const u8,
    cert_lens: *const usize,
    count: usize,
    inbound_out: *mut ht_inbound,
    verified_out: *mut *mut ht_verified,
    diagnosis_out: *mut *mut ht_diagnosis,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live zone.
            let z = unsafe { try_ref(zone) }?;
            // SAFETY: the caller passes NULL or a live store.
            let s = unsafe { try_ref(store) }?;
            // SAFETY: the caller passes NULL or a live policy not mutated meanwhile.
            let p = unsafe { try_ref(policy) }?;
            // SAFETY: the caller passes arrays of `count` buffers, per the documented contract.
            let chain = unsafe { chain_from(certs, cert_lens, count) }?;
            check_out(inbound_out)?;
            check_out(verified_out)?;
            check_out(diagnosis_out)?;
            let (class, v, d) = match z.zone.classify_inbound(&s.store, &chain, p) {
                Inbound::Mapped { verified, .. } => (
                    ht_inbound::HT_INBOUND_MAPPED,
                    to_boxed_mut_ptr::<ht_verified>(CVerified::new(&verified)),
                    std::ptr::null_mut(),
                ),
                Inbound::DefaultZone { diagnosis } => (
                    ht_inbound::HT_INBOUND_DEFAULT_ZONE,
                    std::ptr::null_mut(),
                    to_boxed_mut_ptr::<ht_diagnosis>(CDiagnosis::new(&diagnosis)),
                ),
            };
            // SAFETY: all three checked non-NULL; the caller provides writable pointers.
            unsafe {
                inbound_out.write(class);
                verified_out.write(v);
                diagnosis_out.write(d);
            }
            Ok(())
        })())
    }
}

/// Frees a zone. Verification results made with it stay valid. NULL is
/// accepted and returns `HT_OK`; freeing twice is undefined behaviour. Not
/// thread-safe with other uses of the same zone.
#[no_mangle]
pub extern "C" fn ht_zone_free(zone: *mut ht_zone) -> ht_result {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a zone from this library, not yet freed.
        unsafe { free_box(zone) };
        ht_result::HT_OK
    }
}
