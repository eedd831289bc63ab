//! `hybridtrust chain verify`.

use std::fmt::Write as _;
use std::path::Path;

use hybridtrust::{
    parse_chain, CertificateDer, Crl, Diagnosis, EkuMode, IdentityRule, Inbound, Policy,
    RevocationScope, TrustStore, UnknownStatus, Usage, Verified, Zone,
};
use serde_json::{json, Value};

use crate::output::{CliError, Output, Style, EXIT_NOT_TRUSTED, EXIT_OK};
use crate::render;
use crate::sources::{self, io_text, Defaults};
use crate::{ChainVerifyArgs, CrlScopeArg, EkuModeArg, IdentityArgs, UsageArg};

/// The identity check a command applies.
pub enum Identity {
    /// No name check.
    None,
    /// A zone: outbound (server usage) or inbound classification (client usage).
    Zone(Zone),
    /// An explicit name.
    Name(IdentityRule),
}

impl Identity {
    /// The same identity; a zone gets `checks` in place of its own setting.
    pub fn with_profile_checks(self, checks: hybridtrust::ProfileChecks) -> Self {
        match self {
            Identity::Zone(z) => Identity::Zone(z.with_profile_checks(checks)),
            other => other,
        }
    }

    /// From `--zone` / `--name`, for `usage`.
    pub fn from_args(a: &IdentityArgs, usage: Usage) -> Result<Self, CliError> {
        if let Some(z) = &a.zone {
            return Ok(Identity::Zone(zone_arg(z)?));
        }
        if let Some(n) = &a.name {
            let rule = match usage {
                Usage::ServerAuth => IdentityRule::san(n),
                _ => IdentityRule::cn_or_san(n),
            }
            .map_err(|e| CliError::usage(format!("--name: {e}")))?;
            return Ok(Identity::Name(rule));
        }
        Ok(Identity::None)
    }

    /// One line saying what is checked.
    pub fn describe(&self, usage: Usage) -> String {
        match (self, usage) {
            (Identity::None, _) => "no name check".into(),
            (Identity::Zone(z), Usage::ServerAuth) => {
                format!(
                    "zone '{}': '{}' in a SAN (outbound)",
                    z.name, z.subject_name
                )
            }
            (Identity::Zone(z), _) => format!(
                "zone '{}': '{}' in the CN or a SAN (inbound mapping)",
                z.name, z.subject_name
            ),
            (Identity::Name(r), _) => r.to_string(),
        }
    }

    /// JSON form of what is checked.
    pub fn json(&self) -> Value {
        match self {
            Identity::None => Value::Null,
            Identity::Zone(z) => json!({ "zone": z.name, "subject_name": z.subject_name }),
            Identity::Name(r) => json!({ "name": r.reference().to_string(), "rule": r.kind() }),
        }
    }

    /// Verifies `chain`; for a zone and client usage, classifies it inbound.
    pub fn verify(
        &self,
        store: &TrustStore,
        chain: &[CertificateDer<'_>],
        policy: &Policy,
    ) -> Result<(Verified, Option<String>), Diagnosis> {
        match self {
            Identity::None => hybridtrust::verify(store, chain, policy, None).map(|v| (v, None)),
            Identity::Name(r) => {
                hybridtrust::verify(store, chain, policy, Some(r)).map(|v| (v, None))
            }
            Identity::Zone(z) if policy.usage() == Usage::ServerAuth => {
                z.verify_outbound(store, chain, policy).map(|v| (v, None))
            }
            Identity::Zone(z) => match z.classify_inbound(store, chain, policy) {
                Inbound::Mapped { zone, verified } => Ok((verified, Some(zone))),
                Inbound::DefaultZone { diagnosis } => Err(diagnosis),
            },
        }
    }
}

/// `--zone webex-hybrid` or a zone file.
pub fn zone_arg(z: &str) -> Result<Zone, CliError> {
    if z == "webex-hybrid" {
        return Ok(Zone::webex_hybrid());
    }
    let bytes = hybridtrust::Limits::default()
        .read_file(z)
        .map_err(|e| match e {
            hybridtrust::Error::Io { source, .. } => CliError::io(format!(
                "--zone {z}: {} (give `webex-hybrid` or a zone definition file)",
                io_text(&source)
            )),
            other => CliError::input(format!("--zone {z}: {other}")),
        })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::input(format!("--zone {z}: the zone file is not UTF-8 text")))?;
    Zone::from_json(&text).map_err(|e| CliError::input(format!("--zone {z}: {e}")))
}

/// Reads a chain file.
pub fn read_chain(path: &Path) -> Result<Vec<CertificateDer<'static>>, CliError> {
    let bytes = sources::read_input(path)?;
    parse_chain(&bytes)
        .map_err(|e| CliError::input(format!("{}: not a certificate chain: {e}", path.display())))
}

/// The store for a command that verifies: `--store`/`--system` when given,
/// else the deployment's default store (embedded cloud CAs and the device
/// tool folder). Returns the store and a description of its sources.
pub fn store_for_verify(
    out: &Output,
    extra: &crate::StoreArgs,
    at: Option<hybridtrust::UnixTime>,
) -> Result<(TrustStore, String), CliError> {
    let explicit = !extra.stores.is_empty() || extra.system;
    let defaults = Defaults {
        cloud_cas: !explicit,
        device_tool: !explicit,
    };
    let store = sources::assemble(out, &defaults, &extra.into(), at)?;
    let mut what: Vec<String> = extra
        .stores
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    if extra.system {
        what.push("the OS store".into());
    }
    if !explicit {
        what.push("the embedded Webex cloud CAs and [home]/.devicestool/certs (default)".into());
    }
    let mut text = format!(
        "{} from {}",
        render::count(store.len(), "CA certificate"),
        what.join(", ")
    );
    let (errors, warnings, _) = render::severity_counts(store.findings());
    if errors + warnings > 0 {
        let _ = write!(
            text,
            " ({} while reading it; see `hybridtrust store check`)",
            render::count(errors + warnings, "finding")
        );
    }
    Ok((store, text))
}

