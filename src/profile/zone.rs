//! Zones: a subject name, the outbound and inbound identity rules, the EKU mode.

use pki_types::CertificateDer;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::name::{IdentityRule, NameAlias, ReferenceName, RuleKind, WildcardMode};
use crate::store::TrustStore;
use crate::verify::{verify, Diagnosis, EkuMode, Policy, ProfileChecks, Usage, Verified};

/// A zone as Expressway defines one: the peer's "TLS verify subject name",
/// how it is checked in each direction, and the EKU mode for mutual TLS.
///
/// * Outbound (we connect to the peer): the chain must be trusted for server
///   authentication and the name must be in a SAN ([`RuleKind::San`]).
/// * Inbound (the peer connects to us): a trusted client certificate whose
///   CN *or* SAN carries the name maps into the zone ([`RuleKind::CnOrSan`]);
///   otherwise the call falls into the Default Zone, it is not rejected.
///
/// ```
/// # let (store, chain, at) = hybridtrust::doc_support::example_store_chain_time();
/// use hybridtrust::{Inbound, Policy, Zone};
/// let zone = Zone::webex_hybrid();
/// let policy = Policy::server_auth().with_time(at);
/// assert!(zone.verify_outbound(&store, &chain, &policy).is_ok());
/// match zone.classify_inbound(&store, &chain, &policy) {
///     Inbound::Mapped { zone, .. } => assert_eq!(zone, "webex-hybrid"),
///     Inbound::DefaultZone { diagnosis } => panic!("{diagnosis}"),
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    /// The zone's name.
    pub name: String,
    /// The TLS verify subject name.
    pub subject_name: String,
    /// Wildcard handling (default: [`WildcardMode::Disallowed`]).
    #[serde(default = "strict_wildcards")]
    pub wildcards: WildcardMode,
    /// EKU checking for inbound client certificates (default: strict).
    #[serde(default = "strict_eku")]
    pub eku_mode: EkuMode,
    /// Whether the peer authenticates with the same certificate in both directions.
    #[serde(default = "yes")]
    pub mutual_tls: bool,
    /// Names known to stand for the same peer, which earn a hint on mismatch.
    #[serde(default)]
    pub aliases: Vec<NameAlias>,
    /// The profile-checks setting for this zone's verifications (JSON
    /// `"profile_checks": "strict" | "by-anchor-origin" | "lenient"`); `None`
    /// (the default) keeps the policy's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_checks: Option<ProfileChecks>,
}

fn strict_wildcards() -> WildcardMode {
    WildcardMode::Disallowed
}
fn strict_eku() -> EkuMode {
    EkuMode::Strict
}
fn yes() -> bool {
    true
}

/// The outcome of classifying an inbound connection, as Expressway does it.
#[derive(Clone, Debug)]
pub enum Inbound {
    /// The client certificate is trusted and its CN or SAN carries the zone's name.
    Mapped {
        /// The zone's name.
        zone: String,
        /// The verification result.
        verified: Verified,
    },
    /// Not mapped: the call is handled in the Default Zone as unauthenticated
    /// traffic. The diagnosis says why (untrusted chain, or name not presented).
    DefaultZone {
        /// Why the connection was not mapped into the zone.
        diagnosis: Diagnosis,
    },
}

impl Zone {
    /// The Webex hybrid zone: `callservice.webex.com`, mutual TLS, strict
    /// wildcards and EKU, with the cloud's known SIP names as aliases.
    pub fn webex_hybrid() -> Self {
        Self {
            name: "webex-hybrid".into(),
            subject_name: "callservice.webex.com".into(),
            wildcards: WildcardMode::Disallowed,
            eku_mode: EkuMode::Strict,
            mutual_tls: true,
            aliases: vec![
                NameAlias {
                    name: "sip.webex.com".into(),
                    note: "the Webex cloud's current SIP TLS authentication name".into(),
                },
                NameAlias {
                    name: "callservice.ciscospark.com".into(),
                    note: "the Webex cloud's former SIP TLS authentication name".into(),
                },
            ],
            profile_checks: None,
        }
    }

