//! Stage 9, warnings on an accepted chain: expiry soon, SHA-1 accepted, the
//! EKU transition mode, mutual TLS without clientAuth, an anchor outside its
//! dates.

use pki_types::{CertificateDer, UnixTime};

use super::diagnosis::{CertRef, Diagnosis, Role};
use super::path::BuiltPath;
use super::policy::{Policy, Sha1Policy, Usage};
use super::{full_cert, Warning, WarningKind};
use crate::cert::{SignatureHash, OID_EKU_CLIENT_AUTH};
use crate::facts::Facts;
use crate::store::Anchor;
use crate::time::{days_between, format_time};

/// The warnings for the verified `path` (its `facts`, leaf first) under `policy` at `at`.
pub(super) fn collect(
    policy: &Policy,
    at: UnixTime,
    chain: &[CertificateDer<'_>],
    path: &BuiltPath,
    facts: &[Facts<'_>],
    anchor: &Anchor,
) -> Result<Vec<Warning>, Diagnosis> {
    let mut warnings = Vec::new();
    for (i, f) in facts.iter().enumerate() {
        let (pos, der) = &path.presented[i];
        let role = if i == 0 {
            Role::Leaf
        } else {
            Role::Intermediate
        };
        let left = days_between(at, f.not_after);
        let soon = left < u64::from(policy.expiry_warning_days);
        let sha1 = f.signature_hash == SignatureHash::Sha1 && policy.sha1 == Sha1Policy::Warn;
        if !soon && !sha1 {
            continue;
        }
        let cert = CertRef::new(&full_cert(chain, *pos, der)?, Some(*pos), role);
        if soon {
            warnings.push(Warning {
                kind: WarningKind::ExpiresSoon,
                certificate: cert.clone(),
                message: format!("expires at {} (in {left} days)", format_time(f.not_after)),
            });
        }
        if sha1 {
            warnings.push(Warning {
                kind: WarningKind::Sha1Accepted,
                certificate: cert,
                message: "signed with SHA-1; accepted by the SHA-1 policy (warn)".into(),
            });
        }
    }
    let leaf_der = &path.presented[0].1;
    let leaf_lacks_client_auth = !facts[0].eku_allows(&OID_EKU_CLIENT_AUTH);
    if path.eku_fallback && leaf_lacks_client_auth {
        warnings.push(Warning {
            kind: WarningKind::ClientAuthMissingAccepted,
            certificate: CertRef::new(&full_cert(chain, 0, leaf_der)?, Some(0), Role::Leaf),
            message: "has serverAuth but not clientAuth; accepted by the EKU transition mode"
                .into(),
        });
    }
    if policy.usage == Usage::ServerAuth && policy.mutual_tls && leaf_lacks_client_auth {
        warnings.push(Warning {
            kind: WarningKind::NoClientAuthForMutualTls,
            certificate: CertRef::new(&full_cert(chain, 0, leaf_der)?, Some(0), Role::Leaf),
            message: "lacks the clientAuth EKU; when this peer connects to us, strict EKU checking will refuse it (clientAuth sunset)".into(),
        });
    }
    let anchor_cert = anchor.certificate();
    if !anchor_cert.is_valid_at(at) {
        warnings.push(Warning {
            kind: WarningKind::AnchorOutsideValidity,
            certificate: CertRef::new(anchor_cert, None, Role::Anchor),
            message: format!(
                "the trust anchor is valid only from {} to {}; anchors' dates are not enforced",
                format_time(anchor_cert.not_before()),
                format_time(anchor_cert.not_after())
            ),
        });
    }
    Ok(warnings)
}
