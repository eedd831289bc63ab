//! Explaining a failure (paid for only on the failure path): which certificate,
//! what failed, what to do next.

use std::collections::HashMap;

use pki_types::{CertificateDer, UnixTime};

use super::diagnosis::{CertRef, Diagnosis, DiagnosisKind, Role};
use super::policy::{Crl, EkuMode, Policy, Sha1Policy, Usage};
use crate::cert::{Certificate, SignatureHash, OID_EKU_CLIENT_AUTH, OID_EKU_SERVER_AUTH};
use crate::name::NameMismatch;
use crate::store::{Anchor, TrustStore};
use crate::time::format_time;

pub(super) struct Context<'a> {
    pub store: &'a TrustStore,
    pub policy: &'a Policy,
    pub chain: &'a [CertificateDer<'a>],
    pub at: UnixTime,
    pub error: webpki::Error,
}

/// The presented chain, parsed, and the issuer walk from the leaf upwards.
///
/// Built in O(n log n): candidates are looked up by subject (and key
/// identifier) in hash maps, and each list is consumed from its end once.
struct Chain {
    parsed: Vec<Option<Certificate>>,
    walk: Vec<usize>,
    in_walk: Vec<bool>,
}

/// Indices in chain order, taken last-unused-first (the walk prefers the
/// last of equally good candidates). Entries only ever become used, so the
/// cursor only moves backwards: every list is walked once in all.
#[derive(Default)]
struct BackQueue {
    items: Vec<usize>,
}

impl BackQueue {
    fn last_unused(&mut self, used: &[bool]) -> Option<usize> {
        while let Some(&i) = self.items.last() {
            if !used[i] {
                return Some(i);
            }
            self.items.pop();
        }
        None
    }
}