    /// A user-defined zone; the subject name must be a valid DNS name or IP address.
    pub fn new(name: &str, subject_name: &str) -> Result<Self, Error> {
        ReferenceName::parse(subject_name)?;
        Ok(Self {
            name: name.to_string(),
            subject_name: subject_name.to_string(),
            wildcards: WildcardMode::Disallowed,
            eku_mode: EkuMode::Strict,
            mutual_tls: true,
            aliases: Vec::new(),
            profile_checks: None,
        })
    }

    /// Reads a zone from JSON, e.g.
    /// `{"name": "partner", "subject_name": "sip.partner.example", "wildcards": "leftmost-label"}`.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        let zone: Zone = serde_json::from_str(json)
            .map_err(|e| Error::InvalidInput(format!("not a valid zone definition: {e}")))?;
        ReferenceName::parse(&zone.subject_name)?;
        Ok(zone)
    }

    /// Sets the wildcard mode.
    pub fn with_wildcards(mut self, mode: WildcardMode) -> Self {
        self.wildcards = mode;
        self
    }
    /// Sets the EKU mode for inbound client certificates.
    pub fn with_eku_mode(mut self, mode: EkuMode) -> Self {
        self.eku_mode = mode;
        self
    }
    /// Sets the profile-checks setting of this zone's verifications (in
    /// place of the policy's).
    pub fn with_profile_checks(mut self, checks: ProfileChecks) -> Self {
        self.profile_checks = Some(checks);
        self
    }

    fn zone_profile_checks(&self, policy: Policy) -> Policy {
        match self.profile_checks {
            Some(checks) => policy.with_profile_checks(checks),
            None => policy,
        }
    }

    fn rule(&self, kind: RuleKind) -> IdentityRule {
        let mut rule = IdentityRule::new(kind, &self.subject_name)
            // The subject name was validated when the zone was made or read.
            .unwrap_or_else(|_| IdentityRule::new(kind, "invalid.invalid").expect("valid literal"))
            .with_wildcards(self.wildcards);
        for a in &self.aliases {
            rule = rule.with_alias(&a.name, &a.note);
        }
        rule
    }

    /// The rule for outbound verification: the name must be in a SAN.
    pub fn outbound_rule(&self) -> IdentityRule {
        self.rule(RuleKind::San)
    }
    /// The rule for inbound mapping: the name in the CN or a SAN.
    pub fn inbound_rule(&self) -> IdentityRule {
        self.rule(RuleKind::CnOrSan)
    }

    /// `base` adjusted for outbound verification (server auth, mutual-TLS
    /// warning, the zone's profile checks when it has its own).
    pub fn outbound_policy(&self, base: &Policy) -> Policy {
        self.zone_profile_checks(
            base.clone()
                .with_usage(Usage::ServerAuth)
                .with_mutual_tls(self.mutual_tls),
        )
    }
    /// `base` adjusted for inbound verification (client auth, the zone's EKU
    /// mode, the zone's profile checks when it has its own).
    pub fn inbound_policy(&self, base: &Policy) -> Policy {
        self.zone_profile_checks(
            base.clone()
                .with_usage(Usage::ClientAuth)
                .with_eku_mode(self.eku_mode),
        )
    }

    /// Verifies the peer's server chain for an outbound connection.
    pub fn verify_outbound(
        &self,
        store: &TrustStore,
        chain: &[CertificateDer<'_>],
        base: &Policy,
    ) -> Result<Verified, Diagnosis> {
        verify(
            store,
            chain,
            &self.outbound_policy(base),
            Some(&self.outbound_rule()),
        )
    }

    /// Classifies an inbound connection by its client chain: mapped into
    /// this zone, or the Default Zone with the reason.
    pub fn classify_inbound(
        &self,
        store: &TrustStore,
        chain: &[CertificateDer<'_>],
        base: &Policy,
    ) -> Inbound {
        match verify(
            store,
            chain,
            &self.inbound_policy(base),
            Some(&self.inbound_rule()),
        ) {
            Ok(verified) => Inbound::Mapped {
                zone: self.name.clone(),
                verified,
            },
            Err(diagnosis) => Inbound::DefaultZone { diagnosis },
        }
    }
}
