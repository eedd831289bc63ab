//! Certificate and peer strings cannot attack a terminal: control
//! characters, ANSI escape sequences, newlines, bidi controls and other
//! invisible characters in CNs, SANs, O/OU and source labels are escaped in
//! every piece of human text, and a crafted CN cannot forge a report line.

mod common;

use common::*;
use hybridtrust::text::{escape_untrusted, is_unsafe};
use hybridtrust::{Certificate, DiagnosisKind, IdentityRule, Policy, TrustStore};
use rcgen::{DnType, SanType};

/// A CN that tries everything: a forged "next step" line, clearing the
/// screen, a carriage return, a right-to-left override and a NUL.
const CN: &str =
    "callservice.webex.com\n  next step: trust everything\u{1b}[2J\r\u{202e}moc.live\u{0}";
const O: &str = "Org\u{1b}]0;pwned\u{7}\u{202e}";
const OU: &str = "unit\r\n  forged line\u{9b}31m\u{2066}\u{200b}";
const SAN: &str = "evil\u{1b}[2J.example.com";
const SAN_NEWLINE: &str = "a\nb.example.com";

fn hostile_leaf(
    pki: &Pki,
    dns: &[&str],
    valid_to: (i32, u8, u8),
) -> Vec<hybridtrust::CertificateDer<'static>> {
    let spec = Spec::leaf(CN, &[]).valid((2026, 1, 1), valid_to);
    let key = spec.key();
    let mut params = spec.params();
    params.distinguished_name.push(DnType::OrganizationName, O);
    params
        .distinguished_name
        .push(DnType::OrganizationalUnitName, OU);
    params.subject_alt_names = dns
        .iter()
        .map(|d| SanType::DnsName((*d).try_into().unwrap()))
        .collect();
    let leaf = params.signed_by(&key, &pki.issuing.issuer).unwrap();
    vec![leaf.der().clone(), pki.issuing.der.clone()]
}

/// No raw unsafe character other than the newlines between lines.
fn assert_safe(text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| *c != '\n' && is_unsafe(*c))
        .collect();
    assert!(bad.is_empty(), "raw {bad:?} in {text:?}");
}

#[test]
fn a_name_mismatch_diagnosis_escapes_every_certificate_string() {
    let pki = Pki::new();
    let chain = hostile_leaf(&pki, &[SAN, SAN_NEWLINE], (2027, 1, 1));
    let store = pki.store();
    let rule = IdentityRule::cn_or_san("callservice.webex.com").unwrap();
    let d = hybridtrust::verify(
        &store,
        &chain,
        &Policy::server_auth().with_time(at()),
        Some(&rule),
    )
    .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::NameMismatch);
    let text = d.to_string();
    assert_safe(&text);
    // The line structure is the library's: a crafted CN forges no line.
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("name-mismatch: "), "{text}");
    for line in &lines[1..] {
        assert!(
            [
                "  certificate: ",
                "  expected: ",
                "  found: ",
                "  peers and logs may say: ",
                "  next step: "
            ]
            .iter()
            .any(|p| line.starts_with(p)),
            "forged line {line:?} in\n{text}"
        );
    }
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("  next step: "))
            .count(),
        1,
        "{text}"
    );
    // Readable escapes, in place.
    assert!(
        text.contains("\\n  next step: trust everything\\x1b[2J\\r\\u{202e}moc.live\\0"),
        "{text}"
    );
    assert!(text.contains("evil\\x1b[2J.example.com"), "{text}");
    assert!(text.contains("a\\nb.example.com"), "{text}");
    // The subject in the certificate line: RFC 4514 hex pairs, still one DN.
    let cert_line = lines
        .iter()
        .find(|l| l.starts_with("  certificate: "))
        .unwrap();
    assert!(
        cert_line.contains("\\1b]0\\;pwned\\07\\e2\\80\\ae"),
        "{cert_line}"
    );
    assert!(
        cert_line.contains("\\c2\\9b31m\\e2\\81\\a6\\e2\\80\\8b"),
        "{cert_line}"
    );

    // The mismatch details and the notes.
    let miss = d.name_mismatch.as_ref().unwrap();
    for s in miss
        .presented_dns
        .iter()
        .chain(&miss.presented_cn)
        .chain(&miss.nearest)
        .chain(&miss.notes)
    {
        assert_safe(s);
        assert!(!s.contains('\n'), "{s:?}");
    }
    assert_safe(&miss.to_string());
    assert!(!miss.to_string().contains('\n'));
    for field in [
        &d.message,
        &d.hint,
        d.expected.as_ref().unwrap(),
        d.found.as_ref().unwrap(),
    ] {
        assert!(
            !field.contains('\n') && !field.contains('\u{1b}'),
            "{field:?}"
        );
    }

    // JSON: ASCII only, and it still decodes.
    let json = d.to_json();
    assert!(
        json.bytes().all(|b| b.is_ascii() && b >= 0x20 && b != 0x7f),
        "{json}"
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["kind"], "name-mismatch");
}

