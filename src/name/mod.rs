//! Identity rules: does a certificate carry the name we expect, and by which field?
//!
//! Three rules, each a documented deviation or not from RFC 6125:
//!
//! | rule | fields | source |
//! |---|---|---|
//! | [`RuleKind::San`] | DNS and IP SANs only | RFC 6125, CA/Browser Forum; Expressway outbound "must be in the SAN" |
//! | [`RuleKind::SanThenCn`] | `sip:` URI SANs; DNS SANs only when there is no `sip:` URI SAN; IP SANs; the CN only when there is no subjectAltName at all | RFC 5922 7.1 (SIP) |
//! | [`RuleKind::CnOrSan`] | the CN, DNS and IP SANs | Expressway's *TLS verify inbound mapping* |
//!
//! Only the reference name is normalised: U-labels become A-labels (IDNA),
//! upper case becomes lower case, one trailing dot is dropped. A presented
//! name (a DNS SAN, the host of a `sip:` URI SAN, the CN) is compared as it
//! is: ASCII only, ASCII case-folded, byte for byte. A presented name with
//! any non-ASCII character (fullwidth letters, `。` as a dot, a soft hyphen,
//! a zero-width space, a U-label) never matches; an internationalized name
//! must be presented as its A-label (`xn--...`), which then compares as
//! ASCII. A presented name that ends with a dot (`example.com.`) never
//! matches under any rule (RFC 5280 and the CA/Browser Forum forbid it, and
//! webpki refuses it). A CN holding NUL or other control characters never
//! matches. Each refusal is a note of the [`NameMismatch`].
//!
//! `sip:` URI SANs (RFC 5922 7.1) count under [`RuleKind::SanThenCn`] only:
//! the URI must have the `sip` scheme (`sips:` is not a domain identity) and
//! no user part (`sip:alice@example.com` names a user); its host, without
//! port or parameters, must equal the reference (no wildcards). The other
//! rules do not read URI SANs.

mod matching;

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::cert::Certificate;
use crate::error::Error;
use crate::text::escape_untrusted;

/// The names a certificate presents, as the matcher reads them.
pub(crate) trait Presented {
    /// DNS SANs as presented.
    fn presented_dns(&self) -> &[String];
    /// IP SANs.
    fn presented_ips(&self) -> &[IpAddr];
    /// URI SANs as presented.
    fn presented_uris(&self) -> &[String];
    /// True when the certificate has a subjectAltName extension at all.
    fn presented_has_san(&self) -> bool;
    /// The first subject CN and whether it is clean (may decode on demand).
    fn presented_cn(&self) -> Option<(String, bool)>;
    /// The certificate's DER, for webpki's own name check.
    fn presented_der(&self) -> &[u8];
}

impl Presented for Certificate {
    fn presented_dns(&self) -> &[String] {
        self.dns_names()
    }
    fn presented_ips(&self) -> &[IpAddr] {
        self.ip_addresses()
    }
    fn presented_uris(&self) -> &[String] {
        self.uris()
    }
    fn presented_has_san(&self) -> bool {
        self.has_subject_alt_name()
    }
    fn presented_cn(&self) -> Option<(String, bool)> {
        self.common_name()
            .map(|cn| (cn.to_string(), self.common_name_is_clean()))
    }
    fn presented_der(&self) -> &[u8] {
        self.der().as_ref()
    }
}

/// Which certificate fields an [`IdentityRule`] looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// DNS and IP subjectAltNames only (RFC 6125).
    San,
    /// RFC 5922 7.1: `sip:` URI SANs; DNS SANs only when there is no `sip:`
    /// URI SAN; IP SANs; the subject CN only when the certificate has no
    /// subjectAltName at all.
    SanThenCn,
    /// The subject CN, a DNS SAN or an IP SAN (Expressway inbound mapping).
    CnOrSan,
}

impl fmt::Display for RuleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RuleKind::San => "SAN",
            RuleKind::SanThenCn => "SAN, then CN",
            RuleKind::CnOrSan => "CN or SAN",
        })
    }
}

/// How a wildcard in a presented name is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WildcardMode {
    /// Wildcards never match: the exact name must be presented. The default
    /// for zones, because Expressway's wildcard behaviour is undocumented.
    Disallowed,
    /// RFC 6125 / CA/Browser Forum: `*` as the whole left-most label matches
    /// exactly one label (`*.webex.com` matches `callservice.webex.com`, not
    /// `webex.com` nor `a.b.webex.com`); `*.com` and `f*o.example.com` never match.
    /// The default for host-name rules.
    LeftmostLabel,
}

