//! Measurements the criterion benches do not make, for `scripts/bench.sh`.
//! Each command prints one JSON object on stdout.
//!
//! ```text
//! perf_probe fixtures                       generate target/perf/data (see fixtures.rs)
//! perf_probe verify ALG ROUNDS BATCH        uncached verify per call (ns): median of ROUNDS batches
//! perf_probe paired ALG ROUNDS BATCH        the same against raw webpki, in alternating batches
//! perf_probe paired-store ROUNDS BATCH      147 against 10,000 anchors, paired
//! perf_probe paired-decoys ROUNDS BATCH     clean chain against 10 decoys, paired
//! perf_probe threads SECONDS                throughput of 1 and 2 threads verifying different chains
//! perf_probe swap SECONDS                   swap trust snapshots while verifications are in flight
//! perf_probe rss                            peak RSS to hold the 10,000-anchor store
//! perf_probe growth ROUNDS                  cost against chain length, store size and decoys
//! perf_probe loop WHICH ALG N               N verifications by `webpki` or `hybridtrust`, no timing
//! perf_probe presented N ROUNDS             one verification of N presented certificates (ns, median
//!                                           of ROUNDS): decoys and duplicates accepted; a long
//!                                           issuer line refused
//! perf_probe presented-ring N ROUNDS        the same for a leaf under N - 1 CAs whose names form a
//!                                           cycle (webpki's own search, bounded by its budget)
//! ```
//!
//! `loop` is for profilers, whose counts do not depend on the machine's load:
//! `valgrind --tool=callgrind perf_probe loop hybridtrust rsa-2048 1000` against
//! the same with `webpki` gives the instruction ratio of target 1.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hybridtrust::{CertificateDer, IdentityRule, Policy, SharedTrustStore, TrustStore, Verifier};
use rcgen::{CertificateParams, DnType, Issuer, KeyPair};

#[path = "baseline.rs"]
mod baseline;
#[path = "fixtures.rs"]
mod fixtures;

use fixtures::{at, store_of, uncached};

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Nanoseconds per call: the median over `rounds` batches of `batch` calls, and the spread.
fn per_call(rounds: usize, batch: usize, mut f: impl FnMut()) -> (f64, f64, f64) {
    for _ in 0..batch.min(200) {
        f();
    }
    let mut samples: Vec<f64> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..batch {
                f();
            }
            t.elapsed().as_nanos() as f64 / batch as f64
        })
        .collect();
    let m = median(&mut samples);
    (m, samples[0], samples[samples.len() - 1])
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize, default: T) -> T {
    args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default)
}

/// `b` against `a` in alternating batches (the order flips every round): the
/// median of the per-pair ratios b/a is robust to load that drifts during
/// the run. Returns (ratio, a ns, b ns, lowest ratio, highest ratio).
fn paired_ratio(rounds: usize, batch: usize, a: &dyn Fn(), b: &dyn Fn()) -> [f64; 5] {
    let time = |f: &dyn Fn()| {
        let t = Instant::now();
        for _ in 0..batch {
            f();
        }
        t.elapsed().as_nanos() as f64 / batch as f64
    };
    for _ in 0..batch.min(200) {
        a();
        b();
    }
    let (mut ratios, mut xs, mut ys) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..rounds {
        let (x, y) = if r % 2 == 0 {
            let x = time(a);
            (x, time(b))
        } else {
            let y = time(b);
            (time(a), y)
        };
        ratios.push(y / x);
        xs.push(x);
        ys.push(y);
    }
    let rm = median(&mut ratios);
    [
        rm,
        median(&mut xs),
        median(&mut ys),
        ratios[0],
        ratios[ratios.len() - 1],
    ]
}

fn print_paired(what: &str, alg: &str, a: &str, b: &str, r: [f64; 5], rounds: usize, batch: usize) {
    println!(
        r#"{{"what":"{what}","alg":"{alg}","{a}_ns":{:.1},"{b}_ns":{:.1},"ratio":{:.4},"ratio_min":{:.4},"ratio_max":{:.4},"rounds":{rounds},"batch":{batch}}}"#,
        r[1], r[2], r[0], r[3], r[4]
    );
}

/// One fixture chain with both sides ready: raw webpki and an uncached verifier.
struct Sides {
    chain: Vec<CertificateDer<'static>>,
    anchors: Vec<pki_types::TrustAnchor<'static>>,
    name: pki_types::ServerName<'static>,
    verifier: Verifier,
    rule: IdentityRule,
}

