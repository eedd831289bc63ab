//! `IdentityRule` and its outcomes `NameMatch` / `NameMismatch`.

use hybridtrust::{IdentityRule, MatchedName, RuleKind, WildcardMode};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple, PyType};

use crate::convert::{cert_der_arg, enum_arg, enum_out, kebab, to_dict};
use crate::errors::core_error;

pub(crate) const RULE_KINDS: &[(&str, RuleKind)] = &[
    ("san", RuleKind::San),
    ("san-then-cn", RuleKind::SanThenCn),
    ("cn-or-san", RuleKind::CnOrSan),
];
pub(crate) const WILDCARD_MODES: &[(&str, WildcardMode)] = &[
    ("disallowed", WildcardMode::Disallowed),
    ("leftmost-label", WildcardMode::LeftmostLabel),
];

/// Aliases from a ``dict`` {name: note} or pairs (name, note).
pub(crate) fn aliases_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, String)>> {
    let Some(obj) = obj else {
        return Ok(Vec::new());
    };
    if obj.is_none() {
        return Ok(Vec::new());
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        return d
            .iter()
            .map(|(k, v)| Ok((k.extract::<String>()?, v.extract::<String>()?)))
            .collect::<PyResult<Vec<_>>>()
            .map_err(|_| PyTypeError::new_err("aliases must map str names to str notes"));
    }
    let mut out = Vec::new();
    for item in obj.try_iter().map_err(|_| {
        PyTypeError::new_err("aliases must be a dict {name: note} or (name, note) pairs")
    })? {
        let pair: (String, String) = item?
            .extract()
            .map_err(|_| PyTypeError::new_err("aliases must be (name, note) pairs of str"))?;
        out.push(pair);
    }
    Ok(out)
}

/// An expected identity and the rule that checks it.
///
/// ``kind`` is :class:`RuleKind` (``"san"``: DNS/IP SANs only, RFC 6125;
/// ``"san-then-cn"``: RFC 5922 7.1, ``sip:`` URI SANs, DNS SANs only without
/// a ``sip:`` URI SAN, the CN only without any subjectAltName;
/// ``"cn-or-san"``: Expressway's inbound mapping). ``wildcards`` is
/// :class:`WildcardMode` (default ``"leftmost-label"``). ``aliases`` are names
/// known to stand for the same peer: a mismatch against one earns a hint.
/// Only the expected name is normalised (IDNA A-label, lower case); presented
/// names compare as ASCII, case-insensitively, and a presented name with a
/// non-ASCII character or a trailing dot never matches.
///
/// >>> import hybridtrust
/// >>> rule = hybridtrust.IdentityRule("CallService.Webex.com", kind="san")
/// >>> rule.name, rule.kind
/// ('callservice.webex.com', <RuleKind.SAN: 'san'>)
/// >>> hybridtrust.IdentityRule("*.webex.com")
/// Traceback (most recent call last):
/// ...
/// ValueError: invalid reference name "*.webex.com": a reference name cannot hold a wildcard
#[pyclass(frozen, module = "hybridtrust", name = "IdentityRule")]
pub struct PyIdentityRule {
    pub(crate) inner: IdentityRule,
}

#[pymethods]
impl PyIdentityRule {
    #[new]
    #[pyo3(signature = (name, kind = None, *, wildcards = None, aliases = None))]
    fn new(
        name: &str,
        kind: Option<&Bound<'_, PyAny>>,
        wildcards: Option<&Bound<'_, PyAny>>,
        aliases: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let kind = match kind {
            Some(k) => enum_arg(k, "kind", RULE_KINDS)?,
            None => RuleKind::San,
        };
        let mut rule = IdentityRule::new(kind, name).map_err(core_error)?;
        if let Some(w) = wildcards {
            rule = rule.with_wildcards(enum_arg(w, "wildcards", WILDCARD_MODES)?);
        }
        for (alias, note) in aliases_arg(aliases)? {
            rule = rule.with_alias(&alias, &note);
        }
        Ok(Self { inner: rule })
    }

    /// A ``"san"`` rule: the name must be a DNS or IP SAN (RFC 6125).
    #[classmethod]
    fn san(_cls: &Bound<'_, PyType>, name: &str) -> PyResult<Self> {
        IdentityRule::san(name)
            .map(|inner| Self { inner })
            .map_err(core_error)
    }
    /// A ``"san-then-cn"`` rule (RFC 5922).
    #[classmethod]
    fn san_then_cn(_cls: &Bound<'_, PyType>, name: &str) -> PyResult<Self> {
        IdentityRule::san_then_cn(name)
            .map(|inner| Self { inner })
            .map_err(core_error)
    }
    /// A ``"cn-or-san"`` rule (Expressway's inbound mapping).
    #[classmethod]
    fn cn_or_san(_cls: &Bound<'_, PyType>, name: &str) -> PyResult<Self> {
        IdentityRule::cn_or_san(name)
            .map(|inner| Self { inner })
            .map_err(core_error)
    }