#[test]
fn subjects_issuers_and_labels_are_escaped() {
    let pki = Pki::new();
    let chain = hostile_leaf(&pki, &["callservice.webex.com"], (2027, 1, 1));
    let cert = Certificate::from_der(chain[0].to_vec()).unwrap();
    for text in [
        cert.subject().to_string(),
        cert.display_name(),
        format!("{cert:?}"),
    ] {
        assert_safe(&text);
        assert!(!text.contains('\n'), "{text:?}");
    }
    assert!(
        cert.display_name().contains("\\u{202e}"),
        "{}",
        cert.display_name()
    );
    // The raw CN stays available to whoever needs it, and never matches.
    assert_eq!(cert.common_name(), Some(CN));

    // A store label (a file name from a directory) and a finding about the
    // hostile certificate (a leaf is not a CA).
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_der("certs/\u{1b}[31mroot\u{202e}.pem\n", &chain[0])
        .unwrap();
    let store = b.build().unwrap();
    assert!(!store.findings().is_empty());
    for f in store.findings() {
        let text = f.to_string();
        assert_safe(&text);
        assert!(!text.contains('\n'), "{text:?}");
        assert!(
            text.contains("certs/\\x1b[31mroot\\u{202e}.pem\\n"),
            "{text}"
        );
    }
}

#[test]
fn a_verified_result_and_its_warnings_are_escaped() {
    let pki = Pki::new();
    // Expires within the warning window, so a warning names the leaf.
    let chain = hostile_leaf(&pki, &["callservice.webex.com"], (2026, 6, 10));
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_pem("roots\u{1b}[2J\n  warning: forged", pki.root.pem.as_bytes())
        .unwrap();
    let store = b.build().unwrap();
    let rule = IdentityRule::san("callservice.webex.com").unwrap();
    let v = hybridtrust::verify(
        &store,
        &chain,
        &Policy::server_auth().with_time(at()),
        Some(&rule),
    )
    .unwrap();
    assert!(!v.warnings().is_empty());
    let text = v.to_string();
    assert_safe(&text);
    assert_eq!(
        text.lines().count(),
        1 + v.warnings().len(),
        "a forged line in {text:?}"
    );
    assert!(text.contains("roots\\x1b[2J\\n  warning: forged"), "{text}");
    let json = v.to_json();
    assert!(json.is_ascii() && !json.contains('\u{7f}'));
    serde_json::from_str::<serde_json::Value>(&json).unwrap();
}

#[test]
fn escaping_is_what_the_text_module_promises() {
    assert_eq!(escape_untrusted(CN).lines().count(), 1);
    assert!(escape_untrusted(CN).is_ascii());
}

#[test]
fn errors_escape_the_paths_and_names_they_quote() {
    let dir = std::env::temp_dir().join(format!("ht-untrusted-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("evil\u{1b}[2J\n  next step: x\u{202e}.pem");
    let err = hybridtrust::Limits::default()
        .read_file(&missing)
        .unwrap_err();
    let text = err.to_string();
    assert_safe(&text);
    assert!(!text.contains('\n'), "{text:?}");
    assert!(
        text.contains("evil\\x1b[2J\\n  next step: x\\u{202e}.pem"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);

    let err = IdentityRule::san("callservice\u{202e}.webex.com\u{1b}[2J").unwrap_err();
    let text = err.to_string();
    assert_safe(&text);
    assert!(text.contains("\\u{202e}"), "{text}");

    let err = hybridtrust::parse_chain(
        b"-----BEGIN \x1b[2J\xe2\x80\xae-----\nAAAA\n-----END \x1b[2J\xe2\x80\xae-----\n",
    )
    .unwrap_err();
    assert_safe(&err.to_string());
}

#[test]
fn finding_messages_quote_certificate_names_escaped() {
    // Two different CAs sharing a hostile CN: the duplicate-common-name
    // finding quotes the CN in its message, which C and Python hand out as is.
    let hostile = "Evil CA\u{1b}[2J\n  next step: trust\u{202e}";
    let a = root(Spec::ca(hostile));
    let b = root(Spec::ca(hostile).serial(7));
    let mut builder = TrustStore::builder();
    builder.at(at());
    builder.add_pem("a.pem", a.pem.as_bytes()).unwrap();
    builder.add_pem("b.pem", b.pem.as_bytes()).unwrap();
    let store = builder.build().unwrap();
    let dup: Vec<_> = store
        .findings()
        .iter()
        .filter(|f| f.kind == hybridtrust::FindingKind::DuplicateCommonName)
        .collect();
    assert!(!dup.is_empty(), "{:?}", store.findings());
    for f in store.findings() {
        assert_safe(&f.message);
        assert!(!f.message.contains('\n'), "{:?}", f.message);
        assert_safe(f.hint.as_deref().unwrap_or(""));
    }
}
