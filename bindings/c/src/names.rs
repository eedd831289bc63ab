//! Static, NUL-terminated names of the kind codes: the core's `as_str()` names.

const FINDING: &[&str] = &[
    "unrecognized\0",
    "unparsable\0",
    "not-a-certificate\0",
    "not-a-ca\0",
    "no-basic-constraints\0",
    "expired\0",
    "not-yet-valid\0",
    "expiring-soon\0",
    "weak-key\0",
    "md5-signature\0",
    "sha1-signature\0",
    "duplicate-certificate\0",
    "duplicate-subject-and-key\0",
    "duplicate-common-name\0",
    "missing-required-ca\0",
    "missing-legacy-ca\0",
    "ca-not-embedded\0",
    "unreadable\0",
    "too-large\0",
    "directory-loop\0",
    "empty\0",
    "folder-absent\0",
    "trust-restricted\0",
    "distrusted-entry\0",
];

const DIAGNOSIS: &[&str] = &[
    "unrecognized\0",
    "unknown-ca\0",
    "incomplete-chain\0",
    "expired\0",
    "not-yet-valid\0",
    "bad-signature\0",
    "weak-signature\0",
    "name-mismatch\0",
    "missing-eku\0",
    "revoked\0",
    "revocation-unknown\0",
    "path-too-long\0",
    "issuer-not-ca\0",
    "ca-as-leaf\0",
    "name-constraint-violation\0",
    "distrusted\0",
    "malformed\0",
    "unsupported\0",
    "empty-chain\0",
    "too-many-certificates\0",
    "too-complex\0",
    "other\0",
    "profile-violation\0",
];

const WARNING: &[&str] = &[
    "unrecognized\0",
    "expires-soon\0",
    "sha1-accepted\0",
    "client-auth-missing-accepted\0",
    "no-client-auth-for-mutual-tls\0",
    "anchor-outside-validity\0",
    "profile-violation-accepted\0",
];

fn pick(table: &'static [&'static str], code: u32) -> &'static str {
    usize::try_from(code)
        .ok()
        .and_then(|i| table.get(i))
        .copied()
        .unwrap_or(table[0])
}

pub(crate) fn finding_kind_name(code: u32) -> &'static str {
    pick(FINDING, code)
}

pub(crate) fn diagnosis_kind_name(code: u32) -> &'static str {
    pick(DIAGNOSIS, code)
}

pub(crate) fn warning_kind_name(code: u32) -> &'static str {
    pick(WARNING, code)
}

/// The code of a diagnosis kind name, 0 when unknown.
#[cfg(test)]
pub(crate) fn diagnosis_kind_code(name: &str) -> u32 {
    DIAGNOSIS
        .iter()
        .position(|n| n.strip_suffix('\0') == Some(name))
        .and_then(|i| u32::try_from(i).ok())
        .unwrap_or(0)
}
