//! A bounded cache of accepted chains, owned by one [`Verifier`](super::Verifier).
//!
//! Soundness: a verifier has one trust-store snapshot and one policy, so an
//! entry only has to match the exact chain bytes and identity rule (compared
//! in full, not by hash), and a hit is returned only when the validation time
//! lies inside the window in which the original result stays the same (see
//! `reuse_window`). Rejections are never cached.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use pki_types::{CertificateDer, UnixTime};

use super::Verified;
use crate::name::IdentityRule;

pub(crate) struct Cache {
    capacity: usize,
    state: Mutex<State>,
}

struct State {
    entries: HashMap<u64, Entry>,
    tick: u64,
}

struct Entry {
    chain: Vec<Vec<u8>>,
    rule: Option<IdentityRule>,
    verified: Verified,
    last_used: u64,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("capacity", &self.capacity)
            .finish()
    }
}

/// Hashes the lengths and the signature tail of each certificate (unique per
/// certificate) and the rule; equality is then checked on the full bytes.
fn key(chain: &[CertificateDer<'_>], rule: Option<&IdentityRule>) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    chain.len().hash(&mut h);
    for c in chain {
        let bytes = c.as_ref();
        bytes.len().hash(&mut h);
        bytes[bytes.len().saturating_sub(32)..].hash(&mut h);
    }
    rule.hash(&mut h);
    h.finish()
}

fn same(entry: &Entry, chain: &[CertificateDer<'_>], rule: Option<&IdentityRule>) -> bool {
    entry.chain.len() == chain.len()
        && entry
            .chain
            .iter()
            .zip(chain)
            .all(|(a, b)| a.as_slice() == b.as_ref())
        && entry.rule.as_ref() == rule
}

impl Cache {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            state: Mutex::new(State {
                entries: HashMap::with_capacity(capacity.min(4096)),
                tick: 0,
            }),
        }
    }

    pub(crate) fn get(
        &self,
        chain: &[CertificateDer<'_>],
        rule: Option<&IdentityRule>,
        at: UnixTime,
    ) -> Option<Verified> {
        let mut state = self.state.lock().ok()?;
        state.tick += 1;
        let tick = state.tick;
        let entry = state.entries.get_mut(&key(chain, rule))?;
        if !same(entry, chain, rule) {
            return None;
        }
        let (lo, hi) = entry.verified.inner.window?;
        if at < lo || at > hi {
            return None;
        }
        entry.last_used = tick;
        let mut hit = entry.verified.clone();
        hit.at = at;
        hit.cached = true;
        Some(hit)
    }

    pub(crate) fn put(
        &self,
        chain: &[CertificateDer<'_>],
        rule: Option<&IdentityRule>,
        verified: &Verified,
    ) {
        if verified.inner.window.is_none() || self.capacity == 0 {
            return;
        }
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if state.entries.len() >= self.capacity {
            let oldest = state
                .entries
                .iter()
                .min_by_key(|(_, e)| e.last_used)
                .map(|(k, _)| *k);
            if let Some(k) = oldest {
                state.entries.remove(&k);
            }
        }
        state.tick += 1;
        let tick = state.tick;
        state.entries.insert(
            key(chain, rule),
            Entry {
                chain: chain.iter().map(|c| c.to_vec()).collect(),
                rule: rule.cloned(),
                verified: verified.clone(),
                last_used: tick,
            },
        );
    }

    pub(crate) fn len(&self) -> usize {
        self.state.lock().map(|s| s.entries.len()).unwrap_or(0)
    }
}
