//! `Policy`, `Verifier`, `verify()`, and what they return: `Verified` (with
//! `PathEntry`, `Warning`) or a `VerificationError` carrying a `Diagnosis`.

use std::path::PathBuf;

use hybridtrust::{
    CertificateDer, Crl, EkuMode, IdentityRule, Policy, ProfileChecks, RevocationScope, Sha1Policy,
    UnknownStatus, Usage,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyString, PyTuple, PyType};

use crate::convert::{
    bytes_arg, chain_arg, enum_arg, enum_out, int_arg, kebab, read_file, rfc3339_out, time_arg,
    time_out, to_dict,
};
use crate::errors::{core_error, parse_error, verification_error};
use crate::name::{PyIdentityRule, PyNameMatch, PyNameMismatch};
use crate::store::{PyAnchor, PyProvenance, PyTrustStore};

pub(crate) const USAGES: &[(&str, Usage)] = &[
    ("server-auth", Usage::ServerAuth),
    ("client-auth", Usage::ClientAuth),
];
pub(crate) const EKU_MODES: &[(&str, EkuMode)] = &[
    ("strict", EkuMode::Strict),
    ("accept-server-auth-only", EkuMode::AcceptServerAuthOnly),
];
const SHA1: &[(&str, Sha1Policy)] = &[
    ("reject", Sha1Policy::Reject),
    ("warn", Sha1Policy::Warn),
    ("allow", Sha1Policy::Allow),
];
pub(crate) const PROFILE_CHECKS: &[(&str, ProfileChecks)] = &[
    ("strict", ProfileChecks::Strict),
    ("by-anchor-origin", ProfileChecks::ByAnchorOrigin),
    ("lenient", ProfileChecks::Lenient),
];
const SCOPES: &[(&str, RevocationScope)] = &[
    ("end-entity", RevocationScope::EndEntity),
    ("chain", RevocationScope::Chain),
];
const UNKNOWN: &[(&str, UnknownStatus)] = &[
    ("deny", UnknownStatus::Deny),
    ("allow", UnknownStatus::Allow),
];

const POLICY_OPTIONS: &[&str] = &[
    "eku_mode",
    "at",
    "crls",
    "sha1",
    "max_depth",
    "expiry_warning_days",
    "mutual_tls",
    "revocation_scope",
    "unknown_status",
    "enforce_crl_expiry",
    "max_chain_certificates",
    "profile_checks",
];

/// The requirements of one verification. Immutable; :meth:`replace` returns
/// a changed copy.
///
/// ``usage`` is ``"server-auth"`` (the default: verify a server, SHA-1
/// rejected) or ``"client-auth"`` (verify a mutual-TLS client, SHA-1 accepted
/// with a warning); the :class:`Usage` members work too. Keywords:
/// ``eku_mode`` (:class:`EkuMode`), ``at`` (a timezone-aware ``datetime``;
/// default: now), ``crls`` (CRLs as PEM/DER ``bytes``, PEM ``str`` or paths;
/// each at most 32 MiB, at most 10,000 CRLs in all, each with a non-critical
/// crlNumber, else :class:`ParseError`),
/// ``sha1`` (:class:`Sha1Policy`), ``max_depth`` (certificates in a path,
/// anchor included, at least 2), ``expiry_warning_days``, ``mutual_tls``,
/// ``revocation_scope``, ``unknown_status``, ``enforce_crl_expiry``,
/// ``max_chain_certificates`` (most certificates accepted in a presented
/// chain, default 64; also the most PEM blocks read from one chain text), ``profile_checks`` (:class:`ProfileChecks`: whether
/// RFC 5280 / CA/Browser Forum profile violations refuse or warn; default
/// ``"by-anchor-origin"``). A keyword given as ``None`` keeps its default (or, in
/// :meth:`replace`, its current value); ``at=None`` means "now".
///
/// >>> from datetime import datetime, timezone
/// >>> import hybridtrust
/// >>> policy = hybridtrust.Policy("client-auth", eku_mode="accept-server-auth-only",
/// ...                             at=datetime(2026, 6, 1, tzinfo=timezone.utc))
/// >>> policy.usage, policy.sha1
/// (<Usage.CLIENT_AUTH: 'client-auth'>, <Sha1Policy.WARN: 'warn'>)
/// >>> policy.replace(sha1="reject").sha1
/// <Sha1Policy.REJECT: 'reject'>
/// >>> policy.profile_checks, policy.replace(profile_checks="strict").profile_checks
/// (<ProfileChecks.BY_ANCHOR_ORIGIN: 'by-anchor-origin'>, <ProfileChecks.STRICT: 'strict'>)
/// >>> hybridtrust.Policy(at=datetime(2026, 6, 1))
/// Traceback (most recent call last):
/// ...
/// ValueError: at is a naive datetime; give it a time zone, e.g. datetime(2026, 6, 1, tzinfo=timezone.utc)
#[pyclass(frozen, module = "hybridtrust", name = "Policy")]
#[derive(Clone)]
pub struct PyPolicy {
    pub(crate) inner: Policy,
    revocation_scope: RevocationScope,
    unknown_status: UnknownStatus,
    enforce_crl_expiry: bool,
    expiry_warning_days: u32,
    crl_fingerprints: Vec<String>,
}

