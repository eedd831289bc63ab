//! What a verification requires: usage, EKU mode, time, CRLs, SHA-1, depth,
//! profile checks.

use std::sync::Arc;

use pki_types::UnixTime;
use serde::{Deserialize, Serialize};

use crate::cert::Fingerprint;
use crate::error::Error;
use crate::limits::Limits;
use crate::store::FindingKind;

/// The TLS role the verified certificate plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Usage {
    /// A TLS server's certificate (we are the client).
    ServerAuth,
    /// A TLS client's certificate in mutual TLS (we are the server).
    ClientAuth,
}

/// How strictly client certificates must carry the clientAuth EKU.
///
/// Public CAs stop issuing server certificates with clientAuth during 2026
/// (enforced by March 2027). Expressway X15.5 added "SIP TLS Certificate
/// ExtendedKeyUsage Checking Mode" for this: `On` is [`EkuMode::Strict`],
/// `Off` is close to [`EkuMode::AcceptServerAuthOnly`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EkuMode {
    /// Client certificates must allow clientAuth (no EKU extension, or one
    /// that lists clientAuth). The default.
    Strict,
    /// Also accept client certificates whose EKU lists serverAuth but not
    /// clientAuth; the result carries a warning. Any other EKU is still refused.
    AcceptServerAuthOnly,
}

/// What to do with SHA-1 signed certificates in a presented chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sha1Policy {
    /// Refuse them (the default for server authentication).
    Reject,
    /// Accept RSA/SHA-1 signatures with a warning (the default for client
    /// authentication, as Expressway still accepts a SHA-1 peer as a client).
    Warn,
    /// Accept RSA/SHA-1 signatures silently.
    Allow,
}

/// Which certificates revocation is checked for, when CRLs are given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevocationScope {
    /// Only the leaf.
    EndEntity,
    /// Every certificate of the path (the default).
    Chain,
}

/// What a missing CRL means for a certificate in scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnknownStatus {
    /// Fail: no CRL for an issuer in scope is a failure (the default, fail closed).
    Deny,
    /// Treat a certificate without a CRL as not revoked.
    Allow,
}

/// Whether the certificate profile checks (RFC 5280 MUSTs and CA/Browser
/// Forum rules that webpki leaves out) refuse a chain or only warn.
///
/// The same words on every surface: `strict`, `by-anchor-origin` (the
/// default), `lenient`.
///
/// ```
/// use hybridtrust::{Policy, ProfileChecks};
/// let policy = Policy::server_auth().with_profile_checks(ProfileChecks::Strict);
/// assert_eq!(policy.profile_checks(), ProfileChecks::Strict);
/// assert_eq!(Policy::server_auth().profile_checks(), ProfileChecks::ByAnchorOrigin);
/// assert_eq!("lenient".parse::<ProfileChecks>().unwrap(), ProfileChecks::Lenient);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileChecks {
    /// Every violated rule refuses the chain, whatever its anchor.
    Strict,
    /// The default. RFC 5280 rules that OpenSSL's default verification also
    /// enforces refuse every chain; the rules only strict verifiers enforce
    /// (`openssl verify -x509_strict`, pyca/cryptography: key identifiers,
    /// criticality, serial numbers, ...) and the CA/Browser Forum rules
    /// refuse chains that end at a public root (the embedded cloud CA set,
    /// the OS store, or any root of Mozilla's set) and are warnings on
    /// chains that end at a customer's own CA.
    #[default]
    ByAnchorOrigin,
    /// Every violation becomes a warning
    /// ([`WarningKind::ProfileViolationAccepted`](crate::WarningKind::ProfileViolationAccepted))
    /// on the verified result.
    Lenient,
}

impl ProfileChecks {
    /// Every setting, in the order of the documentation.
    pub const ALL: [ProfileChecks; 3] = [
        ProfileChecks::Strict,
        ProfileChecks::ByAnchorOrigin,
        ProfileChecks::Lenient,
    ];

    /// The stable name: `strict`, `by-anchor-origin` or `lenient`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileChecks::Strict => "strict",
            ProfileChecks::ByAnchorOrigin => "by-anchor-origin",
            ProfileChecks::Lenient => "lenient",
        }
    }
}

impl std::fmt::Display for ProfileChecks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ProfileChecks {
    type Err = Error;

    /// Parses `strict`, `by-anchor-origin` or `lenient` (exactly; anything
    /// else is an error, never a default).
    fn from_str(s: &str) -> Result<Self, Error> {
        ProfileChecks::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "unknown profile-checks setting {s:?} (expected strict, by-anchor-origin or lenient)"
                ))
            })
    }
}

