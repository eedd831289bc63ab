//! The `hybridtrust` binary, driven from outside: golden output for the human
//! and JSON forms, endpoint checks against rustls servers on 127.0.0.1, and
//! bad input. Set `UPDATE_GOLDEN=1` to rewrite the golden files.

#[path = "../../../tests/common/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use hybridtrust::tls::ClientVerifier;
use hybridtrust::{CertificateDer, Policy, Zone};
use pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rcgen::KeyPair;
use rustls::{ServerConfig, ServerConnection};
use serde_json::Value;

const AT: &str = "2026-06-01T00:00:00Z";

fn root_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary in the workspace root with an empty temporary HOME.
fn run_in(home: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_hybridtrust"))
        .args(args)
        .current_dir(root_dir())
        .env("HOME", home)
        .env("USERPROFILE", home)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn run(args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    run_in(home.path(), args)
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout))
}

/// Compares with (or, with UPDATE_GOLDEN=1, writes) `tests/golden/<name>`.
fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}; run with UPDATE_GOLDEN=1", path.display()));
    assert!(
        expected == actual,
        "{name} differs from the golden file.\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

// ---- golden output ----------------------------------------------------------

const CHAIN_ARGS: &[&str] = &[
    "chain",
    "verify",
    "examples/data/chains/callservice-full.pem",
    "examples/data/chains/callservice-leaf-only.pem",
    "examples/data/chains/sip-webex.pem",
    "--store",
    "examples/data/certs",
    "--zone",
    "webex-hybrid",
    "--at",
    AT,
];

#[test]
fn chain_verify_golden() {
    let r = run(CHAIN_ARGS);
    assert_eq!(r.code, 1, "{}", r.stderr);
    golden("chain-verify.txt", &r.stdout);

    let mut args = CHAIN_ARGS.to_vec();
    args.push("--json");
    let r = run(&args);
    assert_eq!(r.code, 1);
    let v = json(&r);
    assert_eq!(v["schema"], "hybridtrust/1");
    assert_eq!(v["results"][0]["verdict"], "trusted");
    assert_eq!(v["results"][1]["diagnosis"]["kind"], "incomplete-chain");
    assert_eq!(v["results"][2]["diagnosis"]["kind"], "name-mismatch");
    golden("chain-verify.json", &r.stdout);
}

#[test]
fn store_check_golden() {
    let r = run(&["store", "check", "examples/data/certs", "--at", AT]);
    // notes.txt is unparsable and the retired CA expired: error findings.
    assert_eq!(r.code, 1, "{}", r.stderr);
    golden("store-check.txt", &r.stdout);
    let r = run(&[
        "store",
        "check",
        "examples/data/certs",
        "--at",
        AT,
        "--json",
    ]);
    assert_eq!(r.code, 1);
    assert_eq!(json(&r)["summary"]["anchors"], 2);
    golden("store-check.json", &r.stdout);
}

#[test]
fn preflight_golden_on_a_fresh_machine() {
    let home = tempfile::tempdir().unwrap();
    let norm = |s: &str| s.replace(&home.path().display().to_string(), "[HOME]");
    let r = run_in(home.path(), &["preflight", "--at", AT]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("verdict: ready"), "{}", r.stdout);
    golden("preflight.txt", &norm(&r.stdout));
    let r = run_in(home.path(), &["preflight", "--at", AT, "--json"]);
    assert_eq!(r.code, 0);
    let v = json(&r);
    assert_eq!(v["status"], "ready");
    assert_eq!(v["cloud_cas"][0]["present"], true);
    golden("preflight.json", &norm(&r.stdout));
}

// ---- preflight, store, chain ----------------------------------------------------

#[test]
fn preflight_reads_the_device_tool_folder_of_home_and_reports_expiry() {
    let home = tempfile::tempdir().unwrap();
    let certs = home.path().join(".devicestool/certs");
    std::fs::create_dir_all(&certs).unwrap();
    let soon = root(Spec::ca("Device CA Expiring Soon").valid((2025, 1, 1), (2026, 6, 20)));
    let later = root(
        Spec::ca("Device CA Expiring Later")
            .serial(5)
            .valid((2025, 1, 1), (2026, 8, 1)),
    );
    std::fs::write(certs.join("soon.pem"), &soon.pem).unwrap();
    std::fs::write(certs.join("later.der"), later.der.as_ref()).unwrap();
    let r = run_in(home.path(), &["preflight", "--at", AT]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("3 CA certificates"), "{}", r.stdout);
    let within30 = r.stdout.split("within 30 days").nth(1).unwrap();
    assert!(within30.contains("Device CA Expiring Soon"), "{}", r.stdout);
    let within90 = r.stdout.split("within 90 days").nth(1).unwrap();
    assert!(
        within90.contains("Device CA Expiring Later"),
        "{}",
        r.stdout
    );

    let v = json(&run_in(home.path(), &["preflight", "--at", AT, "--json"]));
    let exp = v["expiring"].as_array().unwrap();
    assert_eq!(exp.len(), 2);
    assert_eq!(exp[0]["within"], 30);
    assert_eq!(exp[1]["within"], 90);
}

#[test]
fn preflight_with_an_unusable_extra_store_fails_with_findings() {
    let r = run(&["preflight", "--at", AT, "--store", "examples/data/certs"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("not ready"), "{}", r.stdout);
    assert!(r.stdout.contains("[unparsable]"), "{}", r.stdout);
}

#[test]
fn store_export_pem_and_der_dir() {
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("bundle.pem");
    let r = run(&[
        "store",
        "export",
        "--store",
        "examples/data/certs",
        "--at",
        AT,
        "--format",
        "pem",
        pem.to_str().unwrap(),
    ]);
    assert_eq!(
        r.code, 1,
        "notes.txt and the retired CA are left out: {}",
        r.stderr
    );
    let text = std::fs::read_to_string(&pem).unwrap();
    // The embedded IdenTrust root and the two usable example CAs.
    assert_eq!(text.matches("BEGIN CERTIFICATE").count(), 3, "{}", r.stdout);
    assert!(
        r.stdout.contains("exported 3 CA certificates"),
        "{}",
        r.stdout
    );

    let der = dir.path().join("der");
    let r = run(&[
        "store",
        "export",
        "--no-cloud-cas",
        "--store",
        "examples/data/certs",
        "--at",
        AT,
        "--format",
        "der-dir",
        der.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        r.code, 1,
        "notes.txt and the retired CA are left out: {}",
        r.stderr
    );
    assert_eq!(json(&r)["certificates"], 2);
    assert_eq!(json(&r)["status"], "findings");

    // A clean source exports with exit code 0, to stdout too.
    let r = run(&[
        "store",
        "export",
        "--no-cloud-cas",
        "--store",
        "examples/data/certs/example-hybrid-root.pem",
        "-",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.matches("BEGIN CERTIFICATE").count(), 1);
    assert_eq!(std::fs::read_dir(&der).unwrap().count(), 2);
}

#[test]
fn chain_verify_client_usage_under_both_eku_modes() {
    let base = [
        "chain",
        "verify",
        "examples/data/chains/server-auth-only.pem",
        "--store",
        "examples/data/certs",
        "--zone",
        "webex-hybrid",
        "--usage",
        "client",
        "--at",
        AT,
    ];
    let r = run(&[&base[..], &["--eku-mode", "strict"]].concat());
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("missing-eku"), "{}", r.stdout);
    assert!(r.stdout.contains("Default Zone"), "{}", r.stdout);
    let r = run(&[&base[..], &["--eku-mode", "transition", "--json"]].concat());
    assert_eq!(r.code, 0, "{}", r.stdout);
    let v = json(&r);
    assert_eq!(v["results"][0]["inbound"]["zone"], "webex-hybrid");
    assert_eq!(
        v["results"][0]["warnings"][0]["kind"],
        "client-auth-missing-accepted"
    );
}

#[test]
fn chain_verify_with_a_name_and_a_crl() {
    let pki = Pki::new();
    let dir = tempfile::tempdir().unwrap();
    let (leaf, leaf_pem) = common::leaf(
        Spec::leaf("exchange.example.com", &["exchange.example.com"]),
        &pki.issuing,
    );
    let _ = leaf;
    let chain = dir.path().join("chain.pem");
    std::fs::write(&chain, format!("{leaf_pem}{}", pki.issuing.pem)).unwrap();
    let root_pem = dir.path().join("root.pem");
    std::fs::write(&root_pem, &pki.root.pem).unwrap();
    let crl = dir.path().join("issuing.crl");
    std::fs::write(&crl, common::crl(&pki.issuing, &[100])).unwrap();
    let args = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = [
            "chain",
            "verify",
            chain.to_str().unwrap(),
            "--store",
            root_pem.to_str().unwrap(),
            "--at",
            AT,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let call = |extra: &[&str]| {
        let a = args(extra);
        run(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    assert_eq!(call(&["--name", "exchange.example.com"]).code, 0);
    let r = call(&["--name", "mail.example.com"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("name-mismatch"));
    let r = call(&["--crl", crl.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("revocation-unknown"), "{}", r.stdout);
    let r = call(&["--crl", crl.to_str().unwrap(), "--crl-scope", "leaf"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("revoked"), "{}", r.stdout);
}

/// A chain whose leaf has no authorityKeyIdentifier (a rule of strict
/// verifiers), under the test root (a private CA): its files, and the root's.
fn chain_without_aki(pki: &Pki, dir: &Path) -> (String, String) {
    let mut params = Spec::leaf("device.example.com", &["device.example.com"]).params();
    params.use_authority_key_identifier_extension = false;
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let leaf = params.signed_by(&key, &pki.issuing.issuer).unwrap();
    let chain = dir.join("no-aki.pem");
    std::fs::write(&chain, format!("{}{}", leaf.pem(), pki.issuing.pem)).unwrap();
    let root = dir.join("root.pem");
    std::fs::write(&root, &pki.root.pem).unwrap();
    (chain.display().to_string(), root.display().to_string())
}

#[test]
fn chain_verify_profile_checks_option_and_zone_setting() {
    let pki = Pki::new();
    let dir = tempfile::tempdir().unwrap();
    let (chain, root) = chain_without_aki(&pki, dir.path());
    let base = ["chain", "verify", &chain, "--store", &root, "--at", AT];
    let r = run(&[&base[..], &["--json"]].concat());
    assert_eq!(r.code, 0, "{}", r.stdout);
    let v = json(&r);
    assert_eq!(
        v["results"][0]["warnings"][0]["kind"],
        "profile-violation-accepted"
    );
    let r = run(&[&base[..], &["--profile-checks", "strict", "--json"]].concat());
    assert_eq!(r.code, 1, "{}", r.stdout);
    let v = json(&r);
    assert_eq!(v["results"][0]["diagnosis"]["kind"], "profile-violation");
    assert_eq!(
        v["results"][0]["diagnosis"]["detail"],
        "rfc5280-aki-missing"
    );
    let r = run(&[&base[..], &["--profile-checks", "strict"]].concat());
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("profile-violation"), "{}", r.stdout);
    assert!(r.stdout.contains("by-anchor-origin"), "{}", r.stdout);
    let r = run(&[&base[..], &["--profile-checks", "lenient"]].concat());
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = run(&[&base[..], &["--profile-checks", "relaxed"]].concat());
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    // A zone file's own setting, and the option overriding it.
    let zone = dir.path().join("zone.json");
    std::fs::write(
        &zone,
        r#"{"name": "devices", "subject_name": "device.example.com", "profile_checks": "strict"}"#,
    )
    .unwrap();
    let zone = zone.display().to_string();
    let r = run(&[&base[..], &["--zone", &zone]].concat());
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("profile-violation"), "{}", r.stdout);
    let r = run(&[
        &base[..],
        &["--zone", &zone, "--profile-checks", "by-anchor-origin"],
    ]
    .concat());
    assert_eq!(r.code, 0, "{}", r.stdout);
}

// ---- bad input --------------------------------------------------------------------

#[test]
fn bad_input_gives_clear_messages_and_documented_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, b"\x00\x01 this is not a certificate").unwrap();

    let r = run(&["chain", "verify", garbage.to_str().unwrap(), "--at", AT]);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("not a certificate chain"), "{}", r.stderr);

    let r = run(&["chain", "verify", "no/such/chain.pem"]);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr
            .contains("no/such/chain.pem: no such file or directory"),
        "{}",
        r.stderr
    );

    let r = run(&["store", "check", "no/such/dir", "--json"]);
    assert_eq!(r.code, 3);
    let v = json(&r);
    assert_eq!(v["status"], "error");
    assert_eq!(v["error"]["kind"], "io");

    let r = run(&[
        "chain",
        "verify",
        "examples/data/chains/exchange.pem",
        "--store",
        "no/such/store",
    ]);
    assert_eq!(r.code, 3);

    let r = run(&[
        "chain",
        "verify",
        "examples/data/chains/exchange.pem",
        "--at",
        "yesterday",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--at"), "{}", r.stderr);

    let r = run(&[
        "chain",
        "verify",
        "examples/data/chains/exchange.pem",
        "--zone",
        "no-such-zone.json",
    ]);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("webex-hybrid"), "{}", r.stderr);

    let r = run(&[
        "chain",
        "verify",
        "examples/data/chains/exchange.pem",
        "--usage",
        "peer",
        "--json",
    ]);
    assert_eq!(r.code, 2);
    let v = json(&r);
    assert_eq!(v["command"], "chain verify");
    assert_eq!(v["error"]["kind"], "usage");
    assert!(
        v["error"]["message"].as_str().unwrap().contains("peer"),
        "{v}"
    );

    assert_eq!(run(&["chain"]).code, 2);
    assert_eq!(run(&["frobnicate"]).code, 2);
    assert_eq!(run(&["endpoint", "check", "no-port"]).code, 2);
    assert_eq!(run(&["--version"]).code, 0);
}

/// Chain, CRL, zone and key files are read with the library's source limit:
/// a device that streams without end, a file past the limit or a directory is
/// an input error at once, never an endless read.
#[test]
fn input_files_are_read_within_the_source_limit() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.pem");
    let file = std::fs::File::create(&huge).unwrap();
    // Sparse: 33 MiB on paper, no disk used.
    file.set_len(33 * 1024 * 1024).unwrap();
    let huge = huge.to_str().unwrap();
    let chain = "examples/data/chains/exchange.pem";

    for args in [
        vec!["chain", "verify", "/dev/zero", "--at", AT],
        vec!["chain", "verify", chain, "--crl", "/dev/zero", "--at", AT],
        vec!["chain", "verify", chain, "--zone", "/dev/zero", "--at", AT],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 3, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("/dev/zero: is not a regular file"),
            "{}",
            r.stderr
        );
    }

    let r = run(&["chain", "verify", huge, "--at", AT, "--json"]);
    assert_eq!(r.code, 3);
    let v = json(&r);
    assert_eq!(v["error"]["kind"], "input");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("exceeds the limit of 33554432"),
        "{message}"
    );

    let r = run(&["chain", "verify", "examples/data", "--at", AT]);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.contains("is a directory, not a file"),
        "{}",
        r.stderr
    );
}