impl PyPolicy {
    pub(crate) fn default_for(usage: Usage) -> Self {
        Self {
            inner: Policy::for_usage(usage),
            revocation_scope: RevocationScope::Chain,
            unknown_status: UnknownStatus::Deny,
            enforce_crl_expiry: true,
            expiry_warning_days: 30,
            crl_fingerprints: Vec::new(),
        }
    }

    /// Applies the keyword options of `kwargs` (unknown keys are a `TypeError`).
    fn apply(mut self, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let Some(kwargs) = kwargs else {
            return Ok(self);
        };
        for (key, value) in kwargs.iter() {
            let key: String = key.extract()?;
            if value.is_none() {
                // None keeps the current setting (for `at`: now, unless set).
                continue;
            }
            let p = self.inner.clone();
            self.inner = match key.as_str() {
                "usage" => p.with_usage(enum_arg(&value, "usage", USAGES)?),
                "eku_mode" => p.with_eku_mode(enum_arg(&value, "eku_mode", EKU_MODES)?),
                "at" => p.with_time(time_arg(&value, "at")?),
                "crls" => {
                    let crls = crls_arg(&value, p.limits())?;
                    self.crl_fingerprints =
                        crls.iter().map(|c| c.fingerprint().to_string()).collect();
                    p.with_crls(crls)
                }
                "sha1" => p.with_sha1(enum_arg(&value, "sha1", SHA1)?),
                "profile_checks" => {
                    p.with_profile_checks(enum_arg(&value, "profile_checks", PROFILE_CHECKS)?)
                }
                "max_depth" => {
                    let depth: usize = int_arg(&value, "max_depth")?;
                    if !(2..=64).contains(&depth) {
                        return Err(PyValueError::new_err(format!(
                            "max_depth must be between 2 (leaf and anchor) and 64, not {depth}"
                        )));
                    }
                    p.with_max_depth(depth)
                }
                "expiry_warning_days" => {
                    let days: u32 = int_arg(&value, "expiry_warning_days")?;
                    self.expiry_warning_days = days;
                    p.with_expiry_warning_days(days)
                }
                "mutual_tls" => p.with_mutual_tls(bool_arg(&value, "mutual_tls")?),
                "revocation_scope" => {
                    self.revocation_scope = enum_arg(&value, "revocation_scope", SCOPES)?;
                    p.with_revocation_scope(self.revocation_scope)
                }
                "unknown_status" => {
                    self.unknown_status = enum_arg(&value, "unknown_status", UNKNOWN)?;
                    p.with_unknown_status(self.unknown_status)
                }
                "enforce_crl_expiry" => {
                    self.enforce_crl_expiry = bool_arg(&value, "enforce_crl_expiry")?;
                    p.with_crl_expiry_enforced(self.enforce_crl_expiry)
                }
                "max_chain_certificates" => {
                    let n: usize = int_arg(&value, "max_chain_certificates")?;
                    if !(1..=10_000).contains(&n) {
                        return Err(PyValueError::new_err(format!(
                            "max_chain_certificates must be between 1 and 10000, not {n}"
                        )));
                    }
                    let limits = hybridtrust::Limits {
                        max_chain_certificates: n,
                        ..p.limits().clone()
                    };
                    p.with_limits(limits)
                }
                other => {
                    return Err(PyTypeError::new_err(format!(
                        "unexpected keyword argument {other:?}; Policy takes usage, {}",
                        POLICY_OPTIONS.join(", ")
                    )))
                }
            };
        }
        Ok(self)
    }
}

