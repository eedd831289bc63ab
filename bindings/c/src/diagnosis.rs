//! Why a chain was refused: `ht_diagnosis` and the stable diagnosis kind codes.

use std::ffi::c_char;

use ht::{Diagnosis, DiagnosisKind};

use crate::error::ht_result;
use crate::ffi::{check_out, code, free_box, text_out, try_ref, write_out, Castable, Text};
use crate::panic::ffi_panic_boundary;

/// Why a chain was refused: which certificate, what failed, what to do.
/// Owned by the caller (`ht_diagnosis_free`); immutable and thread-safe.
pub struct ht_diagnosis {
    _private: [u8; 0],
}

pub(crate) struct CDiagnosis {
    kind: ht_diagnosis_kind,
    position: Option<usize>,
    subject: Option<Text>,
    sha256: Option<Text>,
    message: Text,
    hint: Text,
    expected: Option<Text>,
    found: Option<Text>,
    recognised_as: Option<Text>,
    text: Text,
    json: Text,
}

impl Castable for ht_diagnosis {
    type RustType = CDiagnosis;
}

/// What failed; mirrors the core's `DiagnosisKind`. Numbers are stable and
/// never reused; the comment gives the core's name (`ht_diagnosis_kind_name`).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_diagnosis_kind {
    /// A kind this version of the C API does not know yet (a newer core).
    HT_DIAGNOSIS_UNRECOGNIZED = 0,
    /// "unknown-ca": the chain leads to a CA not in the store.
    HT_DIAGNOSIS_UNKNOWN_CA = 1,
    /// "incomplete-chain": an issuer was neither presented nor in the store.
    HT_DIAGNOSIS_INCOMPLETE_CHAIN = 2,
    /// "expired": a certificate of the path expired.
    HT_DIAGNOSIS_EXPIRED = 3,
    /// "not-yet-valid": a certificate of the path is not valid yet.
    HT_DIAGNOSIS_NOT_YET_VALID = 4,
    /// "bad-signature": a signature does not verify with its issuer's key.
    HT_DIAGNOSIS_BAD_SIGNATURE = 5,
    /// "weak-signature": an algorithm the policy refuses (SHA-1, MD5) or unsupported.
    HT_DIAGNOSIS_WEAK_SIGNATURE = 6,
    /// "name-mismatch": the identity rule found no matching name.
    HT_DIAGNOSIS_NAME_MISMATCH = 7,
    /// "missing-eku": the leaf lacks the extended key usage the usage needs.
    HT_DIAGNOSIS_MISSING_EKU = 8,
    /// "revoked": revoked by a given CRL.
    HT_DIAGNOSIS_REVOKED = 9,
    /// "revocation-unknown": a needed CRL was not given, or is unusable.
    HT_DIAGNOSIS_REVOCATION_UNKNOWN = 10,
    /// "path-too-long": longer than the policy or a pathLenConstraint allows.
    HT_DIAGNOSIS_PATH_TOO_LONG = 11,
    /// "issuer-not-ca": a certificate that issues another is not a CA.
    HT_DIAGNOSIS_ISSUER_NOT_CA = 12,
    /// "ca-as-leaf": the leaf is a CA certificate.
    HT_DIAGNOSIS_CA_AS_LEAF = 13,
    /// "name-constraint-violation": a CA's name constraint excludes the leaf's names.
    HT_DIAGNOSIS_NAME_CONSTRAINT_VIOLATION = 14,
    /// "distrusted": on webpki's built-in distrust list.
    HT_DIAGNOSIS_DISTRUSTED = 15,
    /// "malformed": a presented certificate cannot be parsed.
    HT_DIAGNOSIS_MALFORMED = 16,
    /// "unsupported": unsupported version or critical extension.
    HT_DIAGNOSIS_UNSUPPORTED = 17,
    /// "empty-chain": no certificate was presented.
    HT_DIAGNOSIS_EMPTY_CHAIN = 18,
    /// "too-many-certificates": more certificates than the limit (64).
    HT_DIAGNOSIS_TOO_MANY_CERTIFICATES = 19,
    /// "too-complex": path building exceeded its work budget.
    HT_DIAGNOSIS_TOO_COMPLEX = 20,
    /// "other": any other failure reported by webpki.
    HT_DIAGNOSIS_OTHER = 21,
    /// "profile-violation": a path certificate breaks a certificate-profile
    /// rule (RFC 5280 or CA/Browser Forum) the profile-checks setting enforces
    /// for this chain; the message names the rule id.
    HT_DIAGNOSIS_PROFILE_VIOLATION = 22,
}

