//! `hybridtrust preflight`: is this deployment's trust store ready?

use std::fmt::Write as _;

use hybridtrust::{device_tool_certs_dir, CaStatus, EkuMode, Profile, Severity, UnixTime};
use serde_json::json;

use crate::output::{CliError, Output, Style, EXIT_NOT_TRUSTED, EXIT_OK};
use crate::render;
use crate::sources::{self, Defaults};
use crate::PreflightArgs;

const SOON: u64 = 30;
const LATER: u64 = 90;

pub fn run(out: &Output, a: PreflightArgs) -> Result<u8, CliError> {
    let at = crate::time_arg(a.at.as_deref())?;
    let defaults = Defaults {
        cloud_cas: true,
        device_tool: true,
    };
    let store = sources::assemble(out, &defaults, &(&a.store).into(), at)?;
    let now = at.unwrap_or_else(UnixTime::now);
    let profiles = [Profile::device_connector(), Profile::expressway_e()];
    let cas = profiles[0].check_store(&store);
    let missing_required: Vec<_> = cas
        .iter()
        .filter(|p| p.ca.status == CaStatus::Required && p.present.is_none())
        .collect();

    // Certificates that expire soon (anchors only: the store's own content).
    let mut expiring = Vec::new();
    for anchor in store.anchors() {
        let c = anchor.certificate();
        let left = c.not_after().as_secs().saturating_sub(now.as_secs()) / 86_400;
        if c.not_after().as_secs() > now.as_secs() && left <= LATER {
            expiring.push((left, anchor));
        }
    }
    expiring.sort_by_key(|(d, _)| *d);
    // Anchors whose OpenSSL trust settings restrict them.
    let restricted: Vec<_> = store
        .anchors()
        .iter()
        .filter(|a| !a.trust_settings().is_unrestricted())
        .collect();

    let (errors, warnings, infos) = render::severity_counts(store.findings());
    let ready = missing_required.is_empty() && store.worst_severity() != Some(Severity::Error);
    let code = if ready { EXIT_OK } else { EXIT_NOT_TRUSTED };
    let device_dir = device_tool_certs_dir().map(|d| d.display().to_string());
    let verdict = if ready {
        format!(
            "ready: every required cloud CA is present; {} trusted, {}",
            render::count(store.len(), "CA certificate"),
            render::tally(errors, warnings, infos)
        )
    } else if !missing_required.is_empty() {
        format!(
            "not ready: required cloud CA missing ({}); {}",
            missing_required
                .iter()
                .map(|p| p.ca.name)
                .collect::<Vec<_>>()
                .join(", "),
            render::tally(errors, warnings, infos)
        )
    } else {
        format!("not ready: {}", render::tally(errors, warnings, infos))
    };

    if out.json() {
        let cloud: Vec<_> = cas
            .iter()
            .map(|p| {
                json!({
                    "name": p.ca.name,
                    "subject": p.ca.subject,
                    "sha256": p.ca.sha256,
                    "status": p.ca.status,
                    "role": p.ca.role,
                    "present": p.present.is_some(),
                    "provenance": p.present.as_ref().map(render::provenance_json),
                    "embedded": p.embedded,
                })
            })
            .collect();
        let exp: Vec<_> = expiring
            .iter()
            .map(|(d, a)| {
                json!({
                    "days_left": d,
                    "within": if *d <= SOON { 30 } else { 90 },
                    "certificate": a.certificate().summary(),
                    "provenance": render::provenance_json(a.provenance()),
                })
            })
            .collect();
        out.document(
            "preflight",
            if ready { "ready" } else { "not-ready" },
            code,
            json!({
                "validated_at": hybridtrust::format_time(now),
                "profiles": profiles.iter().map(|p| json!({"name": p.name(), "description": p.description()})).collect::<Vec<_>>(),
                "device_tool_certs": device_dir,
                "zone": profiles[1].zone().map(|z| json!({
                    "name": z.name,
                    "subject_name": z.subject_name,
                    "eku_mode": z.eku_mode,
                    "mutual_tls": z.mutual_tls,
                })),
                "anchors": store.len(),
                "restricted_anchors": restricted.iter().map(|a| json!({
                    "certificate": a.certificate().summary(),
                    "provenance": render::provenance_json(a.provenance()),
                    "trust": render::trust_json(a),
                })).collect::<Vec<_>>(),
                "cloud_cas": cloud,
                "findings": render::findings_json(store.findings()),
                "expiring": exp,
                "verdict": verdict,
            }),
        );
        return Ok(code);
    }

    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}",
        out.paint(
            Style::Bold,
            "hybridtrust preflight: the trust store of this hybrid deployment"
        )
    );
    let _ = writeln!(s, "checked at: {}", hybridtrust::format_time(now));
    for p in &profiles {
        let _ = writeln!(s, "profile:    {}: {}", p.name(), p.description());
    }
    let mut sources = vec!["embedded Webex cloud CAs".to_string()];
    sources.push(format!(
        "device tool folder {}",
        device_dir
            .as_deref()
            .unwrap_or("[home]/.devicestool/certs (home unknown)")
    ));
    for p in &a.store.stores {
        sources.push(p.display().to_string());
    }
    if a.store.system {
        sources.push("the OS store".into());
    }
    let _ = writeln!(
        s,
        "store:      {} from {}",
        render::count(store.len(), "CA certificate"),
        sources.join(", ")
    );

    if let Some(z) = profiles[1].zone() {
        let _ = writeln!(
            s,
            "zone:       {}: TLS verify subject name '{}'; outbound: the name in a SAN; inbound: in the CN or a SAN, else the Default Zone; EKU mode {}",
            z.name,
            z.subject_name,
            match z.eku_mode {
                EkuMode::Strict => "strict (clientAuth required)",
                _ => "transition (serverAuth-only accepted)",
            }
        );
    }
    let _ = writeln!(s, "\ncloud CAs:");
    for p in &cas {
        let mark = match (&p.present, p.ca.status) {
            (Some(_), _) => out.paint(Style::Good, "present"),
            (None, CaStatus::Required) => out.paint(Style::Bad, "MISSING"),
            (None, CaStatus::Legacy) => out.paint(Style::Dim, "absent "),
        };
        let _ = writeln!(s, "  {mark}  {:<8} {}", p.ca.status.to_string(), p.ca.name);
        match &p.present {
            Some(prov) => {
                let _ = writeln!(s, "           from {prov}; {}", p.ca.role);
            }
            None if !p.embedded => {
                let _ = writeln!(
                    s,
                    "           no longer in Mozilla's root program; {}",
                    p.ca.role
                );
            }
            None => {
                let _ = writeln!(s, "           {}", p.ca.role);
            }
        }
    }

    let _ = writeln!(s, "\nfindings ({}):", store.findings().len());
    if store.findings().is_empty() {
        let _ = writeln!(s, "  none");
    }
    for f in store.findings() {
        s.push_str(&render::finding_line(out, f));
    }

    if !restricted.is_empty() {
        let _ = writeln!(s, "\nrestricted by trust settings:");
        for a in &restricted {
            let _ = writeln!(
                s,
                "  {}, from {}",
                a.certificate().subject(),
                a.provenance()
            );
            if let Some(line) = render::trust_line(a) {
                let _ = writeln!(s, "      {line}");
            }
        }
    }

    let _ = writeln!(s, "\nexpiring:");
    for (label, lo, hi) in [
        ("within 30 days", 0, SOON),
        ("within 90 days", SOON + 1, LATER),
    ] {
        let list: Vec<_> = expiring
            .iter()
            .filter(|(d, _)| *d >= lo && *d <= hi)
            .collect();
        if list.is_empty() {
            let _ = writeln!(s, "  {label}: none");
        } else {
            let _ = writeln!(s, "  {label}:");
            for (d, a) in list {
                let _ = writeln!(
                    s,
                    "    {} expires {} (in {d} days), from {}",
                    a.certificate().subject(),
                    hybridtrust::format_time(a.certificate().not_after()),
                    a.provenance()
                );
            }
        }
    }
    let painted = if ready {
        out.paint(Style::Good, &verdict)
    } else {
        out.paint(Style::Bad, &verdict)
    };
    let _ = writeln!(s, "\nverdict: {painted}");
    out.text(&s);
    Ok(code)
}