fn bool_arg(value: &Bound<'_, PyAny>, what: &str) -> PyResult<bool> {
    value
        .cast::<pyo3::types::PyBool>()
        .map(|b| b.is_true())
        .map_err(|_| PyTypeError::new_err(format!("{what} must be a bool")))
}

/// CRLs from PEM/DER `bytes`, PEM `str`, a path, or a list/tuple of these;
/// each item within `limits.max_source_bytes`, and at most `limits.max_crls`
/// CRLs in all (`ParseError` beyond, as the core's `Error::LimitExceeded`).
fn crls_arg(value: &Bound<'_, PyAny>, limits: &hybridtrust::Limits) -> PyResult<Vec<Crl>> {
    let mut sources: Vec<Bound<'_, PyAny>> = Vec::new();
    if value.cast::<PyList>().is_ok() || value.cast::<PyTuple>().is_ok() {
        for item in value.try_iter()? {
            sources.push(item?);
        }
    } else {
        sources.push(value.clone());
    }
    let mut out = Vec::new();
    for (i, src) in sources.iter().enumerate() {
        let what = format!("crls item #{i}");
        let bytes = if let Ok(s) = src.cast::<PyString>() {
            let text = s.to_cow()?;
            if !text.contains("-----BEGIN ") {
                return Err(parse_error(format!(
                    "{what}: a CRL given as str must be PEM text; pass a pathlib.Path to read a file"
                )));
            }
            text.as_bytes().to_vec()
        } else if src.cast::<PyBytes>().is_ok() || src.cast::<PyByteArray>().is_ok() {
            bytes_arg(src, &what, false)?
        } else if let Ok(path) = src.extract::<PathBuf>() {
            read_file(&path)?
        } else {
            return Err(PyTypeError::new_err(format!(
                "{what} must be bytes, PEM str or a path, not {}",
                src.get_type().name()?
            )));
        };
        out.extend(
            Crl::parse_all_within(limits, &bytes)
                .map_err(|e| parse_error(format!("{what}: {e}")))?,
        );
        Crl::check_count(limits, out.len()).map_err(|e| parse_error(format!("crls: {e}")))?;
    }
    Ok(out)
}