pub(crate) fn diagnosis_kind(kind: DiagnosisKind) -> ht_diagnosis_kind {
    use ht_diagnosis_kind::*;
    use DiagnosisKind::*;
    match kind {
        UnknownCa => HT_DIAGNOSIS_UNKNOWN_CA,
        IncompleteChain => HT_DIAGNOSIS_INCOMPLETE_CHAIN,
        Expired => HT_DIAGNOSIS_EXPIRED,
        NotYetValid => HT_DIAGNOSIS_NOT_YET_VALID,
        BadSignature => HT_DIAGNOSIS_BAD_SIGNATURE,
        WeakSignature => HT_DIAGNOSIS_WEAK_SIGNATURE,
        NameMismatch => HT_DIAGNOSIS_NAME_MISMATCH,
        MissingEku => HT_DIAGNOSIS_MISSING_EKU,
        Revoked => HT_DIAGNOSIS_REVOKED,
        RevocationUnknown => HT_DIAGNOSIS_REVOCATION_UNKNOWN,
        PathTooLong => HT_DIAGNOSIS_PATH_TOO_LONG,
        IssuerNotCa => HT_DIAGNOSIS_ISSUER_NOT_CA,
        CaAsLeaf => HT_DIAGNOSIS_CA_AS_LEAF,
        NameConstraintViolation => HT_DIAGNOSIS_NAME_CONSTRAINT_VIOLATION,
        Distrusted => HT_DIAGNOSIS_DISTRUSTED,
        Malformed => HT_DIAGNOSIS_MALFORMED,
        Unsupported => HT_DIAGNOSIS_UNSUPPORTED,
        EmptyChain => HT_DIAGNOSIS_EMPTY_CHAIN,
        TooManyCertificates => HT_DIAGNOSIS_TOO_MANY_CERTIFICATES,
        TooComplex => HT_DIAGNOSIS_TOO_COMPLEX,
        Other => HT_DIAGNOSIS_OTHER,
        ProfileViolation => HT_DIAGNOSIS_PROFILE_VIOLATION,
        _ => HT_DIAGNOSIS_UNRECOGNIZED,
    }
}

impl CDiagnosis {
    pub(crate) fn new(d: &Diagnosis) -> Self {
        Self {
            kind: diagnosis_kind(d.kind),
            position: d.certificate.as_ref().and_then(|c| c.position),
            subject: d.certificate.as_ref().map(|c| Text::new(&c.subject)),
            sha256: d
                .certificate
                .as_ref()
                .map(|c| Text::new(&c.sha256.to_string())),
            message: Text::new(&d.message),
            hint: Text::new(&d.hint),
            expected: Text::opt(d.expected.as_deref()),
            found: Text::opt(d.found.as_deref()),
            recognised_as: Text::opt(d.recognised_as),
            text: Text::new(&d.to_string()),
            json: Text::new(&d.to_json()),
        }
    }
}

/// What failed (`HT_DIAGNOSIS_UNRECOGNIZED` for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_diagnosis_kind_of(diagnosis: *const ht_diagnosis) -> ht_diagnosis_kind {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live diagnosis.
        unsafe { try_ref(diagnosis) }.map(|d| d.kind).unwrap_or(ht_diagnosis_kind::HT_DIAGNOSIS_UNRECOGNIZED)
    }
}

/// The stable kebab-case name of a diagnosis kind code (e.g. "unknown-ca"),
/// as the Rust and Python APIs and JSON use it; static, NUL-terminated;
/// "unrecognized" for an unknown code. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_diagnosis_kind_name(kind: u32) -> *const c_char {
    ffi_panic_boundary! { crate::names::diagnosis_kind_name(kind).as_ptr().cast() }
}

/// The index in the presented chain (0 = leaf) of the certificate at fault.
/// `HT_NOT_PRESENT` when no presented certificate is named (a store anchor,
/// or a failure about the chain as a whole). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_diagnosis_certificate_index(
    diagnosis: *const ht_diagnosis,
    index_out: *mut usize,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live diagnosis.
            let d = unsafe { try_ref(diagnosis) }?;
            check_out(index_out)?;
            let p = d.position.ok_or(ht_result::HT_NOT_PRESENT)?;
            // SAFETY: checked non-NULL; the caller provides a writable pointer.
            unsafe { write_out(index_out, p) }
        })())
    }
}

/// The RFC 4514 subject of the certificate at fault; NULL when none is named.
///
/// UTF-8, NUL-terminated, owned by `diagnosis`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_diagnosis_subject(
    diagnosis: *const ht_diagnosis,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live diagnosis.
        let d = unsafe { try_ref(diagnosis) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(d.and_then(|d: &CDiagnosis| d.subject.as_ref()), len) }
    }
}