pub fn verify(out: &Output, a: ChainVerifyArgs) -> Result<u8, CliError> {
    let at = crate::time_arg(a.at.as_deref())?;
    let usage = match a.usage {
        UsageArg::Server => Usage::ServerAuth,
        UsageArg::Client => Usage::ClientAuth,
    };
    let mut identity = Identity::from_args(&a.identity, usage)?;
    let mut policy = Policy::for_usage(usage);
    if let Some(at) = at {
        policy = policy.with_time(at);
    }
    if let Some(mode) = a.eku_mode {
        let mode = match mode {
            EkuModeArg::Strict => EkuMode::Strict,
            EkuModeArg::Transition => EkuMode::AcceptServerAuthOnly,
        };
        policy = policy.with_eku_mode(mode);
        if let Identity::Zone(z) = identity {
            identity = Identity::Zone(z.with_eku_mode(mode));
        }
    }
    if let Some(checks) = a.profile_checks {
        identity = identity.with_profile_checks(checks.core());
        policy = policy.with_profile_checks(checks.core());
    }
    let mut crls = Vec::new();
    for path in &a.crls {
        let bytes = sources::read_input(path)?;
        crls.extend(
            Crl::parse_all(&bytes)
                .map_err(|e| CliError::input(format!("{}: {e}", path.display())))?,
        );
    }
    if !crls.is_empty() {
        policy = policy
            .with_crls(crls)
            .with_revocation_scope(match a.crl_scope {
                CrlScopeArg::Leaf => RevocationScope::EndEntity,
                CrlScopeArg::Chain => RevocationScope::Chain,
            });
        if a.allow_unknown_status {
            policy = policy.with_unknown_status(UnknownStatus::Allow);
        }
    }
    // Read every chain before assembling, so a bad file fails fast.
    let chains: Vec<_> = a
        .chains
        .iter()
        .map(|p| read_chain(p).map(|c| (p, c)))
        .collect::<Result<_, _>>()?;
    let (store, store_text) = store_for_verify(out, &a.store, at)?;

    let mut code = EXIT_OK;
    let mut text = String::new();
    let mut results = Vec::new();
    let _ = writeln!(text, "store: {store_text}");
    let _ = writeln!(
        text,
        "check: {} for {}",
        identity.describe(usage),
        usage_text(usage)
    );
    for (path, chain) in &chains {
        let _ = write!(
            text,
            "\n{}: ",
            out.paint(Style::Bold, &path.display().to_string())
        );
        match identity.verify(&store, chain, &policy) {
            Ok((v, zone)) => {
                text.push_str(&render::verified_text(out, &v));
                if let Some(z) = &zone {
                    let _ = writeln!(text, "  inbound: mapped into zone '{z}'");
                }
                let mut j = render::verified_json(&v);
                j["file"] = json!(path.display().to_string());
                j["verdict"] = json!("trusted");
                j["inbound"] = json!(zone.map(|z| json!({ "mapped": true, "zone": z })));
                results.push(j);
            }
            Err(d) => {
                code = EXIT_NOT_TRUSTED;
                let _ = writeln!(text, "{}", out.paint(Style::Bad, "NOT TRUSTED"));
                let _ = writeln!(text, "  presented chain:");
                for line in render::presented_text(chain).lines() {
                    let _ = writeln!(text, "  {line}");
                }
                let _ = writeln!(text, "  diagnosis:");
                for line in render::diagnosis_text(&d).lines() {
                    let _ = writeln!(text, "  {line}");
                }
                let inbound = matches!((&identity, usage), (Identity::Zone(_), Usage::ClientAuth));
                if inbound {
                    let _ = writeln!(text, "  inbound: not mapped; Expressway would handle the call in the Default Zone");
                }
                results.push(json!({
                    "file": path.display().to_string(),
                    "verdict": "not-trusted",
                    "presented": render::presented_json(chain),
                    "diagnosis": render::diagnosis_json(&d),
                    "inbound": inbound.then(|| json!({ "mapped": false, "zone": "default" })),
                }));
            }
        }
    }
    let trusted = results.iter().filter(|r| r["verdict"] == "trusted").count();
    let _ = writeln!(
        text,
        "\nverdict: {} ({trusted} of {} chains trusted)",
        if code == EXIT_OK {
            out.paint(Style::Good, "trusted")
        } else {
            out.paint(Style::Bad, "not trusted")
        },
        results.len()
    );
    if out.json() {
        out.document(
            "chain verify",
            if code == EXIT_OK { "trusted" } else { "not-trusted" },
            code,
            json!({
                "usage": usage_text(usage),
                "identity": identity.json(),
                "store": { "anchors": store.len(), "findings": render::findings_json(store.findings()) },
                "results": results,
            }),
        );
    } else {
        out.text(&text);
    }
    Ok(code)
}

pub fn usage_text(u: Usage) -> &'static str {
    match u {
        Usage::ServerAuth => "server",
        _ => "client",
    }
}
