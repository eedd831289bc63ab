//! `TrustStoreBuilder`, `TrustStore` and what assembly reports: `Finding`,
//! `Provenance`, `Anchor`.

use std::path::PathBuf;
use std::sync::Arc;

use hybridtrust::{Fingerprint, Profile, UnixTime};
use pyo3::exceptions::{
    PyFileNotFoundError, PyIsADirectoryError, PyNotADirectoryError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::cert::PyCertificate;
use crate::convert::{
    bytes_arg, cert_der_arg, enum_arg, enum_out, int_arg, path_arg, time_arg, time_out, to_dict,
};
use crate::errors::{core_error, io_error};
use crate::profile::PyProfile;

/// One recorded builder step, replayed by `build()`.
#[derive(Clone)]
enum Op {
    Pem(String, Arc<[u8]>),
    Der(String, Arc<[u8]>),
    Bytes(String, Arc<[u8]>),
    File(PathBuf),
    Dir(PathBuf),
    DeviceTool(Option<PathBuf>),
    ProfileCas(Profile),
    RequireProfile(Profile),
    OsStore,
}

/// Assembles a :class:`TrustStore`. Immutable: every method returns a new
/// builder, so a builder can be shared between threads and reused as a base.
///
/// Sources are read when :meth:`build` runs (without holding the GIL).
/// Lenient by default: each problem becomes a :class:`Finding` of the store.
/// With ``strict=True``, the first finding of error severity raises
/// :class:`StoreError`. A path that does not exist raises
/// ``FileNotFoundError`` at once (a typo is not a finding).
///
/// >>> import hybridtrust
/// >>> base = hybridtrust.TrustStore.builder()
/// >>> store = base.add_profile_cas(hybridtrust.Profile.expressway_e()).build()
/// >>> len(store) > 0, len(base.build())
/// (True, 0)
/// >>> store = base.add_bytes(b"not a certificate", label="junk").build()
/// >>> store.findings[0].kind
/// <FindingKind.UNPARSABLE: 'unparsable'>
/// >>> base.add_file("/no/such/file.pem")
/// Traceback (most recent call last):
/// ...
/// FileNotFoundError: [Errno 2] No such file or directory: '/no/such/file.pem'
#[pyclass(frozen, module = "hybridtrust", name = "TrustStoreBuilder")]
#[derive(Clone)]
pub struct PyTrustStoreBuilder {
    strict: bool,
    at: Option<UnixTime>,
    expiry_warning_days: u32,
    ops: Arc<Vec<Op>>,
}

impl PyTrustStoreBuilder {
    fn with(&self, op: Op) -> Self {
        let mut ops = (*self.ops).clone();
        ops.push(op);
        Self {
            ops: Arc::new(ops),
            ..self.clone()
        }
    }

    fn build_core(&self) -> Result<hybridtrust::TrustStore, hybridtrust::Error> {
        let mut b = hybridtrust::TrustStore::builder();
        b.strict(self.strict);
        if let Some(at) = self.at {
            b.at(at);
        }
        b.expiry_warning_days(self.expiry_warning_days);
        for op in self.ops.iter() {
            match op {
                Op::Pem(label, data) => b.add_pem(label, data).map(drop)?,
                Op::Der(label, data) => b.add_der(label, data).map(drop)?,
                Op::Bytes(label, data) => b.add_bytes(label, data).map(drop)?,
                Op::File(path) => b.add_file(path).map(drop)?,
                Op::Dir(path) => b.add_dir(path).map(drop)?,
                Op::DeviceTool(None) => b.add_device_tool_certs().map(drop)?,
                Op::DeviceTool(Some(path)) => b.add_device_tool_certs_in(path).map(drop)?,
                Op::ProfileCas(profile) => b.add_profile_cas(profile).map(drop)?,
                Op::RequireProfile(profile) => {
                    b.require_profile(profile);
                }
                Op::OsStore => b.add_os_store().map(drop)?,
            }
        }
        b.build()
    }
}

fn existing(path: PathBuf, want_dir: bool) -> PyResult<PathBuf> {
    match std::fs::metadata(&path) {
        Ok(m) if want_dir && !m.is_dir() => Err(PyNotADirectoryError::new_err((
            20,
            "Not a directory",
            path.display().to_string(),
        ))),
        Ok(m) if !want_dir && m.is_dir() => Err(PyIsADirectoryError::new_err((
            21,
            "Is a directory; use add_dir()",
            path.display().to_string(),
        ))),
        Ok(_) => Ok(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(PyFileNotFoundError::new_err((
            2,
            "No such file or directory",
            path.display().to_string(),
        ))),
        Err(e) => Err(io_error(&e, &path)),
    }
}

#[pymethods]
impl PyTrustStoreBuilder {
    /// A new builder; same as :meth:`TrustStore.builder`.
    #[new]
    #[pyo3(signature = (*, strict = false, at = None, expiry_warning_days = None))]
    fn new(
        strict: bool,
        at: Option<&Bound<'_, PyAny>>,
        expiry_warning_days: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        Ok(Self {
            strict,
            at: at.map(|t| time_arg(t, "at")).transpose()?,
            expiry_warning_days: match expiry_warning_days {
                Some(d) => int_arg(d, "expiry_warning_days")?,
                None => 30,
            },
            ops: Arc::new(Vec::new()),
        })
    }

    /// Adds every certificate of PEM text (``str`` or ``bytes``; any number of blocks).
    #[pyo3(signature = (data, *, label = "pem"))]
    fn add_pem(&self, data: &Bound<'_, PyAny>, label: &str) -> PyResult<Self> {
        let bytes = bytes_arg(data, "data", true)?;
        Ok(self.with(Op::Pem(label.to_string(), bytes.into())))
    }

    /// Adds one DER certificate (``bytes``, or a ``cryptography.x509.Certificate``
    /// or :class:`Certificate`).
    #[pyo3(signature = (data, *, label = "der"))]
    fn add_der(&self, data: &Bound<'_, PyAny>, label: &str) -> PyResult<Self> {
        let bytes = if data.hasattr("public_bytes")? || data.cast::<PyCertificate>().is_ok() {
            cert_der_arg(data, "data")?
        } else {
            bytes_arg(data, "data", false)?
        };
        Ok(self.with(Op::Der(label.to_string(), bytes.into())))
    }

    /// Adds PEM or DER ``bytes``, told apart by content.
    #[pyo3(signature = (data, *, label = "bytes"))]
    fn add_bytes(&self, data: &Bound<'_, PyAny>, label: &str) -> PyResult<Self> {
        let bytes = bytes_arg(data, "data", false)?;
        Ok(self.with(Op::Bytes(label.to_string(), bytes.into())))
    }

    /// Adds a file (``str`` or ``os.PathLike``) holding PEM or DER, by content.
    fn add_file(&self, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let path = existing(path_arg(path, "path")?, false)?;
        Ok(self.with(Op::File(path)))
    }

    /// Adds every file of a directory and its subdirectories, by content.
    fn add_dir(&self, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let path = existing(path_arg(path, "path")?, true)?;
        Ok(self.with(Op::Dir(path)))
    }

    /// Adds the Device Connector's folder ``[home]/.devicestool/certs`` (or
    /// ``path`` when given). An absent folder is an informational finding.
    #[pyo3(signature = (path = None))]
    fn add_device_tool_certs(&self, path: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let path = path.map(|p| path_arg(p, "path")).transpose()?;
        Ok(self.with(Op::DeviceTool(path)))
    }

    /// Adds the embedded CA certificates a :class:`Profile` lists.
    fn add_profile_cas(&self, profile: &Bound<'_, PyProfile>) -> Self {
        self.with(Op::ProfileCas(profile.get().inner.clone()))
    }

    /// Checks at build time that every CA the profile requires is present.
    fn require_profile(&self, profile: &Bound<'_, PyProfile>) -> Self {
        self.with(Op::RequireProfile(profile.get().inner.clone()))
    }

    /// Adds the operating system's trusted roots.
    fn add_os_store(&self) -> Self {
        self.with(Op::OsStore)
    }

    /// A copy with strict mode on or off.
    fn strict(&self, strict: bool) -> Self {
        Self {
            strict,
            ..self.clone()
        }
    }

    /// A copy whose validity checks use ``at`` (a timezone-aware ``datetime``).
    fn at(&self, at: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            at: Some(time_arg(at, "at")?),
            ..self.clone()
        })
    }

    /// Reads every source and returns the immutable :class:`TrustStore`.
    /// Raises :class:`StoreError` in strict mode.
    fn build(&self, py: Python<'_>) -> PyResult<PyTrustStore> {
        let this = self.clone();
        py.detach(move || this.build_core())
            .map(|inner| PyTrustStore { inner })
            .map_err(core_error)
    }

    /// Whether the builder is strict.
    #[getter]
    fn is_strict(&self) -> bool {
        self.strict
    }

    /// Number of recorded steps.
    fn __len__(&self) -> usize {
        self.ops.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<TrustStoreBuilder steps={} strict={}>",
            self.ops.len(),
            if self.strict { "True" } else { "False" }
        )
    }
}