#[pymethods]
impl PyPolicy {
    #[new]
    #[pyo3(signature = (usage = None, **kwargs))]
    fn new(usage: Option<&Bound<'_, PyAny>>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let usage = match usage {
            Some(u) => enum_arg(u, "usage", USAGES)?,
            None => Usage::ServerAuth,
        };
        if kwargs.is_some_and(|k| k.contains("usage").unwrap_or(false)) {
            return Err(PyTypeError::new_err("usage was given twice"));
        }
        Self::default_for(usage).apply(kwargs)
    }

    /// A server-authentication policy (same as ``Policy("server-auth", **kwargs)``).
    #[classmethod]
    #[pyo3(signature = (**kwargs))]
    fn server_auth(_cls: &Bound<'_, PyType>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        Self::default_for(Usage::ServerAuth).apply(kwargs)
    }

    /// A client-authentication policy (same as ``Policy("client-auth", **kwargs)``).
    #[classmethod]
    #[pyo3(signature = (**kwargs))]
    fn client_auth(_cls: &Bound<'_, PyType>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        Self::default_for(Usage::ClientAuth).apply(kwargs)
    }

    /// A copy with the given keyword options changed.
    #[pyo3(signature = (**kwargs))]
    fn replace(&self, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        self.clone().apply(kwargs)
    }

    /// :class:`Usage`.
    #[getter]
    fn usage(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "Usage", &kebab(&self.inner.usage()))
    }
    /// :class:`EkuMode`.
    #[getter]
    fn eku_mode(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "EkuMode", &kebab(&self.inner.eku_mode()))
    }
    /// The fixed validation time, or ``None`` for "now".
    #[getter]
    fn at(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.inner.time().map(|t| time_out(py, t)).transpose()
    }
    /// :class:`Sha1Policy`.
    #[getter]
    fn sha1(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "Sha1Policy", &kebab(&self.inner.sha1()))
    }
    /// :class:`ProfileChecks`.
    #[getter]
    fn profile_checks(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "ProfileChecks", self.inner.profile_checks().as_str())
    }
    /// Most certificates in a verified path, leaf and anchor included.
    #[getter]
    fn max_depth(&self) -> usize {
        self.inner.max_depth()
    }
    /// Whether the peer also authenticates as a client with the same certificate.
    #[getter]
    fn mutual_tls(&self) -> bool {
        self.inner.mutual_tls()
    }
    /// Days before expiry that earn a warning.
    #[getter]
    fn expiry_warning_days(&self) -> u32 {
        self.expiry_warning_days
    }
    /// :class:`RevocationScope`.
    #[getter]
    fn revocation_scope(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "RevocationScope", &kebab(&self.revocation_scope))
    }
    /// :class:`UnknownStatus`.
    #[getter]
    fn unknown_status(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "UnknownStatus", &kebab(&self.unknown_status))
    }
    /// Whether a CRL past its nextUpdate is refused.
    #[getter]
    fn enforce_crl_expiry(&self) -> bool {
        self.enforce_crl_expiry
    }
    /// Most certificates accepted in a presented chain.
    #[getter]
    fn max_chain_certificates(&self) -> usize {
        self.inner.limits().max_chain_certificates
    }
    /// SHA-256 fingerprints (hex) of the CRLs in force.
    #[getter]
    fn crls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.crl_fingerprints)
    }
    fn __repr__(&self) -> String {
        let at = self
            .inner
            .time()
            .map(hybridtrust::format_time)
            .unwrap_or_else(|| "now".into());
        format!(
            "<Policy {} eku_mode={} at={} sha1={} max_depth={} crls={} profile_checks={}>",
            kebab(&self.inner.usage()),
            kebab(&self.inner.eku_mode()),
            at,
            kebab(&self.inner.sha1()),
            self.inner.max_depth(),
            self.crl_fingerprints.len(),
            self.inner.profile_checks()
        )
    }
}

pub(crate) fn policy_or_default(policy: Option<&Bound<'_, PyPolicy>>) -> Policy {
    policy
        .map(|p| p.get().inner.clone())
        .unwrap_or_else(Policy::server_auth)
}

pub(crate) fn identity_arg(identity: Option<&Bound<'_, PyAny>>) -> PyResult<Option<IdentityRule>> {
    let Some(identity) = identity else {
        return Ok(None);
    };
    if identity.is_none() {
        return Ok(None);
    }
    if let Ok(rule) = identity.cast::<PyIdentityRule>() {
        return Ok(Some(rule.get().inner.clone()));
    }
    if let Ok(name) = identity.cast::<PyString>() {
        return IdentityRule::san(&name.to_cow()?)
            .map(Some)
            .map_err(core_error);
    }
    Err(PyTypeError::new_err(format!(
        "identity must be an IdentityRule or a host name (str), not {}",
        identity.get_type().name()?
    )))
}

