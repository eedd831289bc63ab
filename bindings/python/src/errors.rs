//! The one place where core errors and diagnoses become Python exceptions.
//!
//! | core | Python |
//! |---|---|
//! | `Error::Store` (strict builder) | `hybridtrust.StoreError` with `.finding` |
//! | `Diagnosis` (verification failed) | `hybridtrust.VerificationError` with `.diagnosis` |
//! | `Error::Parse`, `Error::LimitExceeded` | `hybridtrust.ParseError` (also a `ValueError`) |
//! | `Error::InvalidName`, `Error::InvalidInput` | `ValueError` |
//! | `Error::Io` | `OSError` (`FileNotFoundError`, `PermissionError`, ... by errno) |
//! | anything else | `hybridtrust.HybridTrustError` |
//!
//! The exception classes are defined in Python (`hybridtrust/_errors.py`) so
//! that they are ordinary, subclassable Python exceptions on every version.

use std::path::Path;

use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

use crate::store::PyFinding;
use crate::verify::PyDiagnosis;

fn class<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
) -> PyResult<&'py Bound<'py, PyType>> {
    cell.import(py, "hybridtrust._errors", name)
}

fn raise(
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
    args: impl for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyTuple>>,
) -> PyErr {
    Python::attach(|py| {
        let made = class(py, cell, name).and_then(|cls| {
            let args = args(py)?;
            cls.call1(args)
        });
        match made {
            Ok(exc) => PyErr::from_value(exc),
            Err(e) => e,
        }
    })
}

static HYBRIDTRUST_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static STORE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static VERIFICATION_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static PARSE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `hybridtrust.ParseError(message)`.
pub(crate) fn parse_error(message: impl Into<String>) -> PyErr {
    let message = message.into();
    raise(&PARSE_ERROR, "ParseError", move |py| {
        pyo3::types::PyTuple::new(py, [message])
    })
}

/// `hybridtrust.VerificationError(diagnosis)`.
pub(crate) fn verification_error(diagnosis: hybridtrust::Diagnosis) -> PyErr {
    raise(&VERIFICATION_ERROR, "VerificationError", move |py| {
        let d = Py::new(py, PyDiagnosis::new(diagnosis))?;
        pyo3::types::PyTuple::new(py, [d])
    })
}

/// An `OSError` of the right subclass (chosen by Python from the errno), naming the path.
pub(crate) fn io_error(e: &std::io::Error, path: &Path) -> PyErr {
    let path = path.display().to_string();
    match e.raw_os_error() {
        Some(errno) => PyOSError::new_err((errno, e.to_string(), path)),
        None => PyOSError::new_err(format!("{path}: {e}")),
    }
}

/// Maps a core error to its Python exception.
pub(crate) fn core_error(e: hybridtrust::Error) -> PyErr {
    use hybridtrust::Error;
    match e {
        Error::Store(finding) => {
            let message = e_to_string(&finding);
            raise(&STORE_ERROR, "StoreError", move |py| {
                let f = Py::new(py, PyFinding::new(*finding))?;
                pyo3::types::PyTuple::new(
                    py,
                    [
                        message.into_pyobject(py)?.into_any(),
                        f.into_bound(py).into_any(),
                    ],
                )
            })
        }
        Error::Parse(_) | Error::LimitExceeded { .. } => parse_error(e.to_string()),
        Error::InvalidName { .. } | Error::InvalidInput(_) => PyValueError::new_err(e.to_string()),
        Error::Io {
            ref path,
            ref source,
        } => io_error(source, path),
        Error::AlreadyBuilt => PyRuntimeError::new_err(e.to_string()),
        other => {
            let message = other.to_string();
            raise(&HYBRIDTRUST_ERROR, "HybridTrustError", move |py| {
                pyo3::types::PyTuple::new(py, [message])
            })
        }
    }
}

fn e_to_string(finding: &hybridtrust::Finding) -> String {
    format!("trust store rejected: {finding}")
}
