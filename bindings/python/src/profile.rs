//! `Profile` (with `CloudCa`, `CaPresence`), `Zone` and `Inbound`.

use hybridtrust::{NameAlias, Profile, Zone};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple, PyType};

use crate::convert::{chain_arg, enum_arg, enum_out, kebab, to_dict};
use crate::errors::{core_error, verification_error};
use crate::name::{aliases_arg, PyIdentityRule, WILDCARD_MODES};
use crate::store::{PyProvenance, PyTrustStore};
use crate::verify::{
    policy_or_default, PyDiagnosis, PyPolicy, PyVerified, EKU_MODES, PROFILE_CHECKS,
};

/// A connection of the hybrid deployment and what trusting it takes:
/// ``device-connector``, ``expressway-e`` or ``calendar-connector``.
///
/// >>> import hybridtrust
/// >>> [p.name for p in hybridtrust.Profile.all()]
/// ['device-connector', 'expressway-e', 'calendar-connector']
/// >>> hybridtrust.Profile.expressway_e().zone.subject_name
/// 'callservice.webex.com'
/// >>> store = hybridtrust.TrustStore.builder().build()
/// >>> missing = [p.ca.name for p in hybridtrust.Profile.device_connector().check_store(store)
/// ...            if p.present is None and p.ca.status == hybridtrust.CaStatus.REQUIRED]
/// >>> "IdenTrust Commercial Root CA 1" in missing
/// True
#[pyclass(frozen, module = "hybridtrust", name = "Profile")]
pub struct PyProfile {
    pub(crate) inner: Profile,
}

#[pymethods]
impl PyProfile {
    /// Device Connector -> Webex cloud (HTTPS) and devices.
    #[classmethod]
    fn device_connector(_cls: &Bound<'_, PyType>) -> Self {
        Self {
            inner: Profile::device_connector(),
        }
    }
    /// Expressway-E <-> Webex cloud: SIP over mutual TLS, zone ``callservice.webex.com``.
    #[classmethod]
    fn expressway_e(_cls: &Bound<'_, PyType>) -> Self {
        Self {
            inner: Profile::expressway_e(),
        }
    }
    /// Calendar connector (Expressway-C) -> Exchange EWS / Office 365.
    #[classmethod]
    fn calendar_connector(_cls: &Bound<'_, PyType>) -> Self {
        Self {
            inner: Profile::calendar_connector(),
        }
    }
    /// Every ready-made profile.
    #[classmethod]
    fn all<'py>(_cls: &Bound<'py, PyType>) -> Vec<Self> {
        Profile::all()
            .into_iter()
            .map(|inner| Self { inner })
            .collect()
    }
    /// The profile with this name; ``ValueError`` for an unknown name.
    #[classmethod]
    fn by_name(_cls: &Bound<'_, PyType>, name: &str) -> PyResult<Self> {
        Profile::by_name(name)
            .map(|inner| Self { inner })
            .ok_or_else(|| {
                let known: Vec<&str> = Profile::all().iter().map(|p| p.name()).collect();
                PyValueError::new_err(format!(
                    "unknown profile {name:?}; known profiles: {}",
                    known.join(", ")
                ))
            })
    }
    /// The profile's name.
    #[getter]
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    /// One line describing the connection.
    #[getter]
    fn description(&self) -> &'static str {
        self.inner.description()
    }
    /// The :class:`Usage` of the verified peer.
    #[getter]
    fn usage(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "Usage", &kebab(&self.inner.usage()))
    }
    /// The :class:`Zone`, for SIP profiles.
    #[getter]
    fn zone(&self) -> Option<PyZone> {
        self.inner.zone().cloned().map(|inner| PyZone { inner })
    }
    /// Host names the peer presents (informational).
    #[getter]
    fn host_names<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inner.host_names())
    }
    /// The CAs the profile lists (:class:`CloudCa`).
    #[getter]
    fn cloud_cas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.inner
                .cloud_cas()
                .iter()
                .map(|c| PyCloudCa { inner: c.clone() }),
        )
    }
    /// Which of the profile's CAs ``store`` holds (:class:`CaPresence`).
    fn check_store<'py>(
        &self,
        py: Python<'py>,
        store: &Bound<'py, PyTrustStore>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.inner
                .check_store(&store.get().inner)
                .into_iter()
                .map(|inner| PyCaPresence { inner }),
        )
    }
    fn __repr__(&self) -> String {
        format!("<Profile {:?}>", self.inner.name())
    }
}

/// A CA of the Webex cloud, named by subject and fingerprint.
#[pyclass(frozen, module = "hybridtrust", name = "CloudCa")]
pub struct PyCloudCa {
    inner: hybridtrust::CloudCa,
}

