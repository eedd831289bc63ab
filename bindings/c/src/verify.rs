//! Verification: `ht_chain` (parsing), `ht_verify`, and its two outcomes,
//! `ht_verified` (the accepted path) and `ht_diagnosis` (why not).

use std::ffi::c_char;

use ht::{
    CertificateDer, Diagnosis, DiagnosisKind, IdentityRule, MatchedName, Role, Verified,
    WarningKind,
};

use crate::error::ht_result;
use crate::ffi::{
    check_out, code, free_box, text_out, to_boxed_mut_ptr, try_ref, try_slice, write_out, Castable,
    Text,
};
use crate::identity::ht_identity_rule;
use crate::panic::ffi_panic_boundary;
use crate::policy::ht_policy;
use crate::store::ht_store;

/// A parsed presented chain (leaf first), for callers that hold PEM text.
/// Made by `ht_chain_parse`, freed by `ht_chain_free`; immutable and thread-safe.
pub struct ht_chain {
    _private: [u8; 0],
}

/// An accepted chain: the path, the anchor's provenance, what the identity
/// rule matched, the warnings. Owned by the caller (`ht_verified_free`);
/// immutable and thread-safe; independent of the store, policy and rule
/// objects it was made with (they may be freed first).
pub struct ht_verified {
    _private: [u8; 0],
}

/// Why a chain was refused: which certificate, what failed, what to do.
/// Owned by the caller (`ht_diagnosis_free`); immutable and thread-safe.
pub struct ht_diagnosis {
    _private: [u8; 0],
}

pub(crate) struct Chain(Vec<CertificateDer<'static>>);

pub(crate) struct CVerified {
    path: Vec<CPathEntry>,
    anchor_source: Text,
    anchor_provenance: Text,
    matched_field: ht_matched_field,
    matched_name: Option<Text>,
    warnings: Vec<(ht_warning_kind, Text)>,
    store_generation: u64,
    text: Text,
    json: Text,
}

struct CPathEntry {
    role: ht_role,
    position: Option<usize>,
    subject: Text,
    sha256: Text,
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

impl Castable for ht_chain {
    type RustType = Chain;
}
impl Castable for ht_verified {
    type RustType = CVerified;
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
        _ => HT_DIAGNOSIS_UNRECOGNIZED,
    }
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
}

fn warning_kind(kind: WarningKind) -> ht_warning_kind {
    use ht_warning_kind::*;
    match kind {
        WarningKind::ExpiresSoon => HT_WARNING_EXPIRES_SOON,
        WarningKind::Sha1Accepted => HT_WARNING_SHA1_ACCEPTED,
        WarningKind::ClientAuthMissingAccepted => HT_WARNING_CLIENT_AUTH_MISSING_ACCEPTED,
        WarningKind::NoClientAuthForMutualTls => HT_WARNING_NO_CLIENT_AUTH_FOR_MUTUAL_TLS,
        WarningKind::AnchorOutsideValidity => HT_WARNING_ANCHOR_OUTSIDE_VALIDITY,
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
}

impl CVerified {
    pub(crate) fn new(v: &Verified) -> Self {
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
            store_generation: v.store_generation(),
            text: Text::new(&v.to_string()),
            json: Text::new(&v.to_json()),
        }
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
            let rule: Option<&IdentityRule> = if rule.is_null() {
                None
            } else {
                // SAFETY: non-NULL; the caller passes a live rule not mutated meanwhile.
                Some(unsafe { try_ref(rule) }?)
            };
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

// ---- ht_verified ----

/// Number of certificates in the verified path, leaf first, anchor last
/// (0 for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_path_len(verified: *const ht_verified) -> usize {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        unsafe { try_ref(verified) }.map(|v| v.path.len()).unwrap_or(0)
    }
}

fn path_entry<'a>(verified: *const ht_verified, index: usize) -> Option<&'a CPathEntry> {
    // SAFETY: the caller of the exported function passes NULL or a live result.
    unsafe { try_ref(verified) }
        .ok()
        .and_then(|v| v.path.get(index))
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
            let e = v.path.get(index).ok_or(ht_result::HT_INDEX_OUT_OF_RANGE)?;
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
            let e = v.path.get(index).ok_or(ht_result::HT_INDEX_OUT_OF_RANGE)?;
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
        unsafe { text_out(v.map(|v| &v.anchor_source), len) }
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
        unsafe { text_out(v.map(|v| &v.anchor_provenance), len) }
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
        unsafe { text_out(v.and_then(|v: &CVerified| v.matched_name.as_ref()), len) }
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
        unsafe { text_out(v.map(|v| &v.text), len) }
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
        unsafe { text_out(v.map(|v| &v.json), len) }
    }
}

/// Which field satisfied the identity rule (`HT_MATCHED_NONE` without a rule
/// or for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_matched_field(verified: *const ht_verified) -> ht_matched_field {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        unsafe { try_ref(verified) }.map(|v| v.matched_field).unwrap_or(ht_matched_field::HT_MATCHED_NONE)
    }
}

/// The generation of the trust store that decided (0 for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_store_generation(verified: *const ht_verified) -> u64 {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        unsafe { try_ref(verified) }.map(|v| v.store_generation).unwrap_or(0)
    }
}

/// Number of warnings on the accepted chain (0 for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn ht_verified_warnings_len(verified: *const ht_verified) -> usize {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a live result.
        unsafe { try_ref(verified) }.map(|v| v.warnings.len()).unwrap_or(0)
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
            let w = v.warnings.get(index).ok_or(ht_result::HT_INDEX_OUT_OF_RANGE)?;
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
        let w = unsafe { try_ref(verified) }.ok().and_then(|v| v.warnings.get(index));
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

// ---- ht_diagnosis ----

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
        ] {
            let code = diagnosis_kind(k);
            assert_ne!(code, ht_diagnosis_kind::HT_DIAGNOSIS_UNRECOGNIZED, "{k:?}");
            let name = crate::names::diagnosis_kind_name(code as u32);
            assert_eq!(&name[..name.len() - 1], k.as_str());
            assert_eq!(crate::names::diagnosis_kind_code(k.as_str()), code as u32);
        }
    }

    #[test]
    fn every_core_warning_kind_has_a_code() {
        use WarningKind::*;
        for k in [
            ExpiresSoon,
            Sha1Accepted,
            ClientAuthMissingAccepted,
            NoClientAuthForMutualTls,
            AnchorOutsideValidity,
        ] {
            assert_ne!(warning_kind(k), ht_warning_kind::HT_WARNING_UNRECOGNIZED);
        }
    }
}
