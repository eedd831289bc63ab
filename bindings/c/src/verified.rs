//! An accepted chain: `ht_verified` (path, anchor provenance, matched name, warnings).

use std::ffi::c_char;
use std::sync::OnceLock;

use ht::{MatchedName, Role, Verified, WarningKind};

use crate::error::ht_result;
use crate::ffi::{check_out, code, free_box, text_out, try_ref, write_out, Castable, Text};
use crate::panic::ffi_panic_boundary;

/// An accepted chain: the path, the anchor's provenance, what the identity
/// rule matched, the warnings. Owned by the caller (`ht_verified_free`);
/// immutable and thread-safe; independent of the store, policy and rule
/// objects it was made with (they may be freed first).
pub struct ht_verified {
    _private: [u8; 0],
}

/// The core result; what C reads from it (texts, JSON, the path's
/// fingerprints) is built on the first read, not on every verification.
pub(crate) struct CVerified {
    verified: Verified,
    derived: OnceLock<Derived>,
}

struct Derived {
    path: Vec<CPathEntry>,
    anchor_source: Text,
    anchor_provenance: Text,
    matched_field: ht_matched_field,
    matched_name: Option<Text>,
    warnings: Vec<(ht_warning_kind, Text)>,
    text: Text,
    json: Text,
}

struct CPathEntry {
    role: ht_role,
    position: Option<usize>,
    subject: Text,
    sha256: Text,
}

impl Castable for ht_verified {
    type RustType = CVerified;
}

/// What kind of warning an accepted chain carries; mirrors the core's `WarningKind`.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_warning_kind {
    /// A kind this version of the C API does not know yet.
    HT_WARNING_UNRECOGNIZED = 0,
    /// "expires-soon": a path certificate expires within the warning window.
    HT_WARNING_EXPIRES_SOON = 1,
    /// "sha1-accepted": a SHA-1 signature accepted by the policy (warn).
    HT_WARNING_SHA1_ACCEPTED = 2,
    /// "client-auth-missing-accepted": serverAuth-only client certificate accepted (EKU transition).
    HT_WARNING_CLIENT_AUTH_MISSING_ACCEPTED = 3,
    /// "no-client-auth-for-mutual-tls": the peer's certificate lacks clientAuth for mutual TLS.
    HT_WARNING_NO_CLIENT_AUTH_FOR_MUTUAL_TLS = 4,
    /// "anchor-outside-validity": the anchor is outside its validity period.
    HT_WARNING_ANCHOR_OUTSIDE_VALIDITY = 5,
    /// "profile-violation-accepted": a profile rule broken, accepted by the
    /// profile-checks setting (lenient, or a chain to a private CA).
    HT_WARNING_PROFILE_VIOLATION_ACCEPTED = 6,
}

fn warning_kind(kind: WarningKind) -> ht_warning_kind {
    use ht_warning_kind::*;
    match kind {
        WarningKind::ExpiresSoon => HT_WARNING_EXPIRES_SOON,
        WarningKind::Sha1Accepted => HT_WARNING_SHA1_ACCEPTED,
        WarningKind::ClientAuthMissingAccepted => HT_WARNING_CLIENT_AUTH_MISSING_ACCEPTED,
        WarningKind::NoClientAuthForMutualTls => HT_WARNING_NO_CLIENT_AUTH_FOR_MUTUAL_TLS,
        WarningKind::AnchorOutsideValidity => HT_WARNING_ANCHOR_OUTSIDE_VALIDITY,
        WarningKind::ProfileViolationAccepted => HT_WARNING_PROFILE_VIOLATION_ACCEPTED,
        _ => HT_WARNING_UNRECOGNIZED,
    }
}

/// The role of a certificate in a verified path.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_role {
    /// The peer's own certificate.
    HT_ROLE_LEAF = 1,
    /// A CA certificate the peer presented.
    HT_ROLE_INTERMEDIATE = 2,
    /// The trust anchor from the store.
    HT_ROLE_ANCHOR = 3,
}

/// The certificate field that satisfied the identity rule.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_matched_field {
    /// No identity rule was given.
    HT_MATCHED_NONE = 0,
    /// A DNS subjectAltName.
    HT_MATCHED_DNS_SAN = 1,
    /// An IP subjectAltName.
    HT_MATCHED_IP_SAN = 2,
    /// The subject common name.
    HT_MATCHED_COMMON_NAME = 3,
    /// A `sip:` URI subjectAltName whose host matched (SAN-then-CN rule only, RFC 5922).
    HT_MATCHED_URI_SAN = 4,
}

impl CVerified {
    pub(crate) fn new(v: &Verified) -> Self {
        Self {
            verified: v.clone(),
            derived: OnceLock::new(),
        }
    }

