//! What a verification requires: `ht_policy`.

use ht::{Crl, EkuMode, Policy, ProfileChecks, RevocationScope, Sha1Policy, UnknownStatus, Usage};

use crate::error::ht_result;
use crate::ffi::{
    check_out, code, enum_from_u32, free_box, to_boxed_mut_ptr, try_mut, try_slice, write_out,
    Castable,
};
use crate::panic::ffi_panic_boundary;
use crate::store_builder::unix_time;

/// The requirements of a verification: usage, EKU mode, time, CRLs, SHA-1
/// policy, depth. Made by `ht_policy_new`, freed by `ht_policy_free`.
///
/// Setters mutate it: not thread-safe with any other use. Once set up, any
/// number of threads may verify with one policy at once.
pub struct ht_policy {
    _private: [u8; 0],
}

impl Castable for ht_policy {
    type RustType = Policy;
}

/// The TLS role of the verified certificate.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_usage {
    /// A TLS server's certificate (we are the client): SHA-1 rejected by default.
    HT_USAGE_SERVER_AUTH = 1,
    /// A TLS client's certificate in mutual TLS: strict clientAuth EKU, SHA-1 warned.
    HT_USAGE_CLIENT_AUTH = 2,
}

/// How strictly client certificates must carry the clientAuth EKU
/// (Expressway's "SIP TLS Certificate ExtendedKeyUsage Checking Mode").
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_eku_mode {
    /// "strict": clientAuth required (mode On). The default.
    HT_EKU_STRICT = 1,
    /// "accept-server-auth-only": serverAuth-only accepted with a warning (mode Off).
    HT_EKU_ACCEPT_SERVER_AUTH_ONLY = 2,
}

/// What to do with SHA-1 signed certificates in a presented chain.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_sha1_policy {
    /// "reject" (the default for server authentication).
    HT_SHA1_REJECT = 1,
    /// "warn": accept with a warning (the default for client authentication).
    HT_SHA1_WARN = 2,
    /// "allow": accept silently.
    HT_SHA1_ALLOW = 3,
}

/// Which certificates revocation is checked for, when CRLs are given.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_revocation_scope {
    /// Only the leaf.
    HT_REVOCATION_END_ENTITY = 1,
    /// Every certificate of the path (the default).
    HT_REVOCATION_CHAIN = 2,
}

/// Whether the certificate profile checks (RFC 5280 MUSTs and CA/Browser
/// Forum rules webpki leaves out) refuse a chain or warn; mirrors the core's
/// `ProfileChecks`.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ht_profile_checks {
    /// "strict": every violated rule refuses the chain, whatever its anchor.
    HT_PROFILE_CHECKS_STRICT = 1,
    /// "by-anchor-origin" (the default): RFC 5280 rules OpenSSL's default
    /// verification enforces refuse every chain; the rules of strict verifiers
    /// and the CA/Browser Forum rules refuse chains to a public root and are
    /// warnings on chains to a customer's own CA.
    HT_PROFILE_CHECKS_BY_ANCHOR_ORIGIN = 2,
    /// "lenient": every violation is a warning on the verified result.
    HT_PROFILE_CHECKS_LENIENT = 3,
}

enum_from_u32!(ht_profile_checks {
    HT_PROFILE_CHECKS_STRICT,
    HT_PROFILE_CHECKS_BY_ANCHOR_ORIGIN,
    HT_PROFILE_CHECKS_LENIENT
});

enum_from_u32!(ht_usage {
    HT_USAGE_SERVER_AUTH,
    HT_USAGE_CLIENT_AUTH
});
enum_from_u32!(ht_eku_mode {
    HT_EKU_STRICT,
    HT_EKU_ACCEPT_SERVER_AUTH_ONLY
});
enum_from_u32!(ht_sha1_policy {
    HT_SHA1_REJECT,
    HT_SHA1_WARN,
    HT_SHA1_ALLOW
});
enum_from_u32!(ht_revocation_scope {
    HT_REVOCATION_END_ENTITY,
    HT_REVOCATION_CHAIN
});

