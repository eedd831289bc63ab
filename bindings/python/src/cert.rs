//! `Certificate`: a parsed, read-only X.509 certificate.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple, PyType};

use crate::convert::{bytes_arg, cert_der_arg, time_out};
use crate::errors::{core_error, parse_error};

/// A parsed X.509 certificate (read-only).
///
/// Make one with :meth:`Certificate.from_der` or :meth:`Certificate.from_pem`;
/// wherever a certificate is taken, a ``cryptography.x509.Certificate`` works too.
///
/// >>> import hybridtrust
/// >>> profile = hybridtrust.Profile.device_connector()
/// >>> store = hybridtrust.TrustStore.builder().add_profile_cas(profile).build()
/// >>> cert = store.anchors[0].certificate
/// >>> cert.is_ca
/// True
/// >>> hybridtrust.Certificate.from_der(cert.der) == cert
/// True
/// >>> len(cert.fingerprint)
/// 64
#[pyclass(frozen, module = "hybridtrust", name = "Certificate")]
pub struct PyCertificate {
    pub(crate) inner: hybridtrust::Certificate,
}

impl PyCertificate {
    pub(crate) fn der_bytes(&self) -> &[u8] {
        self.inner.der().as_ref()
    }
}

#[pymethods]
impl PyCertificate {
    /// Parses one DER-encoded certificate (``bytes``); raises ``ParseError``.
    #[classmethod]
    fn from_der(_cls: &Bound<'_, PyType>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let der = bytes_arg(data, "data", false)?;
        hybridtrust::Certificate::from_der(der)
            .map(|inner| Self { inner })
            .map_err(core_error)
    }

    /// Parses PEM text (``str`` or ``bytes``) holding exactly one certificate;
    /// raises ``ParseError``.
    #[classmethod]
    fn from_pem(_cls: &Bound<'_, PyType>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let bytes = bytes_arg(data, "data", true)?;
        if !bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            return Err(parse_error("no PEM BEGIN line in the data"));
        }
        let chain = hybridtrust::parse_chain(&bytes).map_err(core_error)?;
        if chain.len() != 1 {
            return Err(parse_error(format!(
                "the PEM text holds {} certificates; exactly one is expected",
                chain.len()
            )));
        }
        hybridtrust::Certificate::from_der(chain[0].to_vec())
            .map(|inner| Self { inner })
            .map_err(core_error)
    }

    /// Converts any accepted certificate form (``Certificate``, DER/PEM
    /// ``bytes``, ``cryptography.x509.Certificate``) to a ``Certificate``.
    #[classmethod]
    fn of(_cls: &Bound<'_, PyType>, cert: &Bound<'_, PyAny>) -> PyResult<Self> {
        let der = cert_der_arg(cert, "cert")?;
        hybridtrust::Certificate::from_der(der)
            .map(|inner| Self { inner })
            .map_err(core_error)
    }

    /// RFC 4514 subject, e.g. ``CN=HydrantID Server CA O1,O=IdenTrust,C=US``.
    #[getter]
    fn subject(&self) -> &str {
        self.inner.subject()
    }
    /// RFC 4514 issuer.
    #[getter]
    fn issuer(&self) -> &str {
        self.inner.issuer()
    }
    /// The first common name of the subject, if any.
    #[getter]
    fn common_name(&self) -> Option<&str> {
        self.inner.common_name()
    }
    /// SHA-256 of the DER, 64 upper-case hex digits.
    #[getter]
    fn fingerprint(&self) -> String {
        self.inner.fingerprint().to_string()
    }
    /// Serial number, upper-case hex.
    #[getter]
    fn serial(&self) -> String {
        self.inner.summary().serial
    }
    /// Start of validity (aware ``datetime`` in UTC).
    #[getter]
    fn not_before(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        time_out(py, self.inner.not_before())
    }
    /// End of validity (aware ``datetime`` in UTC).
    #[getter]
    fn not_after(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        time_out(py, self.inner.not_after())
    }
    /// DNS subjectAltNames as presented.
    #[getter]
    fn dns_names<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inner.dns_names())
    }
    /// URI subjectAltNames as presented (``sip:callservice.webex.com``).
    #[getter]
    fn uris<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inner.uris())
    }
    /// IP subjectAltNames, as strings.
    #[getter]
    fn ip_addresses<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.inner.ip_addresses().iter().map(|ip| ip.to_string()),
        )
    }
    /// Extended key usage OIDs (dotted), or ``None`` when the extension is absent.
    #[getter]
    fn extended_key_usage<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyTuple>>> {
        self.inner
            .extended_key_usage()
            .map(|oids| PyTuple::new(py, oids))
            .transpose()
    }
    /// True when basicConstraints says ``cA=TRUE``.
    #[getter]
    fn is_ca(&self) -> bool {
        self.inner.is_ca()
    }
    /// True when subject and issuer are the same name.
    #[getter]
    fn is_self_issued(&self) -> bool {
        self.inner.is_self_issued()
    }
    /// True when usable for TLS client authentication (no EKU, or clientAuth listed).
    #[getter]
    fn allows_client_auth(&self) -> bool {
        self.inner.allows_client_auth()
    }
    /// True when usable for TLS server authentication.
    #[getter]
    fn allows_server_auth(&self) -> bool {
        self.inner.allows_server_auth()
    }
    /// Public key type and size, e.g. ``ECDSA P-256`` or ``RSA 2048``.
    #[getter]
    fn key(&self) -> String {
        self.inner.key().to_string()
    }
    /// The DER encoding.
    #[getter]
    fn der<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.der_bytes())
    }
    /// PEM text of the certificate.
    fn to_pem(&self) -> String {
        self.inner.to_pem()
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyCertificate>()
            .is_ok_and(|o| o.get().der_bytes() == self.der_bytes())
    }
    fn __hash__(&self) -> u64 {
        let fp = self.inner.fingerprint().0;
        u64::from_be_bytes([fp[0], fp[1], fp[2], fp[3], fp[4], fp[5], fp[6], fp[7]])
    }
    fn __repr__(&self) -> String {
        format!(
            "<Certificate {:?} sha256={}>",
            self.inner.subject(),
            self.inner.fingerprint()
        )
    }
}
