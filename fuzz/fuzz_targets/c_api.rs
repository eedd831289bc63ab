//! The C entry points, called through their exported signatures with
//! arbitrary buffers (labels, certificate bytes, chains, names, zone JSON).
//!
//! Invariants: no call returns `HT_PANIC`; every object made is freed (the
//! sanitizer build reports leaks and memory errors); out-params are written
//! exactly as documented (on success only; both verify outputs set).
#![no_main]

use std::os::raw::c_char;
use std::ptr::{null, null_mut};

use libfuzzer_sys::fuzz_target;

// Link the C API's Rust sources; the functions are reached by their C names.
use hybridtrust_ffi as _;

#[path = "common.rs"]
mod common;

#[repr(C)]
struct Opaque {
    _private: [u8; 0],
}

const HT_OK: u32 = 0;
const HT_CHAIN_REJECTED: u32 = 3000;
const HT_PANIC: u32 = 7000;
const HT_INBOUND_MAPPED: u32 = 1;
const HT_INBOUND_DEFAULT_ZONE: u32 = 2;

extern "C" {
    fn ht_store_builder_new(out: *mut *mut Opaque) -> u32;
    fn ht_store_builder_set_strict(b: *mut Opaque, strict: bool) -> u32;
    fn ht_store_builder_set_time(b: *mut Opaque, secs: u64) -> u32;
    fn ht_store_builder_add_pem(
        b: *mut Opaque,
        l: *const u8,
        ll: usize,
        p: *const u8,
        pl: usize,
    ) -> u32;
    fn ht_store_builder_add_der(
        b: *mut Opaque,
        l: *const u8,
        ll: usize,
        p: *const u8,
        pl: usize,
    ) -> u32;
    fn ht_store_builder_add_bytes(
        b: *mut Opaque,
        l: *const u8,
        ll: usize,
        p: *const u8,
        pl: usize,
    ) -> u32;
    fn ht_store_builder_add_file(b: *mut Opaque, p: *const u8, pl: usize) -> u32;
    fn ht_store_builder_last_error(b: *const Opaque, out: *mut *const Opaque) -> u32;
    fn ht_store_builder_build(b: *mut Opaque, out: *mut *mut Opaque) -> u32;
    fn ht_store_builder_free(b: *mut Opaque) -> u32;
    fn ht_store_findings_len(s: *const Opaque) -> usize;
    fn ht_store_finding(s: *const Opaque, i: usize, out: *mut *const Opaque) -> u32;
    fn ht_store_to_pem(s: *const Opaque, out: *mut *mut c_char, len: *mut usize) -> u32;
    fn ht_store_free(s: *mut Opaque) -> u32;
    fn ht_finding_text(f: *const Opaque, len: *mut usize) -> *const c_char;
    fn ht_finding_subject(f: *const Opaque, len: *mut usize) -> *const c_char;
    fn ht_bytes_free(buf: *mut c_char, len: usize) -> u32;
    fn ht_chain_parse(b: *const u8, l: usize, out: *mut *mut Opaque) -> u32;
    fn ht_chain_parse_file(p: *const u8, pl: usize, out: *mut *mut Opaque) -> u32;
    fn ht_chain_len(c: *const Opaque) -> usize;
    fn ht_chain_certificate(
        c: *const Opaque,
        i: usize,
        der: *mut *const u8,
        len: *mut usize,
    ) -> u32;
    fn ht_chain_free(c: *mut Opaque) -> u32;
    fn ht_policy_new(usage: u32, out: *mut *mut Opaque) -> u32;
    fn ht_policy_set_time(p: *mut Opaque, secs: u64) -> u32;
    fn ht_policy_set_eku_mode(p: *mut Opaque, mode: u32) -> u32;
    fn ht_policy_set_sha1(p: *mut Opaque, sha1: u32) -> u32;
    fn ht_policy_set_max_depth(p: *mut Opaque, depth: usize) -> u32;
    fn ht_policy_free(p: *mut Opaque) -> u32;
    fn ht_identity_rule_new(kind: u32, n: *const u8, nl: usize, out: *mut *mut Opaque) -> u32;
    fn ht_identity_rule_set_wildcards(r: *mut Opaque, mode: u32) -> u32;
    fn ht_identity_rule_add_alias(
        r: *mut Opaque,
        n: *const u8,
        nl: usize,
        t: *const u8,
        tl: usize,
    ) -> u32;
    fn ht_identity_rule_free(r: *mut Opaque) -> u32;
    fn ht_zone_from_json(j: *const u8, jl: usize, out: *mut *mut Opaque) -> u32;
    fn ht_zone_webex_hybrid(out: *mut *mut Opaque) -> u32;
    fn ht_zone_free(z: *mut Opaque) -> u32;
    #[allow(clippy::too_many_arguments)]
    fn ht_verify(
        store: *const Opaque,
        policy: *const Opaque,
        rule: *const Opaque,
        certs: *const *const u8,
        lens: *const usize,
        count: usize,
        verified_out: *mut *mut Opaque,
        diagnosis_out: *mut *mut Opaque,
    ) -> u32;
    #[allow(clippy::too_many_arguments)]
    fn ht_zone_classify_inbound(
        zone: *const Opaque,
        store: *const Opaque,
        policy: *const Opaque,
        certs: *const *const u8,
        lens: *const usize,
        count: usize,
        inbound_out: *mut u32,
        verified_out: *mut *mut Opaque,
        diagnosis_out: *mut *mut Opaque,
    ) -> u32;
    fn ht_verified_text(v: *const Opaque, len: *mut usize) -> *const c_char;
    fn ht_verified_json(v: *const Opaque, len: *mut usize) -> *const c_char;
    fn ht_verified_path_len(v: *const Opaque) -> usize;
    fn ht_verified_free(v: *mut Opaque) -> u32;
    fn ht_diagnosis_text(d: *const Opaque, len: *mut usize) -> *const c_char;
    fn ht_diagnosis_json(d: *const Opaque, len: *mut usize) -> *const c_char;
    fn ht_diagnosis_subject(d: *const Opaque, len: *mut usize) -> *const c_char;
    fn ht_diagnosis_free(d: *mut Opaque) -> u32;
    fn ht_result_message(r: u32) -> *const c_char;
}

