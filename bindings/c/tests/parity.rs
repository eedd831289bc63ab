//! The core API's verdicts on `tests/scenarios.txt`; the C test
//! (`test_verify.c`) asserts the same table through the C API, so both
//! languages reach the same verdicts and diagnoses on the same inputs.

use std::path::{Path, PathBuf};
use std::time::Duration;

use ht::{parse_chain, CertificateDer, Crl, Inbound, Policy, TrustStore, UnixTime, Zone};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn chain(spec: &str) -> Vec<CertificateDer<'static>> {
    let (op, file) = spec.split_once(':').unwrap_or(("", spec));
    let read = || parse_chain(&std::fs::read(root().join(file)).unwrap()).unwrap();
    match op {
        "" => read(),
        "empty" => Vec::new(),
        "garbage" => vec![CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x01])],
        "many" => vec![read()[0].clone(); 65],
        "badsig" => {
            let mut der = read()[0].to_vec();
            let last = der.len() - 1;
            der[last] ^= 0x01;
            let mut c = read();
            c[0] = CertificateDer::from(der);
            c
        }
        "second" => vec![read()[1].clone()],
        other => panic!("unknown chain op {other}"),
    }
}

fn verdict(store: &str, chain_spec: &str, mode: &str, time: u64) -> String {
    let at = UnixTime::since_unix_epoch(Duration::from_secs(time));
    let mut b = TrustStore::builder();
    b.at(at);
    let path = root().join(store);
    if path.is_dir() {
        b.add_dir(&path).unwrap();
    } else {
        b.add_file(&path).unwrap();
    }
    let store = b.build().unwrap();
    let chain = chain(chain_spec);
    let zone = Zone::webex_hybrid();
    let server = Policy::server_auth().with_time(at);
    let outcome = match mode {
        "outbound" => zone.verify_outbound(&store, &chain, &server),
        "inbound" => {
            return match zone.classify_inbound(&store, &chain, &server) {
                Inbound::Mapped { .. } => "mapped".into(),
                Inbound::DefaultZone { diagnosis } => diagnosis.kind.as_str().into(),
            }
        }
        "server" => ht::verify(&store, &chain, &server, None),
        "client" => ht::verify(&store, &chain, &Policy::client_auth().with_time(at), None),
        "server-depth2" => ht::verify(&store, &chain, &server.clone().with_max_depth(2), None),
        "revocation" | "revocation-root-crl" | "revocation-older-first" => {
            let file = match mode {
                "revocation" => "crls.pem",
                "revocation-older-first" => "older-first-crls.pem",
                _ => "root-crl.pem",
            };
            let crls = Crl::parse_all(
                &std::fs::read(root().join("bindings/c/tests/data").join(file)).unwrap(),
            )
            .unwrap();
            ht::verify(&store, &chain, &server.clone().with_crls(crls), None)
        }
        other => panic!("unknown mode {other}"),
    };
    match outcome {
        Ok(_) => "trusted".into(),
        Err(d) => d.kind.as_str().into(),
    }
}

#[test]
fn core_verdicts_match_the_shared_scenario_table() {
    let table =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios.txt"))
            .unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for line in table
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let f: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(f.len(), 6, "bad scenario line: {line}");
        let got = verdict(f[1], f[2], f[3], f[4].parse().unwrap());
        if got != f[5] {
            failures.push(format!("{}: expected {}, got {got}", f[0], f[5]));
        }
        count += 1;
    }
    assert!(count >= 15, "only {count} scenarios");
    assert!(failures.is_empty(), "{failures:#?}");
}