/// An immutable snapshot of trusted CA certificates, with the findings of
/// its assembly. Safe to share between threads.
///
/// >>> import hybridtrust
/// >>> store = hybridtrust.TrustStore.builder().build()
/// >>> len(store), store.findings, store.worst_severity
/// (0, (), None)
#[pyclass(frozen, module = "hybridtrust", name = "TrustStore")]
pub struct PyTrustStore {
    pub(crate) inner: hybridtrust::TrustStore,
}

#[pymethods]
impl PyTrustStore {
    /// A :class:`TrustStoreBuilder` (lenient unless ``strict=True``; validity
    /// judged at ``at``, a timezone-aware ``datetime``, default now).
    #[staticmethod]
    #[pyo3(signature = (*, strict = false, at = None, expiry_warning_days = None))]
    fn builder(
        strict: bool,
        at: Option<&Bound<'_, PyAny>>,
        expiry_warning_days: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyTrustStoreBuilder> {
        PyTrustStoreBuilder::new(strict, at, expiry_warning_days)
    }

    /// The trusted certificates, in the order they were added.
    #[getter]
    fn anchors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.inner
                .anchors()
                .iter()
                .map(|a| PyAnchor::new(a.clone())),
        )
    }
    /// Every problem met while assembling the store.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.inner
                .findings()
                .iter()
                .map(|f| PyFinding::new(f.clone())),
        )
    }
    /// The most serious :class:`Severity` among the findings, or ``None``.
    #[getter]
    fn worst_severity(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.inner
            .worst_severity()
            .map(|s| enum_out(py, "Severity", &s.to_string()))
            .transpose()
    }
    /// The process-unique generation id of this snapshot.
    #[getter]
    fn generation(&self) -> u64 {
        self.inner.generation()
    }
    /// The time validity was judged at.
    #[getter]
    fn assembled_at(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        time_out(py, self.inner.assembled_at())
    }
    /// The anchor with this SHA-256 fingerprint (hex, colons allowed), or ``None``.
    fn anchor_by_fingerprint(&self, sha256: &str) -> PyResult<Option<PyAnchor>> {
        let fp = Fingerprint::from_hex(sha256).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(self
            .inner
            .anchor_by_fingerprint(&fp)
            .cloned()
            .map(PyAnchor::new))
    }
    /// All trusted certificates as one PEM bundle, without those restricted
    /// by OpenSSL trust settings (a plain bundle cannot carry them; their
    /// ``trust-restricted`` finding says so).
    fn to_pem_bundle(&self) -> String {
        self.inner.to_pem_bundle()
    }
    fn __len__(&self) -> usize {
        self.inner.len()
    }
    fn __repr__(&self) -> String {
        format!(
            "<TrustStore anchors={} findings={} generation={}>",
            self.inner.len(),
            self.inner.findings().len(),
            self.inner.generation()
        )
    }
}