fn ok(r: u32) -> u32 {
    assert_ne!(r, HT_PANIC, "a C entry point panicked");
    // Every code has a message.
    // SAFETY: ht_result_message returns a static NUL-terminated string.
    assert!(!unsafe { ht_result_message(r) }.is_null());
    r
}

/// Reads every byte of a (pointer, length) string the library returned.
fn touch(ptr: *const c_char, len: usize) {
    if !ptr.is_null() {
        // SAFETY: the library documents `len` bytes plus a NUL at `ptr`.
        let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len + 1) };
        assert_eq!(bytes[len], 0, "returned string is not NUL-terminated");
    }
}

fuzz_target!(|data: &[u8]| {
    let [sel, time, rest @ ..] = data else {
        return;
    };
    let p = common::pieces(rest, 6);
    let get = |i: usize| p.get(i).copied().unwrap_or(&[]);
    let (label, store_bytes, chain_bytes, name, alias, zone_json) =
        (get(0), get(1), get(2), get(3), get(4), get(5));
    // Sometimes pass NULL with a zero length, as C callers may.
    let ptr = |s: &[u8]| {
        if s.is_empty() && sel & 0x40 != 0 {
            null()
        } else {
            s.as_ptr()
        }
    };

    // SAFETY: every pointer passed below is NULL or valid for its length, and
    // every object is used on this thread only and freed exactly once.
    unsafe {
        let mut b = null_mut();
        assert_eq!(ok(ht_store_builder_new(&mut b)), HT_OK);
        ok(ht_store_builder_set_strict(b, sel & 1 != 0));
        ok(ht_store_builder_set_time(b, 1_780_272_000));
        ok(ht_store_builder_add_pem(
            b,
            b"example".as_ptr(),
            7,
            include_bytes!("../../examples/data/certs/example-hybrid-root.pem").as_ptr(),
            include_bytes!("../../examples/data/certs/example-hybrid-root.pem").len(),
        ));
        let add = match (sel >> 1) & 3 {
            0 => ht_store_builder_add_pem,
            1 => ht_store_builder_add_der,
            _ => ht_store_builder_add_bytes,
        };
        ok(add(
            b,
            ptr(label),
            label.len(),
            ptr(store_bytes),
            store_bytes.len(),
        ));
        // A path that is arbitrary bytes (mostly absent, sometimes a directory).
        ok(ht_store_builder_add_file(b, ptr(label), label.len()));
        // The same bytes as a chain file path: a chain or an error, no output on error.
        let mut from_file = null_mut();
        if ok(ht_chain_parse_file(ptr(label), label.len(), &mut from_file)) == HT_OK {
            assert!(ht_chain_len(from_file) > 0);
            ok(ht_chain_free(from_file));
        } else {
            assert!(from_file.is_null());
        }
        let mut last = null();
        if ok(ht_store_builder_last_error(b, &mut last)) == HT_OK {
            let mut len = 0;
            touch(ht_finding_text(last, &mut len), len);
        }
        let mut store = null_mut();
        let built = ok(ht_store_builder_build(b, &mut store));
        // A second build is a usage error, never a crash.
        let mut again = null_mut();
        assert_ne!(ok(ht_store_builder_build(b, &mut again)), HT_OK);
        ok(ht_store_builder_free(b));
        if built != HT_OK {
            assert!(store.is_null());
            return;
        }
        for i in 0..=ht_store_findings_len(store) {
            let mut f = null();
            if ok(ht_store_finding(store, i, &mut f)) == HT_OK {
                let mut len = 0;
                touch(ht_finding_text(f, &mut len), len);
                touch(ht_finding_subject(f, &mut len), len);
            }
        }
        let mut pem = null_mut();
        let mut pem_len = 0;
        if ok(ht_store_to_pem(store, &mut pem, &mut pem_len)) == HT_OK {
            touch(pem, pem_len);
            ok(ht_bytes_free(pem, pem_len));
        }

        let mut policy = null_mut();
        // Usage codes are 1 and 2; 0 and 3 must be refused without output.
        if ok(ht_policy_new(u32::from(sel >> 6), &mut policy)) != HT_OK {
            assert!(policy.is_null());
            assert_eq!(ok(ht_policy_new(1, &mut policy)), HT_OK);
        }
        ok(ht_policy_set_time(policy, u64::from(*time) << 24));
        ok(ht_policy_set_eku_mode(policy, u32::from(sel >> 3) & 3));
        ok(ht_policy_set_sha1(policy, u32::from(sel >> 4) & 3));
        ok(ht_policy_set_max_depth(policy, usize::from(*time)));

        let mut rule = null_mut();
        if ok(ht_identity_rule_new(
            u32::from(*sel) % 4,
            ptr(name),
            name.len(),
            &mut rule,
        )) == HT_OK
        {
            ok(ht_identity_rule_set_wildcards(rule, u32::from(*time) % 3));
            ok(ht_identity_rule_add_alias(
                rule,
                ptr(alias),
                alias.len(),
                ptr(label),
                label.len(),
            ));
        } else {
            assert!(rule.is_null());
        }

        // The chain: parsed from PEM, or the raw pieces as DER buffers.
        let mut chain = null_mut();
        let mut certs: Vec<*const u8> = Vec::new();
        let mut lens: Vec<usize> = Vec::new();
        if ok(ht_chain_parse(
            ptr(chain_bytes),
            chain_bytes.len(),
            &mut chain,
        )) == HT_OK
        {
            for i in 0..=ht_chain_len(chain) {
                let mut der = null();
                let mut len = 0;
                if ok(ht_chain_certificate(chain, i, &mut der, &mut len)) == HT_OK {
                    certs.push(der);
                    lens.push(len);
                }
            }
        } else {
            certs.push(chain_bytes.as_ptr());
            lens.push(chain_bytes.len());
            certs.push(store_bytes.as_ptr());
            lens.push(store_bytes.len());
        }

        let mut verified = null_mut();
        let mut diagnosis = null_mut();
        let r = ok(ht_verify(
            store,
            policy,
            rule,
            certs.as_ptr(),
            lens.as_ptr(),
            certs.len(),
            &mut verified,
            &mut diagnosis,
        ));
        outcome(r, verified, diagnosis);

        let mut zone = null_mut();
        let z = if sel & 0x20 != 0 {
            ht_zone_from_json(ptr(zone_json), zone_json.len(), &mut zone)
        } else {
            ht_zone_webex_hybrid(&mut zone)
        };
        if ok(z) == HT_OK {
            let mut inbound = 0u32;
            let mut verified = null_mut();
            let mut diagnosis = null_mut();
            let r = ok(ht_zone_classify_inbound(
                zone,
                store,
                policy,
                certs.as_ptr(),
                lens.as_ptr(),
                certs.len(),
                &mut inbound,
                &mut verified,
                &mut diagnosis,
            ));
            if r == HT_OK {
                // Mapped: the path; Default Zone: why (never both, never neither).
                let mapped = inbound == HT_INBOUND_MAPPED;
                assert!(mapped || inbound == HT_INBOUND_DEFAULT_ZONE);
                assert_eq!(verified.is_null(), !mapped);
                assert_eq!(diagnosis.is_null(), mapped);
                outcome(
                    if mapped { HT_OK } else { HT_CHAIN_REJECTED },
                    verified,
                    diagnosis,
                );
            } else {
                assert!(verified.is_null() && diagnosis.is_null());
            }
            ok(ht_zone_free(zone));
        } else {
            assert!(zone.is_null());
        }

        ok(ht_chain_free(chain));
        ok(ht_identity_rule_free(rule));
        ok(ht_policy_free(policy));
        ok(ht_store_free(store));
    }
});

/// Checks and frees a verification outcome.
///
/// # Safety
/// The pointers come from one verify call.
unsafe fn outcome(r: u32, verified: *mut Opaque, diagnosis: *mut Opaque) {
    let mut len = 0;
    match r {
        HT_OK => {
            assert!(!verified.is_null() && diagnosis.is_null());
            assert!(ht_verified_path_len(verified) >= 2);
            touch(ht_verified_text(verified, &mut len), len);
            touch(ht_verified_json(verified, &mut len), len);
        }
        HT_CHAIN_REJECTED => {
            assert!(verified.is_null() && !diagnosis.is_null());
            touch(ht_diagnosis_text(diagnosis, &mut len), len);
            touch(ht_diagnosis_json(diagnosis, &mut len), len);
            touch(ht_diagnosis_subject(diagnosis, &mut len), len);
        }
        _ => assert!(
            verified.is_null() && diagnosis.is_null(),
            "an error wrote an out-param"
        ),
    }
    ok(ht_verified_free(verified));
    ok(ht_diagnosis_free(diagnosis));
}