    /// The expected name (lower case; A-labels for internationalized names).
    #[getter]
    fn name(&self) -> String {
        self.inner.reference().to_string()
    }
    /// :class:`RuleKind`.
    #[getter]
    fn kind(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "RuleKind", &kebab(&self.inner.kind()))
    }
    /// :class:`WildcardMode`.
    #[getter]
    fn wildcards(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "WildcardMode", &kebab(&self.inner.wildcards()))
    }
    /// Known aliases as a ``dict`` {name: note}.
    #[getter]
    fn aliases<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for a in self.inner.aliases() {
            d.set_item(&a.name, &a.note)?;
        }
        Ok(d)
    }

    /// Checks a certificate (:class:`Certificate`, DER/PEM ``bytes`` or
    /// ``cryptography.x509.Certificate``): returns a :class:`NameMatch`
    /// (truthy) or a :class:`NameMismatch` (falsy) saying what was presented.
    fn check(&self, cert: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = cert.py();
        let der = cert_der_arg(cert, "cert")?;
        let cert = hybridtrust::Certificate::from_der(der).map_err(core_error)?;
        Ok(match self.inner.check(&cert) {
            Ok(m) => Py::new(py, PyNameMatch::new(m))?.into_any(),
            Err(miss) => Py::new(py, PyNameMismatch::new(miss))?.into_any(),
        })
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyIdentityRule>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }
    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.inner.hash(&mut h);
        h.finish()
    }
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
    fn __repr__(&self) -> String {
        format!(
            "<IdentityRule {:?} kind={} wildcards={}>",
            self.inner.reference().to_string(),
            kebab(&self.inner.kind()),
            kebab(&self.inner.wildcards())
        )
    }
}

/// A successful identity check: which field matched. Truthy.
#[pyclass(frozen, module = "hybridtrust", name = "NameMatch")]
pub struct PyNameMatch {
    inner: hybridtrust::NameMatch,
}

impl PyNameMatch {
    pub(crate) fn new(inner: hybridtrust::NameMatch) -> Self {
        Self { inner }
    }
    pub(crate) fn value_of(m: &MatchedName) -> String {
        match m {
            MatchedName::DnsSan(n) | MatchedName::UriSan(n) | MatchedName::CommonName(n) => {
                n.clone()
            }
            MatchedName::IpSan(ip) => ip.to_string(),
        }
    }
}

#[pymethods]
impl PyNameMatch {
    /// The :class:`RuleKind` that decided.
    #[getter]
    fn rule(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "RuleKind", &kebab(&self.inner.rule))
    }
    /// The expected name.
    #[getter]
    fn expected(&self) -> &str {
        &self.inner.expected
    }
    /// The field that matched: ``"dns-san"``, ``"uri-san"``, ``"ip-san"`` or ``"common-name"``.
    #[getter]
    fn field(&self) -> &'static str {
        match self.inner.matched {
            MatchedName::DnsSan(_) => "dns-san",
            MatchedName::UriSan(_) => "uri-san",
            MatchedName::IpSan(_) => "ip-san",
            MatchedName::CommonName(_) => "common-name",
        }
    }
    /// The presented value that matched.
    #[getter]
    fn value(&self) -> String {
        Self::value_of(&self.inner.matched)
    }
    /// True when the match went through a wildcard.
    #[getter]
    fn wildcard(&self) -> bool {
        self.inner.wildcard
    }
    /// The fields as a ``dict``.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __bool__(&self) -> bool {
        true
    }
    fn __str__(&self) -> String {
        self.inner.matched.to_string()
    }
    fn __repr__(&self) -> String {
        format!(
            "<NameMatch {:?} by {} ({} rule)>",
            self.inner.expected, self.inner.matched, self.inner.rule
        )
    }
}

/// A failed identity check: what was expected, what was presented, the
/// nearest name and a known alias. Falsy.
#[pyclass(frozen, module = "hybridtrust", name = "NameMismatch")]
pub struct PyNameMismatch {
    inner: hybridtrust::NameMismatch,
}

impl PyNameMismatch {
    pub(crate) fn new(inner: hybridtrust::NameMismatch) -> Self {
        Self { inner }
    }
}

#[pymethods]
impl PyNameMismatch {
    /// The :class:`RuleKind` that decided.
    #[getter]
    fn rule(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        enum_out(py, "RuleKind", &kebab(&self.inner.rule))
    }
    /// The expected name.
    #[getter]
    fn expected(&self) -> &str {
        &self.inner.expected
    }
    /// DNS SANs presented (control, bidi and invisible characters escaped).
    #[getter]
    fn presented_dns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.inner.presented_dns)
    }
    /// URI SANs presented (escaped); only the SAN-then-CN rule reads them.
    #[getter]
    fn presented_uris<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.inner.presented_uris)
    }
    /// IP SANs presented, as strings.
    #[getter]
    fn presented_ips<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inner.presented_ips.iter().map(|i| i.to_string()))
    }
    /// The subject CN presented (escaped).
    #[getter]
    fn presented_cn(&self) -> Option<&str> {
        self.inner.presented_cn.as_deref()
    }
    /// The usable presented name closest to the expected one.
    #[getter]
    fn nearest(&self) -> Option<&str> {
        self.inner.nearest.as_deref()
    }
    /// True when ``nearest`` is within two edits of the expected name (a likely typo).
    #[getter]
    fn near_miss(&self) -> bool {
        self.inner.near_miss
    }
    /// A known alias the certificate presents, as ``(name, note)``, or ``None``.
    #[getter]
    fn alias(&self) -> Option<(String, String)> {
        self.inner
            .alias
            .as_ref()
            .map(|a| (a.name.clone(), a.note.clone()))
    }
    /// Why candidate fields were not used.
    #[getter]
    fn notes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.inner.notes)
    }
    /// The fields as a ``dict``.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_dict(py, &self.inner)
    }
    fn __bool__(&self) -> bool {
        false
    }
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
    fn __repr__(&self) -> String {
        format!("<NameMismatch {}>", self.inner)
    }
}
