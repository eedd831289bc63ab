//! Ready-made profiles of the hybrid deployment: which CAs, which names, which zone.

mod cloud_cas;
mod zone;

use serde::Serialize;

pub use cloud_cas::{CaStatus, CloudCa, WEBEX_CLOUD_CAS};
pub use zone::{Inbound, Zone};

use crate::store::{Provenance, TrustStore};
use crate::verify::Usage;

/// A connection of the hybrid deployment and what trusting it takes.
///
/// ```
/// use hybridtrust::{Profile, TrustStore};
/// let profile = Profile::device_connector();
/// let mut builder = TrustStore::builder();
/// builder.add_profile_cas(&profile).unwrap();
/// builder.require_profile(&profile);
/// let store = builder.build().unwrap();
/// let report = profile.check_store(&store);
/// assert!(report.iter().any(|p| p.ca.name == "IdenTrust Commercial Root CA 1" && p.present.is_some()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    name: &'static str,
    description: &'static str,
    cloud_cas: &'static [CloudCa],
    usage: Usage,
    zone: Option<Zone>,
    host_names: &'static [&'static str],
}

/// Whether a store holds one of a profile's CAs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaPresence {
    /// The CA.
    pub ca: CloudCa,
    /// Where the store's copy came from, when present.
    pub present: Option<Provenance>,
    /// True when the embedded Mozilla set still has it.
    pub embedded: bool,
}

impl Profile {
    /// Device Connector -> Webex cloud (outbound HTTPS, we are the client), and
    /// to devices with the user's CAs from `[home]/.devicestool/certs`.
    pub fn device_connector() -> Self {
        Self {
            name: "device-connector",
            description: "Webex Device Connector: HTTPS to the Webex cloud, and to devices with the CAs in [home]/.devicestool/certs",
            cloud_cas: WEBEX_CLOUD_CAS,
            usage: Usage::ServerAuth,
            zone: None,
            host_names: &["*.wbx2.com", "*.webex.com"],
        }
    }

    /// Expressway-E <-> Webex cloud: SIP over TLS with mutual authentication,
    /// zone subject name `callservice.webex.com`.
    pub fn expressway_e() -> Self {
        Self {
            name: "expressway-e",
            description: "Expressway-E <-> Webex cloud: SIP TLS (port 5062), mutual authentication, zone 'callservice.webex.com'",
            cloud_cas: WEBEX_CLOUD_CAS,
            usage: Usage::ServerAuth,
            zone: Some(Zone::webex_hybrid()),
            host_names: &["callservice.webex.com"],
        }
    }

    /// Calendar connector (Expressway-C) -> Microsoft Exchange EWS / Office 365:
    /// server authentication and the Exchange host name, against the store
    /// holding the CA that signed Exchange's certificate.
    pub fn calendar_connector() -> Self {
        Self {
            name: "calendar-connector",
            description: "Calendar connector (Expressway-C) -> Exchange EWS / Office 365: server auth and the Exchange host name",
            cloud_cas: &[],
            usage: Usage::ServerAuth,
            zone: None,
            host_names: &[],
        }
    }

    /// Every ready-made profile.
    pub fn all() -> Vec<Profile> {
        vec![
            Self::device_connector(),
            Self::expressway_e(),
            Self::calendar_connector(),
        ]
    }

    /// The profile with this name (`device-connector`, `expressway-e`, `calendar-connector`).
    pub fn by_name(name: &str) -> Option<Profile> {
        Self::all().into_iter().find(|p| p.name == name)
    }

    /// The profile's name.
    pub fn name(&self) -> &'static str {
        self.name
    }
    /// One line describing the connection.
    pub fn description(&self) -> &'static str {
        self.description
    }
    /// The CAs the profile lists.
    pub fn cloud_cas(&self) -> &'static [CloudCa] {
        self.cloud_cas
    }
    /// The TLS usage of the verified peer.
    pub fn usage(&self) -> Usage {
        self.usage
    }
    /// The zone, for SIP profiles.
    pub fn zone(&self) -> Option<&Zone> {
        self.zone.as_ref()
    }
    /// Host names the peer presents (informational; wildcards as Cisco lists them).
    pub fn host_names(&self) -> &'static [&'static str] {
        self.host_names
    }

    /// Which of the profile's CAs `store` holds.
    pub fn check_store(&self, store: &TrustStore) -> Vec<CaPresence> {
        self.cloud_cas
            .iter()
            .map(|ca| CaPresence {
                ca: ca.clone(),
                present: store
                    .anchors()
                    .iter()
                    // Present only when trusted to verify the cloud's servers.
                    .find(|a| ca.matches(a.certificate()) && a.is_trusted_for(Usage::ServerAuth))
                    .map(|a| a.provenance().clone()),
                embedded: ca.embedded_der().is_some(),
            })
            .collect()
    }
}