fn run(
    py: Python<'_>,
    store: &hybridtrust::TrustStore,
    chain: Vec<CertificateDer<'static>>,
    policy: Policy,
    identity: Option<IdentityRule>,
) -> PyResult<PyVerified> {
    let store = store.clone();
    py.detach(move || hybridtrust::verify(&store, &chain, &policy, identity.as_ref()))
        .map(PyVerified::new)
        .map_err(verification_error)
}

/// Verifies ``chain`` (leaf first; intermediates in any order) against
/// ``store`` under ``policy`` (default: ``Policy.server_auth()`` at the
/// current time) and, when given, the ``identity`` (an :class:`IdentityRule`,
/// or a host name checked against the SANs).
///
/// ``chain`` may be PEM text, PEM or DER ``bytes``, a ``pathlib.Path``, a
/// :class:`Certificate` or ``cryptography.x509.Certificate``, or a list of these.
/// Returns :class:`Verified`; raises :class:`VerificationError` whose
/// ``.diagnosis`` says which certificate failed, why, and what to do.
/// The GIL is released while verifying.
///
/// >>> import hybridtrust
/// >>> store = hybridtrust.TrustStore.builder().build()
/// >>> try:
/// ...     hybridtrust.verify(store, [])
/// ... except hybridtrust.VerificationError as e:
/// ...     print(e.diagnosis.kind)
/// empty-chain
#[pyfunction]
#[pyo3(signature = (store, chain, policy = None, identity = None))]
pub fn verify(
    py: Python<'_>,
    store: &Bound<'_, PyTrustStore>,
    chain: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyPolicy>>,
    identity: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyVerified> {
    let policy = policy_or_default(policy);
    let chain = chain_arg(chain, policy.limits())?;
    let identity = identity_arg(identity)?;
    run(py, &store.get().inner, chain, policy, identity)
}

/// Reads a chain (PEM text or bytes, one DER certificate, or a path) into a
/// list of DER ``bytes``, leaf first. Raises :class:`ParseError`.
///
/// >>> import hybridtrust
/// >>> hybridtrust.parse_chain(b"garbage")
/// Traceback (most recent call last):
/// ...
/// hybridtrust.ParseError: chain item #0: neither PEM text nor a DER certificate
#[pyfunction]
pub fn parse_chain<'py>(py: Python<'py>, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let chain = chain_arg(data, &hybridtrust::Limits::default())?;
    PyList::new(py, chain.iter().map(|c| PyBytes::new(py, c.as_ref())))
}

// `Verifier(cache_size=256)` spells the core's default as a literal (Python
// signatures need one); keep them equal.
const _: () = assert!(hybridtrust::DEFAULT_CACHE_CAPACITY == 256);

/// Verifies chains against one :class:`TrustStore` under one :class:`Policy`.
/// Immutable and safe to share between threads.
///
/// A verifier remembers up to ``cache_size`` accepted chains (0 turns this
/// off): a repeat of the same chain and identity, at a validation time inside
/// the window in which the result stays the same, is answered without
/// checking signatures again (``Verified.from_cache``). Rejections are never
/// cached; a new store or policy means a new verifier, with its own cache.
///
/// >>> import hybridtrust
/// >>> v = hybridtrust.Verifier(hybridtrust.TrustStore.builder().build(), cache_size=0)
/// >>> v.cached_len
/// 0
#[pyclass(frozen, module = "hybridtrust", name = "Verifier")]
pub struct PyVerifier {
    store: Py<PyTrustStore>,
    policy: Py<PyPolicy>,
    inner: hybridtrust::Verifier,
}

