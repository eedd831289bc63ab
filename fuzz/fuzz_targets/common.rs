//! Helpers shared by the fuzz targets.
#![allow(dead_code)]

use hybridtrust::{parse_time, Policy, TrustStore, UnixTime};

/// Splits `data` into at most `max` pieces at each `0xFF 0x00 0xFF` separator
/// (a separator that real PEM text and seed DER rarely hold).
pub fn pieces(data: &[u8], max: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while out.len() + 1 < max {
        match rest.windows(3).position(|w| w == [0xFF, 0x00, 0xFF]) {
            Some(i) => {
                out.push(&rest[..i]);
                rest = &rest[i + 3..];
            }
            None => break,
        }
    }
    out.push(rest);
    out
}

/// The validation time of the shipped example data.
pub fn at() -> UnixTime {
    parse_time("2026-06-01T00:00:00Z").unwrap()
}

/// The example trust store shipped in examples/data/certs, plus a fuzzed anchor.
pub fn example_store(extra_anchor: Option<&[u8]>) -> TrustStore {
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_bytes(
        "example-hybrid-root",
        include_bytes!("../../examples/data/certs/example-hybrid-root.pem"),
    )
    .unwrap();
    b.add_bytes(
        "partner-root",
        include_bytes!("../../examples/data/certs/partner-root.der"),
    )
    .unwrap();
    if let Some(der) = extra_anchor {
        b.add_bytes("fuzzed-anchor", der).unwrap();
    }
    b.build().unwrap()
}

/// A policy chosen by one byte (usage, EKU mode, SHA-1 policy, depth, mutual TLS)
/// and a time offset.
pub fn policy(selector: u8, time_offset: u8) -> Policy {
    use hybridtrust::{EkuMode, Sha1Policy};
    let mut p = if selector & 1 == 0 {
        Policy::server_auth()
    } else {
        Policy::client_auth()
    };
    p = p.with_eku_mode(if selector & 2 == 0 {
        EkuMode::Strict
    } else {
        EkuMode::AcceptServerAuthOnly
    });
    p = p.with_sha1(match (selector >> 2) & 3 {
        0 => Sha1Policy::Reject,
        1 => Sha1Policy::Warn,
        _ => Sha1Policy::Allow,
    });
    p = p.with_max_depth(usize::from(selector >> 4) + 1);
    // From the 1970s to far in the future, in ~4.5-year steps around the example time.
    let secs = at().as_secs() as i64 + (i64::from(time_offset) - 128) * 142_000_000;
    p.with_time(UnixTime::since_unix_epoch(std::time::Duration::from_secs(
        secs.max(0) as u64,
    )))
}
