//! Benchmark inputs shared by the Rust benches, the probe binary, and the
//! Python and C benchmarks (which read the files): generated once into a
//! directory, reused while its `complete` marker names this version.
//!
//! Layout of the directory:
//! * `ecdsa-p256/`, `ecdsa-p256-b/`, `rsa-2048/`: `root.pem`, `root.der`,
//!   `leaf.der`, `inter.der` (a 3-certificate chain for
//!   `callservice.webex.com`, valid 2026-01-01..2027-01-01);
//! * `bundle-147.pem`: 146 Mozilla roots and the ECDSA bench root;
//! * `bundle-10000.pem`: 9,999 generated ECDSA roots and the ECDSA bench root;
//! * `dir-1000/`: 1,000 files of one PEM certificate each (the first 1,000
//!   certificates of `bundle-10000.pem`);
//! * `bundle-10000.der-bytes`: the total DER size of `bundle-10000.pem`.

#![allow(dead_code)] // each user takes what it needs

use std::fs;
use std::path::{Path, PathBuf};

use hybridtrust::CertificateDer;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SignatureAlgorithm,
};

/// The validation time of every benchmark.
pub const AT: &str = "2026-06-01T00:00:00Z";
/// The name every leaf carries.
pub const NAME: &str = "callservice.webex.com";
/// Written to the `complete` marker; a change regenerates older fixtures.
const VERSION: &str = "2";
/// The chain directories.
pub const ALGS: [&str; 3] = ["ecdsa-p256", "ecdsa-p256-b", "rsa-2048"];

/// [`AT`] as a Unix time.
pub fn at() -> hybridtrust::UnixTime {
    hybridtrust::parse_time(AT).unwrap()
}

/// A trust store of the PEM certificates in `pem`, assembled at [`AT`].
pub fn store_of(pem: &[u8]) -> hybridtrust::TrustStore {
    let mut b = hybridtrust::TrustStore::builder();
    b.at(at());
    b.add_pem("root", pem).unwrap();
    b.build().unwrap()
}

/// A verifier for server auth at [`AT`] with its cache off: every call verifies.
pub fn uncached(store: hybridtrust::TrustStore) -> hybridtrust::Verifier {
    hybridtrust::Verifier::new(store, hybridtrust::Policy::server_auth().with_time(at()))
        .with_cache_capacity(0)
}

/// Where the fixtures live: `$HT_PERF_DATA`, else `target/perf/data`.
pub fn dir() -> PathBuf {
    if let Some(d) = std::env::var_os("HT_PERF_DATA") {
        return PathBuf::from(d);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let target = if target.is_absolute() {
        target
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(target)
    };
    target.join("perf").join("data")
}

/// A chain read back from the fixtures.
pub struct Chain {
    /// The root as PEM.
    pub root_pem: Vec<u8>,
    /// Leaf, then intermediate.
    pub chain: Vec<CertificateDer<'static>>,
}

/// Reads one chain directory (`ALGS`).
pub fn chain(data: &Path, alg: &str) -> Chain {
    let d = data.join(alg);
    let read = |f: &str| fs::read(d.join(f)).unwrap_or_else(|e| panic!("{alg}/{f}: {e}"));
    Chain {
        root_pem: read("root.pem"),
        chain: vec![
            CertificateDer::from(read("leaf.der")),
            CertificateDer::from(read("inter.der")),
        ],
    }
}

fn key(alg: &'static SignatureAlgorithm) -> KeyPair {
    if alg == &rcgen::PKCS_RSA_SHA256 {
        KeyPair::generate_rsa_for(alg, rcgen::RsaKeySize::_2048).unwrap()
    } else {
        KeyPair::generate_for(alg).unwrap()
    }
}

pub fn ca_params(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.not_before = rcgen::date_time_ymd(2025, 1, 1);
    p.not_after = rcgen::date_time_ymd(2045, 1, 1);
    p.use_authority_key_identifier_extension = true;
    // What CA/Browser Forum profiles (and pyca/cryptography's verifier) require.
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p
}

fn write_chain(dir: &Path, alg: &'static SignatureAlgorithm, root_cn: &str) {
    fs::create_dir_all(dir).unwrap();
    let root_key = key(alg);
    let root_params = ca_params(root_cn);
    let root = root_params.self_signed(&root_key).unwrap();
    let root_issuer = Issuer::new(root_params, root_key);
    let inter_key = key(alg);
    let inter_params = ca_params("Bench Issuing CA");
    let inter = inter_params.signed_by(&inter_key, &root_issuer).unwrap();
    let inter_issuer = Issuer::new(inter_params, inter_key);
    let leaf_key = key(alg);
    let mut lp = CertificateParams::new(vec![NAME.to_string()]).unwrap();
    lp.distinguished_name.push(DnType::CommonName, NAME);
    lp.not_before = rcgen::date_time_ymd(2026, 1, 1);
    lp.not_after = rcgen::date_time_ymd(2027, 1, 1);
    lp.use_authority_key_identifier_extension = true;
    lp.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    lp.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf = lp.signed_by(&leaf_key, &inter_issuer).unwrap();
    fs::write(dir.join("root.pem"), root.pem()).unwrap();
    fs::write(dir.join("root.der"), root.der()).unwrap();
    fs::write(dir.join("inter.der"), inter.der()).unwrap();
    fs::write(dir.join("leaf.der"), leaf.der()).unwrap();
}

fn pem(der: &[u8]) -> String {
    pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, der).unwrap()
}