/// The SHA-256 (64 upper-case hex digits) of the certificate at fault; NULL when none is named.
///
/// UTF-8, NUL-terminated, owned by `diagnosis`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_diagnosis_sha256(
    diagnosis: *const ht_diagnosis,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live diagnosis.
        let d = unsafe { try_ref(diagnosis) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(d.and_then(|d: &CDiagnosis| d.sha256.as_ref()), len) }
    }
}

/// One sentence: what is wrong. NULL only for a NULL diagnosis.
///
/// UTF-8, NUL-terminated, owned by `diagnosis`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_diagnosis_message(
    diagnosis: *const ht_diagnosis,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live diagnosis.
        let d = unsafe { try_ref(diagnosis) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(d.map(|d| &d.message), len) }
    }
}

/// One sentence: the next step. NULL only for a NULL diagnosis.
///
/// UTF-8, NUL-terminated, owned by `diagnosis`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_diagnosis_hint(
    diagnosis: *const ht_diagnosis,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live diagnosis.
        let d = unsafe { try_ref(diagnosis) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(d.map(|d| &d.hint), len) }
    }
}

/// What was expected (a name, an EKU, a time); NULL when it does not apply.
///
/// UTF-8, NUL-terminated, owned by `diagnosis`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_diagnosis_expected(
    diagnosis: *const ht_diagnosis,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live diagnosis.
        let d = unsafe { try_ref(diagnosis) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(d.and_then(|d: &CDiagnosis| d.expected.as_ref()), len) }
    }
}

/// What was found instead; NULL when it does not apply.
///
/// UTF-8, NUL-terminated, owned by `diagnosis`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_diagnosis_found(
    diagnosis: *const ht_diagnosis,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live diagnosis.
        let d = unsafe { try_ref(diagnosis) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(d.and_then(|d: &CDiagnosis| d.found.as_ref()), len) }
    }
}

/// The text admins know from Cisco's guides and Expressway logs
/// (e.g. "certificate unknown"); NULL when there is none.
///
/// UTF-8, NUL-terminated, owned by `diagnosis`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_diagnosis_recognised_as(
    diagnosis: *const ht_diagnosis,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live diagnosis.
        let d = unsafe { try_ref(diagnosis) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(d.and_then(|d: &CDiagnosis| d.recognised_as.as_ref()), len) }
    }
}

/// The whole diagnosis as text for an admin (several lines).
///
/// UTF-8, NUL-terminated, owned by `diagnosis`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_diagnosis_text(
    diagnosis: *const ht_diagnosis,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live diagnosis.
        let d = unsafe { try_ref(diagnosis) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(d.map(|d| &d.text), len) }
    }
}

/// The structured diagnosis as JSON (kind, certificate, message, hint, expected, found, ...).
///
/// UTF-8, NUL-terminated, owned by `diagnosis`; `*len` (if `len` is
/// non-NULL) gets the length without the NUL. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_diagnosis_json(
    diagnosis: *const ht_diagnosis,
    len: *mut usize,
) -> *const c_char {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live diagnosis.
        let d = unsafe { try_ref(diagnosis) }.ok();
        // SAFETY: `len` is NULL or writable, per the documented contract.
        unsafe { text_out(d.map(|d| &d.json), len) }
    }
}

/// Frees a diagnosis and the strings borrowed from it. NULL is accepted and
/// returns `HT_OK`; freeing twice is undefined behaviour. Not thread-safe
/// with other uses of the same diagnosis.
#[no_mangle]
pub extern "C" fn ht_diagnosis_free(diagnosis: *mut ht_diagnosis) -> ht_result {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a diagnosis from this library, not yet freed.
        unsafe { free_box(diagnosis) };
        ht_result::HT_OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_diagnosis_kind_has_a_code_and_its_name() {
        use DiagnosisKind::*;
        for k in [
            UnknownCa,
            IncompleteChain,
            Expired,
            NotYetValid,
            BadSignature,
            WeakSignature,
            NameMismatch,
            MissingEku,
            Revoked,
            RevocationUnknown,
            PathTooLong,
            IssuerNotCa,
            CaAsLeaf,
            NameConstraintViolation,
            Distrusted,
            Malformed,
            Unsupported,
            EmptyChain,
            TooManyCertificates,
            TooComplex,
            Other,
            ProfileViolation,
        ] {
            let code = diagnosis_kind(k);
            assert_ne!(code, ht_diagnosis_kind::HT_DIAGNOSIS_UNRECOGNIZED, "{k:?}");
            let name = crate::names::diagnosis_kind_name(code as u32);
            assert_eq!(&name[..name.len() - 1], k.as_str());
            assert_eq!(crate::names::diagnosis_kind_code(k.as_str()), code as u32);
        }
    }
}