/// `-` reads a chain from standard input (a pipe from `openssl s_client`),
/// within the same size limit as a file.
#[test]
fn a_chain_piped_on_standard_input() {
    use std::io::Write;
    use std::process::Stdio;
    let pipe = |input: Vec<u8>| {
        let home = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_hybridtrust"))
            .args([
                "chain",
                "verify",
                "-",
                "--store",
                "examples/data/certs",
                "--zone",
                "webex-hybrid",
                "--at",
                AT,
            ])
            .current_dir(root_dir())
            .env("HOME", home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // The binary may stop reading at the limit; a broken pipe then is expected.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let full = std::fs::read(root_dir().join("examples/data/chains/callservice-full.pem")).unwrap();
    let (code, stdout, stderr) = pipe(full);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("TRUSTED as 'callservice.webex.com'"),
        "{stdout}"
    );

    let (code, _, stderr) = pipe(vec![b'A'; 33 * 1024 * 1024]);
    assert_eq!(code, 3);
    assert!(
        stderr.contains("standard input exceeds the limit"),
        "{stderr}"
    );
}

// ---- endpoint check ---------------------------------------------------------------

fn key_der(key: &KeyPair) -> PrivateKeyDer<'static> {
    PrivatePkcs8KeyDer::from(key.serialize_der()).into()
}

