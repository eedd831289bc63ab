//! Verification cost against raw rustls-webpki on the same chains, in the same run.
//!
//! `cargo bench --bench verify`
//!
//! The chains and bundles are the shared fixtures (`support/fixtures.rs`), so
//! these figures and the probe's paired ones measure the same inputs.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use hybridtrust::{CertificateDer, IdentityRule, Policy, TrustStore, Verifier};
use pki_types::ServerName;

#[path = "support/baseline.rs"]
mod baseline;
#[path = "support/fixtures.rs"]
mod fixtures;

use fixtures::{at, store_of, uncached};

/// Raw webpki and hybridtrust (uncached) on one chain, as two benchmarks of `group`.
fn both_sides(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    label: &str,
    store: &TrustStore,
    chain: &[CertificateDer<'static>],
) {
    let anchors = store.webpki_anchors().to_vec();
    let name = ServerName::try_from(fixtures::NAME).unwrap();
    group.bench_function(BenchmarkId::new("webpki", label), |bench| {
        bench.iter(|| baseline::webpki_verify(chain, &anchors, at(), &name))
    });
    let v = uncached(store.clone());
    let rule = IdentityRule::san(fixtures::NAME).unwrap();
    group.bench_function(BenchmarkId::new("hybridtrust", label), |bench| {
        bench.iter(|| v.verify(chain, Some(&rule)).unwrap())
    });
}

fn bench_uncached(c: &mut Criterion) {
    let data = fixtures::dir();
    fixtures::ensure(&data);
    let mut group = c.benchmark_group("verify-3-cert-chain");
    for label in ["ecdsa-p256", "rsa-2048"] {
        let ch = fixtures::chain(&data, label);
        let store = store_of(&ch.root_pem);
        both_sides(&mut group, label, &store, &ch.chain);
        let cached = Verifier::new(store, Policy::server_auth().with_time(at()));
        let rule = IdentityRule::san(fixtures::NAME).unwrap();
        group.bench_function(BenchmarkId::new("hybridtrust-cached", label), |bench| {
            bench.iter(|| cached.verify(&ch.chain, Some(&rule)).unwrap())
        });
    }
    group.finish();
}

/// Target: verification with 10,000 anchors costs what it costs with 147.
fn bench_store_size(c: &mut Criterion) {
    let data = fixtures::dir();
    fixtures::ensure(&data);
    let ch = fixtures::chain(&data, "ecdsa-p256");
    let mut group = c.benchmark_group("store-size");
    for label in ["147", "10000"] {
        let bundle = std::fs::read(data.join(format!("bundle-{label}.pem"))).unwrap();
        both_sides(&mut group, label, &store_of(&bundle), &ch.chain);
    }
    group.finish();
}

/// Target: 10 decoy intermediates (the issuer's name, other keys) cost little.
fn bench_decoys(c: &mut Criterion) {
    let (root_pem, clean, with_decoys) = fixtures::decoy_chains(10);
    let store = store_of(root_pem.as_bytes());
    let mut group = c.benchmark_group("decoys");
    both_sides(&mut group, "clean", &store, &clean);
    both_sides(&mut group, "10-decoys", &store, &with_decoys);
    group.finish();
}

/// The profile stage alone (RFC 5280 and CA/Browser Forum rules, the
/// setting) on the leaf, the intermediate and the anchor of the 3-certificate
/// chains, on their full parse; per path certificate it is a third of this.
fn bench_profile_checks(c: &mut Criterion) {
    let data = fixtures::dir();
    fixtures::ensure(&data);
    let mut group = c.benchmark_group("profile-checks");
    for label in ["ecdsa-p256", "rsa-2048"] {
        let ch = fixtures::chain(&data, label);
        let store = store_of(&ch.root_pem);
        let policy = Policy::server_auth().with_time(at());
        let stage = hybridtrust::doc_support::ProfileStage::new(store, 0, &ch.chain, policy);
        assert_eq!(
            stage.run(),
            Some(0),
            "the fixture chain breaks no profile rule"
        );
        group.bench_function(BenchmarkId::new("stage-3-certs", label), |bench| {
            bench.iter(|| stage.run())
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_uncached,
    bench_store_size,
    bench_decoys,
    bench_profile_checks
);
criterion_main!(benches);