impl Chain {
    fn new(chain: &[CertificateDer<'_>]) -> Self {
        let parsed: Vec<Option<Certificate>> = chain
            .iter()
            .map(|d| Certificate::from_der(d.as_ref()).ok())
            .collect();
        let mut in_walk = vec![false; parsed.len()];
        let mut walk = vec![0];
        if let Some(first) = in_walk.first_mut() {
            *first = true;
        }
        if parsed.first().is_some_and(Option::is_some) {
            // Candidates by subject and subject key identifier (the preferred
            // match for the child's authority key identifier), and by subject.
            let mut by_key: HashMap<(&[u8], Option<&[u8]>), BackQueue> = HashMap::new();
            let mut by_name: HashMap<&[u8], BackQueue> = HashMap::new();
            for (i, c) in parsed.iter().enumerate() {
                let Some(c) = c else { continue };
                by_key
                    .entry((c.subject_der(), c.subject_key_id()))
                    .or_default()
                    .items
                    .push(i);
                by_name.entry(c.subject_der()).or_default().items.push(i);
            }
            while let Some(cur) = walk.last().and_then(|i| parsed[*i].as_ref()) {
                if cur.is_self_issued() {
                    break;
                }
                let issuer = cur.issuer_der();
                let next = by_key
                    .get_mut(&(issuer, cur.authority_key_id()))
                    .and_then(|q| q.last_unused(&in_walk))
                    .or_else(|| by_name.get_mut(issuer)?.last_unused(&in_walk));
                match next {
                    Some(j) => {
                        walk.push(j);
                        in_walk[j] = true;
                    }
                    None => break,
                }
            }
        }
        Self {
            parsed,
            walk,
            in_walk,
        }
    }

    fn cert(&self, pos: usize) -> Option<&Certificate> {
        self.parsed.get(pos).and_then(Option::as_ref)
    }

    fn cref(&self, pos: usize) -> Option<CertRef> {
        let role = if pos == 0 {
            Role::Leaf
        } else {
            Role::Intermediate
        };
        self.cert(pos).map(|c| CertRef::new(c, Some(pos), role))
    }

    /// The walk's certificates, leaf first.
    fn walked(&self) -> impl Iterator<Item = (usize, &Certificate)> {
        self.walk
            .iter()
            .filter_map(|&i| self.cert(i).map(|c| (i, c)))
    }

    /// Every parsed certificate, walk first, then the rest.
    fn all(&self) -> impl Iterator<Item = (usize, &Certificate)> {
        self.walked().chain(
            self.parsed
                .iter()
                .enumerate()
                .filter(|(i, _)| !self.in_walk[*i])
                .filter_map(|(i, c)| c.as_ref().map(|c| (i, c))),
        )
    }
}

pub(super) fn malformed(
    chain: &[CertificateDer<'_>],
    pos: usize,
    error: &webpki::Error,
) -> Diagnosis {
    let which = if pos == 0 {
        "the leaf"
    } else {
        "a presented certificate"
    };
    let mut d = Diagnosis::new(
        DiagnosisKind::Malformed,
        format!("{which} (position {pos}) cannot be parsed: {error:?}"),
        "check what the peer sends: the certificate is corrupt, truncated or not X.509",
    );
    if let Some(c) = chain
        .get(pos)
        .and_then(|d| Certificate::from_der(d.as_ref()).ok())
    {
        d = d.cert(CertRef::new(
            &c,
            Some(pos),
            if pos == 0 {
                Role::Leaf
            } else {
                Role::Intermediate
            },
        ));
    }
    d.detail = Some(format!("{error:?}"));
    d
}

pub(super) fn name_mismatch(leaf: &Certificate, miss: NameMismatch) -> Diagnosis {
    let mut hint = format!(
        "the peer's certificate must carry '{}' ({} rule); have it reissued, or correct the configured name",
        miss.expected, miss.rule
    );
    if let (true, Some(nearest)) = (miss.near_miss, &miss.nearest) {
        hint = format!(
            "'{}' is one or two characters away from the presented '{nearest}': check the configured name for a typo",
            miss.expected
        );
    }
    if let Some(alias) = &miss.alias {
        hint = format!(
            "the certificate presents '{}', a known alias ({}); the configured name is '{}'",
            alias.name, alias.note, miss.expected
        );
    }
    let mut d = Diagnosis::new(
        DiagnosisKind::NameMismatch,
        format!(
            "the certificate is not valid for '{}': {miss}",
            miss.expected
        ),
        hint,
    )
    .cert(CertRef::new(leaf, Some(0), Role::Leaf));
    d.expected = Some(miss.expected.clone());
    d.found = Some(presented_names(&miss));
    if !miss.notes.is_empty() {
        d.detail = Some(miss.notes.join("; "));
    }
    d.name_mismatch = Some(miss);
    d
}

fn presented_names(miss: &NameMismatch) -> String {
    let mut parts = Vec::new();
    if !miss.presented_dns.is_empty() {
        parts.push(format!("DNS SANs [{}]", miss.presented_dns.join(", ")));
    }
    if !miss.presented_ips.is_empty() {
        let ips: Vec<String> = miss.presented_ips.iter().map(ToString::to_string).collect();
        parts.push(format!("IP SANs [{}]", ips.join(", ")));
    }
    if let Some(cn) = &miss.presented_cn {
        parts.push(format!("CN '{cn}'"));
    }
    if parts.is_empty() {
        "no names".to_string()
    } else {
        parts.join("; ")
    }
}

/// The diagnosis for `ctx.error`: a dispatcher, one function per kind of failure.
pub(super) fn explain(ctx: &Context<'_>) -> Diagnosis {
    use webpki::Error as E;
    let chain = Chain::new(ctx.chain);
    let mut d = match &ctx.error {
        E::UnknownIssuer => unknown_issuer(ctx, &chain),
        E::CertExpired { .. } => validity(ctx, &chain, true),
        E::CertNotValidYet { .. } => validity(ctx, &chain, false),
        E::InvalidSignatureForPublicKey if issuer_key_differs(ctx, &chain) => {
            unknown_issuer(ctx, &chain)
        }
        E::InvalidSignatureForPublicKey => bad_signature(&chain),
        #[allow(deprecated)]
        E::UnsupportedSignatureAlgorithm
        | E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKey
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
        | E::SignatureAlgorithmMismatch => weak_signature(ctx, &chain),
        #[allow(deprecated)]
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) | E::EmptyEkuExtension => {
            missing_eku(ctx, &chain)
        }
        E::CertRevoked => revoked(ctx, &chain),
        E::UnknownRevocationStatus => revocation_unknown(ctx, &chain),
        E::CrlExpired { next_update, .. } => crl_expired(*next_update),
        #[allow(deprecated)]
        E::InvalidCrlSignatureForPublicKey
        | E::IssuerNotCrlSigner
        | E::UnsupportedCrlSignatureAlgorithm
        | E::UnsupportedCrlSignatureAlgorithmContext(_)
        | E::UnsupportedCrlSignatureAlgorithmForPublicKey
        | E::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_)
        | E::UnsupportedIndirectCrl
        | E::UnsupportedDeltaCrl
        | E::UnsupportedCrlIssuingDistributionPoint
        | E::UnsupportedRevocationReasonsPartitioning
        | E::InvalidCrlNumber
        | E::UnsupportedCrlVersion
        | E::UnsupportedRevocationReason => crl_unusable(),
        E::MaximumPathDepthExceeded | E::PathLenConstraintViolated => path_too_long(ctx, &chain),
        E::EndEntityUsedAsCa => issuer_not_ca(&chain),
        E::CaUsedAsEndEntity => ca_as_leaf(&chain),
        E::NameConstraintViolation => name_constraints(&chain),
        E::CertDistrusted => distrusted(&chain),
        E::UnsupportedCertVersion | E::UnsupportedCriticalExtension => unsupported(&chain),
        E::MaximumSignatureChecksExceeded
        | E::MaximumPathBuildCallsExceeded
        | E::MaximumNameConstraintComparisonsExceeded => too_complex(),
        E::BadDer
        | E::BadDerTime
        | E::TrailingData(_)
        | E::MalformedExtensions
        | E::ExtensionValueInvalid
        | E::InvalidCertValidity
        | E::InvalidSerialNumber
        | E::MalformedDnsIdentifier
        | E::MalformedNameConstraint
        | E::InvalidNetworkMaskConstraint => {
            let pos = chain.parsed.iter().position(Option::is_none).unwrap_or(0);
            malformed(ctx.chain, pos, &ctx.error)
        }
        other => unexplained(other),
    };
    if d.detail.is_none() {
        d.detail = Some(format!("{:?}", ctx.error));
    }
    d
}

