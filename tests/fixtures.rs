//! The committed example data (`examples/data/`) and its generator.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use hybridtrust::{parse_chain, DiagnosisKind, FindingKind, Policy, TrustStore, Zone};
use rcgen::ExtendedKeyUsagePurpose as Eku;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data")
}

/// Regenerates `examples/data/`. Run by hand: `cargo test --test fixtures -- --ignored regenerate`.
#[test]
#[ignore]
fn regenerate() {
    let d = data();
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(d.join("certs")).unwrap();
    fs::create_dir_all(d.join("chains")).unwrap();
    let root = root(Spec::ca("Example Hybrid Root CA"));
    let issuing = sub_ca(Spec::ca("Example Hybrid Issuing CA").serial(2), &root);
    let partner = root_spec("Example Partner Root CA", 3);
    let expired = hybridtrust_ca(
        Spec::ca("Example Retired CA")
            .serial(4)
            .valid((2015, 1, 1), (2025, 1, 1)),
    );
    fs::write(d.join("certs/example-hybrid-root.pem"), &root.pem).unwrap();
    fs::write(d.join("certs/partner-root.der"), partner.der.as_ref()).unwrap();
    fs::write(d.join("certs/retired-ca.pem"), &expired.pem).unwrap();
    fs::write(
        d.join("certs/notes.txt"),
        "Device CA certificates go in this folder (PEM or DER).\n",
    )
    .unwrap();

    let write_chain = |name: &str, spec: Spec, with_issuing: bool| {
        let (_, pem) = leaf(spec, &issuing);
        let mut text = pem;
        if with_issuing {
            text.push_str(&issuing.pem);
        }
        fs::write(d.join("chains").join(name), text).unwrap();
    };
    let both = vec![Eku::ServerAuth, Eku::ClientAuth];
    write_chain(
        "callservice-full.pem",
        Spec::leaf("callservice.webex.com", &["callservice.webex.com"]).eku(both.clone()),
        true,
    );
    write_chain(
        "callservice-leaf-only.pem",
        Spec::leaf("callservice.webex.com", &["callservice.webex.com"]).serial(101),
        false,
    );
    write_chain(
        "sip-webex.pem",
        Spec::leaf("sip.webex.com", &["sip.webex.com"]).serial(102),
        true,
    );
    write_chain(
        "cn-only.pem",
        Spec::leaf("callservice.webex.com", &["edge.example.com"]).serial(103),
        true,
    );
    write_chain(
        "server-auth-only.pem",
        Spec::leaf("callservice.webex.com", &["callservice.webex.com"])
            .serial(104)
            .eku(vec![Eku::ServerAuth]),
        true,
    );
    write_chain(
        "exchange.pem",
        Spec::leaf(
            "exchange.example.com",
            &["exchange.example.com", "autodiscover.example.com"],
        )
        .serial(105),
        true,
    );
    write_chain(
        "expired.pem",
        Spec::leaf("callservice.webex.com", &["callservice.webex.com"])
            .serial(106)
            .valid((2024, 1, 1), (2025, 1, 1)),
        true,
    );
}

fn root_spec(cn: &str, serial: u64) -> Ca {
    root(Spec::ca(cn).serial(serial))
}
fn hybridtrust_ca(spec: Spec) -> Ca {
    root(spec)
}

fn chain(name: &str) -> Vec<hybridtrust::CertificateDer<'static>> {
    parse_chain(&fs::read(data().join("chains").join(name)).unwrap()).unwrap()
}

fn example_store() -> TrustStore {
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_dir(data().join("certs")).unwrap();
    b.build().unwrap()
}

#[test]
fn example_folder_gives_its_documented_findings() {
    let store = example_store();
    assert_eq!(store.len(), 2, "{:?}", store.findings());
    let kinds: Vec<FindingKind> = store.findings().iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&FindingKind::Expired), "{kinds:?}");
    assert!(kinds.contains(&FindingKind::Unparsable), "{kinds:?}");
    let notes = store
        .findings()
        .iter()
        .find(|f| f.kind == FindingKind::Unparsable)
        .unwrap();
    assert!(notes.provenance.source.ends_with("notes.txt"));
}

#[test]
fn example_chains_give_their_documented_verdicts() {
    let store = example_store();
    let zone = Zone::webex_hybrid();
    let policy = Policy::server_auth().with_time(at());
    assert!(zone
        .verify_outbound(&store, &chain("callservice-full.pem"), &policy)
        .is_ok());
    let kind = |name: &str| {
        zone.verify_outbound(&store, &chain(name), &policy)
            .unwrap_err()
            .kind
    };
    assert_eq!(
        kind("callservice-leaf-only.pem"),
        DiagnosisKind::IncompleteChain
    );
    assert_eq!(kind("sip-webex.pem"), DiagnosisKind::NameMismatch);
    assert_eq!(kind("cn-only.pem"), DiagnosisKind::NameMismatch);
    assert_eq!(kind("expired.pem"), DiagnosisKind::Expired);
    assert!(matches!(
        zone.classify_inbound(&store, &chain("cn-only.pem"), &policy),
        hybridtrust::Inbound::Mapped { .. }
    ));
}
