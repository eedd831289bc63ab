//! Trust-store assembly against rustls' own PEM parsing into a
//! `rustls::RootCertStore`, on the same bytes, in the same run.
//!
//! `cargo bench --bench store` (inputs: `target/perf/data`, generated on first use)

use std::fs;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use hybridtrust::{parse_time, CertificateDer, TrustStore};
use pki_types::pem::PemObject;

#[path = "support/fixtures.rs"]
mod fixtures;

fn rustls_roots(pem: &[u8]) -> rustls::RootCertStore {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem) {
        roots.add(cert.unwrap()).unwrap();
    }
    roots
}

fn bench_assembly(c: &mut Criterion) {
    let data = fixtures::dir();
    fixtures::ensure(&data);
    let at = parse_time(fixtures::AT).unwrap();
    let mut group = c.benchmark_group("store-assembly");
    for label in ["147", "10000"] {
        let path = data.join(format!("bundle-{label}.pem"));
        let pem = fs::read(&path).unwrap();
        group.bench_with_input(BenchmarkId::new("rustls", label), &pem, |b, pem| {
            b.iter(|| black_box(rustls_roots(pem)))
        });
        group.bench_with_input(BenchmarkId::new("hybridtrust", label), &pem, |b, pem| {
            b.iter(|| {
                let mut builder = TrustStore::builder();
                builder.at(at);
                builder.add_pem("bundle", pem).unwrap();
                black_box(builder.build().unwrap())
            })
        });
        // From the file, as Python's ssl module reads it.
        group.bench_with_input(
            BenchmarkId::new("hybridtrust-file", label),
            &path,
            |b, p| {
                b.iter(|| {
                    let mut builder = TrustStore::builder();
                    builder.at(at);
                    builder.add_file(p).unwrap();
                    black_box(builder.build().unwrap())
                })
            },
        );
    }
    let dir = data.join("dir-1000");
    group.bench_function(BenchmarkId::new("rustls", "dir-1000"), |b| {
        b.iter(|| {
            let mut roots = rustls::RootCertStore::empty();
            for entry in fs::read_dir(&dir).unwrap() {
                let pem = fs::read(entry.unwrap().path()).unwrap();
                for cert in CertificateDer::pem_slice_iter(&pem) {
                    roots.add(cert.unwrap()).unwrap();
                }
            }
            black_box(roots)
        })
    });
    group.bench_function(BenchmarkId::new("hybridtrust", "dir-1000"), |b| {
        b.iter(|| {
            let mut builder = TrustStore::builder();
            builder.at(at);
            builder.add_dir(&dir).unwrap();
            black_box(builder.build().unwrap())
        })
    });
    group.finish();
}

criterion_group!(benches, bench_assembly);
criterion_main!(benches);