/// `d` about the leaf, when the leaf parses.
fn about_leaf(d: Diagnosis, chain: &Chain) -> Diagnosis {
    match chain.cref(0) {
        Some(c) => d.cert(c),
        None => d,
    }
}

fn bad_signature(chain: &Chain) -> Diagnosis {
    about_leaf(
        Diagnosis::new(
            DiagnosisKind::BadSignature,
            "a signature in the chain does not verify with its issuer's public key",
            "the certificate was altered, or the CA in the store is another CA with the same name: compare SHA-256 fingerprints with the peer's administrator",
        ),
        chain,
    )
}

fn crl_expired(next_update: UnixTime) -> Diagnosis {
    Diagnosis::new(
        DiagnosisKind::RevocationUnknown,
        format!(
            "a CRL is past its nextUpdate ({})",
            format_time(next_update)
        ),
        "fetch a current CRL from the CA's distribution point",
    )
}

fn crl_unusable() -> Diagnosis {
    Diagnosis::new(
        DiagnosisKind::RevocationUnknown,
        "a given CRL cannot be used to decide revocation",
        "supply the CRL published by the issuing CA itself (a direct, complete CRL)",
    )
}

fn path_too_long(ctx: &Context<'_>, chain: &Chain) -> Diagnosis {
    about_leaf(
        Diagnosis::new(
            DiagnosisKind::PathTooLong,
            format!(
                "the path is longer than allowed (policy maximum {} certificates, or a CA's pathLenConstraint)",
                ctx.policy.max_depth()
            ),
            "trust a CA closer to the leaf, or raise the policy's maximum depth if the chain is legitimate",
        ),
        chain,
    )
}

fn issuer_not_ca(chain: &Chain) -> Diagnosis {
    let culprit = chain
        .walked()
        .skip(1)
        .find(|(_, c)| !c.is_ca())
        .map(|(i, _)| i);
    let mut d = Diagnosis::new(
        DiagnosisKind::IssuerNotCa,
        "a certificate that issues another is not a CA (basicConstraints)",
        "the peer sends a wrong intermediate: it must send its CA certificates, not another leaf",
    );
    if let Some(c) = culprit.and_then(|i| chain.cref(i)) {
        d.message = format!("'{}' issues another certificate but is not a CA", c.subject);
        d = d.cert(c);
    }
    d
}

