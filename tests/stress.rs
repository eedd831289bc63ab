//! Concurrency: verifications on several threads while another thread swaps
//! the trust snapshot of a `SharedTrustStore` hundreds of times. No panic, no
//! torn state: every outcome is the one the store generation it reports gives.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use hybridtrust::{
    DiagnosisKind, IdentityRule, Policy, SharedTrustStore, TrustStore, Verifier, Zone,
};

const SWAPS: usize = 400;
const READERS: usize = 4;

fn store_with(pem: &str, label: &str) -> TrustStore {
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_pem(label, pem.as_bytes()).unwrap();
    b.build().unwrap()
}

#[test]
fn verifications_stay_consistent_while_the_store_is_swapped() {
    let pki = Pki::new();
    let other = root(Spec::ca("Unrelated Root CA"));
    // Two trusting and two distrusting snapshots, so that consecutive swaps
    // also change the generation when the verdict stays the same.
    let trusting: Vec<TrustStore> = (0..2).map(|_| pki.store()).collect();
    let distrusting: Vec<TrustStore> = (0..2)
        .map(|_| store_with(&other.pem, "other-root"))
        .collect();
    let snapshots: Vec<TrustStore> = trusting.iter().chain(&distrusting).cloned().collect();
    let trusts: HashMap<u64, bool> = trusting
        .iter()
        .map(|s| (s.generation(), true))
        .chain(distrusting.iter().map(|s| (s.generation(), false)))
        .collect();
    assert_eq!(trusts.len(), 4, "generations are unique");

    let policy = Policy::server_auth().with_time(at());
    // Long-lived verifiers (with their caches), one per snapshot, as a service keeps them.
    let verifiers: HashMap<u64, Verifier> = snapshots
        .iter()
        .map(|s| (s.generation(), Verifier::new(s.clone(), policy.clone())))
        .collect();
    let chain = pki.chain(Spec::leaf(
        "callservice.webex.com",
        &["callservice.webex.com"],
    ));
    let rule = IdentityRule::san("callservice.webex.com").unwrap();
    let zone = Zone::webex_hybrid();

    let shared = Arc::new(SharedTrustStore::new(snapshots[0].clone()));
    let done = Arc::new(AtomicBool::new(false));
    let accepted = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();

    std::thread::scope(|scope| {
        for reader in 0..READERS {
            let (shared, done, accepted, refused) = (&shared, &done, &accepted, &refused);
            let (verifiers, trusts, chain, rule, policy, zone) =
                (&verifiers, &trusts, &chain, &rule, &policy, &zone);
            let root_der = pki.root.der.as_ref();
            scope.spawn(move || {
                let mut i = 0usize;
                while !done.load(Ordering::Acquire) {
                    i += 1;
                    let store = shared.current();
                    let generation = store.generation();
                    // Alternate: a cached verifier, a fresh one, the zone API.
                    let outcome = match (reader + i) % 3 {
                        0 => verifiers[&generation].verify(chain, Some(rule)),
                        1 => Verifier::new(store.clone(), policy.clone())
                            .with_cache_capacity(0)
                            .verify(chain, Some(rule)),
                        _ => zone.verify_outbound(&store, chain, policy),
                    };
                    match outcome {
                        Ok(v) => {
                            assert_eq!(v.store_generation(), generation);
                            assert!(trusts[&generation], "accepted by a distrusting store");
                            assert_eq!(v.anchor().certificate().der().as_ref(), root_der);
                            assert_eq!(v.path().len(), 3);
                            accepted.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(d) => {
                            assert_eq!(d.store_generation, generation);
                            assert!(!trusts[&generation], "refused by a trusting store: {d}");
                            assert_eq!(d.kind, DiagnosisKind::UnknownCa, "{d}");
                            refused.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            });
        }
        let mut previous = snapshots[0].generation();
        for i in 1..=SWAPS {
            let next = &snapshots[i % snapshots.len()];
            let old = shared.replace(next.clone());
            assert_eq!(
                old.generation(),
                previous,
                "replace returns the snapshot it replaced"
            );
            previous = next.generation();
            std::thread::sleep(Duration::from_millis(2));
        }
        done.store(true, Ordering::Release);
    });

    let (a, r) = (
        accepted.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed),
    );
    assert!(
        a > 0 && r > 0,
        "both verdicts were seen: {a} accepted, {r} refused"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the stress run should take a few seconds"
    );
    eprintln!(
        "{SWAPS} swaps, {READERS} readers: {a} accepted, {r} refused in {:?}",
        started.elapsed()
    );
}

#[test]
fn snapshots_outlive_their_replacement() {
    let pki = Pki::new();
    let shared = SharedTrustStore::new(pki.store());
    let taken = shared.current();
    let generation = taken.generation();
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    let verifier = Verifier::new(taken, Policy::server_auth().with_time(at()));
    // The store is replaced (and the old handle dropped) while the verifier still holds it.
    drop(shared.replace(TrustStore::builder().build().unwrap()));
    let v = verifier.verify(&chain, None).unwrap();
    assert_eq!(v.store_generation(), generation);
    assert!(
        hybridtrust::verify(&shared.current(), &chain, &verifier.policy().clone(), None).is_err()
    );
}