impl Sides {
    fn new(alg: &str) -> Self {
        let ch = fixtures::chain(&fixtures::dir(), alg);
        let store = store_of(&ch.root_pem);
        Self {
            chain: ch.chain,
            anchors: store.webpki_anchors().to_vec(),
            name: pki_types::ServerName::try_from(fixtures::NAME).unwrap(),
            verifier: uncached(store),
            rule: IdentityRule::san(fixtures::NAME).unwrap(),
        }
    }
    fn webpki(&self) {
        baseline::webpki_verify(&self.chain, &self.anchors, at(), &self.name);
    }
    fn hybridtrust(&self) {
        std::hint::black_box(self.verifier.verify(&self.chain, Some(&self.rule)).unwrap());
    }
}

/// hybridtrust's uncached verify against raw webpki (`verify_for_usage` and
/// the name check) on the same chain, paired.
fn cmd_paired(args: &[String]) {
    let alg = args.get(2).map(String::as_str).unwrap_or("ecdsa-p256");
    let rounds = arg(args, 3, 41);
    let batch = arg(args, 4, 100);
    let sides = Sides::new(alg);
    let r = paired_ratio(rounds, batch, &|| sides.webpki(), &|| sides.hybridtrust());
    print_paired(
        "rust-paired",
        alg,
        "webpki",
        "hybridtrust",
        r,
        rounds,
        batch,
    );
}