fn ca_as_leaf(chain: &Chain) -> Diagnosis {
    about_leaf(
        Diagnosis::new(
            DiagnosisKind::CaAsLeaf,
            "the presented leaf is a CA certificate",
            "the peer must present its own (end-entity) certificate first",
        ),
        chain,
    )
}

fn name_constraints(chain: &Chain) -> Diagnosis {
    about_leaf(
        Diagnosis::new(
            DiagnosisKind::NameConstraintViolation,
            "a CA's name constraints do not permit the leaf's names",
            "the CA is not allowed to issue for these names; use a certificate from a CA that may",
        ),
        chain,
    )
}

fn distrusted(chain: &Chain) -> Diagnosis {
    about_leaf(
        Diagnosis::new(
            DiagnosisKind::Distrusted,
            "a certificate of the chain is on webpki's distrust list",
            "replace the certificate with one from a CA that is trusted today",
        ),
        chain,
    )
}

fn unsupported(chain: &Chain) -> Diagnosis {
    // Name the certificate and the critical extension webpki does not
    // process, when one of the walk has one.
    if let Some((pos, what)) = critical_extension(chain) {
        let mut d = Diagnosis::new(
            DiagnosisKind::Unsupported,
            format!("the certificate has {what}, which path validation does not process (RFC 5280 4.2: a critical extension that is not understood refuses the certificate)"),
            "have the CA reissue the certificate without the extension, or with it marked non-critical where RFC 5280 allows that",
        );
        if let Some(c) = chain.cref(pos) {
            d = d.cert(c);
        }
        return d;
    }
    about_leaf(
        Diagnosis::new(
            DiagnosisKind::Unsupported,
            "a certificate has an unsupported version or critical extension",
            "use certificates that follow RFC 5280 (v3, no unknown critical extensions)",
        ),
        chain,
    )
}

/// The first certificate of the walk with a critical extension webpki does
/// not process, and that extension.
fn critical_extension(chain: &Chain) -> Option<(usize, String)> {
    chain
        .walked()
        .find_map(|(i, c)| super::profile::unsupported_critical(c).map(|what| (i, what)))
}

fn too_complex() -> Diagnosis {
    Diagnosis::new(
        DiagnosisKind::TooComplex,
        "building a path took more work than allowed (many candidate issuers)",
        "the peer should send only the certificates of its own chain",
    )
}

fn unexplained(error: &webpki::Error) -> Diagnosis {
    Diagnosis::new(
        DiagnosisKind::Other,
        format!("the chain was refused: {error}"),
        "see the detail; this failure has no specific explanation yet",
    )
}

fn unknown_issuer(ctx: &Context<'_>, chain: &Chain) -> Diagnosis {
    let Some(&top_pos) = chain.walk.last() else {
        return Diagnosis::new(
            DiagnosisKind::UnknownCa,
            "unknown issuer",
            "add the issuing CA to the trust store",
        );
    };
    let Some(top) = chain.cert(top_pos) else {
        return malformed(ctx.chain, top_pos, &webpki::Error::BadDer);
    };
    let cref = chain.cref(top_pos).expect("top of the walk is parsed");
    let issuer_name = display_issuer(top);
    let usage = ctx.policy.usage();
    let (anchor_name, key_id) = if top.is_self_issued() {
        (top.subject_der(), top.subject_key_id())
    } else {
        (top.issuer_der(), top.authority_key_id())
    };
    if let Some(refused) = ctx.store.refused_for_usage(anchor_name, key_id, usage) {
        return usage_refused(refused, usage).cert(cref);
    }
    if top.is_self_issued() {
        return Diagnosis::new(
            DiagnosisKind::UnknownCa,
            format!(
                "the chain ends at the self-signed root '{}', which is not in the trust store",
                top.display_name()
            ),
            format!(
                "if you trust it, add the CA '{}' to the trust store",
                top.display_name()
            ),
        )
        .cert(cref)
        .expected_found(
            "a root in the trust store",
            format!("root with SHA-256 {}", top.fingerprint()),
        );
    }
    let same_name: Vec<_> = ctx
        .store
        .anchors_with_subject(top.issuer_der())
        .filter(|a| a.is_trusted_for(usage))
        .collect();
    if let Some(other) = same_name.first() {
        return Diagnosis::new(
            DiagnosisKind::UnknownCa,
            format!(
                "'{}' was issued by '{issuer_name}'; the store has a CA with that name (from {}) but it did not sign this certificate",
                top.display_name(),
                other.provenance()
            ),
            format!("add the CA '{issuer_name}' that actually issued it; check its SHA-256 with the peer's administrator"),
        )
        .cert(cref)
        .expected_found(format!("issuer '{issuer_name}' with the issuing key"), format!("a CA '{issuer_name}' with another key"));
    }
    let rejected = ctx
        .store
        .rejected_with_subject(top.issuer_der())
        .next()
        .map(|r| {
            format!(
                " (a CA with that name in {} was not added: {})",
                r.provenance, r.reason
            )
        })
        .unwrap_or_default();
    if top_pos == 0 {
        Diagnosis::new(
            DiagnosisKind::IncompleteChain,
            format!(
                "incomplete chain: issuer '{issuer_name}' was not presented and is not in the trust store{rejected}"
            ),
            format!(
                "configure the peer to send its intermediate certificate '{issuer_name}' (an Expressway sends it only when it is in its own trusted CA list), or add the CA '{issuer_name}' and its root to the trust store"
            ),
        )
        .cert(cref)
        .expected_found(format!("issuer '{issuer_name}'"), "only the leaf was presented")
    } else {
        Diagnosis::new(
            DiagnosisKind::UnknownCa,
            format!(
                "the chain leads to '{issuer_name}', which is not in the trust store{rejected}"
            ),
            format!("add the CA '{issuer_name}' to the trust store"),
        )
        .cert(cref)
        .expected_found(
            format!("CA '{issuer_name}' in the trust store"),
            "not present",
        )
    }
}