/// Serves `config` on 127.0.0.1 for one connection: handshake, a line, close.
fn tls_server(config: ServerConfig) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let config = Arc::new(config);
    std::thread::spawn(move || {
        let Ok((mut sock, _)) = listener.accept() else {
            return;
        };
        sock.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut conn = ServerConnection::new(config).unwrap();
        while conn.is_handshaking() {
            if conn.complete_io(&mut sock).is_err() {
                return;
            }
        }
        let mut stream = rustls::Stream::new(&mut conn, &mut sock);
        let _ = stream.write_all(b"hello\n");
        conn.send_close_notify();
        let _ = conn.complete_io(&mut sock);
    });
    port
}

struct Endpoint {
    pki: Pki,
    dir: tempfile::TempDir,
}

impl Endpoint {
    fn new() -> Self {
        let pki = Pki::new();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("root.pem"), &pki.root.pem).unwrap();
        Self { pki, dir }
    }
    fn store(&self) -> String {
        self.dir.path().join("root.pem").display().to_string()
    }
    fn server(&self, spec: Spec, leaf_only: bool) -> (Vec<CertificateDer<'static>>, KeyPair) {
        let (leaf, key) = leaf_with_key(spec, &self.pki.issuing);
        let mut chain = vec![leaf];
        if !leaf_only {
            chain.push(self.pki.issuing.der.clone());
        }
        (chain, key)
    }
    fn plain(&self, spec: Spec, leaf_only: bool) -> u16 {
        let (chain, key) = self.server(spec, leaf_only);
        tls_server(
            ServerConfig::builder_with_provider(hybridtrust::tls::default_provider())
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(chain, key_der(&key))
                .unwrap(),
        )
    }
    fn mutual(&self) -> u16 {
        let (chain, key) = self.server(
            Spec::leaf("expressway.example.com", &["expressway.example.com"]),
            false,
        );
        let cv = ClientVerifier::new(
            self.pki.store(),
            Zone::webex_hybrid(),
            Policy::client_auth().with_time(at()),
        );
        tls_server(
            ServerConfig::builder_with_provider(hybridtrust::tls::default_provider())
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_client_cert_verifier(Arc::new(cv))
                .with_single_cert(chain, key_der(&key))
                .unwrap(),
        )
    }
    /// Writes a client certificate + key for the Webex zone; returns the paths.
    fn client_files(&self, name: &str) -> (String, String) {
        let (leaf, key) = leaf_with_key(Spec::leaf(name, &[name]), &self.pki.issuing);
        let cert = self.dir.path().join(format!("{name}.pem"));
        let leaf_pem = hybridtrust::Certificate::from_der(leaf.to_vec())
            .unwrap()
            .to_pem();
        std::fs::write(&cert, format!("{leaf_pem}{}", self.pki.issuing.pem)).unwrap();
        let keyf = self.dir.path().join(format!("{name}.key"));
        std::fs::write(&keyf, key.serialize_pem()).unwrap();
        (cert.display().to_string(), keyf.display().to_string())
    }
}

