//! The hostile-input corpus: a table of cases, each with the documented
//! outcome. Inputs are generated here (rcgen, then DER surgery and re-signing
//! where a case needs a certificate rcgen will not produce), so that nothing
//! expires and no binary blob needs explaining.
//!
//! Every case must end in its expected finding, diagnosis or error kind,
//! never a panic, never an accept where a careful verifier rejects, and within
//! a bounded time. Cases covered elsewhere are not repeated here:
//! basicConstraints cA=false issuers and CA leaves (`tests/verify.rs`
//! `issuer_not_a_ca_and_ca_as_leaf`), pathLen violations
//! (`path_too_long_by_policy_and_by_path_len_constraint`), permitted-subtree
//! name constraints (`name_constraint_violation`), 1,000 copies of one
//! intermediate (`malformed_unsupported_empty_and_too_many`), 150 decoy
//! intermediates (`decoy_intermediates_exhaust_the_budget_as_too_complex`),
//! CN control characters and basic wildcard rules (`tests/names.rs`), unreadable
//! sources, a 50 MB file and the certificate-count limit (`tests/store.rs`).

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use hybridtrust::{
    parse_chain, CertificateDer, Error, IdentityRule, Inbound, Limits, Policy, RuleKind,
    TrustStore, UnixTime, Verifier, WildcardMode, Zone,
};
use rcgen::SigningKey;

// ---------------------------------------------------------------------------
// Outcomes, as short stable strings so that the table reads like a spec.

fn verdict(r: Result<hybridtrust::Verified, hybridtrust::Diagnosis>) -> String {
    match r {
        Ok(v) => {
            // An accept is only an accept when the path is whole.
            assert_eq!(v.path()[0].position, Some(0), "accepted path lost its leaf");
            "accept".into()
        }
        Err(d) => format!("reject:{}", d.kind),
    }
}

/// `store:<anchors>:<finding kinds, sorted and deduplicated>`.
fn store_outcome(store: &TrustStore) -> String {
    let mut kinds: Vec<&str> = store.findings().iter().map(|f| f.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    format!("store:{}:{}", store.len(), kinds.join(","))
}

fn error_kind(e: &Error) -> &'static str {
    match e {
        Error::Store(_) => "store",
        Error::Parse(_) => "parse",
        Error::Io { .. } => "io",
        Error::LimitExceeded { .. } => "limit-exceeded",
        Error::InvalidName { .. } => "invalid-name",
        Error::InvalidInput(_) => "invalid-input",
        Error::AlreadyBuilt => "already-built",
        _ => "other",
    }
}

fn name_outcome(r: Result<hybridtrust::NameMatch, hybridtrust::NameMismatch>) -> String {
    match r {
        Ok(m) => format!("match:{}", m.matched),
        Err(_) => "mismatch".into(),
    }
}

// ---------------------------------------------------------------------------
// Inputs.

fn policy() -> Policy {
    Policy::server_auth().with_time(at())
}

