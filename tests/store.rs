//! Trust-store assembly: every finding kind, sources, strict mode, export.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use hybridtrust::{
    FindingKind, Limits, Profile, Severity, SharedTrustStore, TrustStore, TrustStoreBuilder,
};

fn builder() -> TrustStoreBuilder {
    let mut b = TrustStore::builder();
    b.at(at());
    b
}

fn fixture(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

fn kinds(store: &TrustStore) -> Vec<FindingKind> {
    store.findings().iter().map(|f| f.kind).collect()
}

#[test]
fn pem_bundle_with_text_between_blocks_loads_every_certificate() {
    let a = root(Spec::ca("Root A"));
    let b = root(Spec::ca("Root B"));
    let text = format!("# bundle\n{}\nsome comment\n{}", a.pem, b.pem);
    let mut builder = builder();
    builder.add_pem("bundle", text.as_bytes()).unwrap();
    let store = builder.build().unwrap();
    assert_eq!(store.len(), 2);
    assert!(store.findings().is_empty(), "{:?}", store.findings());
    let second = &store.anchors()[1];
    assert_eq!(second.provenance().index, Some(1));
    assert!(second.provenance().line.unwrap() > 3);
    assert_eq!(second.certificate().common_name(), Some("Root B"));
}

#[test]
fn der_bytes_and_files_load_by_content_not_extension() {
    let dir = tempdir();
    let a = root(Spec::ca("DER Root"));
    fs::write(dir.join("root.pem"), a.der.as_ref()).unwrap(); // DER despite the name
    let mut b = builder();
    b.add_file(dir.join("root.pem")).unwrap();
    b.add_der("der-bytes", root(Spec::ca("Other")).der.as_ref())
        .unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.len(), 2);
}

#[test]
fn unparsable_garbage_and_truncated_der_are_findings_with_position() {
    let a = root(Spec::ca("Root"));
    let truncated = &a.der[..a.der.len() / 2];
    let mut b = builder();
    b.add_bytes("garbage", b"\x01\x02 not a certificate")
        .unwrap();
    b.add_bytes("truncated", truncated).unwrap();
    let broken_pem = a.pem.replace('A', "!");
    b.add_pem("broken-pem", broken_pem.as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.len(), 0);
    assert_eq!(kinds(&store), vec![FindingKind::Unparsable; 3]);
    assert!(store
        .findings()
        .iter()
        .all(|f| f.severity == Severity::Error));
    assert_eq!(store.findings()[2].provenance.line, Some(1));
}

#[test]
fn a_private_key_block_is_not_a_certificate() {
    let text = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
    let mut b = builder();
    b.add_pem("key.pem", text.as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(kinds(&store), vec![FindingKind::NotACertificate]);
    assert!(
        !store.findings()[0].message.contains("MC4C"),
        "never echo key material"
    );
}

#[test]
fn leaf_certificates_are_not_cas() {
    let pki = Pki::new();
    let (_, pem) = leaf(
        Spec::leaf("device.example.com", &["device.example.com"]),
        &pki.issuing,
    );
    let mut b = builder();
    b.add_pem("leaf", pem.as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.len(), 0);
    assert_eq!(kinds(&store), vec![FindingKind::NotACa]);
}

#[test]
fn self_issued_without_basic_constraints_is_kept_with_a_warning() {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Legacy Root Without BC");
    params.is_ca = rcgen::IsCa::NoCa;
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2040, 1, 1);
    let cert = params.self_signed(&key).unwrap();
    let mut b = builder();
    b.add_pem("legacy", cert.pem().as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.len(), 1);
    assert_eq!(kinds(&store), vec![FindingKind::NoBasicConstraints]);
}

#[test]
fn validity_findings_at_the_assembly_time() {
    let expired = root(Spec::ca("Expired Root").valid((2010, 1, 1), (2020, 1, 1)));
    let future = root(Spec::ca("Future Root").valid((2030, 1, 1), (2040, 1, 1)));
    let soon = root(Spec::ca("Soon Root").valid((2020, 1, 1), (2026, 6, 15)));
    let mut b = builder();
    for ca in [&expired, &future, &soon] {
        b.add_pem("roots", ca.pem.as_bytes()).unwrap();
    }
    let store = b.build().unwrap();
    assert_eq!(
        kinds(&store),
        vec![
            FindingKind::Expired,
            FindingKind::NotYetValid,
            FindingKind::ExpiringSoon
        ]
    );
    assert_eq!(store.len(), 2, "expired is dropped, the others kept");
    assert!(store.findings()[0].message.contains("2020-01-01"));
}