pub(crate) fn eku_mode(code: u32) -> Result<EkuMode, ht_result> {
    Ok(match ht_eku_mode::from_u32(code)? {
        ht_eku_mode::HT_EKU_STRICT => EkuMode::Strict,
        ht_eku_mode::HT_EKU_ACCEPT_SERVER_AUTH_ONLY => EkuMode::AcceptServerAuthOnly,
    })
}

pub(crate) fn profile_checks(code: u32) -> Result<ProfileChecks, ht_result> {
    Ok(match ht_profile_checks::from_u32(code)? {
        ht_profile_checks::HT_PROFILE_CHECKS_STRICT => ProfileChecks::Strict,
        ht_profile_checks::HT_PROFILE_CHECKS_BY_ANCHOR_ORIGIN => ProfileChecks::ByAnchorOrigin,
        ht_profile_checks::HT_PROFILE_CHECKS_LENIENT => ProfileChecks::Lenient,
    })
}

/// Applies a consuming setter of the core's `Policy` in place.
fn update(
    policy: *mut ht_policy,
    f: impl FnOnce(Policy) -> Result<Policy, ht_result>,
) -> ht_result {
    code((|| {
        // SAFETY: the caller passes NULL or a live policy used by this thread only.
        let p = unsafe { try_mut(policy) }?;
        let next = f(p.clone())?;
        *p = next;
        Ok(())
    })())
}

/// Makes the default policy for `usage` (an `ht_usage` value): validation
/// time now, strict EKU, no CRLs, depth 8, SHA-1 per usage, profile checks
/// by anchor origin.
///
/// On `HT_OK`, `*policy_out` owns a new policy: free it with `ht_policy_free`.
/// `HT_INVALID_ARGUMENT` for an unknown usage. Thread-safe.
#[no_mangle]
pub extern "C" fn ht_policy_new(usage: u32, policy_out: *mut *mut ht_policy) -> ht_result {
    ffi_panic_boundary! {
        code((|| {
            check_out(policy_out)?;
            let policy = Policy::for_usage(match ht_usage::from_u32(usage)? {
                ht_usage::HT_USAGE_SERVER_AUTH => Usage::ServerAuth,
                ht_usage::HT_USAGE_CLIENT_AUTH => Usage::ClientAuth,
            });
            // SAFETY: checked non-NULL; the caller provides a writable pointer.
            unsafe { write_out(policy_out, to_boxed_mut_ptr::<ht_policy>(policy)) }
        })())
    }
}

/// Sets the EKU mode for client certificates (an `ht_eku_mode` value).
/// Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_policy_set_eku_mode(policy: *mut ht_policy, mode: u32) -> ht_result {
    ffi_panic_boundary! { update(policy, |p| Ok(p.with_eku_mode(eku_mode(mode)?))) }
}

/// Validates at `unix_seconds` (seconds since the Unix epoch, UTC) instead of
/// now; fixed times make results reproducible. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_policy_set_time(policy: *mut ht_policy, unix_seconds: u64) -> ht_result {
    ffi_panic_boundary! { update(policy, |p| Ok(p.with_time(unix_time(unix_seconds)))) }
}

/// Checks revocation against the CRLs in `crls` (`crls_len` bytes: PEM text
/// with `X509 CRL` blocks, or one DER CRL), replacing any set before. The
/// bytes are copied. `HT_LIMIT_EXCEEDED` when they are more than the policy's
/// `max_source_bytes` (32 MiB) or hold more than its `max_crls` (10,000)
/// CRLs; `HT_PARSE_ERROR` when they hold no usable CRL or a CRL that breaks
/// RFC 5280's CRL profile (no crlNumber, or a critical one). The policy is
/// unchanged on error. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_policy_set_crls(
    policy: *mut ht_policy,
    crls: *const u8,
    crls_len: usize,
) -> ht_result {
    ffi_panic_boundary! {
        update(policy, |p| {
            // SAFETY: the caller passes NULL or `crls_len` readable bytes.
            let bytes = unsafe { try_slice(crls, crls_len) }?;
            let list = Crl::parse_all_within(p.limits(), bytes)
                .map_err(|e| ht_result::from_error(&e))?;
            Ok(p.with_crls(list))
        })
    }
}