#[pymethods]
impl PyCloudCa {
    /// The CA's name.
    #[getter]
    fn name(&self) -> &'static str {
        self.inner.name
    }
    /// RFC 4514 subject.
    #[getter]
    fn subject(&self) -> &'static str {
        self.inner.subject
    }
    /// SHA-256 (hex), when known.
    #[getter]
    fn sha256(&self) -> Option<String> {
        self.inner.sha256.map(|f| f.to_string())
    }
    /// :class:`CaStatus`: required today, or legacy.
    #[getter]
    fn status(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "CaStatus", &self.inner.status.to_string())
    }
    /// What it is for, per Cisco's documentation.
    #[getter]
    fn role(&self) -> &'static str {
        self.inner.role
    }
    /// True when the embedded Mozilla root set still has it.
    #[getter]
    fn embedded(&self) -> bool {
        self.inner.embedded_der().is_some()
    }
    fn __repr__(&self) -> String {
        format!("<CloudCa {:?} {}>", self.inner.name, self.inner.status)
    }
}

/// Whether a store holds one of a profile's CAs.
#[pyclass(frozen, module = "hybridtrust", name = "CaPresence")]
pub struct PyCaPresence {
    inner: hybridtrust::CaPresence,
}

#[pymethods]
impl PyCaPresence {
    /// The CA (:class:`CloudCa`).
    #[getter]
    fn ca(&self) -> PyCloudCa {
        PyCloudCa {
            inner: self.inner.ca.clone(),
        }
    }
    /// Where the store's copy came from (:class:`Provenance`), or ``None`` when absent.
    #[getter]
    fn present(&self) -> Option<PyProvenance> {
        self.inner.present.clone().map(PyProvenance::new)
    }
    /// True when the embedded Mozilla root set still has it.
    #[getter]
    fn embedded(&self) -> bool {
        self.inner.embedded
    }
    fn __repr__(&self) -> String {
        format!(
            "<CaPresence {:?} {}>",
            self.inner.ca.name,
            if self.inner.present.is_some() {
                "present"
            } else {
                "absent"
            }
        )
    }
}

/// A zone as Expressway defines one: the peer's TLS verify subject name, how
/// it is checked in each direction, and the EKU mode for mutual TLS.
///
/// Outbound (we connect): the chain must be trusted for server auth and the
/// name must be in a SAN. Inbound (the peer connects): a trusted client
/// certificate whose CN *or* SAN carries the name maps into the zone;
/// otherwise the call falls into the Default Zone (it is not rejected).
///
/// >>> import hybridtrust
/// >>> zone = hybridtrust.Zone.webex_hybrid()
/// >>> zone.subject_name, zone.wildcards, zone.eku_mode
/// ('callservice.webex.com', <WildcardMode.DISALLOWED: 'disallowed'>, <EkuMode.STRICT: 'strict'>)
/// >>> sorted(zone.aliases)
/// ['callservice.ciscospark.com', 'sip.webex.com']
/// >>> hybridtrust.Zone.from_json('{"name": "partner", "subject_name": "sip.partner.example"}').name
/// 'partner'
#[pyclass(frozen, module = "hybridtrust", name = "Zone")]
pub struct PyZone {
    inner: Zone,
}

#[pymethods]
impl PyZone {
    #[new]
    #[pyo3(signature = (name, subject_name, *, wildcards = None, eku_mode = None, mutual_tls = true, aliases = None, profile_checks = None))]
    fn new(
        name: &str,
        subject_name: &str,
        wildcards: Option<&Bound<'_, PyAny>>,
        eku_mode: Option<&Bound<'_, PyAny>>,
        mutual_tls: bool,
        aliases: Option<&Bound<'_, PyAny>>,
        profile_checks: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut zone = Zone::new(name, subject_name).map_err(core_error)?;
        if let Some(w) = wildcards {
            zone = zone.with_wildcards(enum_arg(w, "wildcards", WILDCARD_MODES)?);
        }
        if let Some(e) = eku_mode {
            zone = zone.with_eku_mode(enum_arg(e, "eku_mode", EKU_MODES)?);
        }
        if let Some(p) = profile_checks {
            zone = zone.with_profile_checks(enum_arg(p, "profile_checks", PROFILE_CHECKS)?);
        }
        zone.mutual_tls = mutual_tls;
        zone.aliases = aliases_arg(aliases)?
            .into_iter()
            .map(|(name, note)| NameAlias {
                name: name.to_ascii_lowercase(),
                note,
            })
            .collect();
        Ok(Self { inner: zone })
    }