/// True when the top of the walk names, by authorityKeyIdentifier, a key that no
/// store CA of that name has: a different CA with the same name, not tampering.
fn issuer_key_differs(ctx: &Context<'_>, chain: &Chain) -> bool {
    let Some(top) = chain.walk.last().and_then(|i| chain.cert(*i)) else {
        return false;
    };
    let Some(aki) = top.authority_key_id() else {
        return false;
    };
    let usage = ctx.policy.usage();
    let mut same_name = ctx
        .store
        .anchors_with_subject(top.issuer_der())
        .filter(|a| a.is_trusted_for(usage))
        .peekable();
    same_name.peek().is_some() && same_name.all(|a| a.certificate().subject_key_id() != Some(aki))
}

/// The store holds the CA, but its trust settings keep it from `usage`.
fn usage_refused(anchor: &Anchor, usage: Usage) -> Diagnosis {
    let eku = match usage {
        Usage::ServerAuth => "serverAuth",
        Usage::ClientAuth => "clientAuth",
    };
    let name = anchor.certificate().display_name();
    let settings = anchor.trust_settings();
    Diagnosis::new(
        DiagnosisKind::UnknownCa,
        format!(
            "the chain leads to '{name}', which is in the trust store (from {}) but whose trust settings do not allow {eku}: {settings}",
            anchor.provenance()
        ),
        format!(
            "the store's entry for '{name}' (an OpenSSL TRUSTED CERTIFICATE) says not to trust it for {eku}; if it should be, re-create the entry without the restriction (openssl x509 -addtrust {eku}, without -addreject {eku})"
        ),
    )
    .expected_found(
        format!("CA '{name}' trusted for {eku}"),
        format!("CA '{name}' {settings}"),
    )
}

fn display_issuer(cert: &Certificate) -> String {
    // The CN of the issuer, from the RFC 4514 string.
    cert.issuer()
        .split(',')
        .find_map(|part| part.trim().strip_prefix("CN="))
        .map(str::to_string)
        .unwrap_or_else(|| cert.issuer().to_string())
}

