//! Verification cost against raw rustls-webpki on the same chains, in the same run.
//!
//! `cargo bench --bench verify`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use hybridtrust::{
    parse_time, CertificateDer, IdentityRule, Policy, TrustStore, UnixTime, Verifier,
};
use pki_types::ServerName;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SignatureAlgorithm,
};

#[path = "support/baseline.rs"]
mod baseline;

struct Chain {
    root_pem: String,
    chain: Vec<CertificateDer<'static>>,
    /// CAs with the issuing CA's name but other keys, issued by the same root.
    decoys: Vec<CertificateDer<'static>>,
}

fn key(alg: &'static SignatureAlgorithm) -> KeyPair {
    if alg == &rcgen::PKCS_RSA_SHA256 {
        KeyPair::generate_rsa_for(alg, rcgen::RsaKeySize::_2048).unwrap()
    } else {
        KeyPair::generate_for(alg).unwrap()
    }
}

fn ca_params(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.not_before = rcgen::date_time_ymd(2025, 1, 1);
    p.not_after = rcgen::date_time_ymd(2045, 1, 1);
    p.use_authority_key_identifier_extension = true;
    p
}

fn chain(alg: &'static SignatureAlgorithm) -> Chain {
    let root_key = key(alg);
    let root_params = ca_params("Bench Root");
    let root = root_params.self_signed(&root_key).unwrap();
    let root_issuer = Issuer::new(root_params, root_key);
    let inter_key = key(alg);
    let inter_params = ca_params("Bench Issuing CA");
    let inter = inter_params.signed_by(&inter_key, &root_issuer).unwrap();
    let inter_issuer = Issuer::new(inter_params, inter_key);
    let leaf_key = key(alg);
    let mut lp = CertificateParams::new(vec!["callservice.webex.com".to_string()]).unwrap();
    lp.distinguished_name
        .push(DnType::CommonName, "callservice.webex.com");
    lp.not_before = rcgen::date_time_ymd(2026, 1, 1);
    lp.not_after = rcgen::date_time_ymd(2027, 1, 1);
    lp.use_authority_key_identifier_extension = true;
    let leaf = lp.signed_by(&leaf_key, &inter_issuer).unwrap();
    let decoys = (0..10)
        .map(|_| {
            let k = key(alg);
            ca_params("Bench Issuing CA")
                .signed_by(&k, &root_issuer)
                .unwrap()
                .der()
                .clone()
        })
        .collect();
    Chain {
        root_pem: root.pem(),
        chain: vec![leaf.der().clone(), inter.der().clone()],
        decoys,
    }
}

fn at() -> UnixTime {
    parse_time("2026-06-01T00:00:00Z").unwrap()
}

fn bench_uncached(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify-3-cert-chain");
    for (label, alg) in [
        ("ecdsa-p256", &rcgen::PKCS_ECDSA_P256_SHA256),
        ("rsa-2048", &rcgen::PKCS_RSA_SHA256),
    ] {
        let ch = chain(alg);
        let mut b = TrustStore::builder();
        b.at(at());
        b.add_pem("root", ch.root_pem.as_bytes()).unwrap();
        let store = b.build().unwrap();
        let anchors = store.webpki_anchors().to_vec();
        let name = ServerName::try_from("callservice.webex.com").unwrap();

        group.bench_with_input(BenchmarkId::new("webpki", label), &ch, |bench, ch| {
            bench.iter(|| {
                baseline::webpki_verify(&ch.chain, &anchors, at(), &name);
            })
        });
        let uncached = Verifier::new(store.clone(), Policy::server_auth().with_time(at()))
            .with_cache_capacity(0);
        let rule = IdentityRule::san("callservice.webex.com").unwrap();
        group.bench_with_input(BenchmarkId::new("hybridtrust", label), &ch, |bench, ch| {
            bench.iter(|| uncached.verify(&ch.chain, Some(&rule)).unwrap())
        });
        let cached = Verifier::new(store.clone(), Policy::server_auth().with_time(at()));
        group.bench_with_input(
            BenchmarkId::new("hybridtrust-cached", label),
            &ch,
            |bench, ch| bench.iter(|| cached.verify(&ch.chain, Some(&rule)).unwrap()),
        );
    }
    group.finish();
}

fn store_with(root_pem: &str, extra: &[CertificateDer<'static>]) -> TrustStore {
    let mut b = TrustStore::builder();
    b.at(at());
    for (i, der) in extra.iter().enumerate() {
        b.add_der(&format!("extra-{i}"), der.as_ref()).unwrap();
    }
    b.add_pem("root", root_pem.as_bytes()).unwrap();
    b.build().unwrap()
}

/// Target: verification with 10,000 anchors costs what it costs with 147.
fn bench_store_size(c: &mut Criterion) {
    let ch = chain(&rcgen::PKCS_ECDSA_P256_SHA256);
    let mozilla: Vec<CertificateDer<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .take(146)
        .cloned()
        .collect();
    let many: Vec<CertificateDer<'static>> = (0..9_999)
        .map(|i| {
            let k = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
            ca_params(&format!("Filler Root {i}"))
                .self_signed(&k)
                .unwrap()
                .der()
                .clone()
        })
        .collect();
    let name = ServerName::try_from("callservice.webex.com").unwrap();
    let rule = IdentityRule::san("callservice.webex.com").unwrap();
    let mut group = c.benchmark_group("store-size");
    for (label, extra) in [("147", &mozilla), ("10000", &many)] {
        let store = store_with(&ch.root_pem, extra);
        let anchors = store.webpki_anchors().to_vec();
        group.bench_function(BenchmarkId::new("webpki", label), |bench| {
            bench.iter(|| {
                baseline::webpki_verify(&ch.chain, &anchors, at(), &name);
            })
        });
        let v = Verifier::new(store, Policy::server_auth().with_time(at())).with_cache_capacity(0);
        group.bench_function(BenchmarkId::new("hybridtrust", label), |bench| {
            bench.iter(|| v.verify(&ch.chain, Some(&rule)).unwrap())
        });
    }
    group.finish();
}

/// Target: 10 decoy intermediates (the issuer's name, other keys) cost little.
fn bench_decoys(c: &mut Criterion) {
    let ch = chain(&rcgen::PKCS_ECDSA_P256_SHA256);
    let store = store_with(&ch.root_pem, &[]);
    let anchors = store.webpki_anchors().to_vec();
    let mut with_decoys = vec![ch.chain[0].clone()];
    with_decoys.extend(ch.decoys.iter().cloned());
    with_decoys.push(ch.chain[1].clone());
    let name = ServerName::try_from("callservice.webex.com").unwrap();
    let rule = IdentityRule::san("callservice.webex.com").unwrap();
    let v = Verifier::new(store, Policy::server_auth().with_time(at())).with_cache_capacity(0);
    let mut group = c.benchmark_group("decoys");
    for (label, chain) in [("clean", &ch.chain), ("10-decoys", &with_decoys)] {
        group.bench_function(BenchmarkId::new("webpki", label), |bench| {
            bench.iter(|| {
                baseline::webpki_verify(chain, &anchors, at(), &name);
            })
        });
        group.bench_function(BenchmarkId::new("hybridtrust", label), |bench| {
            bench.iter(|| v.verify(chain, Some(&rule)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_uncached, bench_store_size, bench_decoys);
criterion_main!(benches);