    /// The Webex hybrid zone: ``callservice.webex.com``, mutual TLS, strict
    /// wildcards and EKU, with the cloud's known SIP names as aliases.
    #[classmethod]
    fn webex_hybrid(_cls: &Bound<'_, PyType>) -> Self {
        Self {
            inner: Zone::webex_hybrid(),
        }
    }
    /// Reads a zone from JSON text; ``ValueError`` when it is not a valid definition.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, json: &str) -> PyResult<Self> {
        Zone::from_json(json)
            .map(|inner| Self { inner })
            .map_err(core_error)
    }
    /// The zone's name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    /// The TLS verify subject name.
    #[getter]
    fn subject_name(&self) -> &str {
        &self.inner.subject_name
    }
    /// :class:`WildcardMode`.
    #[getter]
    fn wildcards(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "WildcardMode", &kebab(&self.inner.wildcards))
    }
    /// :class:`EkuMode` for inbound client certificates.
    #[getter]
    fn eku_mode(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "EkuMode", &kebab(&self.inner.eku_mode))
    }
    /// The zone's own :class:`ProfileChecks`, or ``None`` to keep the policy's.
    #[getter]
    fn profile_checks(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.inner
            .profile_checks
            .map(|p| enum_out(py, "ProfileChecks", p.as_str()))
            .transpose()
    }
    /// Whether the peer authenticates with the same certificate in both directions.
    #[getter]
    fn mutual_tls(&self) -> bool {
        self.inner.mutual_tls
    }
    /// Known aliases as a ``dict`` {name: note}.
    #[getter]
    fn aliases<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for a in &self.inner.aliases {
            d.set_item(&a.name, &a.note)?;
        }
        Ok(d)
    }
    /// The outbound rule (name in a SAN).
    #[getter]
    fn outbound_rule(&self) -> PyIdentityRule {
        PyIdentityRule {
            inner: self.inner.outbound_rule(),
        }
    }
    /// The inbound rule (name in the CN or a SAN).
    #[getter]
    fn inbound_rule(&self) -> PyIdentityRule {
        PyIdentityRule {
            inner: self.inner.inbound_rule(),
        }
    }
    /// Verifies the peer's server chain for an outbound connection: returns
    /// :class:`Verified` or raises :class:`VerificationError`. ``policy``
    /// defaults to ``Policy.server_auth()`` at the current time.
    #[pyo3(signature = (store, chain, policy = None))]
    fn verify_outbound(
        &self,
        py: Python<'_>,
        store: &Bound<'_, PyTrustStore>,
        chain: &Bound<'_, PyAny>,
        policy: Option<&Bound<'_, PyPolicy>>,
    ) -> PyResult<PyVerified> {
        let policy = policy_or_default(policy);
        let chain = chain_arg(chain, policy.limits())?;
        let store = store.get().inner.clone();
        let zone = self.inner.clone();
        py.detach(move || zone.verify_outbound(&store, &chain, &policy))
            .map(PyVerified::new)
            .map_err(verification_error)
    }
    /// Classifies an inbound connection by its client chain: mapped into
    /// this zone, or the Default Zone with the reason (:class:`Inbound`).
    #[pyo3(signature = (store, chain, policy = None))]
    fn classify_inbound(
        &self,
        py: Python<'_>,
        store: &Bound<'_, PyTrustStore>,
        chain: &Bound<'_, PyAny>,
        policy: Option<&Bound<'_, PyPolicy>>,
    ) -> PyResult<PyInbound> {
        let policy = policy_or_default(policy);
        let chain = chain_arg(chain, policy.limits())?;
        let store = store.get().inner.clone();
        let zone = self.inner.clone();
        let inbound = py.detach(move || zone.classify_inbound(&store, &chain, &policy));
        Ok(PyInbound { inner: inbound })
    }
    /// The zone as JSON text (what :meth:`from_json` reads).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| PyValueError::new_err(e.to_string()))
    }
    /// The zone as a ``dict``.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyZone>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "<Zone {:?} subject_name={:?}>",
            self.inner.name, self.inner.subject_name
        )
    }
}

/// The outcome of classifying an inbound connection: mapped into the zone
/// (truthy, with ``verified``) or the Default Zone (falsy, with ``diagnosis``).
#[pyclass(frozen, module = "hybridtrust", name = "Inbound")]
pub struct PyInbound {
    inner: hybridtrust::Inbound,
}

#[pymethods]
impl PyInbound {
    /// True when the connection maps into the zone.
    #[getter]
    fn mapped(&self) -> bool {
        matches!(self.inner, hybridtrust::Inbound::Mapped { .. })
    }
    /// The zone's name when mapped, else ``None`` (the Default Zone).
    #[getter]
    fn zone(&self) -> Option<&str> {
        match &self.inner {
            hybridtrust::Inbound::Mapped { zone, .. } => Some(zone),
            _ => None,
        }
    }
    /// The verification result when mapped.
    #[getter]
    fn verified(&self) -> Option<PyVerified> {
        match &self.inner {
            hybridtrust::Inbound::Mapped { verified, .. } => {
                Some(PyVerified::new(verified.clone()))
            }
            _ => None,
        }
    }
    /// Why the connection was not mapped (:class:`Diagnosis`), else ``None``.
    #[getter]
    fn diagnosis(&self) -> Option<PyDiagnosis> {
        match &self.inner {
            hybridtrust::Inbound::DefaultZone { diagnosis } => {
                Some(PyDiagnosis::new(diagnosis.clone()))
            }
            _ => None,
        }
    }
    fn __bool__(&self) -> bool {
        self.mapped()
    }
    fn __repr__(&self) -> String {
        match &self.inner {
            hybridtrust::Inbound::Mapped { zone, .. } => format!("<Inbound mapped into {zone:?}>"),
            hybridtrust::Inbound::DefaultZone { diagnosis } => {
                format!("<Inbound Default Zone: {}>", diagnosis.kind)
            }
        }
    }
}
