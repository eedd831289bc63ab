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

// ---- OpenSSL trust settings (TRUSTED CERTIFICATE, X509_AUX) ----

/// `openssl` with `args`, or `None` when it is not installed.
fn openssl(args: &[&str]) -> Option<std::process::Output> {
    let bin = ["/usr/bin/openssl", "openssl"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("version")
            .output()
            .is_ok()
    })?;
    Some(std::process::Command::new(bin).args(args).output().unwrap())
}

/// The CA as an OpenSSL TRUSTED CERTIFICATE with `settings` (e.g.
/// `["-addreject", "serverAuth"]`), made by openssl itself.
fn trusted_pem(dir: &Path, name: &str, ca: &common::Ca, settings: &[&str]) -> Option<String> {
    let ca_path = dir.join(format!("{name}-ca.pem"));
    let out = dir.join(format!("{name}-trusted.pem"));
    fs::write(&ca_path, &ca.pem).unwrap();
    let mut args = vec!["x509", "-in", ca_path.to_str()?, "-trustout"];
    args.extend_from_slice(settings);
    args.extend_from_slice(&["-out", out.to_str()?]);
    let done = openssl(&args)?;
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    Some(fs::read_to_string(out).unwrap())
}

/// What `openssl verify -purpose <purpose>` says of `leaf` against `cafile`, at the test time.
fn openssl_verifies(dir: &Path, cafile: &str, leaf: &str, purpose: &str) -> bool {
    let ca = dir.join("verify-ca.pem");
    let leaf_path = dir.join("verify-leaf.pem");
    fs::write(&ca, cafile).unwrap();
    fs::write(&leaf_path, leaf).unwrap();
    let at = at().as_secs().to_string();
    let out = openssl(&[
        "verify",
        "-attime",
        &at,
        "-CAfile",
        ca.to_str().unwrap(),
        "-purpose",
        purpose,
        leaf_path.to_str().unwrap(),
    ])
    .unwrap();
    out.status.success()
}

#[test]
fn openssl_trust_settings_restrict_or_distrust_the_anchor_as_openssl_does() {
    use hybridtrust::{DiagnosisKind, Policy, Usage};
    let dir = tempdir();
    let ca = root(Spec::ca("Trust Settings Root"));
    let (server_leaf, server_pem) = leaf(
        Spec::leaf("server.example.com", &["server.example.com"])
            .eku(vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth]),
        &ca,
    );
    let (client_leaf, client_pem) = leaf(
        Spec::leaf("client.example.com", &["client.example.com"])
            .eku(vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth]),
        &ca,
    );
    let Some(no_server) = trusted_pem(&dir, "reject", &ca, &["-addreject", "serverAuth"]) else {
        eprintln!("openssl is not installed; skipped");
        return;
    };
    let client_only = trusted_pem(&dir, "client", &ca, &["-addtrust", "clientAuth"]).unwrap();
    let distrusted = trusted_pem(&dir, "any", &ca, &["-addreject", "anyExtendedKeyUsage"]).unwrap();
    let unrestricted = trusted_pem(&dir, "plain", &ca, &["-setalias", "my root"]).unwrap();
    assert!(no_server.starts_with("-----BEGIN TRUSTED CERTIFICATE-----"));
    let server = Policy::server_auth().with_time(at());
    let client = Policy::client_auth().with_time(at());

    for (what, pem) in [
        ("-addreject serverAuth", &no_server),
        ("-addtrust clientAuth", &client_only),
    ] {
        let mut b = builder();
        b.add_pem(what, pem.as_bytes()).unwrap();
        let store = b.build().unwrap();
        assert_eq!(store.len(), 1, "{what}");
        let anchor = &store.anchors()[0];
        assert!(!anchor.is_trusted_for(Usage::ServerAuth), "{what}");
        assert!(anchor.is_trusted_for(Usage::ClientAuth), "{what}");
        assert!(!anchor.trust_settings().is_unrestricted());
        let f = &store.findings()[0];
        assert_eq!(
            (f.kind, f.severity),
            (FindingKind::TrustRestricted, Severity::Warning),
            "{what}: {:?}",
            store.findings()
        );
        assert!(
            f.message.contains("not used to verify serverAuth"),
            "{}",
            f.message
        );
        // Verification does not use it for serverAuth, and says why.
        let d = hybridtrust::verify(&store, std::slice::from_ref(&server_leaf), &server, None)
            .unwrap_err();
        assert_eq!(d.kind, DiagnosisKind::UnknownCa, "{what}: {d}");
        assert!(
            d.message.contains("trust settings do not allow serverAuth"),
            "{what}: {d}"
        );
        hybridtrust::verify(&store, std::slice::from_ref(&client_leaf), &client, None)
            .unwrap_or_else(|d| panic!("{what}: {d}"));
        // Never widened: not in a plain export, nor in rustls' roots.
        assert_eq!(store.to_pem_bundle(), "");
        assert!(store.webpki_anchors().is_empty());
        // openssl agrees.
        assert!(
            !openssl_verifies(&dir, pem, &server_pem, "sslserver"),
            "{what}"
        );
        assert!(
            openssl_verifies(&dir, pem, &client_pem, "sslclient"),
            "{what}"
        );
    }

    // Rejected for everything: a distrusted entry, not an anchor.
    let mut b = builder();
    b.add_pem("distrusted", distrusted.as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.len(), 0);
    assert_eq!(kinds(&store), vec![FindingKind::DistrustedEntry]);
    for (leaf, policy) in [(&server_leaf, &server), (&client_leaf, &client)] {
        let d = hybridtrust::verify(&store, std::slice::from_ref(leaf), policy, None).unwrap_err();
        assert!(d.message.contains("distrusted-entry"), "{d}");
    }
    assert!(!openssl_verifies(
        &dir,
        &distrusted,
        &server_pem,
        "sslserver"
    ));
    assert!(!openssl_verifies(
        &dir,
        &distrusted,
        &client_pem,
        "sslclient"
    ));

    // An alias alone restricts nothing.
    let mut b = builder();
    b.add_pem("alias", unrestricted.as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert!(store.findings().is_empty(), "{:?}", store.findings());
    assert_eq!(store.anchors()[0].trust_settings().alias(), Some("my root"));
    hybridtrust::verify(&store, std::slice::from_ref(&server_leaf), &server, None).unwrap();
    assert!(openssl_verifies(
        &dir,
        &unrestricted,
        &server_pem,
        "sslserver"
    ));
}