#[pymethods]
impl PyVerifier {
    #[new]
    #[pyo3(signature = (store, policy = None, *, cache_size = 256))]
    fn new(
        py: Python<'_>,
        store: Py<PyTrustStore>,
        policy: Option<Py<PyPolicy>>,
        cache_size: usize,
    ) -> PyResult<Self> {
        let policy = match policy {
            Some(p) => p,
            None => Py::new(py, PyPolicy::default_for(Usage::ServerAuth))?,
        };
        let inner =
            hybridtrust::Verifier::new(store.get().inner.clone(), policy.get().inner.clone())
                .with_cache_capacity(cache_size);
        Ok(Self {
            store,
            policy,
            inner,
        })
    }
    /// The store.
    #[getter]
    fn store(&self, py: Python<'_>) -> Py<PyTrustStore> {
        self.store.clone_ref(py)
    }
    /// The policy.
    #[getter]
    fn policy(&self, py: Python<'_>) -> Py<PyPolicy> {
        self.policy.clone_ref(py)
    }
    /// Number of accepted chains currently cached.
    #[getter]
    fn cached_len(&self) -> usize {
        self.inner.cached_len()
    }
    /// Verifies ``chain`` (see :func:`verify`); returns :class:`Verified` or
    /// raises :class:`VerificationError`. The GIL is released while verifying.
    #[pyo3(signature = (chain, identity = None))]
    fn verify(
        &self,
        py: Python<'_>,
        chain: &Bound<'_, PyAny>,
        identity: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyVerified> {
        let verifier = &self.inner;
        let chain = chain_arg(chain, verifier.policy().limits())?;
        let identity = identity_arg(identity)?;
        py.detach(|| verifier.verify(&chain, identity.as_ref()))
            .map(PyVerified::new)
            .map_err(verification_error)
    }
    fn __repr__(&self) -> String {
        format!(
            "<Verifier store generation={} policy usage={}>",
            self.store.get().inner.generation(),
            kebab(&self.policy.get().inner.usage())
        )
    }
}

/// An accepted chain: the path, where its anchor came from, what the
/// identity rule matched, and warnings.
#[pyclass(frozen, module = "hybridtrust", name = "Verified")]
pub struct PyVerified {
    inner: hybridtrust::Verified,
}

impl PyVerified {
    pub(crate) fn new(inner: hybridtrust::Verified) -> Self {
        Self { inner }
    }
}

#[pymethods]
impl PyVerified {
    /// True when this result came from the verifier's cache.
    #[getter]
    #[allow(clippy::wrong_self_convention)] // a property, named as in the core
    fn from_cache(&self) -> bool {
        self.inner.from_cache()
    }
    /// The path, leaf first, anchor last (:class:`PathEntry` objects).
    #[getter]
    fn path<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.inner
                .path()
                .iter()
                .map(|p| PyPathEntry { inner: p.clone() }),
        )
    }
    /// The trust anchor that completed the path.
    #[getter]
    fn anchor(&self) -> PyAnchor {
        PyAnchor::new(self.inner.anchor().clone())
    }
    /// Where the anchor came from.
    #[getter]
    fn anchor_provenance(&self) -> PyProvenance {
        PyProvenance::new(self.inner.anchor_provenance().clone())
    }
    /// What the identity rule matched (:class:`NameMatch`), or ``None``.
    #[getter]
    fn identity(&self) -> Option<PyNameMatch> {
        self.inner.identity().cloned().map(PyNameMatch::new)
    }
    /// The presented name that satisfied the identity rule, or ``None``.
    #[getter]
    fn matched_name(&self) -> Option<String> {
        self.inner
            .identity()
            .map(|m| PyNameMatch::value_of(&m.matched))
    }
    /// Warnings on the accepted chain (:class:`ChainWarning` objects).
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.inner
                .warnings()
                .iter()
                .map(|w| PyWarning { inner: w.clone() }),
        )
    }
    /// The generation of the store that decided.
    #[getter]
    fn store_generation(&self) -> u64 {
        self.inner.store_generation()
    }
    /// The validation time used.
    #[getter]
    fn validated_at(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        time_out(py, self.inner.validated_at())
    }
    /// The result as JSON text.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }
    /// The result as a ``dict`` (the JSON form).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let value: serde_json::Value = serde_json::from_str(&self.inner.to_json())
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        crate::convert::json_out(py, &value)
    }
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
    fn __repr__(&self) -> String {
        let leaf = self
            .inner
            .path()
            .first()
            .map(|p| p.certificate.subject.clone())
            .unwrap_or_default();
        format!(
            "<Verified {:?} via {:?} warnings={}>",
            leaf,
            self.inner.anchor().certificate().subject(),
            self.inner.warnings().len()
        )
    }
}