/// A parsed certificate revocation list.
///
/// Besides webpki's own checks (version 2, a nextUpdate, no delta CRL, no
/// unsupported issuing distribution point, a crlNumber of at most 20 octets),
/// parsing enforces RFC 5280 section 5.2.3: a CRL must carry the crlNumber
/// extension, and it must be non-critical. A CRL that breaks this is refused
/// with [`Error::Parse`] (it never reaches a verification).
///
/// When a verification uses several CRLs from one issuer, any current CRL
/// that revokes a certificate revokes it; among the others, the newest by
/// crlNumber (then thisUpdate) decides. A CRL whose thisUpdate is after the
/// validation time is not current and is treated as absent for its issuer.
/// webpki checks each consulted CRL's signature, its issuer's keyUsage
/// (cRLSign when keyUsage is present) and, when the policy enforces it, its
/// nextUpdate.
#[derive(Debug)]
pub struct Crl {
    pub(crate) list: webpki::CertRevocationList<'static>,
    pub(crate) fingerprint: Fingerprint,
    pub(crate) next_update: Option<UnixTime>,
    pub(crate) this_update: UnixTime,
    /// The crlNumber's magnitude, big-endian, without leading zeros.
    pub(crate) crl_number: Vec<u8>,
}

/// id-ce-cRLNumber (RFC 5280 section 5.2.3).
const OID_CRL_NUMBER: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("2.5.29.20");

impl Crl {
    /// Parses every CRL in PEM text (`X509 CRL` blocks) or one DER CRL,
    /// within [`Limits::default`]; see [`Crl::parse_all_within`].
    pub fn parse_all(bytes: &[u8]) -> Result<Vec<Crl>, Error> {
        Self::parse_all_within(&Limits::default(), bytes)
    }

    /// Parses every CRL in PEM text (`X509 CRL` blocks) or one DER CRL.
    ///
    /// `bytes` may hold at most [`Limits::max_source_bytes`], at most
    /// [`Limits::max_crls`] CRL blocks and at most
    /// [`Limits::max_certificates_per_source`] PEM blocks in all; more is
    /// [`Error::LimitExceeded`] before any CRL is parsed (none is dropped
    /// silently). A block that is
    /// not a usable CRL is [`Error::Parse`]; other PEM blocks (a certificate
    /// beside the CRL) are skipped.
    ///
    /// ```
    /// let limits = hybridtrust::Limits { max_source_bytes: 4, ..Default::default() };
    /// let err = hybridtrust::Crl::parse_all_within(&limits, b"12345").unwrap_err();
    /// assert!(matches!(err, hybridtrust::Error::LimitExceeded { .. }));
    /// ```
    pub fn parse_all_within(limits: &Limits, bytes: &[u8]) -> Result<Vec<Crl>, Error> {
        if bytes.len() > limits.max_source_bytes {
            return Err(Error::LimitExceeded {
                what: "CRL input",
                limit: limits.max_source_bytes,
                actual: bytes.len(),
            });
        }
        if !crate::store::looks_like_pem(bytes) {
            Self::check_count(limits, 1)?;
            return Ok(vec![Self::from_der(bytes)?]);
        }
        fn crl(label: &str, der: Vec<u8>) -> Result<Vec<u8>, (FindingKind, String)> {
            match label {
                "X509 CRL" => Ok(der),
                other => Err((
                    FindingKind::NotACertificate,
                    format!("{other:?} is not a CRL"),
                )),
            }
        }
        let max_blocks = limits.max_certificates_per_source;
        let mut ders = Vec::new();
        for item in crate::store::split_pem(bytes, max_blocks, crl) {
            match item.content {
                Ok(der) => {
                    ders.push(der);
                    Self::check_count(limits, ders.len())?;
                }
                // Other blocks (a certificate beside the CRL) are not ours to read.
                Err((FindingKind::NotACertificate, _)) => {}
                // Too many blocks is an error, not a silent cut.
                Err((FindingKind::TooLarge, _)) => {
                    return Err(Error::LimitExceeded {
                        what: "PEM blocks in a CRL input",
                        limit: max_blocks,
                        actual: item.index + 1,
                    })
                }
                Err((_, message)) => {
                    return Err(Error::Parse(format!(
                        "CRL block #{}: {message}",
                        item.index
                    )))
                }
            }
        }
        if ders.is_empty() {
            return Err(Error::Parse("no X509 CRL block in the PEM text".into()));
        }
        ders.iter().map(|der| Self::from_der(der)).collect()
    }

    /// [`Error::LimitExceeded`] when `count` CRLs are more than
    /// [`Limits::max_crls`] (for callers that gather CRLs from several inputs).
    pub fn check_count(limits: &Limits, count: usize) -> Result<(), Error> {
        if count > limits.max_crls {
            return Err(Error::LimitExceeded {
                what: "CRLs",
                limit: limits.max_crls,
                actual: count,
            });
        }
        Ok(())
    }