#[test]
fn a_copy_of_a_certificate_never_widens_its_trust_settings() {
    use hybridtrust::Usage;
    let dir = tempdir();
    let ca = root(Spec::ca("Copied Root"));
    let Some(distrusted) = trusted_pem(&dir, "any", &ca, &["-addreject", "anyExtendedKeyUsage"])
    else {
        eprintln!("openssl is not installed; skipped");
        return;
    };
    let client_only = trusted_pem(&dir, "client", &ca, &["-addtrust", "clientAuth"]).unwrap();
    // Distrust first, plain copy later: the copy is refused too.
    let mut b = builder();
    b.add_pem("fedora-bundle", distrusted.as_bytes()).unwrap();
    b.add_pem("plain", ca.pem.as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.len(), 0);
    assert_eq!(
        kinds(&store),
        vec![FindingKind::DistrustedEntry, FindingKind::DistrustedEntry]
    );
    // Plain copy first, then distrust: the anchor is dropped at build.
    let bundle = format!("{}{distrusted}", ca.pem);
    let mut b = builder();
    b.add_pem("plain-then-distrusted", bundle.as_bytes())
        .unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.len(), 0, "{:?}", store.findings());
    assert!(kinds(&store).contains(&FindingKind::DistrustedEntry));
    let (server_leaf, server_pem) = leaf(Spec::leaf("s.example.com", &["s.example.com"]), &ca);
    let policy = hybridtrust::Policy::server_auth().with_time(at());
    assert!(hybridtrust::verify(&store, &[server_leaf], &policy, None).is_err());
    // Where openssl differs: its X509_STORE keeps the first copy and ignores
    // the later distrust entry, so it trusts the chain. Refusing is right: the
    // distrust entry is the bundle's explicit word on that certificate, and
    // the order of entries must not turn it into trust.
    assert!(openssl_verifies(&dir, &bundle, &server_pem, "sslserver"));
    assert!(!openssl_verifies(
        &dir,
        &format!("{distrusted}{}", ca.pem),
        &server_pem,
        "sslserver"
    ));
    // Plain copy first, then a restricted one: the anchor is narrowed.
    let mut b = builder();
    b.add_pem("plain", ca.pem.as_bytes()).unwrap();
    b.add_pem("client-only", client_only.as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.len(), 1);
    assert!(!store.anchors()[0].is_trusted_for(Usage::ServerAuth));
    assert!(kinds(&store).contains(&FindingKind::TrustRestricted));
}

