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

struct Chain {
    root_pem: String,
    chain: Vec<CertificateDer<'static>>,
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
    let leaf = lp.signed_by(&leaf_key, &inter_issuer).unwrap();
    Chain {
        root_pem: root.pem(),
        chain: vec![leaf.der().clone(), inter.der().clone()],
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
        let algs = webpki::ALL_VERIFICATION_ALGS;

        group.bench_with_input(BenchmarkId::new("webpki", label), &ch, |bench, ch| {
            bench.iter(|| {
                let ee = webpki::EndEntityCert::try_from(&ch.chain[0]).unwrap();
                ee.verify_for_usage(
                    algs,
                    &anchors,
                    &ch.chain[1..],
                    at(),
                    webpki::KeyUsage::server_auth(),
                    None,
                    None,
                )
                .unwrap();
                ee.verify_is_valid_for_subject_name(&name).unwrap();
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

criterion_group!(benches, bench_uncached);
criterion_main!(benches);