fn validity(ctx: &Context<'_>, chain: &Chain, expired: bool) -> Diagnosis {
    let at = ctx.at;
    let culprit = chain.all().find(|(_, c)| {
        if expired {
            c.not_after() < at
        } else {
            c.not_before() > at
        }
    });
    let (kind, what) = if expired {
        (DiagnosisKind::Expired, "expired")
    } else {
        (DiagnosisKind::NotYetValid, "is not valid yet")
    };
    let Some((pos, cert)) = culprit else {
        return Diagnosis::new(
            kind,
            format!("a certificate of the chain {what}"),
            "check the certificate dates and this host's clock",
        );
    };
    let (message, hint, expected, found) = if expired {
        (
            format!(
                "'{}' expired at {} (validation time {})",
                cert.display_name(),
                format_time(cert.not_after()),
                format_time(at)
            ),
            if pos == 0 {
                "renew the peer's certificate".to_string()
            } else {
                format!(
                    "the peer must send the current intermediate instead of the expired '{}'",
                    cert.display_name()
                )
            },
            format!("valid at {}", format_time(at)),
            format!("notAfter {}", format_time(cert.not_after())),
        )
    } else {
        (
            format!(
                "'{}' is valid only from {} (validation time {})",
                cert.display_name(),
                format_time(cert.not_before()),
                format_time(at)
            ),
            "check this host's clock (NTP), and the dates of the peer's certificate".to_string(),
            format!("valid at {}", format_time(at)),
            format!("notBefore {}", format_time(cert.not_before())),
        )
    };
    Diagnosis::new(kind, message, hint)
        .cert(chain.cref(pos).expect("culprit is parsed"))
        .expected_found(expected, found)
}

fn weak_signature(ctx: &Context<'_>, chain: &Chain) -> Diagnosis {
    let weak = chain
        .all()
        .find(|(_, c)| matches!(c.signature_hash(), SignatureHash::Sha1 | SignatureHash::Md5));
    match weak {
        Some((pos, cert)) => {
            let hash = if cert.signature_hash() == SignatureHash::Md5 {
                "MD5"
            } else {
                "SHA-1"
            };
            let hint = if hash == "SHA-1" && ctx.policy.sha1() == Sha1Policy::Reject {
                "have the certificate reissued with SHA-256; if you must accept it meanwhile, set the SHA-1 policy to warn"
            } else {
                "have the certificate reissued with SHA-256"
            };
            Diagnosis::new(
                DiagnosisKind::WeakSignature,
                format!(
                    "'{}' is signed with {hash}, which the policy does not accept",
                    cert.display_name()
                ),
                hint,
            )
            .cert(chain.cref(pos).expect("parsed"))
            .expected_found("SHA-256 or stronger", hash)
        }
        None => {
            let mut d = Diagnosis::new(
                DiagnosisKind::WeakSignature,
                "a certificate uses a signature algorithm or key that is not supported",
                "use RSA (2048 bits or more) or ECDSA P-256/P-384 with SHA-256 or stronger",
            );
            if let Some(c) = chain.cref(0) {
                d = d.cert(c);
            }
            d
        }
    }
}

fn missing_eku(ctx: &Context<'_>, chain: &Chain) -> Diagnosis {
    let (needed, oid) = match ctx.policy.usage() {
        Usage::ServerAuth => ("serverAuth", OID_EKU_SERVER_AUTH.to_string()),
        Usage::ClientAuth => ("clientAuth", OID_EKU_CLIENT_AUTH.to_string()),
    };
    let lacks = |c: &Certificate| {
        c.extended_key_usage()
            .is_some_and(|list| !list.contains(&oid))
    };
    let culprit = chain
        .walked()
        .find(|(_, c)| lacks(c))
        .or_else(|| chain.walked().next());
    let hint = match (ctx.policy.usage(), ctx.policy.eku_mode()) {
        (Usage::ClientAuth, EkuMode::Strict) => "the client certificate lacks clientAuth (public CAs stop adding it to server certificates in 2026): have it reissued with clientAuth, or set the EKU mode to accept serverAuth-only client certificates during the transition",
        (Usage::ClientAuth, EkuMode::AcceptServerAuthOnly) => "the client certificate has neither clientAuth nor serverAuth: have it reissued for TLS",
        (Usage::ServerAuth, _) => "have the certificate reissued with the serverAuth extended key usage",
    };
    let found = culprit
        .and_then(|(_, c)| c.extended_key_usage())
        .map(|l| l.iter().map(|o| eku_name(o)).collect::<Vec<_>>().join(", "))
        .unwrap_or_else(|| "an empty EKU extension".into());
    let mut d = Diagnosis::new(
        DiagnosisKind::MissingEku,
        format!("the certificate may not be used for {needed}"),
        hint,
    )
    .expected_found(needed, found);
    if let Some((pos, _)) = culprit {
        d = d.cert(chain.cref(pos).expect("parsed"));
    }
    d
}