/// Where a certificate or a problem came from: a source (path or label) and
/// the position within it.
#[pyclass(frozen, module = "hybridtrust", name = "Provenance")]
pub struct PyProvenance {
    inner: hybridtrust::Provenance,
}

impl PyProvenance {
    pub(crate) fn new(inner: hybridtrust::Provenance) -> Self {
        Self { inner }
    }
}

#[pymethods]
impl PyProvenance {
    /// The source: a path as text, or a label such as ``embedded:device-connector``.
    #[getter]
    fn source(&self) -> &str {
        &self.inner.source
    }
    /// The path, when the source is a file (``pathlib.Path``).
    #[getter]
    fn path(&self) -> Option<PathBuf> {
        self.inner.path.clone()
    }
    /// Index of the certificate within the source, from 0.
    #[getter]
    fn index(&self) -> Option<usize> {
        self.inner.index
    }
    /// 1-based line of the PEM block's BEGIN line.
    #[getter]
    fn line(&self) -> Option<usize> {
        self.inner.line
    }
    /// Byte offset within the source.
    #[getter]
    fn offset(&self) -> Option<usize> {
        self.inner.offset
    }
    /// The fields as a ``dict``.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
    fn __repr__(&self) -> String {
        format!("<Provenance {:?}>", self.inner.to_string())
    }
}

/// One problem met while assembling a store: what, where, which
/// certificate, what to do.
#[pyclass(frozen, module = "hybridtrust", name = "Finding")]
pub struct PyFinding {
    inner: hybridtrust::Finding,
}

impl PyFinding {
    pub(crate) fn new(inner: hybridtrust::Finding) -> Self {
        Self { inner }
    }
}