/// The name a rule expects: a DNS name (stored as a lower-case A-label) or an IP address.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ReferenceName {
    /// A DNS name, lower-case ASCII (A-labels for internationalized names), no trailing dot.
    Dns(String),
    /// An IP address.
    Ip(IpAddr),
}

impl ReferenceName {
    /// Parses an IP address or a DNS name (U-labels are converted to A-labels).
    ///
    /// ```
    /// use hybridtrust::ReferenceName;
    /// assert_eq!(ReferenceName::parse("CallService.Webex.com.").unwrap(),
    ///            ReferenceName::Dns("callservice.webex.com".into()));
    /// assert!(ReferenceName::parse("*.webex.com").is_err());
    /// ```
    pub fn parse(name: &str) -> Result<Self, Error> {
        let invalid = |reason: &str| Error::InvalidName {
            name: name.to_string(),
            reason: reason.to_string(),
        };
        let trimmed = name.trim();
        if let Ok(ip) = trimmed.parse::<IpAddr>() {
            return Ok(Self::Ip(ip));
        }
        if trimmed.is_empty() {
            return Err(invalid("empty"));
        }
        if trimmed.contains('*') {
            return Err(invalid("a reference name cannot hold a wildcard"));
        }
        if trimmed.chars().any(|c| c.is_control()) {
            return Err(invalid("holds control characters"));
        }
        let ascii = if trimmed.is_ascii() {
            trimmed.to_ascii_lowercase()
        } else {
            idna::domain_to_ascii(trimmed)
                .map_err(|_| invalid("not a valid internationalized domain name"))?
        };
        let ascii = ascii.strip_suffix('.').unwrap_or(&ascii).to_string();
        if ascii.ends_with('.') {
            // "name.." would keep a trailing dot (pki-types accepts one) and never match.
            return Err(invalid("ends with an empty label"));
        }
        pki_types::DnsName::try_from(ascii.as_str())
            .map_err(|_| invalid("not a valid DNS name"))?;
        if ascii
            .split('.')
            .all(|l| l.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(invalid("looks like an IP address but is not one"));
        }
        Ok(Self::Dns(ascii))
    }
}

impl fmt::Display for ReferenceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReferenceName::Dns(d) => f.write_str(d),
            ReferenceName::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

/// A name that is known to stand for the same peer, with a note for the admin
/// (e.g. `sip.webex.com`, the Webex cloud's SIP TLS authentication name).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NameAlias {
    /// The alias, lower-case.
    pub name: String,
    /// Why it is known.
    pub note: String,
}

/// An expected identity and the rule that checks it.
///
/// ```
/// # let leaf = hybridtrust::doc_support::example_leaf();
/// use hybridtrust::{IdentityRule, MatchedName};
/// let rule = IdentityRule::san("callservice.webex.com").unwrap();
/// let hit = rule.check(&leaf).unwrap();
/// assert_eq!(hit.matched, MatchedName::DnsSan("callservice.webex.com".into()));
///
/// let typo = IdentityRule::san("calllservice.webex.com").unwrap();
/// let miss = typo.check(&leaf).unwrap_err();
/// assert!(miss.near_miss);
/// assert_eq!(miss.nearest.as_deref(), Some("callservice.webex.com"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdentityRule {
    kind: RuleKind,
    reference: ReferenceName,
    wildcards: WildcardMode,
    aliases: Vec<NameAlias>,
}

impl IdentityRule {
    /// A rule of `kind` for `name`; wildcards per RFC 6125.
    pub fn new(kind: RuleKind, name: &str) -> Result<Self, Error> {
        Ok(Self {
            kind,
            reference: ReferenceName::parse(name)?,
            wildcards: WildcardMode::LeftmostLabel,
            aliases: Vec::new(),
        })
    }
    /// [`RuleKind::San`] for `name`.
    pub fn san(name: &str) -> Result<Self, Error> {
        Self::new(RuleKind::San, name)
    }
    /// [`RuleKind::SanThenCn`] for `name`.
    pub fn san_then_cn(name: &str) -> Result<Self, Error> {
        Self::new(RuleKind::SanThenCn, name)
    }
    /// [`RuleKind::CnOrSan`] for `name`.
    pub fn cn_or_san(name: &str) -> Result<Self, Error> {
        Self::new(RuleKind::CnOrSan, name)
    }
    /// Sets how wildcards in presented names are treated.
    pub fn with_wildcards(mut self, mode: WildcardMode) -> Self {
        self.wildcards = mode;
        self
    }
    /// Adds a known alias that earns a hint on mismatch.
    pub fn with_alias(mut self, name: &str, note: &str) -> Self {
        self.aliases.push(NameAlias {
            name: name.to_ascii_lowercase(),
            note: note.to_string(),
        });
        self
    }
    /// The rule kind.
    pub fn kind(&self) -> RuleKind {
        self.kind
    }
    /// The expected name.
    pub fn reference(&self) -> &ReferenceName {
        &self.reference
    }
    /// The wildcard mode.
    pub fn wildcards(&self) -> WildcardMode {
        self.wildcards
    }
    /// The known aliases.
    pub fn aliases(&self) -> &[NameAlias] {
        &self.aliases
    }