#[test]
fn weak_key_md5_and_sha1_roots() {
    let mut b = TrustStore::builder();
    b.at(time("2030-01-01T00:00:00Z"));
    b.add_pem("weak", &fixture("weak-rsa1024-root.pem"))
        .unwrap();
    b.add_pem("md5", &fixture("md5-root.pem")).unwrap();
    b.add_pem("sha1", &fixture("sha1-root.pem")).unwrap();
    let store = b.build().unwrap();
    assert_eq!(
        kinds(&store),
        vec![
            FindingKind::WeakKey,
            FindingKind::Md5Signature,
            FindingKind::Sha1Signature
        ]
    );
    assert_eq!(store.len(), 1, "only the SHA-1 root is kept");
    assert!(store.findings()[0].message.contains("RSA-1024"));
}

#[test]
fn duplicates_same_der_and_same_subject_and_key() {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let make = |serial: u64| {
        let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name
            .push(rcgen::DnType::CommonName, "Reissued Root");
        p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        p.serial_number = Some(serial.into());
        p.not_before = rcgen::date_time_ymd(2020, 1, 1);
        p.not_after = rcgen::date_time_ymd(2040, 1, 1);
        p.self_signed(&key).unwrap().pem()
    };
    let first = make(1);
    let mut b = builder();
    b.add_pem("a.pem", first.as_bytes()).unwrap();
    b.add_pem("b.pem", first.as_bytes()).unwrap();
    b.add_pem("c.pem", make(2).as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(
        kinds(&store),
        vec![
            FindingKind::DuplicateCertificate,
            FindingKind::DuplicateSubjectAndKey
        ]
    );
    assert_eq!(store.len(), 2);
    assert!(store.findings()[0].message.contains("a.pem"));
}

#[test]
fn two_cas_with_the_same_common_name_are_reported() {
    let mut one = Spec::ca("Corp Root");
    one.org = Some("Corp One".into());
    let mut two = Spec::ca("Corp Root");
    two.org = Some("Corp Two".into());
    let mut b = builder();
    b.add_pem("one", root(one).pem.as_bytes()).unwrap();
    b.add_pem("two", root(two).pem.as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(kinds(&store), vec![FindingKind::DuplicateCommonName]);
    assert_eq!(store.len(), 2);
}

#[test]
fn profile_cas_and_required_checks() {
    let profile = Profile::device_connector();
    let mut empty = builder();
    empty.require_profile(&profile);
    let store = empty.build().unwrap();
    let k = kinds(&store);
    assert_eq!(k[0], FindingKind::MissingRequiredCa);
    assert!(store.findings()[0]
        .hint
        .as_deref()
        .unwrap()
        .contains("IdenTrust Commercial Root CA 1"));
    assert!(k[1..].iter().all(|k| *k == FindingKind::MissingLegacyCa));

    let mut b = builder();
    b.add_profile_cas(&profile).unwrap();
    b.require_profile(&profile);
    let store = b.build().unwrap();
    assert!(!store.is_empty());
    assert!(!kinds(&store).contains(&FindingKind::MissingRequiredCa));
    // CAs gone from Mozilla's program are said so plainly.
    assert!(store
        .findings()
        .iter()
        .any(|f| f.kind == FindingKind::CaNotEmbedded && f.message.contains("VeriSign")));
}

#[test]
fn unreadable_too_large_and_empty_sources() {
    let dir = tempdir();
    let mut b = builder();
    b.add_file(dir.join("does-not-exist.pem")).unwrap();
    let big = dir.join("big.pem");
    fs::write(&big, vec![b'x'; 50 * 1024 * 1024]).unwrap();
    b.add_file(&big).unwrap();
    fs::write(dir.join("empty.pem"), b"").unwrap();
    b.add_file(dir.join("empty.pem")).unwrap();
    let store = b.build().unwrap();
    assert_eq!(
        kinds(&store),
        vec![
            FindingKind::Unreadable,
            FindingKind::TooLarge,
            FindingKind::Empty
        ]
    );
}

#[test]
fn certificates_per_source_limit() {
    let a = root(Spec::ca("Root"));
    let bundle = a.pem.repeat(5);
    let mut b = builder();
    b.limits(Limits {
        max_certificates_per_source: 3,
        ..Limits::default()
    });
    b.add_pem("bundle", bundle.as_bytes()).unwrap();
    let store = b.build().unwrap();
    let k = kinds(&store);
    assert_eq!(k.last(), Some(&FindingKind::TooLarge));
}

#[cfg(unix)]
#[test]
fn directories_hashed_names_symlinks_loops_and_non_utf8_paths() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempdir();
    let a = root(Spec::ca("Dir Root A"));
    let b = root(Spec::ca("Dir Root B"));
    fs::write(dir.join("a.crt"), &a.pem).unwrap();
    // OpenSSL hashed-directory style: a hash-named link to the same file is read once.
    std::os::unix::fs::symlink(dir.join("a.crt"), dir.join("5ad8a5d6.0")).unwrap();
    let odd = dir.join(std::ffi::OsStr::from_bytes(b"caf\xe9-root.der"));
    fs::write(&odd, b.der.as_ref()).unwrap();
    fs::create_dir(dir.join("sub")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(dir.join("missing"), dir.join("dangling.pem")).unwrap();
    let mut builder = builder();
    builder.add_dir(&dir).unwrap();
    let store = builder.build().unwrap();
    assert_eq!(store.len(), 2, "{:?}", store.findings());
    let k = kinds(&store);
    assert!(k.contains(&FindingKind::DirectoryLoop), "{k:?}");
    assert!(k.contains(&FindingKind::Unreadable), "{k:?}");
    assert!(!k.contains(&FindingKind::DuplicateCertificate), "{k:?}");
    let odd_anchor = store
        .anchors()
        .iter()
        .find(|a| a.certificate().common_name() == Some("Dir Root B"))
        .unwrap();
    assert_eq!(odd_anchor.provenance().path.as_deref(), Some(odd.as_path()));
}

#[test]
fn device_tool_folder_absent_is_informational() {
    let dir = tempdir();
    let mut b = builder();
    b.add_device_tool_certs_in(&dir.join(".devicestool/certs"))
        .unwrap();
    let store = b.build().unwrap();
    assert_eq!(kinds(&store), vec![FindingKind::FolderAbsent]);
    assert_eq!(store.findings()[0].severity, Severity::Info);

    let certs = dir.join(".devicestool/certs");
    fs::create_dir_all(&certs).unwrap();
    fs::write(certs.join("device-ca.pem"), root(Spec::ca("Device CA")).pem).unwrap();
    let mut b = builder();
    b.add_device_tool_certs_in(&certs).unwrap();
    assert_eq!(b.build().unwrap().len(), 1);
}

#[test]
fn strict_mode_stops_at_the_first_error() {
    let mut b = builder();
    b.strict(true);
    b.add_pem("good", root(Spec::ca("Good")).pem.as_bytes())
        .unwrap();
    let err = b.add_bytes("bad", b"junk").err().expect("strict stops");
    match err {
        hybridtrust::Error::Store(f) => assert_eq!(f.kind, FindingKind::Unparsable),
        other => panic!("{other}"),
    }
    // Warnings do not stop a strict builder.
    let mut b = builder();
    b.strict(true);
    let soon = root(Spec::ca("Soon").valid((2020, 1, 1), (2026, 6, 10)));
    b.add_pem("soon", soon.pem.as_bytes()).unwrap();
    assert_eq!(b.build().unwrap().len(), 1);
}

#[test]
fn export_is_a_pem_bundle_that_loads_back_and_generations_differ() {
    let mut b = builder();
    b.add_pem("a", root(Spec::ca("A")).pem.as_bytes()).unwrap();
    b.add_pem("b", root(Spec::ca("B")).pem.as_bytes()).unwrap();
    let store = b.build().unwrap();
    let bundle = store.to_pem_bundle();
    let mut again = builder();
    again.add_pem("bundle", bundle.as_bytes()).unwrap();
    let copy = again.build().unwrap();
    assert_eq!(copy.len(), 2);
    assert_ne!(copy.generation(), store.generation());
    assert_eq!(store.webpki_anchors().len(), 2);
}

#[test]
fn stores_are_send_sync_and_swappable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<TrustStore>();
    assert_send_sync::<SharedTrustStore>();
    let shared = SharedTrustStore::new(builder().build().unwrap());
    let before = shared.current().generation();
    shared.replace(builder().build().unwrap());
    assert!(shared.current().generation() > before);
}

fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "hybridtrust-store-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_fifo_or_device_added_as_a_file_is_unreadable_not_a_hang() {
    // Regression: add_file opened any non-directory, and opening a FIFO
    // without a writer blocks forever. Run on a thread so a regression fails
    // instead of hanging the suite.
    let dir = tempdir();
    let fifo = dir.join("fifo.pem");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let mut b = builder();
        if made {
            b.add_file(&path).unwrap();
        }
        b.add_file("/dev/zero").unwrap();
        let _ = tx.send(kinds(&b.build().unwrap()));
    });
    let found = rx.recv_timeout(std::time::Duration::from_secs(10));
    if found.is_err() {
        let _ = fs::OpenOptions::new().write(true).open(&fifo); // unblock the reader
    }
    let expected = if made { 2 } else { 1 };
    assert_eq!(
        found.expect("add_file hung"),
        vec![FindingKind::Unreadable; expected]
    );
}