#[test]
fn endpoint_trusted_server() {
    let e = Endpoint::new();
    let port = e.plain(Spec::leaf("edge.example.com", &["edge.example.com"]), false);
    let target = format!("127.0.0.1:{port}");
    let store = e.store();
    let r = run(&[
        "endpoint",
        "check",
        &target,
        "--sni",
        "edge.example.com",
        "--store",
        &store,
        "--at",
        AT,
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("TRUSTED as 'edge.example.com'"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("client certificate: not requested"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("presented chain (2 certificates)"),
        "{}",
        r.stdout
    );
}

#[test]
fn endpoint_profile_checks_option() {
    let e = Endpoint::new();
    let mut params = Spec::leaf("edge.example.com", &["edge.example.com"]).params();
    params.use_authority_key_identifier_extension = false;
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let leaf = params.signed_by(&key, &e.pki.issuing.issuer).unwrap();
    let chain = vec![leaf.der().clone(), e.pki.issuing.der.clone()];
    let serve = || {
        tls_server(
            ServerConfig::builder_with_provider(hybridtrust::tls::default_provider())
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(chain.clone(), key_der(&key))
                .unwrap(),
        )
    };
    let store = e.store();
    let check = |port: u16, checks: &str| {
        let target = format!("127.0.0.1:{port}");
        run(&[
            "endpoint",
            "check",
            &target,
            "--sni",
            "edge.example.com",
            "--store",
            &store,
            "--at",
            AT,
            "--profile-checks",
            checks,
        ])
    };
    let r = check(serve(), "by-anchor-origin");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("rfc5280-aki-missing"), "{}", r.stdout);
    let r = check(serve(), "strict");
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("profile-violation"), "{}", r.stdout);
}

#[test]
fn endpoint_leaf_only_server_is_explained() {
    let e = Endpoint::new();
    let port = e.plain(
        Spec::leaf("callservice.webex.com", &["callservice.webex.com"]),
        true,
    );
    let target = format!("127.0.0.1:{port}");
    let store = e.store();
    let r = run(&[
        "endpoint",
        "check",
        &target,
        "--zone",
        "webex-hybrid",
        "--store",
        &store,
        "--at",
        AT,
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("the server sent only its leaf; its issuer 'CN=Test Hybrid Issuing CA"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("incomplete-chain"), "{}", r.stdout);
}

#[test]
fn endpoint_name_mismatch_in_json() {
    let e = Endpoint::new();
    let port = e.plain(
        Spec::leaf("calllservice.webex.com", &["calllservice.webex.com"]),
        false,
    );
    let target = format!("127.0.0.1:{port}");
    let store = e.store();
    let r = run(&[
        "endpoint",
        "check",
        &target,
        "--zone",
        "webex-hybrid",
        "--store",
        &store,
        "--at",
        AT,
        "--json",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v = json(&r);
    assert_eq!(v["schema"], "hybridtrust/1");
    assert_eq!(v["command"], "endpoint check");
    assert_eq!(v["diagnosis"]["kind"], "name-mismatch");
    assert_eq!(v["diagnosis"]["name_mismatch"]["near_miss"], true);
    assert_eq!(v["presented"].as_array().unwrap().len(), 2);
}

#[test]
fn endpoint_mutual_tls_with_and_without_a_client_certificate() {
    let e = Endpoint::new();
    let store = e.store();
    let (cert, key) = e.client_files("callservice.webex.com");

    let port = e.mutual();
    let target = format!("127.0.0.1:{port}");
    let r = run(&[
        "endpoint",
        "check",
        &target,
        "--sni",
        "expressway.example.com",
        "--store",
        &store,
        "--at",
        AT,
        "--client-cert",
        &cert,
        "--client-key",
        &key,
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("sent 'CN=callservice.webex.com,O=hybridtrust tests'; accepted"),
        "{}",
        r.stdout
    );

    // A client certificate outside the zone: the server refuses it.
    let (other_cert, other_key) = e.client_files("partner.example.com");
    let port = e.mutual();
    let target = format!("127.0.0.1:{port}");
    let r = run(&[
        "endpoint",
        "check",
        &target,
        "--sni",
        "expressway.example.com",
        "--store",
        &store,
        "--at",
        AT,
        "--client-cert",
        &other_cert,
        "--client-key",
        &other_key,
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("REFUSED"), "{}", r.stdout);
    assert!(
        r.stdout.contains("refused our client certificate"),
        "{}",
        r.stdout
    );

    let port = e.mutual();
    let target = format!("127.0.0.1:{port}");
    let r = run(&[
        "endpoint",
        "check",
        &target,
        "--sni",
        "expressway.example.com",
        "--store",
        &store,
        "--at",
        AT,
        "--json",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v = json(&r);
    assert_eq!(v["verdict"], "trusted", "the server itself is trusted");
    assert_eq!(v["client_auth"]["requested"], true);
    assert_eq!(v["client_auth"]["refused"], true);
}

#[test]
fn endpoint_unreachable_plain_tcp_and_stalled_servers() {
    // A closed port.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let r = run(&[
        "endpoint",
        "check",
        &format!("127.0.0.1:{port}"),
        "--timeout",
        "3",
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("connection refused"), "{}", r.stderr);

    // A plain-TCP service.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = l.accept() {
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    let r = run(&[
        "endpoint",
        "check",
        &format!("127.0.0.1:{port}"),
        "--timeout",
        "3",
        "--json",
    ]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    let v = json(&r);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("did not answer with TLS"),
        "{v}"
    );

    // A server that accepts and then says nothing.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = l.accept() {
            let mut buf = [0u8; 4096];
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let _ = s.read(&mut buf);
            std::thread::sleep(Duration::from_secs(5));
        }
    });
    let start = Instant::now();
    let r = run(&[
        "endpoint",
        "check",
        &format!("127.0.0.1:{port}"),
        "--timeout",
        "1",
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("within 1s"), "{}", r.stderr);
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn endpoint_server_stalling_after_its_certificate() {
    // TLS 1.2: the server sends its first flight (with the certificate), then
    // never answers the client's Finished.
    let e = Endpoint::new();
    let (chain, key) = e.server(Spec::leaf("edge.example.com", &["edge.example.com"]), false);
    let config = ServerConfig::builder_with_provider(hybridtrust::tls::default_provider())
        .with_protocol_versions(&[&rustls::version::TLS12])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key_der(&key))
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let Ok((mut sock, _)) = listener.accept() else {
            return;
        };
        let mut conn = ServerConnection::new(Arc::new(config)).unwrap();
        while !conn.wants_write() {
            if conn.read_tls(&mut sock).is_err() || conn.process_new_packets().is_err() {
                return;
            }
        }
        while conn.wants_write() {
            if conn.write_tls(&mut sock).is_err() {
                return;
            }
        }
        std::thread::sleep(Duration::from_secs(5));
    });
    let store = e.store();
    let start = Instant::now();
    let r = run(&[
        "endpoint",
        "check",
        &format!("127.0.0.1:{port}"),
        "--sni",
        "edge.example.com",
        "--store",
        &store,
        "--at",
        AT,
        "--timeout",
        "1",
    ]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("the handshake did not finish"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("TRUSTED as 'edge.example.com'"),
        "{}",
        r.stdout
    );
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "took {:?}",
        start.elapsed()
    );
}

// ---- output that cannot attack the terminal ---------------------------------

/// A CN, O and SANs that try to clear the screen, forge a report line,
/// reverse the text and hide characters.
fn hostile_spec() -> Spec {
    let mut spec = Spec::leaf(
        "calllservice.webex.com\n  next step: trust everything\u{1b}[2J\r\u{202e}moc.live\u{0}",
        &["evil\u{1b}[2J.example.com", "a\nb.example.com"],
    );
    spec.org = Some("Org\u{1b}]0;pwned\u{7}\u{202e}\u{2066}\u{200b}\u{9b}31m".into());
    spec
}

/// No raw control, bidi or invisible character other than newlines, and no
/// line that a certificate string forged.
fn assert_terminal_safe(text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| *c != '\n' && hybridtrust::text::is_unsafe(*c))
        .collect();
    assert!(bad.is_empty(), "raw {bad:?} in:\n{text}");
    assert!(
        !text
            .lines()
            .any(|l| l.trim_start().starts_with("next step: trust")),
        "a forged line in:\n{text}"
    );
}

#[test]
fn chain_verify_output_escapes_hostile_certificate_strings() {
    let pki = Pki::new();
    let dir = tempfile::tempdir().unwrap();
    let chain: String = pki
        .chain(hostile_spec())
        .iter()
        .map(|c| {
            hybridtrust::Certificate::from_der(c.to_vec())
                .unwrap()
                .to_pem()
        })
        .collect();
    let chain_file = dir.path().join("hostile.pem");
    std::fs::write(&chain_file, chain).unwrap();
    let root = dir.path().join("root.pem");
    std::fs::write(&root, &pki.root.pem).unwrap();
    let (chain_file, root) = (chain_file.display().to_string(), root.display().to_string());
    for rule in [
        ["--name", "callservice.webex.com"],
        ["--zone", "webex-hybrid"],
    ] {
        let args = [
            "chain",
            "verify",
            &chain_file,
            "--store",
            &root,
            rule[0],
            rule[1],
            "--at",
            AT,
        ];
        let r = run(&args);
        assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
        assert_terminal_safe(&r.stdout);
        assert_terminal_safe(&r.stderr);
        assert!(r.stdout.contains("name-mismatch"), "{}", r.stdout);
        // Readable escapes: the subject as RFC 4514 hex pairs, names as \x1b / \u{202e}.
        assert!(
            r.stdout.contains("\\1b[2J\\0d\\e2\\80\\aemoc.live"),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout.contains("evil\\x1b[2J.example.com"),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout
                .contains("\\n  next step: trust everything\\x1b[2J\\r\\u{202e}moc.live\\0"),
            "{}",
            r.stdout
        );

        let mut json_args = args.to_vec();
        json_args.push("--json");
        let r = run(&json_args);
        assert_eq!(r.code, 1);
        assert!(
            r.stdout
                .bytes()
                .all(|b| b == b'\n' || (b.is_ascii() && b >= 0x20 && b != 0x7f)),
            "JSON is not plain ASCII: {}",
            r.stdout
        );
        let v = json(&r);
        // The same values after decoding: the raw CN is data, the mismatch's names are display text.
        let cn = &v["results"][0]["presented"][0]["certificate"]["common_name"];
        assert!(cn.as_str().unwrap().contains('\u{202e}'), "{cn}");
        let shown = &v["results"][0]["diagnosis"]["name_mismatch"]["presented_cn"];
        assert!(shown.as_str().unwrap().contains("\\u{202e}"), "{shown}");
    }
}

#[test]
fn store_check_escapes_file_names_and_certificate_names() {
    let pki = Pki::new();
    let dir = tempfile::tempdir().unwrap();
    let (leaf, pem) = leaf(hostile_spec(), &pki.issuing);
    drop(leaf);
    std::fs::write(
        dir.path()
            .join("evil\u{1b}[2J\n  next step: trust everything\u{202e}.pem"),
        pem,
    )
    .unwrap();
    let d = dir.path().display().to_string();
    let r = run(&["store", "check", &d, "--at", AT]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_terminal_safe(&r.stdout);
    assert_terminal_safe(&r.stderr);
    assert!(r.stdout.contains("not-a-ca"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("evil\\x1b[2J\\n  next step: trust everything\\u{202e}.pem"),
        "{}",
        r.stdout
    );
    let r = run(&["store", "check", &d, "--at", AT, "--json"]);
    assert!(r.stdout.is_ascii(), "{}", r.stdout);
    json(&r);
}

#[test]
fn endpoint_check_escapes_the_server_certificate_strings() {
    let e = Endpoint::new();
    let port = e.plain(hostile_spec(), false);
    let target = format!("127.0.0.1:{port}");
    let store = e.store();
    let r = run(&[
        "endpoint",
        "check",
        &target,
        "--zone",
        "webex-hybrid",
        "--store",
        &store,
        "--at",
        AT,
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_terminal_safe(&r.stdout);
    assert_terminal_safe(&r.stderr);
    assert!(r.stdout.contains("name-mismatch"), "{}", r.stdout);
    assert!(r.stdout.contains("\\e2\\80\\ae"), "{}", r.stdout);
}

#[test]
fn errors_on_stderr_escape_the_paths_they_name() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir
        .path()
        .join("chain\u{1b}[2J\n  next step: trust everything\u{202e}.pem");
    let missing = missing.display().to_string();
    let r = run(&[
        "chain",
        "verify",
        &missing,
        "--name",
        "callservice.webex.com",
    ]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert_terminal_safe(&r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("chain\\x1b[2J\\n  next step: trust everything\\u{202e}.pem"),
        "{}",
        r.stderr
    );
    let r = run(&[
        "chain",
        "verify",
        &missing,
        "--name",
        "callservice.webex.com",
        "--json",
    ]);
    assert!(r.stdout.is_ascii(), "{}", r.stdout);
    assert_eq!(json(&r)["status"], "error");
}

/// A CA as an OpenSSL TRUSTED CERTIFICATE made by openssl with `settings`,
/// or `None` when openssl is not installed.
fn openssl_trusted(dir: &Path, ca: &Ca, settings: &[&str]) -> Option<PathBuf> {
    let ca_path = dir.join("plain-ca.pem");
    std::fs::write(&ca_path, &ca.pem).unwrap();
    let out = dir.join("trusted-ca.pem");
    let done = Command::new("openssl")
        .args(["x509", "-in"])
        .arg(&ca_path)
        .arg("-trustout")
        .args(settings)
        .arg("-out")
        .arg(&out)
        .output()
        .ok()?;
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    std::fs::remove_file(&ca_path).unwrap();
    Some(out)
}

#[test]
fn openssl_trust_settings_in_store_check_preflight_export_and_chain_verify() {
    let dir = tempfile::tempdir().unwrap();
    let ca = root(Spec::ca("Client Only Root"));
    let Some(trusted) = openssl_trusted(dir.path(), &ca, &["-addtrust", "clientAuth"]) else {
        eprintln!("openssl is not installed; skipped");
        return;
    };
    let store = trusted.to_str().unwrap();

    let r = run(&["store", "check", store, "--at", AT]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("[trust-restricted]"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("trust settings: trusted only for clientAuth; not used for serverAuth"),
        "{}",
        r.stdout
    );
    let v = json(&run(&["store", "check", store, "--at", AT, "--json"]));
    let trust = &v["anchors"][0]["trust"];
    assert_eq!(trust["trusted_purposes"][0], "1.3.6.1.5.5.7.3.2");
    assert_eq!(trust["server_auth"], false);
    assert_eq!(trust["client_auth"], true);
    assert_eq!(v["findings"][0]["kind"], "trust-restricted");

    let r = run(&["preflight", "--at", AT, "--store", store]);
    assert!(
        r.stdout.contains("restricted by trust settings:"),
        "{}",
        r.stdout
    );
    let v = json(&run(&["preflight", "--at", AT, "--store", store, "--json"]));
    assert_eq!(v["restricted_anchors"][0]["trust"]["server_auth"], false);

    // Never widened on export: the only anchor is restricted, so nothing is written.
    let out = dir.path().join("bundle.pem");
    let r = run(&[
        "store",
        "export",
        "--no-cloud-cas",
        "--store",
        store,
        "--at",
        AT,
        "--format",
        "pem",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 3, "{} {}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("restricted by its trust settings"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
    // Beside an unrestricted CA it is left out, and the output says so.
    let other = dir.path().join("other.pem");
    std::fs::write(&other, root(Spec::ca("Plain Root")).pem).unwrap();
    let r = run(&[
        "store",
        "export",
        "--no-cloud-cas",
        "--store",
        store,
        "--store",
        other.to_str().unwrap(),
        "--at",
        AT,
        "--format",
        "pem",
        out.to_str().unwrap(),
        "--json",
    ]);
    let v = json(&r);
    assert_eq!(v["certificates"], 1);
    assert_eq!(
        v["left_out"][0]["certificate"]["common_name"],
        "Client Only Root"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.matches("BEGIN CERTIFICATE").count(), 1);

    // A server chain to it is refused, and the diagnosis names the settings.
    let (server_leaf, server_pem) = leaf(Spec::leaf("s.example.com", &["s.example.com"]), &ca);
    let _ = server_leaf;
    let chain = dir.path().join("chain.pem");
    std::fs::write(&chain, server_pem).unwrap();
    let r = run(&[
        "chain",
        "verify",
        chain.to_str().unwrap(),
        "--store",
        store,
        "--at",
        AT,
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("unknown-ca"), "{}", r.stdout);
    assert!(r.stdout.contains("do not allow serverAuth"), "{}", r.stdout);
}

#[test]
fn store_check_of_broken_armour_has_bounded_findings_with_summaries() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..5 {
        let broken = "-----BEGIN CERTIFICATE-----\n".repeat(3_000);
        std::fs::write(dir.path().join(format!("broken-{i}.pem")), broken).unwrap();
    }
    let r = run(&[
        "store",
        "check",
        dir.path().to_str().unwrap(),
        "--at",
        AT,
        "--json",
    ]);
    assert_eq!(r.code, 1);
    let v = json(&r);
    let findings = v["findings"].as_array().unwrap();
    // 100 kept per file and one summary for the other 2,900.
    assert_eq!(findings.len(), 5 * 101);
    let summaries = findings
        .iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .starts_with("and 2900 more unparsable findings like it")
        })
        .count();
    assert_eq!(summaries, 5);
}