#[test]
fn anything_after_the_trust_settings_refuses_the_entry() {
    let dir = tempdir();
    let ca = root(Spec::ca("Trailing Root"));
    let Some(pem) = trusted_pem(&dir, "reject", &ca, &["-addreject", "serverAuth"]) else {
        eprintln!("openssl is not installed; skipped");
        return;
    };
    let (_, der) = pem_rfc7468::decode_vec(pem.as_bytes()).unwrap();
    let armour = |der: &[u8]| {
        pem_rfc7468::encode_string("TRUSTED CERTIFICATE", pem_rfc7468::LineEnding::LF, der).unwrap()
    };
    // The same settings followed by a second, unrestricted aux (or any bytes).
    let cert_len = ca.der.len();
    let mut hidden = der.clone();
    hidden.extend_from_slice(&[0x30, 0x00]);
    let mut aux_only_broken = der[..cert_len].to_vec();
    aux_only_broken.extend_from_slice(&[0x30, 0x03, 0x06, 0x01]); // truncated
    for bytes in [hidden, aux_only_broken] {
        let mut b = builder();
        b.add_pem("trailing", armour(&bytes).as_bytes()).unwrap();
        let store = b.build().unwrap();
        assert_eq!(store.len(), 0);
        assert_eq!(kinds(&store), vec![FindingKind::Unparsable]);
        assert_eq!(store.findings()[0].severity, Severity::Error);
        assert!(store.findings()[0].message.contains("TRUSTED CERTIFICATE"));
    }
    // Sanity: the untouched block still loads, restricted.
    let mut b = builder();
    b.add_pem("ok", armour(&der).as_bytes()).unwrap();
    assert_eq!(b.build().unwrap().len(), 1);
}

// ---- Bounded findings and directory walks ----