/// One certificate of a verified path.
#[pyclass(frozen, module = "hybridtrust", name = "PathEntry")]
pub struct PyPathEntry {
    inner: hybridtrust::PathEntry,
}

#[pymethods]
impl PyPathEntry {
    /// :class:`Role`: leaf, intermediate or anchor.
    #[getter]
    fn role(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "Role", &kebab(&self.inner.role))
    }
    /// Index in the presented chain; ``None`` for the anchor.
    #[getter]
    fn position(&self) -> Option<usize> {
        self.inner.position
    }
    /// RFC 4514 subject.
    #[getter]
    fn subject(&self) -> &str {
        &self.inner.certificate.subject
    }
    /// RFC 4514 issuer.
    #[getter]
    fn issuer(&self) -> &str {
        &self.inner.certificate.issuer
    }
    /// The first CN of the subject, if any.
    #[getter]
    fn common_name(&self) -> Option<&str> {
        self.inner.certificate.common_name.as_deref()
    }
    /// Serial number, hex.
    #[getter]
    fn serial(&self) -> &str {
        &self.inner.certificate.serial
    }
    /// SHA-256 fingerprint, hex.
    #[getter]
    fn sha256(&self) -> String {
        self.inner.certificate.sha256.to_string()
    }
    /// Start of validity.
    #[getter]
    fn not_before(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        rfc3339_out(py, &self.inner.certificate.not_before)
    }
    /// End of validity.
    #[getter]
    fn not_after(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        rfc3339_out(py, &self.inner.certificate.not_after)
    }
    /// Whether it is a CA certificate.
    #[getter]
    fn is_ca(&self) -> bool {
        self.inner.certificate.is_ca
    }
    fn __repr__(&self) -> String {
        format!(
            "<PathEntry {} {:?}>",
            kebab(&self.inner.role),
            self.inner.certificate.subject
        )
    }
}

/// A warning on an accepted chain (named so as not to shadow the built-in
/// ``Warning`` on ``from hybridtrust import *``).
#[pyclass(frozen, module = "hybridtrust", name = "ChainWarning")]
pub struct PyWarning {
    inner: hybridtrust::Warning,
}

#[pymethods]
impl PyWarning {
    /// :class:`WarningKind`.
    #[getter]
    fn kind(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "WarningKind", &kebab(&self.inner.kind))
    }
    /// The certificate concerned (:class:`CertRef`).
    #[getter]
    fn certificate(&self) -> PyCertRef {
        PyCertRef {
            inner: self.inner.certificate.clone(),
        }
    }
    /// One sentence for the admin.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
    fn __repr__(&self) -> String {
        format!(
            "<Warning {}: {:?}>",
            kebab(&self.inner.kind),
            self.inner.message
        )
    }
}

/// The certificate a diagnosis or warning is about.
#[pyclass(frozen, module = "hybridtrust", name = "CertRef")]
pub struct PyCertRef {
    inner: hybridtrust::CertRef,
}

