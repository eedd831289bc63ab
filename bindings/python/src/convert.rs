//! Conversions at the boundary: Python values in (bytes, paths, datetimes,
//! enum names, chains), Python values out (enums, datetimes, dicts).

use std::path::{Path, PathBuf};
use std::time::Duration;

use hybridtrust::{CertificateDer, Limits, UnixTime};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyString, PyTuple, PyType};

use crate::cert::PyCertificate;
use crate::errors::{core_error, parse_error};

/// Bytes from `bytes`, `bytearray`, `memoryview` or (for PEM text) `str`.
pub(crate) fn bytes_arg(obj: &Bound<'_, PyAny>, what: &str, allow_str: bool) -> PyResult<Vec<u8>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    if allow_str {
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(s.to_cow()?.as_bytes().to_vec());
        }
    }
    if obj.get_type().name()? == "memoryview" {
        let b = obj.py().get_type::<PyBytes>().call1((obj,))?;
        return Ok(b.cast::<PyBytes>()?.as_bytes().to_vec());
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be bytes{}, not {}",
        if allow_str { " or str" } else { "" },
        obj.get_type().name()?
    )))
}

/// A filesystem path from `str` or `os.PathLike`.
pub(crate) fn path_arg(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<PathBuf> {
    obj.extract::<PathBuf>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be a str or os.PathLike path, not {}",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })
}

/// Reads a regular file of at most [`Limits::max_source_bytes`]: `OSError`
/// for a missing or unreadable file, a directory or a device; `ParseError`
/// past the limit.
pub(crate) fn read_file(path: &Path) -> PyResult<Vec<u8>> {
    Limits::default().read_file(path).map_err(core_error)
}

/// A timezone-aware `datetime.datetime` as a Unix time.
pub(crate) fn time_arg(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<UnixTime> {
    static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    let py = obj.py();
    let datetime = DATETIME.import(py, "datetime", "datetime")?;
    if !obj.is_instance(datetime)? {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a timezone-aware datetime.datetime, not {}",
            obj.get_type().name()?
        )));
    }
    if obj.call_method0("utcoffset")?.is_none() {
        return Err(PyValueError::new_err(format!(
            "{what} is a naive datetime; give it a time zone, e.g. datetime(2026, 6, 1, tzinfo=timezone.utc)"
        )));
    }
    let ts: f64 = obj.call_method0("timestamp")?.extract()?;
    if !ts.is_finite() || ts < 0.0 {
        return Err(PyValueError::new_err(format!(
            "{what} must not be before 1970-01-01T00:00:00Z"
        )));
    }
    Ok(UnixTime::since_unix_epoch(Duration::from_secs(ts as u64)))
}

/// A Unix time as an aware `datetime.datetime` in UTC.
pub(crate) fn time_out(py: Python<'_>, t: UnixTime) -> PyResult<Py<PyAny>> {
    static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    static UTC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let datetime = DATETIME.import(py, "datetime", "datetime")?;
    let utc = UTC.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py
            .import("datetime")?
            .getattr("timezone")?
            .getattr("utc")?
            .unbind())
    })?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("tz", utc.bind(py))?;
    Ok(datetime
        .call_method("fromtimestamp", (t.as_secs(),), Some(&kwargs))?
        .unbind())
}

/// An RFC 3339 time from the core (`CertSummary`, `CertRef`) as a datetime.
pub(crate) fn rfc3339_out(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    match hybridtrust::parse_time(text) {
        Ok(t) => time_out(py, t),
        Err(_) => Ok(PyString::new(py, text).into_any().unbind()),
    }
}

/// The kebab-case name serde gives a core enum value.
pub(crate) fn kebab<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A member of one of the enums of `hybridtrust._enums` (falls back to the
/// plain string for a value the Python enum does not know yet).
pub(crate) fn enum_out(py: Python<'_>, class: &str, value: &str) -> PyResult<Py<PyAny>> {
    static ENUMS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let module = ENUMS.get_or_try_init(py, || -> PyResult<Py<PyModule>> {
        Ok(py.import("hybridtrust._enums")?.unbind())
    })?;
    let cls = module.bind(py).getattr(class)?;
    match cls.call1((value,)) {
        Ok(member) => Ok(member.unbind()),
        Err(_) => Ok(PyString::new(py, value).into_any().unbind()),
    }
}

/// Reads an enum argument given as a member of the Python enum or its string value.
pub(crate) fn enum_arg<T: Copy>(
    obj: &Bound<'_, PyAny>,
    what: &str,
    table: &[(&str, T)],
) -> PyResult<T> {
    let Ok(s) = obj.cast::<PyString>() else {
        return Err(PyTypeError::new_err(format!(
            "{what} must be one of {}, not {}",
            names(table),
            obj.get_type().name()?
        )));
    };
    let s = s.to_cow()?;
    table
        .iter()
        .find(|(name, _)| *name == s)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            PyValueError::new_err(format!("{what} must be one of {}, not {s:?}", names(table)))
        })
}