#[test]
fn findings_are_capped_per_kind_and_source_and_per_store_with_summaries() {
    // 20 files of broken PEM armour: each BEGIN line without its END line is a finding.
    let dir = tempdir();
    let broken = "-----BEGIN CERTIFICATE-----\n".repeat(5_000);
    for i in 0..20 {
        fs::write(dir.join(format!("broken-{i:02}.pem")), &broken).unwrap();
    }
    let started = std::time::Instant::now();
    let mut b = builder();
    b.add_dir(&dir).unwrap();
    let store = b.build().unwrap();
    let limits = Limits::default();
    // 100 kept per file, and one summary per file for the other 4,900.
    assert_eq!(
        store.findings().len(),
        20 * (limits.max_similar_findings + 1)
    );
    let summaries: Vec<_> = store
        .findings()
        .iter()
        .filter(|f| {
            f.message
                .starts_with("and 4900 more unparsable findings like it")
        })
        .collect();
    assert_eq!(summaries.len(), 20, "{:?}", store.findings().last());
    assert!(summaries
        .iter()
        .all(|f| f.severity == Severity::Error && f.kind == FindingKind::Unparsable));
    assert_eq!(store.worst_severity(), Some(Severity::Error));

    // The store-wide cap: beyond it, one summary per kind.
    let mut b = builder();
    b.limits(Limits {
        max_findings: 150,
        ..Limits::default()
    });
    b.add_dir(&dir).unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.findings().len(), 151, "{:?}", store.findings().last());
    let last = store.findings().last().unwrap();
    assert_eq!(last.kind, FindingKind::Unparsable);
    assert_eq!(last.provenance.source, "store");
    // 100,000 findings in all: the first file's 100 and its summary (for
    // 4,900), then 49 of the second file's; the rest are counted here.
    assert!(
        last.message
            .starts_with("and 94951 more unparsable findings"),
        "{}",
        last.message
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn a_strict_builder_still_stops_at_the_first_error_beyond_the_caps() {
    let mut b = builder();
    b.strict(true);
    b.limits(Limits {
        max_findings: 0,
        max_similar_findings: 0,
        ..Limits::default()
    });
    let err = b.add_bytes("bad", b"junk").err().expect("strict stops");
    assert!(matches!(err, hybridtrust::Error::Store(f) if f.kind == FindingKind::Unparsable));
}

#[test]
fn parsing_hostile_pem_is_linear() {
    // Long labels, BEGIN lines without END lines, END lines that almost match.
    let sample = |n: usize| {
        let mut s = String::new();
        while s.len() < n {
            s.push_str("-----BEGIN ");
            s.push_str(&"A".repeat(200));
            s.push_str("-----\n-----END ");
            s.push_str(&"A".repeat(199));
            s.push_str("B-----\n-----BEGIN X-----\n");
        }
        s
    };
    let time = |n: usize| {
        let pem = sample(n);
        let started = std::time::Instant::now();
        let mut b = builder();
        b.add_pem("hostile", pem.as_bytes()).unwrap();
        let store = b.build().unwrap();
        assert!(store.findings().len() <= 2 * Limits::default().max_similar_findings + 2);
        started.elapsed()
    };
    let small = time(1 << 20);
    let large = time(8 << 20);
    eprintln!("{small:?} for 1 MiB, {large:?} for 8 MiB");
    // Eight times the input: well under 64 times the time (quadratic would be 64).
    assert!(
        large < small * 24 + std::time::Duration::from_millis(200),
        "{small:?} for 1 MiB, {large:?} for 8 MiB"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_dag_reads_each_directory_once() {
    // d0 holds links a, b -> d1; d1 holds a, b -> d2; ... 34 levels: 2^34 paths.
    let dir = tempdir();
    let levels = 34;
    let mut roots = Vec::new();
    for i in 0..=levels {
        let d = dir.join(format!("d{i}"));
        fs::create_dir(&d).unwrap();
        let ca = root(Spec::ca(&format!("DAG Root {i}")));
        fs::write(d.join("ca.pem"), &ca.pem).unwrap();
        roots.push(ca);
        if i > 0 {
            let prev = dir.join(format!("d{}", i - 1));
            std::os::unix::fs::symlink(&d, prev.join("a")).unwrap();
            std::os::unix::fs::symlink(&d, prev.join("b")).unwrap();
            // A hash link to the same file, and a loop back to the top.
            std::os::unix::fs::symlink(d.join("ca.pem"), d.join("5ad8a5d6.0")).unwrap();
        }
    }
    std::os::unix::fs::symlink(dir.join("d0"), dir.join(format!("d{levels}/loop"))).unwrap();
    let started = std::time::Instant::now();
    let mut b = builder();
    b.limits(Limits {
        max_directory_depth: 40,
        ..Limits::default()
    });
    b.add_dir(dir.join("d0")).unwrap();
    let store = b.build().unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(store.len(), levels + 1, "{:?}", store.findings());
    assert_eq!(kinds(&store), vec![FindingKind::DirectoryLoop]);

    // Within the default depth: the deeper directory is reported once.
    let mut b = builder();
    b.add_dir(dir.join("d0")).unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.len(), Limits::default().max_directory_depth + 1);
    assert_eq!(kinds(&store), vec![FindingKind::TooLarge]);
}

#[test]
fn a_required_cloud_ca_whose_trust_settings_refuse_server_auth_is_missing() {
    let dir = tempdir();
    let profile = Profile::device_connector();
    let mut b = builder();
    b.add_profile_cas(&profile).unwrap();
    let embedded = b.build().unwrap();
    let required = profile
        .check_store(&embedded)
        .into_iter()
        .find(|p| p.ca.status == hybridtrust::CaStatus::Required && p.present.is_some())
        .expect("an embedded required CA");
    let anchor = embedded
        .anchors()
        .iter()
        .find(|a| required.ca.matches(a.certificate()))
        .unwrap();
    let plain = dir.join("cloud-ca.pem");
    fs::write(&plain, anchor.certificate().to_pem()).unwrap();
    let trusted = dir.join("cloud-ca-trusted.pem");
    let Some(done) = openssl(&[
        "x509",
        "-in",
        plain.to_str().unwrap(),
        "-trustout",
        "-addreject",
        "serverAuth",
        "-out",
        trusted.to_str().unwrap(),
    ]) else {
        eprintln!("openssl is not installed; skipped");
        return;
    };
    assert!(done.status.success());
    let mut b = builder();
    b.add_file(&trusted).unwrap();
    b.require_profile(&profile);
    let store = b.build().unwrap();
    assert_eq!(store.len(), 1);
    assert!(store
        .findings()
        .iter()
        .any(|f| f.kind == FindingKind::MissingRequiredCa && f.message.contains(required.ca.name)));
    let presence = profile.check_store(&store);
    assert!(presence
        .iter()
        .find(|p| p.ca.name == required.ca.name)
        .is_some_and(|p| p.present.is_none()));
}

#[test]
fn a_restricted_ca_with_the_same_name_but_another_key_is_not_blamed() {
    let dir = tempdir();
    let real = root(Spec::ca("Same Name Root"));
    let other = root(Spec::ca("Same Name Root"));
    let (server_leaf, _) = leaf(Spec::leaf("s.example.com", &["s.example.com"]), &real);
    let Some(pem) = trusted_pem(&dir, "other", &other, &["-addreject", "serverAuth"]) else {
        eprintln!("openssl is not installed; skipped");
        return;
    };
    let mut b = builder();
    b.add_pem("other", pem.as_bytes()).unwrap();
    let store = b.build().unwrap();
    let policy = hybridtrust::Policy::server_auth().with_time(at());
    let d = hybridtrust::verify(&store, &[server_leaf], &policy, None).unwrap_err();
    assert!(!d.message.contains("trust settings"), "{d}");
}