#[pymethods]
impl PyCertRef {
    /// Index in the presented chain (0 = leaf); ``None`` for a store anchor.
    #[getter]
    fn position(&self) -> Option<usize> {
        self.inner.position
    }
    /// :class:`Role`.
    #[getter]
    fn role(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "Role", &kebab(&self.inner.role))
    }
    /// RFC 4514 subject.
    #[getter]
    fn subject(&self) -> &str {
        &self.inner.subject
    }
    /// RFC 4514 issuer.
    #[getter]
    fn issuer(&self) -> &str {
        &self.inner.issuer
    }
    /// SHA-256 fingerprint, hex.
    #[getter]
    fn sha256(&self) -> String {
        self.inner.sha256.to_string()
    }
    /// Start of validity.
    #[getter]
    fn not_before(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        rfc3339_out(py, &self.inner.not_before)
    }
    /// End of validity.
    #[getter]
    fn not_after(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        rfc3339_out(py, &self.inner.not_after)
    }
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
    fn __repr__(&self) -> String {
        format!("<CertRef {}>", self.inner)
    }
}

/// Why a chain was not accepted: which certificate, what failed, what to do.
/// Carried by :class:`VerificationError` as ``.diagnosis``.
#[pyclass(frozen, module = "hybridtrust", name = "Diagnosis")]
pub struct PyDiagnosis {
    inner: hybridtrust::Diagnosis,
}

impl PyDiagnosis {
    pub(crate) fn new(inner: hybridtrust::Diagnosis) -> Self {
        Self { inner }
    }
}

#[pymethods]
impl PyDiagnosis {
    /// What failed (:class:`DiagnosisKind`).
    #[getter]
    fn kind(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "DiagnosisKind", self.inner.kind.as_str())
    }
    /// The certificate at fault (:class:`CertRef`), when one can be named.
    #[getter]
    fn certificate(&self) -> Option<PyCertRef> {
        self.inner
            .certificate
            .clone()
            .map(|inner| PyCertRef { inner })
    }
    /// Position of the certificate at fault in the presented chain (0 = leaf).
    #[getter]
    fn index(&self) -> Option<usize> {
        self.inner.certificate.as_ref().and_then(|c| c.position)
    }
    /// Subject of the certificate at fault.
    #[getter]
    fn subject(&self) -> Option<&str> {
        self.inner.certificate.as_ref().map(|c| c.subject.as_str())
    }
    /// SHA-256 fingerprint (hex) of the certificate at fault.
    #[getter]
    fn fingerprint(&self) -> Option<String> {
        self.inner
            .certificate
            .as_ref()
            .map(|c| c.sha256.to_string())
    }
    /// One sentence: what is wrong.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }
    /// One sentence: the next step.
    #[getter]
    fn hint(&self) -> &str {
        &self.inner.hint
    }
    /// What was expected (a name, an EKU, a time), when it applies.
    #[getter]
    fn expected(&self) -> Option<&str> {
        self.inner.expected.as_deref()
    }
    /// What was found instead.
    #[getter]
    fn found(&self) -> Option<&str> {
        self.inner.found.as_deref()
    }
    /// For name mismatches: the presented names and the nearest one (:class:`NameMismatch`).
    #[getter]
    fn name_mismatch(&self) -> Option<PyNameMismatch> {
        self.inner.name_mismatch.clone().map(PyNameMismatch::new)
    }
    /// The text admins know from Cisco's guides and Expressway logs.
    #[getter]
    fn recognised_as(&self) -> Option<&'static str> {
        self.inner.recognised_as
    }
    /// The verifier's own error, for experts.
    #[getter]
    fn detail(&self) -> Option<&str> {
        self.inner.detail.as_deref()
    }
    /// The generation of the store that decided.
    #[getter]
    fn store_generation(&self) -> u64 {
        self.inner.store_generation
    }
    /// The structured form as JSON text.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }
    /// The structured form as a ``dict`` (kinds as their string values).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
    fn __repr__(&self) -> String {
        match &self.inner.certificate {
            Some(c) => format!(
                "<Diagnosis {} at {}: {:?}>",
                self.inner.kind, c, self.inner.message
            ),
            None => format!("<Diagnosis {}: {:?}>", self.inner.kind, self.inner.message),
        }
    }
}