    fn derived(&self) -> &Derived {
        self.derived.get_or_init(|| Derived::new(&self.verified))
    }
}

impl Derived {
    fn new(v: &Verified) -> Self {
        let path = v
            .path()
            .iter()
            .map(|e| CPathEntry {
                role: match e.role {
                    Role::Leaf => ht_role::HT_ROLE_LEAF,
                    Role::Intermediate => ht_role::HT_ROLE_INTERMEDIATE,
                    Role::Anchor => ht_role::HT_ROLE_ANCHOR,
                },
                position: e.position,
                subject: Text::new(&e.certificate.subject),
                sha256: Text::new(&e.certificate.sha256.to_string()),
            })
            .collect();
        let (matched_field, matched_name) = match v.identity().map(|m| &m.matched) {
            None => (ht_matched_field::HT_MATCHED_NONE, None),
            Some(MatchedName::DnsSan(n)) => {
                (ht_matched_field::HT_MATCHED_DNS_SAN, Some(Text::new(n)))
            }
            Some(MatchedName::IpSan(ip)) => (
                ht_matched_field::HT_MATCHED_IP_SAN,
                Some(Text::new(&ip.to_string())),
            ),
            Some(MatchedName::CommonName(n)) => {
                (ht_matched_field::HT_MATCHED_COMMON_NAME, Some(Text::new(n)))
            }
            Some(MatchedName::UriSan(n)) => {
                (ht_matched_field::HT_MATCHED_URI_SAN, Some(Text::new(n)))
            }
        };
        Self {
            path,
            anchor_source: Text::new(&v.anchor_provenance().source),
            anchor_provenance: Text::new(&v.anchor_provenance().to_string()),
            matched_field,
            matched_name,
            warnings: v
                .warnings()
                .iter()
                .map(|w| (warning_kind(w.kind), Text::new(&w.to_string())))
                .collect(),
            text: Text::new(&v.to_string()),
            json: Text::new(&v.to_json()),
        }
    }
}

/// True when the result came from an `ht_verifier`'s cache (false for NULL).
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_from_cache(verified: *const ht_verified) -> bool {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        unsafe { try_ref(verified) }
            .map(|v| v.verified.from_cache())
            .unwrap_or(false)
    }
}

/// Number of certificates in the verified path, leaf first, anchor last
/// (0 for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_path_len(verified: *const ht_verified) -> usize {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        unsafe { try_ref(verified) }.map(|v| v.derived().path.len()).unwrap_or(0)
    }
}

fn path_entry<'a>(verified: *const ht_verified, index: usize) -> Option<&'a CPathEntry> {
    // SAFETY: the caller of the exported function passes NULL or a live result.
    unsafe { try_ref(verified) }
        .ok()
        .and_then(|v| v.derived().path.get(index))
}

/// The role of path entry `index` (`HT_ROLE_LEAF` first, `HT_ROLE_ANCHOR`
/// last). `HT_INDEX_OUT_OF_RANGE` past the end. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_path_role(
    verified: *const ht_verified,
    index: usize,
    role_out: *mut ht_role,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live result.
            let v = unsafe { try_ref(verified) }?;
            check_out(role_out)?;
            let e = v.derived().path.get(index).ok_or(ht_result::HT_INDEX_OUT_OF_RANGE)?;
            // SAFETY: checked non-NULL; the caller provides a writable pointer.
            unsafe { write_out(role_out, e.role) }
        })())
    }
}

/// The index in the presented chain of path entry `index`.
/// `HT_NOT_PRESENT` for the anchor (it comes from the store). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_path_position(
    verified: *const ht_verified,
    index: usize,
    position_out: *mut usize,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live result.
            let v = unsafe { try_ref(verified) }?;
            check_out(position_out)?;
            let e = v.derived().path.get(index).ok_or(ht_result::HT_INDEX_OUT_OF_RANGE)?;
            let p = e.position.ok_or(ht_result::HT_NOT_PRESENT)?;
            // SAFETY: checked non-NULL; the caller provides a writable pointer.
            unsafe { write_out(position_out, p) }
        })())
    }
}

/// The RFC 4514 subject of path entry `index`: UTF-8, NUL-terminated, owned
/// by `verified`; `*len` (if `len` is non-NULL) gets its length. NULL when
/// `verified` is NULL or `index` is out of range. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_path_subject(
    verified: *const ht_verified,
    index: usize,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(path_entry(verified, index).map(|e| &e.subject), len) }
    }
}

/// The SHA-256 fingerprint (64 upper-case hex digits) of path entry `index`;
/// as `ht_verified_path_subject`. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_path_sha256(
    verified: *const ht_verified,
    index: usize,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(path_entry(verified, index).map(|e| &e.sha256), len) }
    }
}