/// Generates the fixtures into `data` unless they are already complete.
pub fn ensure(data: &Path) {
    let marker = data.join("complete");
    if fs::read_to_string(&marker).is_ok_and(|v| v == VERSION) {
        return;
    }
    let _ = fs::remove_dir_all(data);
    fs::create_dir_all(data).unwrap();
    write_chain(
        &data.join("ecdsa-p256"),
        &rcgen::PKCS_ECDSA_P256_SHA256,
        "Bench Root",
    );
    write_chain(
        &data.join("ecdsa-p256-b"),
        &rcgen::PKCS_ECDSA_P256_SHA256,
        "Bench Root B",
    );
    write_chain(
        &data.join("rsa-2048"),
        &rcgen::PKCS_RSA_SHA256,
        "Bench Root",
    );
    let bench_root = fs::read_to_string(data.join("ecdsa-p256/root.pem")).unwrap();

    let mozilla: String = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .take(146)
        .map(|c| pem(c.as_ref()))
        .collect();
    fs::write(data.join("bundle-147.pem"), mozilla + &bench_root).unwrap();

    let fillers: Vec<Vec<u8>> = (0..9_999)
        .map(|i| {
            let k = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
            ca_params(&format!("Filler Root {i}"))
                .self_signed(&k)
                .unwrap()
                .der()
                .to_vec()
        })
        .collect();
    let root_der = fs::read(data.join("ecdsa-p256/root.der")).unwrap();
    let der_total: usize = fillers.iter().map(Vec::len).sum::<usize>() + root_der.len();
    let mut bundle = String::with_capacity(der_total * 2);
    for f in &fillers {
        bundle.push_str(&pem(f));
    }
    bundle.push_str(&bench_root);
    fs::write(data.join("bundle-10000.pem"), bundle).unwrap();
    fs::write(data.join("bundle-10000.der-bytes"), der_total.to_string()).unwrap();

    let d = data.join("dir-1000");
    fs::create_dir_all(&d).unwrap();
    for (i, f) in fillers.iter().take(1_000).enumerate() {
        fs::write(d.join(format!("ca-{i:04}.pem")), pem(f)).unwrap();
    }
    fs::write(marker, VERSION).unwrap();
}

/// A chain with decoys, made in memory on each call (not written to the fixture
/// directory): (root PEM, clean chain, chain with `n` decoys between leaf and
/// issuing CA). A decoy is a CA with the issuing CA's name under the same root
/// and another key.
pub type DecoyChains = (
    String,
    Vec<CertificateDer<'static>>,
    Vec<CertificateDer<'static>>,
);

pub fn decoy_chains(n: usize) -> DecoyChains {
    let alg = &rcgen::PKCS_ECDSA_P256_SHA256;
    let root_key = KeyPair::generate_for(alg).unwrap();
    let root_params = ca_params("Decoy Root");
    let root = root_params.self_signed(&root_key).unwrap();
    let root_issuer = Issuer::new(root_params, root_key);
    let ik = KeyPair::generate_for(alg).unwrap();
    let ip = ca_params("Bench Issuing CA");
    let inter = ip.signed_by(&ik, &root_issuer).unwrap().der().clone();
    let inter_issuer = Issuer::new(ip, ik);
    let lk = KeyPair::generate_for(alg).unwrap();
    let mut lp = CertificateParams::new(vec![NAME.to_string()]).unwrap();
    lp.not_before = rcgen::date_time_ymd(2026, 1, 1);
    lp.not_after = rcgen::date_time_ymd(2027, 1, 1);
    lp.use_authority_key_identifier_extension = true;
    let leaf = lp.signed_by(&lk, &inter_issuer).unwrap().der().clone();
    let mut decoyed = vec![leaf.clone()];
    for _ in 0..n {
        let k = KeyPair::generate_for(alg).unwrap();
        decoyed.push(
            ca_params("Bench Issuing CA")
                .signed_by(&k, &root_issuer)
                .unwrap()
                .der()
                .clone(),
        );
    }
    decoyed.push(inter.clone());
    (root.pem(), vec![leaf, inter], decoyed)
}
