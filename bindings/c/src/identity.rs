//! Identity rules: `ht_identity_rule` (san / san_then_cn / cn_or_san, wildcards, aliases).

use ht::{IdentityRule, RuleKind, WildcardMode};

use crate::error::ht_result;
use crate::ffi::{
    check_out, code, enum_from_u32, free_box, to_boxed_mut_ptr, try_mut, try_str, write_out,
    Castable,
};
use crate::panic::ffi_panic_boundary;

/// An expected identity and the rule that checks it. Made by
/// `ht_identity_rule_new`, freed by `ht_identity_rule_free`. Setters are not
/// thread-safe; once set up, any number of threads may use one rule.
pub struct ht_identity_rule {
    _private: [u8; 0],
}

impl Castable for ht_identity_rule {
    type RustType = IdentityRule;
}

/// Which certificate fields an identity rule looks at.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_rule_kind {
    /// DNS and IP subjectAltNames only (RFC 6125; Expressway outbound).
    HT_RULE_SAN = 1,
    /// RFC 5922 7.1 (SIP): `sip:` URI SANs; DNS SANs only when there is no
    /// `sip:` URI SAN; IP SANs; the subject CN only when the certificate has
    /// no subjectAltName at all.
    HT_RULE_SAN_THEN_CN = 2,
    /// The subject CN, a DNS SAN or an IP SAN (Expressway's TLS verify inbound mapping).
    HT_RULE_CN_OR_SAN = 3,
}

/// How a wildcard in a presented name is treated.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_wildcard_mode {
    /// "disallowed": wildcards never match (the default for zones).
    HT_WILDCARD_DISALLOWED = 1,
    /// "leftmost-label": RFC 6125, `*` as the whole left-most label matches
    /// one label (the default for identity rules).
    HT_WILDCARD_LEFTMOST_LABEL = 2,
}

enum_from_u32!(ht_rule_kind {
    HT_RULE_SAN,
    HT_RULE_SAN_THEN_CN,
    HT_RULE_CN_OR_SAN
});
enum_from_u32!(ht_wildcard_mode {
    HT_WILDCARD_DISALLOWED,
    HT_WILDCARD_LEFTMOST_LABEL
});

pub(crate) fn wildcard_mode(code: u32) -> Result<WildcardMode, ht_result> {
    Ok(match ht_wildcard_mode::from_u32(code)? {
        ht_wildcard_mode::HT_WILDCARD_DISALLOWED => WildcardMode::Disallowed,
        ht_wildcard_mode::HT_WILDCARD_LEFTMOST_LABEL => WildcardMode::LeftmostLabel,
    })
}

/// Makes a rule of `kind` (an `ht_rule_kind` value) for the expected `name`
/// (UTF-8, `name_len` bytes: a DNS name, U-labels accepted, or an IP address).
///
/// On `HT_OK`, `*rule_out` owns a new rule: free it with
/// `ht_identity_rule_free`. `HT_INVALID_NAME` for a name that is not a valid
/// DNS name or IP address (a wildcard is refused); `HT_INVALID_ARGUMENT` for
/// an unknown kind. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_identity_rule_new(
    kind: u32,
    name: *const u8,
    name_len: usize,
    rule_out: *mut *mut ht_identity_rule,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or `name_len` readable bytes.
            let name = unsafe { try_str(name, name_len) }?;
            check_out(rule_out)?;
            let kind = match ht_rule_kind::from_u32(kind)? {
                ht_rule_kind::HT_RULE_SAN => RuleKind::San,
                ht_rule_kind::HT_RULE_SAN_THEN_CN => RuleKind::SanThenCn,
                ht_rule_kind::HT_RULE_CN_OR_SAN => RuleKind::CnOrSan,
            };
            let rule = IdentityRule::new(kind, name).map_err(|e| ht_result::from_error(&e))?;
            // SAFETY: checked non-NULL; the caller provides a writable pointer.
            unsafe { write_out(rule_out, to_boxed_mut_ptr::<ht_identity_rule>(rule)) }
        })())
    }
}

/// Sets the wildcard mode (an `ht_wildcard_mode` value). Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_identity_rule_set_wildcards(
    rule: *mut ht_identity_rule,
    mode: u32,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live rule used by this thread only.
            let r = unsafe { try_mut(rule) }?;
            let mode = wildcard_mode(mode)?;
            *r = r.clone().with_wildcards(mode);
            Ok(())
        })())
    }
}

/// Adds a known alias of the expected peer (`name`), with a note for the
/// admin; a certificate presenting it earns a hint on mismatch. Both UTF-8
/// with lengths. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_identity_rule_add_alias(
    rule: *mut ht_identity_rule,
    name: *const u8,
    name_len: usize,
    note: *const u8,
    note_len: usize,
) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            // SAFETY: the caller passes NULL or a live rule used by this thread only.
            let r = unsafe { try_mut(rule) }?;
            // SAFETY: the caller passes NULL or `name_len` readable bytes.
            let name = unsafe { try_str(name, name_len) }?;
            // SAFETY: the caller passes NULL or `note_len` readable bytes.
            let note = unsafe { try_str(note, note_len) }?;
            *r = r.clone().with_alias(name, note);
            Ok(())
        })())
    }
}

/// Frees a rule. NULL is accepted and returns `HT_OK`; freeing twice is
/// undefined behaviour. Not thread-safe with other uses of the same rule.
#[no_mangle]
pub extern "C" fn ht_identity_rule_free(rule: *mut ht_identity_rule) -> ht_result {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a rule from ht_identity_rule_new, not yet freed.
        unsafe { free_box(rule) };
        ht_result::HT_OK
    }
}