    /// Parses one DER CRL; see [`Crl`] for what is refused.
    pub fn from_der(der: &[u8]) -> Result<Crl, Error> {
        let owned = webpki::BorrowedCertRevocationList::from_der(der)
            .and_then(|b| b.to_owned())
            .map_err(|e| Error::Parse(format!("not a usable CRL: {e:?}")))?;
        let parsed = <x509_cert::crl::CertificateList as der::Decode>::from_der(der)
            .map_err(|e| Error::Parse(format!("not a usable CRL: {e}")))?;
        let tbs = &parsed.tbs_cert_list;
        let mut numbers = tbs
            .crl_extensions
            .iter()
            .flatten()
            .filter(|e| e.extn_id == OID_CRL_NUMBER);
        let number =
            match (numbers.next(), numbers.next()) {
                (Some(ext), None) => ext,
                (None, _) => return Err(Error::Parse(
                    "not a usable CRL: it has no crlNumber extension (RFC 5280 5.2.3 requires one)"
                        .into(),
                )),
                (Some(_), Some(_)) => {
                    return Err(Error::Parse(
                        "not a usable CRL: it has more than one crlNumber extension".into(),
                    ))
                }
            };
        if number.critical {
            return Err(Error::Parse(
                "not a usable CRL: its crlNumber extension is marked critical (RFC 5280 5.2.3: non-critical)"
                    .into(),
            ));
        }
        let crl_number = <x509_cert::ext::pkix::CrlNumber as der::Decode>::from_der(
            number.extn_value.as_bytes(),
        )
        .map_err(|e| Error::Parse(format!("not a usable CRL: bad crlNumber: {e}")))?;
        let mut magnitude = crl_number.0.as_bytes();
        while let [0, rest @ ..] = magnitude {
            magnitude = rest;
        }
        let this_update = UnixTime::since_unix_epoch(tbs.this_update.to_unix_duration());
        let next_update = tbs
            .next_update
            .map(|t| UnixTime::since_unix_epoch(t.to_unix_duration()));
        Ok(Crl {
            list: webpki::CertRevocationList::from(owned),
            fingerprint: Fingerprint::of(der),
            next_update,
            this_update,
            crl_number: magnitude.to_vec(),
        })
    }

    /// The CRL's nextUpdate, when it has one.
    pub fn next_update(&self) -> Option<UnixTime> {
        self.next_update
    }

    /// The CRL's thisUpdate: before it, the CRL is not current.
    pub fn this_update(&self) -> UnixTime {
        self.this_update
    }

    /// The CRL's crlNumber, big-endian, without leading zero octets (empty for 0).
    pub fn crl_number(&self) -> &[u8] {
        &self.crl_number
    }

    /// SHA-256 of the CRL's DER.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// What orders CRLs of one issuer, newest greatest: crlNumber, then thisUpdate.
    pub(crate) fn recency(&self) -> (usize, &[u8], UnixTime) {
        (self.crl_number.len(), &self.crl_number, self.this_update)
    }

    /// True when this CRL is from `issuer` (DER, as webpki reads it) and
    /// lists `serial`; an entry that cannot be read counts as listed (the
    /// CRL then goes to webpki, which refuses it).
    pub(crate) fn lists(&self, issuer: &[u8], serial: &[u8]) -> bool {
        self.list.issuer() == issuer && !matches!(self.list.find_serial(serial), Ok(None))
    }
}

/// The requirements of one verification.
///
/// Build it from [`Policy::server_auth`] or [`Policy::client_auth`] and
/// refine it; it is cheap to clone.
///
/// ```
/// use hybridtrust::{Policy, EkuMode, Sha1Policy, parse_time};
/// let policy = Policy::client_auth()
///     .with_eku_mode(EkuMode::AcceptServerAuthOnly)
///     .with_time(parse_time("2026-06-01T00:00:00Z").unwrap())
///     .with_sha1(Sha1Policy::Reject);
/// assert_eq!(policy.sha1(), Sha1Policy::Reject);
/// ```
#[derive(Clone, Debug)]
pub struct Policy {
    pub(crate) usage: Usage,
    pub(crate) eku_mode: EkuMode,
    pub(crate) time: Option<UnixTime>,
    pub(crate) crls: Arc<Vec<Crl>>,
    pub(crate) revocation_scope: RevocationScope,
    pub(crate) unknown_status: UnknownStatus,
    pub(crate) enforce_crl_expiry: bool,
    pub(crate) sha1: Sha1Policy,
    pub(crate) max_depth: usize,
    pub(crate) expiry_warning_days: u32,
    pub(crate) mutual_tls: bool,
    pub(crate) limits: Limits,
    pub(crate) profile_checks: ProfileChecks,
}