/// N verifications of the same chain by raw webpki (`verify_for_usage` and the
/// name check) or by hybridtrust (uncached), for profilers; prints nothing timed.
fn cmd_loop(args: &[String]) {
    let which = args.get(2).map(String::as_str).unwrap_or("hybridtrust");
    let alg = args.get(3).map(String::as_str).unwrap_or("ecdsa-p256");
    let n = arg(args, 4, 1000usize);
    let sides = Sides::new(alg);
    for _ in 0..n {
        match which {
            "webpki" => sides.webpki(),
            _ => sides.hybridtrust(),
        }
    }
    println!(r#"{{"what":"loop","which":"{which}","alg":"{alg}","n":{n}}}"#);
}

/// The same chain against a store of 147 and one of 10,000 anchors, paired.
fn cmd_paired_store(args: &[String]) {
    let rounds = arg(args, 2, 41);
    let batch = arg(args, 3, 100);
    let data = fixtures::dir();
    let ch = fixtures::chain(&data, "ecdsa-p256");
    let rule = IdentityRule::san(fixtures::NAME).unwrap();
    let of = |file: &str| uncached(store_of(&std::fs::read(data.join(file)).unwrap()));
    let (small, big) = (of("bundle-147.pem"), of("bundle-10000.pem"));
    // Of the 147 certificates some Mozilla roots are rejected (findings) at the bench time.
    let label = format!(
        "ecdsa-p256/{}-vs-{}-anchors",
        small.store().len(),
        big.store().len()
    );
    let a = || {
        std::hint::black_box(small.verify(&ch.chain, Some(&rule)).unwrap());
    };
    let b = || {
        std::hint::black_box(big.verify(&ch.chain, Some(&rule)).unwrap());
    };
    let r = paired_ratio(rounds, batch, &a, &b);
    print_paired(
        "rust-paired-store",
        &label,
        "small",
        "big",
        r,
        rounds,
        batch,
    );
}

/// A clean chain against the same chain with 10 decoys (CAs with the issuing
/// CA's name and other keys, under the same root) before the real one, paired.
fn cmd_paired_decoys(args: &[String]) {
    let rounds = arg(args, 2, 41);
    let batch = arg(args, 3, 100);
    let (root_pem, clean, decoyed) = fixtures::decoy_chains(10);
    let v = uncached(store_of(root_pem.as_bytes()));
    let rule = IdentityRule::san(fixtures::NAME).unwrap();
    let a = || {
        std::hint::black_box(v.verify(&clean, Some(&rule)).unwrap());
    };
    let b = || {
        std::hint::black_box(v.verify(&decoyed, Some(&rule)).unwrap());
    };
    let r = paired_ratio(rounds, batch, &a, &b);
    print_paired(
        "rust-paired-decoys",
        "ecdsa-p256",
        "clean",
        "decoys10",
        r,
        rounds,
        batch,
    );
}

fn cmd_verify(args: &[String]) {
    let alg = args.get(2).map(String::as_str).unwrap_or("ecdsa-p256");
    let rounds = arg(args, 3, 21);
    let batch = arg(args, 4, 200);
    let data = fixtures::dir();
    let ch = fixtures::chain(&data, alg);
    let v = uncached(store_of(&ch.root_pem));
    let rule = IdentityRule::san(fixtures::NAME).unwrap();
    let (m, lo, hi) = per_call(rounds, batch, || {
        std::hint::black_box(v.verify(&ch.chain, Some(&rule)).unwrap());
    });
    println!(
        r#"{{"what":"rust-verify","alg":"{alg}","median_ns":{m:.1},"min_ns":{lo:.1},"max_ns":{hi:.1},"rounds":{rounds},"batch":{batch}}}"#
    );
}

/// CPU time of this process (all threads, live and exited), in seconds.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // USER_HZ is 100 on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

/// Calls per second of `threads` threads, each verifying its own chain for
/// `secs`, and the CPUs the process got meanwhile (CPU seconds per second):
/// on a shared machine two threads may not get two CPUs.
fn throughput(chains: &[(Verifier, Vec<CertificateDer<'static>>)], secs: f64) -> (f64, f64) {
    let cpu = cpu_seconds();
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let rule = IdentityRule::san(fixtures::NAME).unwrap();
    let start = Instant::now();
    std::thread::scope(|s| {
        for (v, chain) in chains {
            let (stop, done, rule) = (stop.clone(), done.clone(), rule.clone());
            s.spawn(move || {
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    v.verify(chain, Some(&rule)).unwrap();
                    n += 1;
                }
                done.fetch_add(n, Ordering::Relaxed);
            });
        }
        std::thread::sleep(Duration::from_secs_f64(secs));
        stop.store(true, Ordering::Relaxed);
    });
    let wall = start.elapsed().as_secs_f64();
    (
        done.load(Ordering::Relaxed) as f64 / wall,
        (cpu_seconds() - cpu) / wall,
    )
}

fn cmd_threads(args: &[String]) {
    let secs: f64 = arg(args, 2, 1.0);
    let reps: usize = arg(args, 3, 5);
    let data = fixtures::dir();
    let pair: Vec<(Verifier, Vec<CertificateDer<'static>>)> = ["ecdsa-p256", "ecdsa-p256-b"]
        .iter()
        .map(|alg| {
            let ch = fixtures::chain(&data, alg);
            (uncached(store_of(&ch.root_pem)), ch.chain)
        })
        .collect();
    let mut ratios = Vec::new();
    let (mut ones, mut twos) = (Vec::new(), Vec::new());
    let (mut cpu1, mut cpu2) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        let (one, c1) = throughput(&pair[..1], secs);
        let (two, c2) = throughput(&pair, secs);
        ratios.push(two / one);
        ones.push(one);
        twos.push(two);
        cpu1.push(c1);
        cpu2.push(c2);
    }
    let (r, o, t) = (median(&mut ratios), median(&mut ones), median(&mut twos));
    let (c1, c2) = (median(&mut cpu1), median(&mut cpu2));
    println!(
        r#"{{"what":"rust-threads","one_per_s":{o:.0},"two_per_s":{t:.0},"ratio":{r:.3},"ratio_min":{:.3},"ratio_max":{:.3},"cpus_one":{c1:.2},"cpus_two":{c2:.2},"reps":{reps}}}"#,
        ratios[0],
        ratios[ratios.len() - 1]
    );
}

/// Two verifier threads take the current snapshot per call while the main
/// thread swaps snapshots; every result must name the generation of the
/// snapshot its thread took, and every result must be an accept (each
/// snapshot trusts the chain).
fn cmd_swap(args: &[String]) {
    let secs: f64 = arg(args, 2, 1.0);
    let data = fixtures::dir();
    let ch = fixtures::chain(&data, "ecdsa-p256");
    let shared = Arc::new(SharedTrustStore::new(store_of(&ch.root_pem)));
    let stop = Arc::new(AtomicBool::new(false));
    let rule = IdentityRule::san(fixtures::NAME).unwrap();
    let policy = Policy::server_auth().with_time(at());
    let mut swap_ns = Vec::new();
    let mut generations = vec![shared.current().generation()];
    let (results, mismatches, failures, seen) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (shared, stop, rule, policy, chain) = (
                    shared.clone(),
                    stop.clone(),
                    rule.clone(),
                    policy.clone(),
                    ch.chain.clone(),
                );
                s.spawn(move || {
                    let (mut n, mut mismatch, mut fail) = (0u64, 0u64, 0u64);
                    let mut seen = std::collections::BTreeSet::new();
                    while !stop.load(Ordering::Relaxed) {
                        let snapshot = shared.current();
                        let took = snapshot.generation();
                        let v = Verifier::new(snapshot, policy.clone()).with_cache_capacity(0);
                        let decided = match v.verify(&chain, Some(&rule)) {
                            Ok(ok) => ok.store_generation(),
                            Err(d) => {
                                fail += 1;
                                d.store_generation
                            }
                        };
                        mismatch += u64::from(decided != took);
                        seen.insert(decided);
                        n += 1;
                    }
                    (n, mismatch, fail, seen)
                })
            })
            .collect();
        let end = Instant::now() + Duration::from_secs_f64(secs);
        while Instant::now() < end {
            std::thread::sleep(Duration::from_millis(10));
            let next = store_of(&ch.root_pem);
            generations.push(next.generation());
            let t = Instant::now();
            drop(shared.replace(next));
            swap_ns.push(t.elapsed().as_nanos() as f64);
        }
        stop.store(true, Ordering::Relaxed);
        handles.into_iter().map(|h| h.join().unwrap()).fold(
            (0u64, 0u64, 0u64, std::collections::BTreeSet::new()),
            |mut acc, (n, m, f, s)| {
                acc.0 += n;
                acc.1 += m;
                acc.2 += f;
                acc.3.extend(s);
                acc
            },
        )
    });
    let unknown = seen.iter().filter(|g| !generations.contains(g)).count();
    let swaps = swap_ns.len();
    let swap_median = median(&mut swap_ns);
    println!(
        r#"{{"what":"rust-swap","verifications":{results},"swaps":{swaps},"generations_seen":{},"generation_mismatches":{mismatches},"unknown_generations":{unknown},"rejections":{failures},"swap_median_ns":{swap_median:.0}}}"#,
        seen.len()
    );
}

fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn cmd_rss() {
    let data = fixtures::dir();
    let der_total: u64 = std::fs::read_to_string(data.join("bundle-10000.der-bytes"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let before = status_kb("VmRSS:");
    let store = {
        let mut b = TrustStore::builder();
        b.at(at());
        b.add_file(data.join("bundle-10000.pem")).unwrap();
        b.build().unwrap()
    };
    let peak = status_kb("VmHWM:");
    let after = status_kb("VmRSS:");
    let anchors = store.len();
    let peak_delta = peak.saturating_sub(before) * 1024;
    let retained = after.saturating_sub(before) * 1024;
    println!(
        r#"{{"what":"rust-rss","anchors":{anchors},"der_bytes":{der_total},"peak_delta_bytes":{peak_delta},"retained_bytes":{retained},"peak_ratio":{:.3},"retained_ratio":{:.3}}}"#,
        peak_delta as f64 / der_total as f64,
        retained as f64 / der_total as f64
    );
    drop(store);
}

/// A chain of `n` certificates (leaf, `n - 2` intermediates; root separate).
fn long_chain(n: usize) -> (String, Vec<CertificateDer<'static>>) {
    let alg = &rcgen::PKCS_ECDSA_P256_SHA256;
    let root_key = KeyPair::generate_for(alg).unwrap();
    let root_params = fixtures::ca_params("Growth Root");
    let root = root_params.self_signed(&root_key).unwrap();
    let mut issuer = Issuer::new(root_params, root_key);
    let mut certs = Vec::new();
    for i in 0..n.saturating_sub(2) {
        let k = KeyPair::generate_for(alg).unwrap();
        let p = fixtures::ca_params(&format!("Growth CA {i}"));
        certs.push(p.signed_by(&k, &issuer).unwrap().der().clone());
        issuer = Issuer::new(p, k);
    }
    let k = KeyPair::generate_for(alg).unwrap();
    let mut lp = CertificateParams::new(vec![fixtures::NAME.to_string()]).unwrap();
    lp.distinguished_name
        .push(DnType::CommonName, fixtures::NAME);
    lp.not_before = rcgen::date_time_ymd(2026, 1, 1);
    lp.not_after = rcgen::date_time_ymd(2027, 1, 1);
    lp.use_authority_key_identifier_extension = true;
    certs.push(lp.signed_by(&k, &issuer).unwrap().der().clone());
    certs.reverse(); // leaf first, then the issuing CA upwards
    (root.pem(), certs)
}

fn cmd_growth(args: &[String]) {
    let rounds = arg(args, 2, 11);
    let batch = arg(args, 3, 100);
    let rule = IdentityRule::san(fixtures::NAME).unwrap();
    let mut out = Vec::new();
    for n in [2usize, 3, 4, 5, 6, 8] {
        let (root, chain) = long_chain(n);
        let v = uncached(store_of(root.as_bytes()));
        let (m, _, _) = per_call(rounds, batch, || {
            std::hint::black_box(v.verify(&chain, Some(&rule)).unwrap());
        });
        out.push(format!(r#"{{"axis":"chain-length","x":{n},"ns":{m:.0}}}"#));
    }
    let data = fixtures::dir();
    let ch = fixtures::chain(&data, "ecdsa-p256");
    let bundle = std::fs::read(data.join("bundle-10000.pem")).unwrap();
    let blocks: Vec<&[u8]> = {
        let mut v = Vec::new();
        let mut rest = &bundle[..];
        let end = b"-----END CERTIFICATE-----\n";
        while let Some(i) = rest.windows(end.len()).position(|w| w == end) {
            v.push(&rest[..i + end.len()]);
            rest = &rest[i + end.len()..];
        }
        v
    };
    for size in [1usize, 10, 100, 1_000, 10_000] {
        // The last block is the bench root: keep it, take size - 1 fillers.
        let mut pem: Vec<u8> = blocks[..size - 1].concat();
        pem.extend_from_slice(blocks[blocks.len() - 1]);
        let v = uncached(store_of(&pem));
        let (m, _, _) = per_call(rounds, batch, || {
            std::hint::black_box(v.verify(&ch.chain, Some(&rule)).unwrap());
        });
        out.push(format!(r#"{{"axis":"store-size","x":{size},"ns":{m:.0}}}"#));
    }
    // Decoys: CAs with the issuing CA's name under the same root, other keys;
    // the first `decoys` of 20 stand between the leaf and the issuing CA.
    let (root_pem, clean, decoyed) = fixtures::decoy_chains(20);
    let v = uncached(store_of(root_pem.as_bytes()));
    for decoys in [0usize, 1, 2, 5, 10, 20] {
        let mut chain = vec![clean[0].clone()];
        chain.extend(decoyed[1..=decoys].iter().cloned());
        chain.push(clean[1].clone());
        let (m, _, _) = per_call(rounds, batch, || {
            std::hint::black_box(v.verify(&chain, Some(&rule)).unwrap());
        });
        out.push(format!(r#"{{"axis":"decoys","x":{decoys},"ns":{m:.0}}}"#));
    }
    println!(r#"{{"what":"rust-growth","points":[{}]}}"#, out.join(","));
}

/// One verification of `n` presented certificates, with the chain limit
/// raised to `n`: the real chain hidden among decoys with the issuing CA's name
/// and duplicates of them (accepted), and a leaf under an issuer line of `n - 1`
/// CAs to a trusted root (refused, and explained, as too long).
fn cmd_presented(args: &[String]) {
    let n = arg(args, 2, 4_000usize).max(4);
    let rounds = arg(args, 3, 5usize).max(1);
    let rule = IdentityRule::san(fixtures::NAME).unwrap();
    let limits = hybridtrust::Limits {
        max_chain_certificates: n,
        ..hybridtrust::Limits::default()
    };
    let policy = Policy::server_auth().with_time(at()).with_limits(limits);
    let time = |v: &Verifier, chain: &[CertificateDer<'static>], ok: bool| {
        let mut samples: Vec<f64> = (0..rounds)
            .map(|_| {
                let t = Instant::now();
                let r = std::hint::black_box(v.verify(chain, Some(&rule)));
                assert_eq!(r.is_ok(), ok, "{:?}", r.err().map(|d| d.kind));
                t.elapsed().as_nanos() as f64
            })
            .collect();
        median(&mut samples)
    };
    // Half decoys, each presented twice, then the real issuing CA.
    let (root_pem, _, decoyed) = fixtures::decoy_chains(n / 2 - 1);
    let mut chain = vec![decoyed[0].clone()];
    for d in &decoyed[1..decoyed.len() - 1] {
        chain.push(d.clone());
        chain.push(d.clone());
    }
    chain.push(decoyed[decoyed.len() - 1].clone());
    let v = Verifier::new(store_of(root_pem.as_bytes()), policy.clone()).with_cache_capacity(0);
    let accepted = time(&v, &chain, true);
    let (root_pem, line) = long_chain(n);
    let v = Verifier::new(store_of(root_pem.as_bytes()), policy).with_cache_capacity(0);
    let refused = time(&v, &line, false);
    println!(
        r#"{{"what":"rust-presented","n":{n},"decoys_accepted_ns":{accepted:.0},"issuer_line_refused_ns":{refused:.0}}}"#
    );
}

/// One verification of a leaf under `n - 1` CAs whose names form a cycle
/// ("Ring A" issued by "Ring B" and back, one key, no anchor): the cost of
/// webpki's own path search, which its budget of path-building calls bounds
/// (each call scans every intermediate).
fn cmd_presented_ring(args: &[String]) {
    let n = arg(args, 2, 256usize).max(4);
    let rounds = arg(args, 3, 3usize).max(1);
    // Names in a cycle ("Ring A" issued by "Ring B" and back), one key, no
    // anchor: webpki's path search runs into its budget of path-building calls.
    let alg = &rcgen::PKCS_ECDSA_P256_SHA256;
    let ring_issuer =
        |cn: &str| Issuer::new(fixtures::ca_params(cn), KeyPair::generate_for(alg).unwrap());
    let (a, b) = (ring_issuer("Ring A"), ring_issuer("Ring B"));
    let ring_key = KeyPair::generate_for(alg).unwrap();
    let mut lp = CertificateParams::new(vec![fixtures::NAME.to_string()]).unwrap();
    lp.not_before = rcgen::date_time_ymd(2026, 1, 1);
    lp.not_after = rcgen::date_time_ymd(2027, 1, 1);
    lp.use_authority_key_identifier_extension = true;
    let mut ring = vec![lp
        .signed_by(&KeyPair::generate_for(alg).unwrap(), &a)
        .unwrap()
        .der()
        .clone()];
    for i in 0..n - 1 {
        let (cn, parent) = if i % 2 == 0 {
            ("Ring A", &b)
        } else {
            ("Ring B", &a)
        };
        let mut p = fixtures::ca_params(cn);
        p.serial_number = Some(rcgen::SerialNumber::from(1000 + i as u64));
        ring.push(p.signed_by(&ring_key, parent).unwrap().der().clone());
    }
    let ring_rounds = rounds;
    let (root_pem, _) = long_chain(2);
    let v = Verifier::new(store_of(root_pem.as_bytes()), policy_for_ring(n)).with_cache_capacity(0);
    let mut samples: Vec<f64> = (0..ring_rounds)
        .map(|_| {
            let t = Instant::now();
            let r = std::hint::black_box(v.verify(&ring, None));
            assert!(r.is_err());
            t.elapsed().as_nanos() as f64
        })
        .collect();
    let ring_ns = median(&mut samples);
    println!(r#"{{"what":"rust-presented-ring","n":{n},"name_ring_refused_ns":{ring_ns:.0}}}"#);
}

fn policy_for_ring(n: usize) -> Policy {
    Policy::server_auth()
        .with_time(at())
        .with_limits(hybridtrust::Limits {
            max_chain_certificates: n,
            ..hybridtrust::Limits::default()
        })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("fixtures") => {
            let d = fixtures::dir();
            fixtures::ensure(&d);
            println!(
                r#"{{"what":"fixtures","dir":{:?}}}"#,
                d.display().to_string()
            );
        }
        Some("verify") => cmd_verify(&args),
        Some("paired") => cmd_paired(&args),
        Some("paired-store") => cmd_paired_store(&args),
        Some("paired-decoys") => cmd_paired_decoys(&args),
        Some("threads") => cmd_threads(&args),
        Some("swap") => cmd_swap(&args),
        Some("rss") => cmd_rss(),
        Some("growth") => cmd_growth(&args),
        Some("loop") => cmd_loop(&args),
        Some("presented") => cmd_presented(&args),
        Some("presented-ring") => cmd_presented_ring(&args),
        _ => {
            eprintln!("usage: perf_probe fixtures|verify|paired|paired-store|paired-decoys|threads|swap|rss|growth|loop|presented|presented-ring [...]");
            std::process::exit(2);
        }
    }
}