#[pymethods]
impl PyFinding {
    /// What kind of problem (:class:`FindingKind`).
    #[getter]
    fn kind(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "FindingKind", self.inner.kind.as_str())
    }
    /// How serious (:class:`Severity`).
    #[getter]
    fn severity(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "Severity", &self.inner.severity.to_string())
    }
    /// Where it was met.
    #[getter]
    fn provenance(&self) -> PyProvenance {
        PyProvenance::new(self.inner.provenance.clone())
    }
    /// The source (path as text, or a label).
    #[getter]
    fn source(&self) -> &str {
        &self.inner.provenance.source
    }
    /// The certificate's subject, when one was parsed.
    #[getter]
    fn subject(&self) -> Option<&str> {
        self.inner.subject.as_deref()
    }
    /// The certificate's SHA-256 (hex), when one was parsed.
    #[getter]
    fn sha256(&self) -> Option<String> {
        self.inner.sha256.map(|f| f.to_string())
    }
    /// One sentence saying what is wrong.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }
    /// One sentence saying what to do, when there is something to do.
    #[getter]
    fn hint(&self) -> Option<&str> {
        self.inner.hint.as_deref()
    }
    /// The fields as a ``dict`` (kinds as their string values).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
    fn __repr__(&self) -> String {
        format!(
            "<Finding {} {} at {:?}: {:?}>",
            self.inner.severity,
            self.inner.kind,
            self.inner.provenance.to_string(),
            self.inner.message
        )
    }
}

/// A trusted CA certificate and where it came from.
#[pyclass(frozen, module = "hybridtrust", name = "Anchor")]
pub struct PyAnchor {
    inner: hybridtrust::Anchor,
}

impl PyAnchor {
    pub(crate) fn new(inner: hybridtrust::Anchor) -> Self {
        Self { inner }
    }
}

#[pymethods]
impl PyAnchor {
    /// The certificate.
    #[getter]
    fn certificate(&self) -> PyCertificate {
        PyCertificate {
            inner: self.inner.certificate().clone(),
        }
    }
    /// Where it was loaded from.
    #[getter]
    fn provenance(&self) -> PyProvenance {
        PyProvenance::new(self.inner.provenance().clone())
    }
    /// The certificate's subject.
    #[getter]
    fn subject(&self) -> &str {
        self.inner.certificate().subject()
    }
    /// The certificate's SHA-256 (hex).
    #[getter]
    fn sha256(&self) -> String {
        self.inner.certificate().fingerprint().to_string()
    }
    /// The purposes (dotted EKU OIDs) its OpenSSL trust settings explicitly
    /// trust, or ``None`` when there is no trust list (every purpose not
    /// rejected is trusted); an empty tuple trusts nothing.
    #[getter]
    fn trusted_purposes<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyTuple>>> {
        self.inner
            .trust_settings()
            .trusted_purposes()
            .map(|t| PyTuple::new(py, t))
            .transpose()
    }
    /// The purposes (dotted EKU OIDs) its OpenSSL trust settings reject;
    /// ``"2.5.29.37.0"`` (anyExtendedKeyUsage) rejects every purpose.
    #[getter]
    fn rejected_purposes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inner.trust_settings().rejected_purposes())
    }
    /// OpenSSL's alias for it (``-setalias``), or ``None``.
    #[getter]
    fn alias(&self) -> Option<&str> {
        self.inner.trust_settings().alias()
    }
    /// True when its trust settings restrict nothing (so a plain export holds it).
    #[getter]
    fn is_unrestricted(&self) -> bool {
        self.inner.trust_settings().is_unrestricted()
    }
    /// Its trust settings in words, e.g. ``"trusted only for clientAuth"``.
    #[getter]
    fn trust_settings(&self) -> String {
        self.inner.trust_settings().to_string()
    }
    /// True when verification may use it for ``usage`` (:class:`Usage`).
    fn is_trusted_for(&self, usage: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self
            .inner
            .is_trusted_for(enum_arg(usage, "usage", crate::verify::USAGES)?))
    }
    fn __repr__(&self) -> String {
        format!(
            "<Anchor {:?} from {:?}>",
            self.inner.certificate().subject(),
            self.inner.provenance().to_string()
        )
    }
}

/// The Device Connector's certificate folder for the current user
/// (``[home]/.devicestool/certs``), or ``None`` when the home folder is unknown.
#[pyfunction]
pub fn device_tool_certs_dir() -> Option<PathBuf> {
    hybridtrust::device_tool_certs_dir()
}