fn verify(store: &TrustStore, chain: &[CertificateDer<'_>]) -> String {
    verdict(Verifier::new(store.clone(), policy()).verify(chain, None))
}

fn store_of(label: &str, bytes: &[u8]) -> TrustStore {
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_bytes(label, bytes).unwrap();
    b.build().unwrap()
}

fn store_with(roots: &[&Ca]) -> TrustStore {
    let mut b = TrustStore::builder();
    b.at(at());
    for (i, r) in roots.iter().enumerate() {
        b.add_der(&format!("root-{i}"), r.der.as_ref()).unwrap();
    }
    b.build().unwrap()
}

/// A leaf under the standard PKI, with its chain and the store.
fn standard(spec: Spec) -> (Pki, TrustStore, Vec<CertificateDer<'static>>) {
    let pki = Pki::new();
    let store = pki.store();
    let chain = pki.chain(spec);
    (pki, store, chain)
}

fn host_leaf(dns: &[&str]) -> Spec {
    Spec::leaf("leaf", dns)
}

fn secs(t: UnixTime, delta: i64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs((t.as_secs() as i64 + delta) as u64))
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("hybridtrust-corpus-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---------------------------------------------------------------------------
// DER surgery: just enough to take a certificate apart, change a field and
// put it back together, re-signed by the issuer when the case needs a valid
// signature.

/// (tag, header length, content length) of the TLV at the start of `der`.
fn header(der: &[u8]) -> (u8, usize, usize) {
    let tag = der[0];
    let first = der[1];
    if first < 0x80 {
        return (tag, 2, usize::from(first));
    }
    let n = usize::from(first & 0x7F);
    let len = der[2..2 + n]
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
    (tag, 2 + n, len)
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// The TLVs inside a constructed TLV.
fn children(der: &[u8]) -> Vec<Vec<u8>> {
    let (_, hl, len) = header(der);
    let mut rest = &der[hl..hl + len];
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (_, h, l) = header(rest);
        out.push(rest[..h + l].to_vec());
        rest = &rest[h + l..];
    }
    out
}

/// The fields of a certificate's TBSCertificate.
fn tbs_fields(cert: &[u8]) -> Vec<Vec<u8>> {
    children(&children(cert)[0])
}

/// A certificate from TBS fields, signed with ECDSA P-256/SHA-256 by `issuer`.
fn resign(fields: &[Vec<u8>], issuer: &Ca) -> CertificateDer<'static> {
    let tbs = tlv(0x30, &fields.concat());
    let signature = issuer.issuer.key().sign(&tbs).unwrap();
    let alg = [
        0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
    ];
    let mut bits = vec![0u8];
    bits.extend(signature);
    let body = [tbs, alg.to_vec(), tlv(0x03, &bits)].concat();
    CertificateDer::from(tlv(0x30, &body))
}

/// The leaf of `chain` with its serial number replaced, re-signed by the issuing CA.
fn with_serial(pki: &Pki, chain: &[CertificateDer<'_>], serial: &[u8]) -> CertificateDer<'static> {
    let mut fields = tbs_fields(chain[0].as_ref());
    fields[1] = tlv(0x02, serial); // [0] version, then serialNumber
    resign(&fields, &pki.issuing)
}

// ---------------------------------------------------------------------------
// The cases.

type Run = fn() -> String;

struct Case {
    name: &'static str,
    expect: &'static str,
    run: Run,
}

const CASES: &[Case] = &[
    // --- Malformed encodings: in a store they are findings, in a chain "malformed".
    Case {
        name: "truncated DER in a store",
        expect: "store:0:unparsable",
        run: || {
            let (pki, _, _) = standard(host_leaf(&["h.example.com"]));
            let der = pki.root.der.as_ref();
            store_outcome(&store_of("truncated", &der[..der.len() / 2]))
        },
    },
    Case {
        name: "truncated DER leaf in a chain",
        expect: "reject:malformed",
        run: || {
            let (_, store, mut chain) = standard(host_leaf(&["h.example.com"]));
            let der = chain[0].to_vec();
            chain[0] = CertificateDer::from(der[..der.len() - 1].to_vec());
            verify(&store, &chain)
        },
    },
    Case {
        name: "DER length beyond the data (over-long)",
        expect: "store:0:unparsable",
        run: || {
            let (pki, _, _) = standard(host_leaf(&["h.example.com"]));
            let mut der = pki.root.der.to_vec();
            let (_, hl, len) = header(&der);
            assert_eq!(hl, 4);
            let claimed = (len + 4096) as u16;
            der[2..4].copy_from_slice(&claimed.to_be_bytes());
            store_outcome(&store_of("over-long", &der))
        },
    },
    Case {
        name: "trailing bytes after a DER certificate in a store",
        expect: "store:0:unparsable",
        run: || {
            let (pki, _, _) = standard(host_leaf(&["h.example.com"]));
            let mut der = pki.root.der.to_vec();
            der.extend_from_slice(&[0u8; 16]);
            store_outcome(&store_of("trailing", &der))
        },
    },
    Case {
        name: "trailing bytes after the DER leaf in a chain",
        expect: "reject:malformed",
        run: || {
            let (_, store, mut chain) = standard(host_leaf(&["h.example.com"]));
            let mut der = chain[0].to_vec();
            der.extend_from_slice(&[0u8; 16]);
            chain[0] = CertificateDer::from(der);
            verify(&store, &chain)
        },
    },
    Case {
        name: "non-minimal DER length encoding",
        expect: "reject:malformed",
        run: || {
            let (_, store, mut chain) = standard(host_leaf(&["h.example.com"]));
            let der = chain[0].to_vec();
            let (_, hl, _) = header(&der);
            // 30 82 LL LL  ->  30 83 00 LL LL
            let mut longer = vec![0x30, 0x83, 0x00];
            longer.extend_from_slice(&der[2..]);
            assert_eq!(hl, 4);
            chain[0] = CertificateDer::from(longer);
            verify(&store, &chain)
        },
    },
    Case {
        name: "indefinite-length BER certificate in a store",
        expect: "store:0:unparsable",
        run: || {
            let (pki, _, _) = standard(host_leaf(&["h.example.com"]));
            let der = pki.root.der.as_ref();
            let (_, hl, _) = header(der);
            let mut ber = vec![0x30, 0x80];
            ber.extend_from_slice(&der[hl..]);
            ber.extend_from_slice(&[0, 0]);
            store_outcome(&store_of("ber", &ber))
        },
    },
    Case {
        name: "indefinite-length BER leaf in a chain",
        expect: "reject:malformed",
        run: || {
            let (_, store, mut chain) = standard(host_leaf(&["h.example.com"]));
            let der = chain[0].to_vec();
            let (_, hl, _) = header(&der);
            let mut ber = vec![0x30, 0x80];
            ber.extend_from_slice(&der[hl..]);
            ber.extend_from_slice(&[0, 0]);
            chain[0] = CertificateDer::from(ber);
            verify(&store, &chain)
        },
    },
    Case {
        name: "indefinite-length BER chain as PEM",
        expect: "error:parse",
        run: || {
            let ber = [0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00];
            let pem = pem_rfc7468_encode(&ber);
            match parse_chain(pem.as_bytes()) {
                // Splitting a chain does not parse certificates: verification refuses it.
                Ok(chain) => {
                    let (_, store, _) = standard(host_leaf(&["h.example.com"]));
                    match verify(&store, &chain).as_str() {
                        "reject:malformed" => "error:parse".into(),
                        other => other.to_string(),
                    }
                }
                Err(e) => format!("error:{}", error_kind(&e)),
            }
        },
    },
    // --- Serial numbers outside RFC 5280 (webpki is lenient on purpose, so
    // are we: RFC 5280 4.1.2.2 asks users to handle them gracefully; they must
    // neither crash nor lose the leaf from the verified path).
    Case {
        name: "negative serial number",
        expect: "accept",
        run: || {
            let (pki, store, mut chain) = standard(host_leaf(&["h.example.com"]));
            chain[0] = with_serial(&pki, &chain, &[0x80, 0x01]);
            verify(&store, &chain)
        },
    },
    Case {
        // webpki tolerates it, the full parser (and the store) does not:
        // refused rather than accepted with a path that lacks the leaf.
        name: "40-byte serial number",
        expect: "reject:malformed",
        run: || {
            let (pki, store, mut chain) = standard(host_leaf(&["h.example.com"]));
            let mut serial = vec![0x01];
            serial.extend([0x5A; 39]);
            chain[0] = with_serial(&pki, &chain, &serial);
            verify(&store, &chain)
        },
    },
    Case {
        name: "20-octet serial number",
        expect: "accept",
        run: || {
            let (pki, store, mut chain) = standard(host_leaf(&["h.example.com"]));
            chain[0] = with_serial(&pki, &chain, &[0x7F; 20]);
            verify(&store, &chain)
        },
    },
    Case {
        // 20 octets of magnitude, with the zero octet that keeps it positive.
        name: "21-octet serial number with a leading zero",
        expect: "accept",
        run: || {
            let (pki, store, mut chain) = standard(host_leaf(&["h.example.com"]));
            let mut serial = vec![0x00];
            serial.extend([0x9A; 20]);
            chain[0] = with_serial(&pki, &chain, &serial);
            verify(&store, &chain)
        },
    },
    Case {
        // x509-cert decodes up to 21 octets; RFC 5280 4.1.2.2 allows 20.
        name: "21-octet serial number",
        expect: "reject:malformed",
        run: || {
            let (pki, store, mut chain) = standard(host_leaf(&["h.example.com"]));
            chain[0] = with_serial(&pki, &chain, &[0x5A; 21]);
            verify(&store, &chain)
        },
    },
    Case {
        name: "21-octet serial number on a store CA",
        expect: "store:0:unparsable",
        run: || {
            let r = root(Spec::ca("Long Serial Root"));
            let mut fields = tbs_fields(r.der.as_ref());
            fields[1] = tlv(0x02, &[0x5A; 21]);
            let der = resign(&fields, &r);
            store_outcome(&store_of("long-serial", der.as_ref()))
        },
    },
    Case {
        name: "negative serial number on a store CA",
        expect: "store:1:",
        run: || {
            let r = root(Spec::ca("Negative Serial Root"));
            let mut fields = tbs_fields(r.der.as_ref());
            fields[1] = tlv(0x02, &[0xFF, 0x00]);
            let der = resign(&fields, &r);
            store_outcome(&store_of("negative", der.as_ref()))
        },
    },
    // --- Version 1 certificates.
    Case {
        name: "v1 intermediate posing as a CA",
        expect: "reject:unsupported",
        run: || {
            let pki = Pki::new();
            let store = pki.store();
            // The issuing CA re-encoded as v1: no version field, no extensions.
            let mut fields = tbs_fields(pki.issuing.der.as_ref());
            fields.remove(0);
            fields.pop();
            let v1 = resign(&fields, &pki.root);
            let (l, _) = leaf(host_leaf(&["h.example.com"]), &pki.issuing);
            verify(&store, &[l, v1])
        },
    },
    Case {
        name: "v1 self-signed root in a store (kept as a legacy root, with a finding)",
        expect: "store:1:no-basic-constraints",
        run: || {
            let r = root(Spec::ca("V1 Root"));
            let mut fields = tbs_fields(r.der.as_ref());
            fields.remove(0);
            fields.pop();
            let v1 = resign(&fields, &r);
            store_outcome(&store_of("v1", v1.as_ref()))
        },
    },
    Case {
        name: "v1 leaf under a v3 chain",
        expect: "reject:unsupported",
        run: || {
            let (pki, store, mut chain) = standard(host_leaf(&["h.example.com"]));
            let mut fields = tbs_fields(chain[0].as_ref());
            fields.remove(0);
            fields.pop();
            chain[0] = resign(&fields, &pki.issuing);
            verify(&store, &chain)
        },
    },
    // --- Name constraints.
    Case {
        name: "excluded-subtree name constraint",
        expect: "reject:name-constraint-violation",
        run: || {
            let (store, issuer, chain_ca) = constrained_ca(vec![], vec!["webex.com"]);
            let (l, _) = leaf(host_leaf(&["callservice.webex.com"]), &issuer);
            verify(&store, &[l, chain_ca])
        },
    },
    Case {
        name: "name-constrained CA, CN-only leaf, CN-or-SAN inbound mapping",
        expect: "default-zone:name-constraint-violation",
        run: || {
            // The constraint permits example.org only; the leaf names the zone
            // in its CN alone. webpki applies name constraints to SANs, so
            // the CN must not be trusted to classify the call into the zone.
            let (store, issuer, chain_ca) = constrained_ca(vec!["example.org"], vec![]);
            let mut spec = Spec::leaf("callservice.webex.com", &[]);
            spec.cn = Some("callservice.webex.com".into());
            let (l, _) = leaf(spec, &issuer);
            match Zone::webex_hybrid().classify_inbound(
                &store,
                &[l, chain_ca],
                &Policy::client_auth().with_time(at()),
            ) {
                Inbound::Mapped { .. } => "mapped".into(),
                Inbound::DefaultZone { diagnosis } => format!("default-zone:{}", diagnosis.kind),
            }
        },
    },
    // --- Path building under hostile graphs.
    Case {
        name: "cycle of cross-signed CAs, no trusted root",
        expect: "reject:unknown-ca",
        run: || {
            let (a_by_b, b_by_a, a, _) = cross_signed_pair();
            let (l, _) = leaf(host_leaf(&["h.example.com"]), &a);
            let other = root(Spec::ca("Unrelated Root"));
            verify(&store_with(&[&other]), &[l, a_by_b, b_by_a])
        },
    },
    Case {
        name: "cycle of cross-signed CAs, one of them trusted",
        expect: "accept",
        run: || {
            let (a_by_b, b_by_a, _, b) = cross_signed_pair();
            // The leaf is issued by B; the store trusts a self-signed A.
            let (l, _) = leaf(host_leaf(&["h.example.com"]), &b);
            let a_root = cross_root_a();
            verify(&store_with(&[&a_root]), &[l, a_by_b, b_by_a])
        },
    },
    Case {
        name: "1,000 distinct intermediates (a 1,000-deep chain)",
        expect: "reject:too-many-certificates",
        run: || {
            let (store, chain) = deep_chain(1000);
            verify(&store, &chain)
        },
    },
    Case {
        name: "1,000 distinct intermediates with the chain limit lifted",
        expect: "reject:path-too-long",
        run: || {
            let (store, chain) = deep_chain(1000);
            let policy = policy().with_limits(Limits {
                max_chain_certificates: 2000,
                ..Limits::default()
            });
            verdict(Verifier::new(store, policy).verify(&chain, None))
        },
    },
    Case {
        name: "10,000 same-subject decoy anchors before the real root",
        expect: "accept",
        run: || decoy_anchors(10_000, false, false),
    },
    Case {
        name: "10,000 same-subject decoy anchors after the real root",
        expect: "accept",
        run: || decoy_anchors(10_000, true, false),
    },
    Case {
        // Decoys that also copy the real root's key identifier cannot be told
        // apart before a signature check: webpki's budget of 100 checks ends
        // the search (fail closed, bounded time).
        name: "10,000 decoy anchors with the real root's subject and key identifier, before it",
        expect: "reject:too-complex",
        run: || decoy_anchors(10_000, false, true),
    },
    // --- Sizes and file system oddities.
    Case {
        name: "50 MB of bytes",
        expect: "store:0:too-large",
        run: || store_outcome(&store_of("big", &vec![b'A'; 50 * 1024 * 1024])),
    },
    Case {
        name: "a 50 MB chain",
        expect: "error:limit-exceeded",
        run: || match parse_chain(&vec![b'A'; 50 * 1024 * 1024]) {
            Ok(_) => "parsed".into(),
            Err(e) => format!("error:{}", error_kind(&e)),
        },
    },
    Case {
        name: "directory with a symlink loop, a dangling symlink, a FIFO and a directory named like a file",
        expect: "store:1:directory-loop,unreadable",
        run: || {
            let dir = scratch("tree");
            let r = root(Spec::ca("Tree Root"));
            // The only certificate sits in a directory whose name looks like a file.
            std::fs::create_dir(dir.join("ca.pem")).unwrap();
            std::fs::write(dir.join("ca.pem").join("root.pem"), &r.pem).unwrap();
            std::os::unix::fs::symlink(&dir, dir.join("ca.pem").join("loop")).unwrap();
            std::os::unix::fs::symlink(dir.join("absent.pem"), dir.join("dangling.pem")).unwrap();
            let fifo = make_fifo(&dir.join("fifo.pem"));
            let mut b = TrustStore::builder();
            b.at(at());
            b.add_dir(&dir).unwrap();
            let store = b.build().unwrap();
            if fifo {
                assert!(store
                    .findings()
                    .iter()
                    .any(|f| f.provenance.source.ends_with("fifo.pem")));
            }
            std::fs::remove_dir_all(&dir).unwrap();
            store_outcome(&store)
        },
    },
    Case {
        name: "a certificate nested deeper than the directory depth limit (16)",
        expect: "store:0:too-large",
        run: || {
            let dir = scratch("deep");
            let mut deep = dir.clone();
            for i in 0..=Limits::default().max_directory_depth {
                deep = deep.join(format!("d{i}"));
            }
            std::fs::create_dir_all(&deep).unwrap();
            std::fs::write(deep.join("root.pem"), root(Spec::ca("Deep Dir Root")).pem).unwrap();
            let mut b = TrustStore::builder();
            b.at(at());
            b.add_dir(&dir).unwrap();
            std::fs::remove_dir_all(&dir).unwrap();
            store_outcome(&b.build().unwrap())
        },
    },
    Case {
        name: "more directory entries than the entry limit",
        expect: "store:1:duplicate-certificate,too-large",
        run: || {
            let dir = scratch("entries");
            let pem = root(Spec::ca("Many Entries Root")).pem;
            for i in 0..25 {
                std::fs::write(dir.join(format!("{i:02}.pem")), &pem).unwrap();
            }
            let mut b = TrustStore::builder();
            b.at(at()).limits(Limits {
                max_directory_entries: 10,
                ..Limits::default()
            });
            b.add_dir(&dir).unwrap();
            let store = b.build().unwrap();
            std::fs::remove_dir_all(&dir).unwrap();
            let copies = store
                .findings()
                .iter()
                .filter(|f| f.kind.as_str() == "duplicate-certificate")
                .count();
            assert_eq!(copies, 9, "exactly 10 entries were read");
            store_outcome(&store)
        },
    },
    Case {
        name: "a FIFO added as a file",
        expect: "store:0:unreadable",
        run: || {
            let dir = scratch("fifo");
            let path = dir.join("ca.pem");
            if !make_fifo(&path) {
                return "store:0:unreadable".into(); // no mkfifo here: nothing to test
            }
            // Reading a FIFO with no writer would block forever; run it on a
            // thread so a regression fails the case instead of hanging the suite.
            let (tx, rx) = std::sync::mpsc::channel();
            let p = path.clone();
            std::thread::spawn(move || {
                let mut b = TrustStore::builder();
                b.add_file(&p).unwrap();
                let _ = tx.send(store_outcome(&b.build().unwrap()));
            });
            let out = rx
                .recv_timeout(Duration::from_secs(10))
                .unwrap_or_else(|_| "hang".into());
            if out == "hang" {
                // Unblock the reader so the thread ends.
                let _ = std::fs::OpenOptions::new().write(true).open(&path);
            }
            std::fs::remove_dir_all(&dir).unwrap();
            out
        },
    },
    Case {
        name: "a directory added as a file",
        expect: "store:0:unreadable",
        run: || {
            let dir = scratch("dir-as-file");
            let mut b = TrustStore::builder();
            b.add_file(&dir).unwrap();
            std::fs::remove_dir_all(&dir).unwrap();
            store_outcome(&b.build().unwrap())
        },
    },
    // --- Names.
    Case {
        name: "NUL inside a DNS SAN",
        expect: "reject:name-mismatch",
        run: || {
            let (_, store, chain) =
                standard(host_leaf(&["callservice.webex.com\0.evil.example"]));
            zone_outbound(&store, &chain, RuleKind::CnOrSan)
        },
    },
    Case {
        name: "control character inside a DNS SAN",
        expect: "reject:name-mismatch",
        run: || {
            let (_, store, chain) = standard(host_leaf(&["callservice.webex.com\x1b"]));
            zone_outbound(&store, &chain, RuleKind::CnOrSan)
        },
    },
    Case {
        name: "NUL inside the CN, CN-or-SAN rule",
        expect: "reject:name-mismatch",
        run: || {
            let mut spec = Spec::leaf("callservice.webex.com\0.evil.example", &[]);
            spec.cn = Some("callservice.webex.com\0.evil.example".into());
            let (_, store, chain) = standard(spec);
            zone_outbound(&store, &chain, RuleKind::CnOrSan)
        },
    },
    Case {
        name: "IDN homograph in a SAN (Cyrillic a, as an A-label)",
        expect: "reject:name-mismatch",
        run: || {
            let homograph = idna_ascii("c\u{0430}llservice.webex.com");
            assert!(homograph.starts_with("xn--"));
            let (_, store, chain) = standard(host_leaf(&[&homograph]));
            zone_outbound(&store, &chain, RuleKind::San)
        },
    },
    Case {
        name: "IDN homograph in the CN (UTF-8), CN-or-SAN rule",
        expect: "reject:name-mismatch",
        run: || {
            let mut spec = Spec::leaf("x", &[]);
            spec.cn = Some("c\u{0430}llservice.webex.com".into());
            let (_, store, chain) = standard(spec);
            zone_outbound(&store, &chain, RuleKind::CnOrSan)
        },
    },
    Case {
        name: "IDN homograph as the reference name",
        expect: "mismatch",
        run: || {
            let (_, _, chain) = standard(host_leaf(&["callservice.webex.com"]));
            let cert = hybridtrust::Certificate::from_der(chain[0].to_vec()).unwrap();
            name_outcome(
                IdentityRule::cn_or_san("c\u{0430}llservice.webex.com")
                    .unwrap()
                    .check(&cert),
            )
        },
    },
    Case {
        name: "wildcard *.*.com",
        expect: "reject:name-mismatch",
        run: || wildcard_case("*.*.com", "a.b.com"),
    },
    Case {
        name: "wildcard *.com",
        expect: "reject:name-mismatch",
        run: || wildcard_case("*.com", "webex.com"),
    },
    Case {
        name: "partial-label wildcard f*o.example.com",
        expect: "reject:name-mismatch",
        run: || wildcard_case("f*o.example.com", "foo.example.com"),
    },
    Case {
        name: "wildcard two labels deep",
        expect: "reject:name-mismatch",
        run: || wildcard_case("*.webex.com", "a.callservice.webex.com"),
    },
    Case {
        name: "wildcard *.webex.com under the RFC 6125 setting (control)",
        expect: "accept",
        run: || wildcard_case("*.webex.com", "callservice.webex.com"),
    },
    Case {
        name: "wildcard *.webex.com under the zone's default (wildcards disallowed)",
        expect: "reject:name-mismatch",
        run: || {
            let (_, store, chain) = standard(host_leaf(&["*.webex.com"]));
            verdict(Zone::webex_hybrid().verify_outbound(&store, &chain, &policy()))
        },
    },
    Case {
        name: "IP-looking DNS SAN against an IP reference",
        expect: "reject:name-mismatch",
        run: || {
            let (_, store, chain) = standard(host_leaf(&["10.0.0.1"]));
            let rule = IdentityRule::cn_or_san("10.0.0.1").unwrap();
            verdict(Verifier::new(store, policy()).verify(&chain, Some(&rule)))
        },
    },
    Case {
        name: "IP-looking DNS reference name with a leading zero",
        expect: "error:invalid-name",
        run: || match IdentityRule::san("010.0.0.1") {
            Ok(_) => "accepted".into(),
            Err(e) => format!("error:{}", error_kind(&e)),
        },
    },
    // --- Time.
    Case {
        name: "leaf valid only in the far past (1971-1975, UTCTime)",
        expect: "reject:expired",
        run: || verify_spec(host_leaf(&["h.example.com"]).valid((1971, 1, 1), (1975, 1, 1))),
    },
    Case {
        // Times before the Unix epoch cannot be represented (webpki's and
        // our UnixTime): such a certificate is malformed, never "valid".
        name: "leaf with validity before 1970 (1950-1960)",
        expect: "reject:malformed",
        run: || verify_spec(host_leaf(&["h.example.com"]).valid((1950, 1, 1), (1960, 1, 1))),
    },
    Case {
        name: "leaf valid from before 1970 to the far future",
        expect: "reject:malformed",
        run: || verify_spec(host_leaf(&["h.example.com"]).valid((1950, 1, 1), (2100, 1, 1))),
    },
    Case {
        name: "leaf valid only in the far future (2100-2200, GeneralizedTime)",
        expect: "reject:not-yet-valid",
        run: || verify_spec(host_leaf(&["h.example.com"]).valid((2100, 1, 1), (2200, 1, 1))),
    },
    Case {
        name: "store CA valid only in the far past",
        expect: "store:0:expired",
        run: || {
            let r = root(Spec::ca("Ancient Root").valid((1971, 1, 1), (1975, 1, 1)));
            store_outcome(&store_of("ancient", r.pem.as_bytes()))
        },
    },
    Case {
        name: "store CA with validity before 1970",
        expect: "store:0:unparsable",
        run: || {
            let r = root(Spec::ca("Pre-epoch Root").valid((1950, 1, 1), (1960, 1, 1)));
            store_outcome(&store_of("ancient", r.pem.as_bytes()))
        },
    },
    Case {
        // Kept with a warning: anchors' own dates are not enforced (see SECURITY.md).
        name: "store CA valid only in the far future",
        expect: "store:1:not-yet-valid",
        run: || {
            let r = root(Spec::ca("Future Root").valid((2100, 1, 1), (2200, 1, 1)));
            store_outcome(&store_of("future", r.pem.as_bytes()))
        },
    },
    Case {
        name: "validation time exactly at notBefore",
        expect: "accept",
        run: || at_edge(|nb, _| nb),
    },
    Case {
        name: "validation time exactly at notAfter",
        expect: "accept",
        run: || at_edge(|_, na| na),
    },
    Case {
        name: "validation time one second before notBefore",
        expect: "reject:not-yet-valid",
        run: || at_edge(|nb, _| secs(nb, -1)),
    },
    Case {
        name: "validation time one second after notAfter",
        expect: "reject:expired",
        run: || at_edge(|_, na| secs(na, 1)),
    },
];

// ---------------------------------------------------------------------------
// Case helpers.

fn pem_rfc7468_encode(der: &[u8]) -> String {
    use std::fmt::Write;
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut body = String::new();
    for chunk in der.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                body.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                body.push('=');
            }
        }
    }
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in body.as_bytes().chunks(64) {
        writeln!(out, "{}", std::str::from_utf8(line).unwrap()).unwrap();
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

fn idna_ascii(name: &str) -> String {
    match hybridtrust::ReferenceName::parse(name).unwrap() {
        hybridtrust::ReferenceName::Dns(d) => d,
        other => panic!("not a DNS name: {other:?}"),
    }
}

fn zone_outbound(store: &TrustStore, chain: &[CertificateDer<'_>], kind: RuleKind) -> String {
    let rule = IdentityRule::new(kind, "callservice.webex.com")
        .unwrap()
        .with_wildcards(WildcardMode::LeftmostLabel);
    verdict(Verifier::new(store.clone(), policy()).verify(chain, Some(&rule)))
}

fn wildcard_case(presented: &str, reference: &str) -> String {
    let (_, store, chain) = standard(host_leaf(&[presented]));
    let rule = IdentityRule::san(reference)
        .unwrap()
        .with_wildcards(WildcardMode::LeftmostLabel);
    let out = verdict(Verifier::new(store, policy()).verify(&chain, Some(&rule)));
    // CN-or-SAN with the same presented name (as a CN) must agree.
    let mut spec = Spec::leaf(presented, &[]);
    spec.cn = Some(presented.into());
    let (_, store, chain) = standard(spec);
    let cn_rule = IdentityRule::cn_or_san(reference)
        .unwrap()
        .with_wildcards(WildcardMode::LeftmostLabel);
    let via_cn = verdict(Verifier::new(store, policy()).verify(&chain, Some(&cn_rule)));
    assert_eq!(
        out, via_cn,
        "SAN and CN disagree on {presented} vs {reference}"
    );
    out
}

fn verify_spec(spec: Spec) -> String {
    let (_, store, chain) = standard(spec);
    verify(&store, &chain)
}

fn at_edge(pick: fn(UnixTime, UnixTime) -> UnixTime) -> String {
    let (_, store, chain) =
        standard(host_leaf(&["h.example.com"]).valid((2026, 3, 1), (2026, 9, 1)));
    let cert = hybridtrust::Certificate::from_der(chain[0].to_vec()).unwrap();
    let t = pick(cert.not_before(), cert.not_after());
    let verifier = Verifier::new(store, policy().with_expiry_warning_days(0));
    verdict(verifier.verify_at(&chain, None, t))
}

/// A root in a store, and an intermediate under it with name constraints.
fn constrained_ca(
    permitted: Vec<&str>,
    excluded: Vec<&str>,
) -> (TrustStore, Ca, CertificateDer<'static>) {
    let r = root(Spec::ca("NC Corpus Root"));
    let spec = Spec::ca("NC Corpus Issuing CA").serial(2);
    let mut params = spec.params();
    params.name_constraints = Some(rcgen::NameConstraints {
        permitted_subtrees: permitted
            .iter()
            .map(|d| rcgen::GeneralSubtree::DnsName(d.to_string()))
            .collect(),
        excluded_subtrees: excluded
            .iter()
            .map(|d| rcgen::GeneralSubtree::DnsName(d.to_string()))
            .collect(),
    });
    let key = spec.key();
    let cert = params.signed_by(&key, &r.issuer).unwrap();
    let ca = Ca {
        der: cert.der().clone(),
        pem: cert.pem(),
        issuer: rcgen::Issuer::new(params, key),
    };
    let der = ca.der.clone();
    (store_with(&[&r]), ca, der)
}

/// Two CAs, A and B, each certified by the other; also returns A and B as issuers.
fn cross_signed_pair() -> (CertificateDer<'static>, CertificateDer<'static>, Ca, Ca) {
    let a = cross_root_a();
    let b = root(Spec::ca("Cycle CA B"));
    let spec_a = Spec::ca("Cycle CA A").serial(11);
    let spec_b = Spec::ca("Cycle CA B").serial(12);
    let a_by_b = spec_a
        .params()
        .signed_by(a.issuer.key(), &b.issuer)
        .unwrap()
        .der()
        .clone();
    let b_by_a = spec_b
        .params()
        .signed_by(b.issuer.key(), &a.issuer)
        .unwrap()
        .der()
        .clone();
    (a_by_b, b_by_a, a, b)
}

/// The self-signed "Cycle CA A", always with the same key, so that two calls
/// give two certificates of one CA.
fn cross_root_a() -> Ca {
    static KEY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let pem = KEY.get_or_init(|| {
        rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
            .unwrap()
            .serialize_pem()
    });
    let key = rcgen::KeyPair::from_pem(pem).unwrap();
    let params = Spec::ca("Cycle CA A").params();
    let cert = params.self_signed(&key).unwrap();
    Ca {
        der: cert.der().clone(),
        pem: cert.pem(),
        issuer: rcgen::Issuer::new(params, key),
    }
}

/// A store with one root and a chain of `depth` intermediates under it.
fn deep_chain(depth: usize) -> (TrustStore, Vec<CertificateDer<'static>>) {
    static CHAIN: std::sync::OnceLock<(Vec<u8>, Vec<Vec<u8>>)> = std::sync::OnceLock::new();
    let (root_der, chain) = CHAIN.get_or_init(|| {
        let r = root(Spec::ca("Deep Root"));
        let mut parent = sub_ca(Spec::ca("Deep CA 0").serial(2), &r);
        let mut cas = vec![parent.der.to_vec()];
        for i in 1..depth {
            parent = sub_ca(
                Spec::ca(&format!("Deep CA {i}")).serial(2 + i as u64),
                &parent,
            );
            cas.push(parent.der.to_vec());
        }
        let (l, _) = leaf(host_leaf(&["h.example.com"]), &parent);
        let mut chain = vec![l.to_vec()];
        chain.extend(cas.into_iter().rev());
        (r.der.to_vec(), chain)
    });
    let store = store_of("deep-root", root_der);
    (
        store,
        chain
            .iter()
            .map(|c| CertificateDer::from(c.clone()))
            .collect(),
    )
}

/// `count` anchors with the real root's subject but other keys (the real
/// root's key with its last bytes changed) and, unless `same_key_id`, other
/// key identifiers, before or after the real root.
fn decoy_anchors(count: usize, real_first: bool, same_key_id: bool) -> String {
    let pki = Pki::new();
    let chain = pki.chain(host_leaf(&["h.example.com"]));
    let real = pki.root.der.to_vec();
    let raw = rcgen::PublicKeyData::der_bytes(pki.root.issuer.key()).to_vec();
    let at_key = real
        .windows(raw.len())
        .position(|w| w == raw.as_slice())
        .expect("the key's bytes are in the certificate")
        + raw.len();
    let ski = hybridtrust::Certificate::from_der(real.clone())
        .unwrap()
        .subject_key_id()
        .unwrap()
        .to_vec();
    // Every occurrence: a self-signed root carries its key identifier twice
    // (subject and authority key identifier).
    let at_ski: Vec<usize> = (0..=real.len() - ski.len())
        .filter(|&i| real[i..i + ski.len()] == ski[..])
        .map(|i| i + ski.len())
        .collect();
    let mut bundle = Vec::with_capacity(count * (real.len() + 4));
    let push_pem = |bundle: &mut Vec<u8>, der: &[u8]| {
        bundle.extend_from_slice(pem_rfc7468_encode(der).as_bytes());
    };
    if real_first {
        push_pem(&mut bundle, &real);
    }
    for i in 0..count {
        let mut decoy = real.clone();
        decoy[at_key - 2..at_key].copy_from_slice(&(i as u16).to_be_bytes());
        if decoy == real {
            decoy[at_key - 3] ^= 0x55;
        }
        if !same_key_id {
            for &end in &at_ski {
                decoy[end - 2..end].copy_from_slice(&(i as u16 ^ 0xA5A5).to_be_bytes());
            }
        }
        push_pem(&mut bundle, &decoy);
    }
    if !real_first {
        push_pem(&mut bundle, &real);
    }
    let store = store_of("decoys", &bundle);
    assert_eq!(store.len(), count + 1, "{}", store_outcome(&store));
    verify(&store, &chain)
}

fn make_fifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

// ---------------------------------------------------------------------------

#[test]
fn hostile_input_corpus() {
    let mut failures = Vec::new();
    let mut passed = 0;
    for case in CASES {
        let started = Instant::now();
        let got = std::panic::catch_unwind(case.run).unwrap_or_else(|p| {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            format!("panic: {msg}")
        });
        let took = started.elapsed();
        if got == case.expect && took < Duration::from_secs(60) {
            passed += 1;
        } else {
            failures.push(format!(
                "{}: expected {:?}, got {:?} in {took:?}",
                case.name, case.expect, got
            ));
        }
    }
    println!(
        "hostile-input corpus: {passed} passed, {} failed",
        failures.len()
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
