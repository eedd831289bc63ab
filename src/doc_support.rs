//! Fixtures for the documentation examples (reads `examples/data/` of the source tree).
#![allow(missing_docs)]

use std::path::PathBuf;

use pki_types::{CertificateDer, UnixTime};

use crate::{parse_chain, parse_time, Certificate, TrustStore};

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/data")
        .join(rel)
}

pub fn example_dir() -> PathBuf {
    data("certs")
}

pub fn example_root_pem() -> String {
    std::fs::read_to_string(data("certs/example-hybrid-root.pem")).expect("fixture")
}

pub fn example_root_der() -> Vec<u8> {
    parse_chain(example_root_pem().as_bytes()).expect("fixture")[0].to_vec()
}

pub fn example_chain() -> Vec<CertificateDer<'static>> {
    parse_chain(&std::fs::read(data("chains/callservice-full.pem")).expect("fixture"))
        .expect("fixture")
}

pub fn example_leaf() -> Certificate {
    Certificate::from_der(example_chain()[0].to_vec()).expect("fixture")
}

pub fn example_time() -> UnixTime {
    parse_time("2026-06-01T00:00:00Z").expect("literal")
}

pub fn example_store_chain_time() -> (TrustStore, Vec<CertificateDer<'static>>, UnixTime) {
    let mut b = TrustStore::builder();
    b.at(example_time());
    b.add_pem("example", example_root_pem().as_bytes())
        .expect("fixture");
    (b.build().expect("fixture"), example_chain(), example_time())
}

/// The profile stage alone, on a path parsed beforehand, for the benchmarks:
/// what the checks cost per verification, without path building.
pub struct ProfileStage {
    policy: crate::Policy,
    store: TrustStore,
    anchor_index: usize,
    presented: Vec<(usize, CertificateDer<'static>)>,
    parsed: Vec<x509_cert::Certificate>,
}

impl ProfileStage {
    /// `path` is leaf first, the presented certificates of a path to the
    /// store's anchor `anchor_index`.
    pub fn new(
        store: TrustStore,
        anchor_index: usize,
        path: &[CertificateDer<'static>],
        policy: crate::Policy,
    ) -> Self {
        let parsed = path
            .iter()
            .map(|d| {
                <x509_cert::Certificate as der::Decode>::from_der(d.as_ref()).expect("fixture")
            })
            .collect();
        Self {
            policy,
            store,
            anchor_index,
            presented: path.iter().cloned().enumerate().collect(),
            parsed,
        }
    }

    /// Runs the stage; the number of warnings, or `None` when it refuses.
    pub fn run(&self) -> Option<usize> {
        let mut warnings = Vec::new();
        crate::verify::profile::stage(
            &self.policy,
            &self.store.anchors()[self.anchor_index],
            &self.presented,
            &self.parsed,
            &mut warnings,
        )
        .ok()
        .map(|()| warnings.len())
    }
}