impl Policy {
    /// Verify a server certificate: SHA-1 rejected, strict EKU, time = now.
    pub fn server_auth() -> Self {
        Self::new(Usage::ServerAuth, Sha1Policy::Reject)
    }
    /// Verify a client certificate (mutual TLS): strict clientAuth EKU,
    /// SHA-1 accepted with a warning, time = now.
    pub fn client_auth() -> Self {
        Self::new(Usage::ClientAuth, Sha1Policy::Warn)
    }
    /// The default policy for `usage`.
    pub fn for_usage(usage: Usage) -> Self {
        match usage {
            Usage::ServerAuth => Self::server_auth(),
            Usage::ClientAuth => Self::client_auth(),
        }
    }

    fn new(usage: Usage, sha1: Sha1Policy) -> Self {
        Self {
            usage,
            eku_mode: EkuMode::Strict,
            time: None,
            crls: Arc::new(Vec::new()),
            revocation_scope: RevocationScope::Chain,
            unknown_status: UnknownStatus::Deny,
            enforce_crl_expiry: true,
            sha1,
            max_depth: 8,
            expiry_warning_days: 30,
            mutual_tls: false,
            limits: Limits::default(),
            profile_checks: ProfileChecks::ByAnchorOrigin,
        }
    }

    /// Sets the usage (keeps the other settings).
    pub fn with_usage(mut self, usage: Usage) -> Self {
        self.usage = usage;
        self
    }
    /// Sets the EKU mode for client certificates.
    pub fn with_eku_mode(mut self, mode: EkuMode) -> Self {
        self.eku_mode = mode;
        self
    }
    /// Validates at `time` instead of now (fixed times make results reproducible).
    pub fn with_time(mut self, time: UnixTime) -> Self {
        self.time = Some(time);
        self
    }
    /// Checks revocation against these CRLs (replacing any set before).
    pub fn with_crls(mut self, crls: Vec<Crl>) -> Self {
        self.crls = Arc::new(crls);
        self
    }
    /// Which certificates revocation is checked for (default: the whole chain).
    pub fn with_revocation_scope(mut self, scope: RevocationScope) -> Self {
        self.revocation_scope = scope;
        self
    }
    /// What a missing CRL means (default: deny).
    pub fn with_unknown_status(mut self, status: UnknownStatus) -> Self {
        self.unknown_status = status;
        self
    }
    /// Whether a CRL past its nextUpdate is refused (default: true).
    pub fn with_crl_expiry_enforced(mut self, enforce: bool) -> Self {
        self.enforce_crl_expiry = enforce;
        self
    }
    /// Sets the SHA-1 policy.
    pub fn with_sha1(mut self, sha1: Sha1Policy) -> Self {
        self.sha1 = sha1;
        self
    }
    /// Most certificates in a verified path, leaf and anchor included (default 8, at least 2).
    pub fn with_max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth.max(2);
        self
    }
    /// Warn when a path certificate expires within this many days (default 30).
    pub fn with_expiry_warning_days(mut self, days: u32) -> Self {
        self.expiry_warning_days = days;
        self
    }
    /// The peer also authenticates to us as a client with the same certificate
    /// (Expressway <-> cloud SIP): warn when the leaf lacks clientAuth.
    pub fn with_mutual_tls(mut self, mutual: bool) -> Self {
        self.mutual_tls = mutual;
        self
    }
    /// Input limits (default [`Limits::default`]).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Whether profile violations refuse or warn (default
    /// [`ProfileChecks::ByAnchorOrigin`]).
    pub fn with_profile_checks(mut self, checks: ProfileChecks) -> Self {
        self.profile_checks = checks;
        self
    }

    /// The usage.
    pub fn usage(&self) -> Usage {
        self.usage
    }
    /// The EKU mode.
    pub fn eku_mode(&self) -> EkuMode {
        self.eku_mode
    }
    /// The fixed validation time, if any (`None` = now).
    pub fn time(&self) -> Option<UnixTime> {
        self.time
    }
    /// The CRLs.
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }
    /// The SHA-1 policy.
    pub fn sha1(&self) -> Sha1Policy {
        self.sha1
    }
    /// The maximum path length.
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }
    /// Whether mutual TLS is expected of the peer.
    pub fn mutual_tls(&self) -> bool {
        self.mutual_tls
    }
    /// The limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
    /// The profile-checks setting.
    pub fn profile_checks(&self) -> ProfileChecks {
        self.profile_checks
    }
}