fn eku_name(oid: &str) -> String {
    match oid {
        "1.3.6.1.5.5.7.3.1" => "serverAuth".into(),
        "1.3.6.1.5.5.7.3.2" => "clientAuth".into(),
        "1.3.6.1.5.5.7.3.3" => "codeSigning".into(),
        "1.3.6.1.5.5.7.3.4" => "emailProtection".into(),
        "1.3.6.1.5.5.7.3.8" => "timeStamping".into(),
        "1.3.6.1.5.5.7.3.9" => "OCSPSigning".into(),
        other => other.to_string(),
    }
}

/// The policy's CRLs by issuer (DER), so that looking up the CRLs of each
/// certificate of a long walk costs one probe, not a scan of every CRL.
fn crls_by_issuer(crls: &[Crl]) -> HashMap<&[u8], Vec<&Crl>> {
    let mut by_issuer: HashMap<&[u8], Vec<&Crl>> = HashMap::new();
    for crl in crls {
        by_issuer.entry(crl.list.issuer()).or_default().push(crl);
    }
    by_issuer
}

fn revoked(ctx: &Context<'_>, chain: &Chain) -> Diagnosis {
    let by_issuer = crls_by_issuer(ctx.policy.crls());
    // Only current CRLs decide (see the revocation stage).
    let hit = chain.walked().find(|(_, c)| {
        by_issuer.get(c.issuer_der()).is_some_and(|crls| {
            crls.iter().any(|crl| {
                super::revocation::is_current(crl, ctx.at) && crl.lists(c.issuer_der(), c.serial())
            })
        })
    });
    let mut d = Diagnosis::new(
        DiagnosisKind::Revoked,
        "a certificate of the chain is revoked by its CA",
        "the peer must replace the revoked certificate",
    );
    if let Some((pos, cert)) = hit {
        d.message = format!(
            "'{}' (serial {}) is revoked by its CA",
            cert.display_name(),
            crate::cert::hex(cert.serial())
        );
        d = d.cert(chain.cref(pos).expect("parsed"));
    }
    d
}

fn revocation_unknown(ctx: &Context<'_>, chain: &Chain) -> Diagnosis {
    fn from<'a>(
        by_issuer: &'a HashMap<&[u8], Vec<&'a Crl>>,
        c: &Certificate,
    ) -> impl Iterator<Item = &'a Crl> + 'a {
        by_issuer
            .get(c.issuer_der())
            .into_iter()
            .flat_map(|crls| crls.iter().copied())
    }
    let by_issuer = crls_by_issuer(ctx.policy.crls());
    let crls = &by_issuer;
    // The first certificate of the walk without a current CRL from its issuer.
    let missing = chain
        .walked()
        .find(|(_, c)| !from(crls, c).any(|crl| super::revocation::is_current(crl, ctx.at)));
    let mut d = Diagnosis::new(
        DiagnosisKind::RevocationUnknown,
        "the revocation status of a certificate is unknown: no CRL from its issuer was given",
        "supply the issuer's CRL (its CRL distribution point must be reachable), or allow unknown status in the policy",
    );
    if let Some((pos, cert)) = missing {
        let issuer = display_issuer(cert);
        // A CRL from the issuer that is not current yet counts as absent.
        let future = from(crls, cert).map(|crl| crl.this_update()).min();
        match future {
            Some(this_update) => {
                d.message = format!(
                    "the only CRL from '{issuer}' is not current: its thisUpdate {} is after the validation time {}, so the status of '{}' is unknown",
                    format_time(this_update),
                    format_time(ctx.at),
                    cert.display_name()
                );
                d.hint = format!("check this host's clock (NTP) and the CRL's dates; supply a current CRL of '{issuer}', or allow unknown status in the policy");
                d = d.expected_found(
                    format!(
                        "a CRL from '{issuer}' issued at or before {}",
                        format_time(ctx.at)
                    ),
                    format!("thisUpdate {}", format_time(this_update)),
                );
            }
            None => {
                d.message = format!(
                    "no CRL from '{issuer}' was given, so the status of '{}' is unknown",
                    cert.display_name()
                );
                d.hint = format!("supply the CRL of '{issuer}' (its CRL distribution point must be reachable), or allow unknown status in the policy");
            }
        }
        d = d.cert(chain.cref(pos).expect("parsed"));
    }
    d
}