fn names<T>(table: &[(&str, T)]) -> String {
    table
        .iter()
        .map(|(n, _)| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A JSON value as plain Python objects (dict, list, str, int, float, bool, None).
pub(crate) fn json_out(py: Python<'_>, value: &serde_json::Value) -> PyResult<Py<PyAny>> {
    use serde_json::Value;
    Ok(match value {
        Value::Null => py.None(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any().unbind(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any().unbind(),
            _ => n
                .as_f64()
                .unwrap_or(f64::NAN)
                .into_pyobject(py)?
                .into_any()
                .unbind(),
        },
        Value::String(s) => PyString::new(py, s).into_any().unbind(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_out(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_out(py, v)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

/// Serialises `value` and returns it as plain Python objects.
pub(crate) fn to_dict<T: serde::Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    let json = serde_json::to_value(value)
        .map_err(|e| PyValueError::new_err(format!("cannot serialise: {e}")))?;
    json_out(py, &json)
}

/// DER of a `cryptography.x509.Certificate` (or anything with
/// `public_bytes(Encoding.DER)`); `cryptography` is imported only here.
fn public_bytes_der(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let py = obj.py();
    let encoding = py
        .import("cryptography.hazmat.primitives.serialization")
        .and_then(|m| m.getattr("Encoding"))
        .and_then(|e| e.getattr("DER"))
        .map_err(|_| {
            PyTypeError::new_err(
                "an object with public_bytes() was given, but cryptography's Encoding.DER cannot be imported",
            )
        })?;
    let der = obj.call_method1("public_bytes", (encoding,))?;
    der.cast::<PyBytes>()
        .map(|b| b.as_bytes().to_vec())
        .map_err(|_| PyTypeError::new_err("public_bytes(Encoding.DER) did not return bytes"))
}

/// One certificate given as `Certificate`, DER `bytes`, or a
/// `cryptography.x509.Certificate`.
pub(crate) fn cert_der_arg(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    if let Ok(c) = obj.cast::<PyCertificate>() {
        return Ok(c.get().der_bytes().to_vec());
    }
    if obj.hasattr("public_bytes")? {
        return public_bytes_der(obj);
    }
    if obj.cast::<PyBytes>().is_ok() || obj.cast::<PyByteArray>().is_ok() {
        let bytes = bytes_arg(obj, what, false)?;
        let mut chain = parse_chain_bytes(&bytes)?;
        if chain.len() != 1 {
            return Err(parse_error(format!(
                "{what} holds {} certificates; exactly one is expected",
                chain.len()
            )));
        }
        return Ok(chain.remove(0).to_vec());
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be a hybridtrust.Certificate, DER/PEM bytes or a cryptography.x509.Certificate, not {}",
        obj.get_type().name()?
    )))
}

pub(crate) fn parse_chain_bytes(bytes: &[u8]) -> PyResult<Vec<CertificateDer<'static>>> {
    hybridtrust::parse_chain(bytes).map_err(crate::errors::core_error)
}

/// True when `bytes` is exactly one DER SEQUENCE (tag 0x30, a definite
/// length, contents to the end), as every DER certificate is. PEM text of a
/// certificate never is, so such an item needs no scan for a PEM header; and
/// were odd text taken for DER, the verifier would refuse it as malformed.
fn is_one_der_sequence(bytes: &[u8]) -> bool {
    let [0x30, first, rest @ ..] = bytes else {
        return false;
    };
    let (len, contents) = match *first {
        0..=0x7f => (usize::from(*first), rest),
        0x81..=0x84 => {
            let n = usize::from(first & 0x7f);
            if rest.len() < n {
                return false;
            }
            let len = rest[..n]
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            (len, &rest[n..])
        }
        _ => return false,
    };
    len == contents.len()
}

fn looks_like_pem(bytes: &[u8]) -> bool {
    const MARK: &[u8] = b"-----BEGIN ";
    // A byte test first: a DER certificate holds few '-' bytes, so this is a
    // fast scan rather than an 11-byte comparison at every offset.
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'-' && bytes[i..].starts_with(MARK))
}

/// A presented chain, leaf first: PEM `str`/`bytes`, one DER certificate as
/// `bytes`, a `pathlib.Path` to a PEM or DER file, a `Certificate`, a
/// `cryptography.x509.Certificate`, or a list/tuple of these (DER items are
/// taken as they are, so that the verifier can diagnose a malformed one).
/// PEM text is read within `limits` (the policy's): at most
/// `max_source_bytes` per item and `max_chain_certificates` blocks per item;
/// the verification then bounds the whole chain by `max_chain_certificates`.
pub(crate) fn chain_arg(
    obj: &Bound<'_, PyAny>,
    limits: &Limits,
) -> PyResult<Vec<CertificateDer<'static>>> {
    let limit = limits.max_source_bytes;
    let parse_chain_bytes = |bytes: &[u8]| {
        hybridtrust::parse_chain_within(limits, bytes).map_err(crate::errors::core_error)
    };
    if let Ok(s) = obj.cast::<PyString>() {
        let text = s.to_cow()?;
        if !text.contains("-----BEGIN ") {
            return Err(parse_error(
                "a chain given as str must be PEM text; pass a pathlib.Path to read a file",
            ));
        }
        return parse_chain_bytes(text.as_bytes());
    }
    if obj.cast::<PyBytes>().is_ok() || obj.cast::<PyByteArray>().is_ok() {
        return parse_chain_bytes(&bytes_arg(obj, "chain", false)?);
    }
    // Lists first: `hasattr` on a list raises and discards an AttributeError,
    // which would cost more than the rest of the conversion.
    let is_sequence = obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok();
    if !is_sequence && (obj.cast::<PyCertificate>().is_ok() || obj.hasattr("public_bytes")?) {
        return Ok(vec![CertificateDer::from(cert_der_arg(obj, "chain")?)]);
    }
    if is_sequence {
        let mut out = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            let item = item?;
            let what = format!("chain item #{i}");
            if let Ok(s) = item.cast::<PyString>() {
                out.extend(parse_chain_bytes(s.to_cow()?.as_bytes())?);
            } else if item.cast::<PyBytes>().is_ok() || item.cast::<PyByteArray>().is_ok() {
                let bytes = bytes_arg(&item, &what, false)?;
                if bytes.len() > limit {
                    return Err(parse_error(format!(
                        "{what} of {} bytes exceeds the limit of {limit} bytes",
                        bytes.len()
                    )));
                }
                if !is_one_der_sequence(&bytes) && looks_like_pem(&bytes) {
                    out.extend(parse_chain_bytes(&bytes)?);
                } else if bytes.is_empty() {
                    return Err(parse_error(format!("{what} is empty")));
                } else {
                    out.push(CertificateDer::from(bytes));
                }
            } else {
                out.push(CertificateDer::from(cert_der_arg(&item, &what)?));
            }
        }
        return Ok(out);
    }
    if let Ok(path) = obj.extract::<PathBuf>() {
        let bytes = limits.read_file(&path).map_err(crate::errors::core_error)?;
        return parse_chain_bytes(&bytes);
    }
    Err(PyTypeError::new_err(format!(
        "chain must be PEM text, DER/PEM bytes, a pathlib.Path, a Certificate, a cryptography.x509.Certificate, or a list of these; not {}",
        obj.get_type().name()?
    )))
}

/// An `int` argument (not a `bool`): `TypeError` for another type,
/// `ValueError` when out of range.
pub(crate) fn int_arg<T: for<'a, 'py> FromPyObject<'a, 'py>>(
    value: &Bound<'_, PyAny>,
    what: &str,
) -> PyResult<T> {
    if !value.is_instance_of::<pyo3::types::PyInt>()
        || value.is_instance_of::<pyo3::types::PyBool>()
    {
        return Err(PyTypeError::new_err(format!(
            "{what} must be an int, not {}",
            value.get_type().name()?
        )));
    }
    value
        .extract::<T>()
        .map_err(|_| PyValueError::new_err(format!("{what} is out of range")))
}
