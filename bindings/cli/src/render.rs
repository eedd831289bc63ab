//! Shared rendering of findings, paths, chains and diagnoses (text and JSON).

use std::fmt::Write as _;

use hybridtrust::{
    Certificate, CertificateDer, Diagnosis, Finding, PathEntry, Provenance, Role, Severity,
    Verified,
};
use serde_json::{json, Value};

use crate::output::{Output, Style};
use hybridtrust::text::escape_untrusted;

/// One finding as a text line.
pub fn finding_line(out: &Output, f: &Finding) -> String {
    let sev = match f.severity {
        Severity::Error => out.paint(Style::Bad, "error"),
        Severity::Warning => out.paint(Style::Warn, "warning"),
        Severity::Info => out.paint(Style::Dim, "info"),
    };
    let mut line = format!(
        "  {sev} [{}] {}: {}",
        f.kind,
        f.provenance,
        escape_untrusted(&f.message)
    );
    if let Some(h) = &f.hint {
        let _ = write!(line, "\n      next step: {}", escape_untrusted(h));
    }
    line.push('\n');
    line
}

/// Findings as JSON.
pub fn findings_json(findings: &[Finding]) -> Value {
    serde_json::to_value(findings).unwrap_or(Value::Null)
}

/// Counts of findings by severity: (errors, warnings, infos).
pub fn severity_counts(findings: &[Finding]) -> (usize, usize, usize) {
    let n = |s| findings.iter().filter(|f| f.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
}

/// `n word`, with an `s` unless `n` is 1.
pub fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "2 errors, 1 warning, 0 notes".
pub fn tally(errors: usize, warnings: usize, infos: usize) -> String {
    format!(
        "{}, {}, {}",
        count(errors, "error"),
        count(warnings, "warning"),
        count(infos, "note")
    )
}

/// A diagnosis as indented text.
pub fn diagnosis_text(d: &Diagnosis) -> String {
    let mut s = String::new();
    for line in d.to_string().lines() {
        let _ = writeln!(s, "  {line}");
    }
    s
}

/// A diagnosis as JSON (without the store generation, which only a
/// long-running process can use).
pub fn diagnosis_json(d: &Diagnosis) -> Value {
    let mut v = serde_json::to_value(d).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.remove("store_generation");
    }
    v
}

/// The presented chain as text (parsed where possible).
pub fn presented_text(chain: &[CertificateDer<'_>]) -> String {
    let mut s = String::new();
    for (i, der) in chain.iter().enumerate() {
        match Certificate::from_der(der.as_ref()) {
            Ok(c) => {
                let _ = writeln!(s, "  #{i} {}", escape_untrusted(c.subject()));
                let _ = writeln!(s, "       issuer  {}", escape_untrusted(c.issuer()));
                let _ = writeln!(
                    s,
                    "       valid   {} .. {}",
                    hybridtrust::format_time(c.not_before()),
                    hybridtrust::format_time(c.not_after())
                );
                let _ = writeln!(s, "       sha256  {}", c.fingerprint());
            }
            Err(e) => {
                let _ = writeln!(
                    s,
                    "  #{i} (unparsable: {})",
                    escape_untrusted(&e.to_string())
                );
            }
        }
    }
    s
}

/// The presented chain as JSON.
pub fn presented_json(chain: &[CertificateDer<'_>]) -> Value {
    Value::Array(
        chain
            .iter()
            .enumerate()
            .map(|(i, der)| match Certificate::from_der(der.as_ref()) {
                Ok(c) => json!({ "position": i, "certificate": c.summary() }),
                Err(e) => json!({ "position": i, "error": e.to_string() }),
            })
            .collect(),
    )
}

fn role_text(e: &PathEntry) -> String {
    match (e.role, e.position) {
        (Role::Anchor, _) => "trust anchor".into(),
        (Role::Leaf, _) => "leaf, presented #0".into(),
        (_, Some(p)) => format!("intermediate, presented #{p}"),
        (_, None) => "intermediate".into(),
    }
}

/// The verified path as a tree, anchor at the top.
pub fn path_tree(out: &Output, v: &Verified) -> String {
    let mut s = String::new();
    for (depth, e) in v.path().iter().rev().enumerate() {
        let c = &e.certificate;
        let indent = "  ".repeat(depth + 1);
        let (head, body) = if depth == 0 {
            (indent.clone(), format!("{indent}  "))
        } else {
            (format!("{indent}└─ "), format!("{indent}     "))
        };
        let title = match &c.common_name {
            Some(cn) => escape_untrusted(cn).into_owned(),
            None => escape_untrusted(&c.subject).into_owned(),
        };
        let _ = writeln!(
            s,
            "{head}{} ({})",
            out.paint(Style::Bold, &title),
            role_text(e)
        );
        let _ = writeln!(s, "{body}subject  {}", escape_untrusted(&c.subject));
        let _ = writeln!(s, "{body}issuer   {}", escape_untrusted(&c.issuer));
        let _ = writeln!(s, "{body}valid    {} .. {}", c.not_before, c.not_after);
        let _ = writeln!(s, "{body}sha256   {}", c.sha256);
        if e.role == Role::Anchor {
            let _ = writeln!(s, "{body}from     {}", v.anchor_provenance());
        }
    }
    s
}

/// A verified result as JSON.
pub fn verified_json(v: &Verified) -> Value {
    json!({
        "path": v.path(),
        "anchor_provenance": provenance_json(v.anchor_provenance()),
        "identity": v.identity(),
        "warnings": v.warnings(),
        "validated_at": hybridtrust::format_time(v.validated_at()),
    })
}

pub fn provenance_json(p: &Provenance) -> Value {
    serde_json::to_value(p).unwrap_or(Value::Null)
}

/// The verdict line and details of an accepted chain.
pub fn verified_text(out: &Output, v: &Verified) -> String {
    let mut s = String::new();
    let _ = write!(s, "{}", out.paint(Style::Good, "TRUSTED"));
    if let Some(m) = v.identity() {
        let _ = write!(
            s,
            " as '{}' (matched {}, rule {})",
            escape_untrusted(&m.expected),
            m.matched,
            m.rule_text()
        );
    }
    s.push('\n');
    s.push_str(&path_tree(out, v));
    for w in v.warnings() {
        let _ = writeln!(s, "  {}: {w}", out.paint(Style::Warn, "warning"));
    }
    s
}

/// Rule names as people read them.
trait RuleText {
    fn rule_text(&self) -> String;
}

impl RuleText for hybridtrust::NameMatch {
    fn rule_text(&self) -> String {
        self.rule.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{count, tally};

    #[test]
    fn counts() {
        assert_eq!(count(1, "CA certificate"), "1 CA certificate");
        assert_eq!(count(0, "error"), "0 errors");
        assert_eq!(tally(2, 1, 0), "2 errors, 1 warning, 0 notes");
    }
}
