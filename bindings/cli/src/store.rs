//! `hybridtrust store check` and `hybridtrust store export`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use hybridtrust::{Severity, TrustStore, UnixTime};
use serde_json::json;

use crate::output::{CliError, Output, Style, EXIT_NOT_TRUSTED, EXIT_OK};
use crate::render;
use crate::sources::{self, io_text, Defaults, Extra};
use crate::{ExportFormat, StoreArgs};

pub fn check(out: &Output, paths: &[PathBuf], at: Option<&str>) -> Result<u8, CliError> {
    let at = crate::time_arg(at)?;
    let extra = Extra {
        paths: paths.to_vec(),
        system: false,
    };
    let defaults = Defaults {
        cloud_cas: false,
        device_tool: false,
    };
    let store = sources::assemble(out, &defaults, &extra, at)?;
    let code = if store.worst_severity() == Some(Severity::Error) {
        EXIT_NOT_TRUSTED
    } else {
        EXIT_OK
    };
    let (errors, warnings, infos) = render::severity_counts(store.findings());
    if out.json() {
        let anchors: Vec<_> = store
            .anchors()
            .iter()
            .map(|a| {
                json!({
                    "certificate": a.certificate().summary(),
                    "provenance": render::provenance_json(a.provenance()),
                    "trust": render::trust_json(a),
                })
            })
            .collect();
        out.document(
            "store check",
            if code == EXIT_OK { "ok" } else { "findings" },
            code,
            json!({
                "validated_at": hybridtrust::format_time(store.assembled_at()),
                "anchors": anchors,
                "findings": render::findings_json(store.findings()),
                "summary": { "anchors": store.len(), "errors": errors, "warnings": warnings, "infos": infos },
            }),
        );
        return Ok(code);
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "validity checked at {}",
        hybridtrust::format_time(store.assembled_at())
    );
    let _ = writeln!(s, "\ntrusted CA certificates ({}):", store.len());
    for a in store.anchors() {
        let c = a.certificate();
        let _ = writeln!(s, "  {}", out.paint(Style::Bold, c.subject()));
        let _ = writeln!(
            s,
            "      valid {} .. {}  sha256 {}",
            hybridtrust::format_time(c.not_before()),
            hybridtrust::format_time(c.not_after()),
            c.fingerprint()
        );
        let _ = writeln!(s, "      from {}", a.provenance());
        if let Some(line) = render::trust_line(a) {
            let _ = writeln!(s, "      {}", out.paint(Style::Warn, &line));
        }
    }
    let _ = writeln!(s, "\nfindings ({}):", store.findings().len());
    if store.findings().is_empty() {
        let _ = writeln!(s, "  none");
    }
    for f in store.findings() {
        s.push_str(&render::finding_line(out, f));
    }
    let verdict = if code == EXIT_OK {
        out.paint(Style::Good, "ok")
    } else {
        out.paint(Style::Bad, "problems")
    };
    let _ = writeln!(
        s,
        "\nverdict: {verdict}: {} trusted; {}",
        render::count(store.len(), "CA certificate"),
        render::tally(errors, warnings, infos)
    );
    out.text(&s);
    Ok(code)
}

pub fn export(
    out: &Output,
    store_args: &StoreArgs,
    cloud_cas: bool,
    format: ExportFormat,
    at: Option<&str>,
    path: &Path,
) -> Result<u8, CliError> {
    let at: Option<UnixTime> = crate::time_arg(at)?;
    let defaults = Defaults {
        cloud_cas,
        device_tool: false,
    };
    let store = sources::assemble(out, &defaults, &store_args.into(), at)?;
    if store.is_empty() {
        return Err(CliError::input(
            "nothing to export: the store is empty (give --store PATH, or drop --no-cloud-cas)",
        ));
    }
    // A plain PEM or DER file cannot carry trust settings: restricted anchors
    // are left out (their trust-restricted findings say so), never widened.
    let exported = store.exportable_anchors().count();
    let left_out: Vec<_> = store
        .anchors()
        .iter()
        .filter(|a| !a.trust_settings().is_unrestricted())
        .collect();
    if exported == 0 {
        return Err(CliError::input(format!(
            "nothing to export: every one of the {} trusted CA certificates is restricted by its trust settings, which a plain export cannot carry",
            store.len()
        )));
    }
    let to_stdout = path == Path::new("-");
    let written: Vec<String> = match format {
        ExportFormat::Pem if to_stdout => {
            if out.json() {
                return Err(CliError::usage(
                    "--json cannot share stdout with a PEM bundle; give an OUT file",
                ));
            }
            out.text(&store.to_pem_bundle());
            return Ok(if store.worst_severity() == Some(Severity::Error) {
                EXIT_NOT_TRUSTED
            } else {
                EXIT_OK
            });
        }
        ExportFormat::Pem => {
            std::fs::write(path, store.to_pem_bundle())
                .map_err(|e| CliError::io(format!("{}: {}", path.display(), io_text(&e))))?;
            vec![path.display().to_string()]
        }
        ExportFormat::DerDir => write_der_dir(&store, path)?,
    };
    let (errors, warnings, infos) = render::severity_counts(store.findings());
    // The bundle is written either way; a certificate that was left out
    // (unparsable, expired, not a CA) makes the exit code say so.
    let code = if errors > 0 {
        EXIT_NOT_TRUSTED
    } else {
        EXIT_OK
    };
    if out.json() {
        out.document(
            "store export",
            if code == EXIT_OK { "ok" } else { "findings" },
            code,
            json!({
                "format": match format { ExportFormat::Pem => "pem", ExportFormat::DerDir => "der-dir" },
                "out": path.display().to_string(),
                "certificates": exported,
                "left_out": left_out.iter().map(|a| json!({
                    "certificate": a.certificate().summary(),
                    "provenance": render::provenance_json(a.provenance()),
                    "trust": render::trust_json(a),
                })).collect::<Vec<_>>(),
                "files": written,
                "findings": render::findings_json(store.findings()),
            }),
        );
    } else {
        let mut s = String::new();
        for f in store
            .findings()
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
        {
            s.push_str(&render::finding_line(out, f));
        }
        if !left_out.is_empty() {
            let _ = writeln!(
                s,
                "left out {}: restricted by OpenSSL trust settings, which a plain export cannot carry",
                render::count(left_out.len(), "CA certificate")
            );
        }
        let _ = writeln!(
            s,
            "exported {} to {} ({}); {} while assembling",
            render::count(exported, "CA certificate"),
            path.display(),
            match format {
                ExportFormat::Pem => "one PEM bundle, for an Expressway's trusted CA list",
                ExportFormat::DerDir => "one DER file per certificate",
            },
            render::tally(errors, warnings, infos)
        );
        out.text(&s);
    }
    Ok(code)
}

fn write_der_dir(store: &TrustStore, dir: &Path) -> Result<Vec<String>, CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::io(format!("{}: {}", dir.display(), io_text(&e))))?;
    let mut written = Vec::new();
    for a in store.exportable_anchors() {
        let c = a.certificate();
        let name = format!("{}.der", c.fingerprint());
        let p = dir.join(&name);
        std::fs::write(&p, c.der().as_ref())
            .map_err(|e| CliError::io(format!("{}: {}", p.display(), io_text(&e))))?;
        written.push(p.display().to_string());
    }
    Ok(written)
}