    /// Checks `cert` against the rule: what matched, or why nothing did.
    pub fn check(&self, cert: &Certificate) -> Result<NameMatch, NameMismatch> {
        matching::check(self, cert)
    }

    pub(crate) fn check_presented(
        &self,
        names: &impl Presented,
    ) -> Result<NameMatch, NameMismatch> {
        matching::check(self, names)
    }
}

impl fmt::Display for IdentityRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} must match {}", self.reference, self.kind)
    }
}

/// The certificate field that satisfied a rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "field", content = "value", rename_all = "kebab-case")]
pub enum MatchedName {
    /// A DNS subjectAltName, as presented.
    DnsSan(String),
    /// A `sip:` URI subjectAltName whose host matched, as presented ([`RuleKind::SanThenCn`] only).
    UriSan(String),
    /// An IP subjectAltName.
    IpSan(IpAddr),
    /// The subject common name.
    CommonName(String),
}

impl fmt::Display for MatchedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MatchedName::DnsSan(n) => write!(f, "DNS SAN '{}'", escape_untrusted(n)),
            MatchedName::UriSan(u) => write!(f, "URI SAN '{}'", escape_untrusted(u)),
            MatchedName::IpSan(ip) => write!(f, "IP SAN {ip}"),
            MatchedName::CommonName(cn) => write!(f, "CN '{}'", escape_untrusted(cn)),
        }
    }
}

/// A successful identity check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameMatch {
    /// The rule that decided.
    pub rule: RuleKind,
    /// The expected name.
    pub expected: String,
    /// The field that matched.
    pub matched: MatchedName,
    /// True when the match went through a wildcard.
    pub wildcard: bool,
}

/// A failed identity check: what was expected, what was presented, the nearest name.
///
/// Every presented name here is safe to show: control, bidi and other
/// invisible characters are escaped ([`escape_untrusted`]); the raw names are
/// the certificate's ([`Certificate::dns_names`], [`Certificate::common_name`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameMismatch {
    /// The rule that decided.
    pub rule: RuleKind,
    /// The expected name.
    pub expected: String,
    /// DNS SANs presented (escaped).
    pub presented_dns: Vec<String>,
    /// IP SANs presented.
    pub presented_ips: Vec<IpAddr>,
    /// URI SANs presented (escaped); only [`RuleKind::SanThenCn`] reads them.
    pub presented_uris: Vec<String>,
    /// The subject CN presented (escaped).
    pub presented_cn: Option<String>,
    /// The usable presented name closest to the expected one, as it is
    /// compared (ASCII, lower case); refused names are not candidates.
    pub nearest: Option<String>,
    /// True when `nearest` is within two edits of the expected name (a likely typo).
    pub near_miss: bool,
    /// A known alias of the expected peer that the certificate presents.
    pub alias: Option<NameAlias>,
    /// Why candidate fields were not used (e.g. "the CN is ignored because
    /// the certificate has subjectAltNames", "wildcards are not accepted by
    /// this rule", "holds non-ASCII characters").
    pub notes: Vec<String>,
}

impl fmt::Display for NameMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected '{}' ({} rule); presented",
            escape_untrusted(&self.expected),
            self.rule
        )?;
        let mut any = false;
        if !self.presented_dns.is_empty() {
            let dns: Vec<Cow<'_, str>> = self
                .presented_dns
                .iter()
                .map(|d| escape_untrusted(d))
                .collect();
            write!(f, " DNS SANs [{}]", dns.join(", "))?;
            any = true;
        }
        if !self.presented_ips.is_empty() {
            let ips: Vec<String> = self.presented_ips.iter().map(|i| i.to_string()).collect();
            write!(f, " IP SANs [{}]", ips.join(", "))?;
            any = true;
        }
        if !self.presented_uris.is_empty() {
            let uris: Vec<Cow<'_, str>> = self
                .presented_uris
                .iter()
                .map(|u| escape_untrusted(u))
                .collect();
            write!(f, " URI SANs [{}]", uris.join(", "))?;
            any = true;
        }
        if let Some(cn) = &self.presented_cn {
            write!(f, " CN '{}'", escape_untrusted(cn))?;
            any = true;
        }
        if !any {
            write!(f, " no names")?;
        }
        Ok(())
    }
}