/// Which certificates revocation is checked for (an `ht_revocation_scope`
/// value). Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_policy_set_revocation_scope(policy: *mut ht_policy, scope: u32) -> ht_result {
    ffi_panic_boundary! {
        update(policy, |p| {
            let scope = match ht_revocation_scope::from_u32(scope)? {
                ht_revocation_scope::HT_REVOCATION_END_ENTITY => RevocationScope::EndEntity,
                ht_revocation_scope::HT_REVOCATION_CHAIN => RevocationScope::Chain,
            };
            Ok(p.with_revocation_scope(scope))
        })
    }
}

/// What a missing CRL means for a certificate in scope: `true` = treat it as
/// not revoked; `false` = fail (the default, fail closed). Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_policy_set_allow_unknown_status(
    policy: *mut ht_policy,
    allow: bool,
) -> ht_result {
    ffi_panic_boundary! {
        update(policy, |p| {
            Ok(p.with_unknown_status(if allow { UnknownStatus::Allow } else { UnknownStatus::Deny }))
        })
    }
}

/// Sets the SHA-1 policy (an `ht_sha1_policy` value). Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_policy_set_sha1(policy: *mut ht_policy, sha1: u32) -> ht_result {
    ffi_panic_boundary! {
        update(policy, |p| {
            let sha1 = match ht_sha1_policy::from_u32(sha1)? {
                ht_sha1_policy::HT_SHA1_REJECT => Sha1Policy::Reject,
                ht_sha1_policy::HT_SHA1_WARN => Sha1Policy::Warn,
                ht_sha1_policy::HT_SHA1_ALLOW => Sha1Policy::Allow,
            };
            Ok(p.with_sha1(sha1))
        })
    }
}

/// Most certificates in a verified path, leaf and anchor included (default 8;
/// values below 2 count as 2). Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_policy_set_max_depth(policy: *mut ht_policy, depth: usize) -> ht_result {
    ffi_panic_boundary! { update(policy, |p| Ok(p.with_max_depth(depth))) }
}

/// Warn when a path certificate expires within this many days (default 30).
/// Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_policy_set_expiry_warning_days(
    policy: *mut ht_policy,
    days: u32,
) -> ht_result {
    ffi_panic_boundary! { update(policy, |p| Ok(p.with_expiry_warning_days(days))) }
}

/// The peer also authenticates to us as a client with the same certificate:
/// warn when a server leaf lacks clientAuth. Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_policy_set_mutual_tls(policy: *mut ht_policy, mutual: bool) -> ht_result {
    ffi_panic_boundary! { update(policy, |p| Ok(p.with_mutual_tls(mutual))) }
}

/// Sets whether profile violations refuse or warn (an `ht_profile_checks`
/// value; default `HT_PROFILE_CHECKS_BY_ANCHOR_ORIGIN`). `HT_INVALID_ARGUMENT`
/// for an unknown value (the policy is then unchanged). Not thread-safe.
#[no_mangle]
pub extern "C" fn ht_policy_set_profile_checks(policy: *mut ht_policy, checks: u32) -> ht_result {
    ffi_panic_boundary! {
        update(policy, |p| Ok(p.with_profile_checks(profile_checks(checks)?)))
    }
}

/// Frees a policy. NULL is accepted and returns `HT_OK`; freeing twice is
/// undefined behaviour. Verification results do not borrow from the policy.
/// Not thread-safe with other uses of the same policy.
#[no_mangle]
pub extern "C" fn ht_policy_free(policy: *mut ht_policy) -> ht_result {
    ffi_panic_boundary! {
        // SAFETY: the caller passes NULL or a policy from ht_policy_new, not yet freed.
        unsafe { free_box(policy) };
        ht_result::HT_OK
    }
}
