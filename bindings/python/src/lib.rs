//! The native part of the `hybridtrust` Python package (`hybridtrust._hybridtrust`).
//!
//! A thin layer over the core crate: every class is an immutable
//! (`frozen`) wrapper of a core value, verification and store assembly run
//! with the GIL released, and the `errors` module is the one place where core errors
//! become Python exceptions. The public Python API is `python/hybridtrust/`,
//! which re-exports this module; the enums and exception classes are plain
//! Python (`_enums.py`, `_errors.py`).

mod cert;
mod convert;
mod errors;
mod name;
mod profile;
mod store;
mod verify;

use pyo3::prelude::*;

/// The native module, re-exported by `hybridtrust/__init__.py`.
#[pymodule]
fn _hybridtrust(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<cert::PyCertificate>()?;
    m.add_class::<store::PyTrustStoreBuilder>()?;
    m.add_class::<store::PyTrustStore>()?;
    m.add_class::<store::PyFinding>()?;
    m.add_class::<store::PyProvenance>()?;
    m.add_class::<store::PyAnchor>()?;
    m.add_class::<verify::PyPolicy>()?;
    m.add_class::<verify::PyVerifier>()?;
    m.add_class::<verify::PyVerified>()?;
    m.add_class::<verify::PyPathEntry>()?;
    m.add_class::<verify::PyWarning>()?;
    m.add_class::<verify::PyCertRef>()?;
    m.add_class::<verify::PyDiagnosis>()?;
    m.add_class::<name::PyIdentityRule>()?;
    m.add_class::<name::PyNameMatch>()?;
    m.add_class::<name::PyNameMismatch>()?;
    m.add_class::<profile::PyProfile>()?;
    m.add_class::<profile::PyCloudCa>()?;
    m.add_class::<profile::PyCaPresence>()?;
    m.add_class::<profile::PyZone>()?;
    m.add_class::<profile::PyInbound>()?;
    m.add_function(wrap_pyfunction!(verify::verify, m)?)?;
    m.add_function(wrap_pyfunction!(verify::parse_chain, m)?)?;
    m.add_function(wrap_pyfunction!(store::device_tool_certs_dir, m)?)?;
    Ok(())
}