/// The source the trust anchor came from: a path, or a label such as
/// `embedded:expressway-e`. NULL only when `verified` is NULL.
///
/// UTF-8, NUL-terminated, owned by `verified`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_anchor_source(
    verified: *const ht_verified,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        let v = unsafe { try_ref(verified) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(v.map(|v| &v.derived().anchor_source), len) }
    }
}

/// The anchor's provenance in full: source, index and line.
/// NULL only when `verified` is NULL.
///
/// UTF-8, NUL-terminated, owned by `verified`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_anchor_provenance(
    verified: *const ht_verified,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        let v = unsafe { try_ref(verified) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(v.map(|v| &v.derived().anchor_provenance), len) }
    }
}

/// The presented name that satisfied the identity rule (see
/// `ht_verified_matched_field` for the field). NULL when no rule was given.
///
/// UTF-8, NUL-terminated, owned by `verified`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_matched_name(
    verified: *const ht_verified,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        let v = unsafe { try_ref(verified) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(v.and_then(|v: &CVerified| v.derived().matched_name.as_ref()), len) }
    }
}

/// The whole result as text for an admin ("trusted as ...; anchor from ...").
///
/// UTF-8, NUL-terminated, owned by `verified`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_text(verified: *const ht_verified, len: *mut usize) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        let v = unsafe { try_ref(verified) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(v.map(|v| &v.derived().text), len) }
    }
}

/// The result as JSON (path, anchor provenance, identity, warnings).
///
/// UTF-8, NUL-terminated, owned by `verified`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_json(verified: *const ht_verified, len: *mut usize) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        let v = unsafe { try_ref(verified) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(v.map(|v| &v.derived().json), len) }
    }
}

/// Which field satisfied the identity rule (`HT_MATCHED_NONE` without a rule
/// or for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_matched_field(verified: *const ht_verified) -> ht_matched_field {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        unsafe { try_ref(verified) }.map(|v| v.derived().matched_field).unwrap_or(ht_matched_field::HT_MATCHED_NONE)
    }
}

/// The generation of the trust store that decided (0 for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_store_generation(verified: *const ht_verified) -> u64 {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        unsafe { try_ref(verified) }.map(|v| v.verified.store_generation()).unwrap_or(0)
    }
}

/// Number of warnings on the accepted chain (0 for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_warnings_len(verified: *const ht_verified) -> usize {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        unsafe { try_ref(verified) }.map(|v| v.derived().warnings.len()).unwrap_or(0)
    }
}

/// The kind of warning `index`. `HT_INDEX_OUT_OF_RANGE` past the end. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_warning_kind(
    verified: *const ht_verified,
    index: usize,
    kind_out: *mut ht_warning_kind,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live result.
            let v = unsafe { try_ref(verified) }?;
            check_out(kind_out)?;
            let w = v.derived().warnings.get(index).ok_or(ht_result::HT_INDEX_OUT_OF_RANGE)?;
            // SAFETY: checked non-NULL; the caller provides a writable pointer.
            unsafe { write_out(kind_out, w.0) }
        })())
    }
}

/// The text of warning `index` (the certificate and one sentence), owned by
/// `verified`; NULL when out of range. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_warning_message(
    verified: *const ht_verified,
    index: usize,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        let w = unsafe { try_ref(verified) }.ok().and_then(|v| v.derived().warnings.get(index));
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(w.map(|w| &w.1), len) }
    }
}

/// The stable kebab-case name of a warning kind code, static and
/// NUL-terminated; "unrecognized" for an unknown code. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_warning_kind_name(kind: u32) -> *const c_char {
    ffi_panic_boundary! { crate::names::warning_kind_name(kind).as_ptr().cast() }
}

/// Frees a verification result and the strings borrowed from it. NULL is
/// accepted and returns `HT_OK`; freeing twice is undefined behaviour. Not
/// thread-safe with other uses of the same result.
#[no_mangle]
pub extern "C" fn ht_verified_free(verified: *mut ht_verified) -> ht_result {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a result from this library, not yet freed.
        unsafe { free_box(verified) };
        ht_result::HT_OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_warning_kind_has_a_code() {
        use WarningKind::*;
        for k in [
            ExpiresSoon,
            Sha1Accepted,
            ClientAuthMissingAccepted,
            NoClientAuthForMutualTls,
            AnchorOutsideValidity,
            ProfileViolationAccepted,
        ] {
            assert_ne!(warning_kind(k), ht_warning_kind::HT_WARNING_UNRECOGNIZED);
            let code = warning_kind(k) as u32;
            let name = crate::names::warning_kind_name(code);
            assert_ne!(name, "unrecognized\0", "{k:?}");
        }
    }
}
