//! Store loading: PEM and DER bytes, files and directories, lenient and strict.
//!
//! Invariants: no panic; nothing dropped silently (non-empty input yields an
//! anchor or a finding); a strict build fails only with `Error::Store`; a
//! store's PEM export loads back into a store of the same size; an input file
//! read with `Limits::read_file` gives back exactly the bytes written.
#![no_main]

use std::path::PathBuf;

use hybridtrust::{Error, Limits, TrustStore};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let strict = mode & 0x80 != 0;
    let mut b = TrustStore::builder();
    b.at(common::at()).strict(strict);
    let outcome = match mode & 0x7F {
        0 => b.add_pem("fuzz", rest).map(|_| ()),
        1 => b.add_der("fuzz", rest).map(|_| ()),
        2..=5 => {
            let dir = scratch_dir();
            let pieces = common::pieces(rest, 8);
            for (i, piece) in pieces.iter().enumerate() {
                // Some files in a subdirectory, one with a hashed name.
                let path = match i % 3 {
                    0 => dir.join(format!("f{i}.pem")),
                    1 => dir.join("sub").join(format!("{i:08x}.0")),
                    _ => dir.join(format!("f{i}")),
                };
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, piece).unwrap();
            }
            if mode & 1 != 0 {
                // A symlink loop and a dangling symlink.
                let _ = std::os::unix::fs::symlink(&dir, dir.join("sub").join("loop"));
                let _ = std::os::unix::fs::symlink(dir.join("absent"), dir.join("dangling"));
            }
            // An input file reads back exactly; a directory is an I/O error.
            if let Some(first) = pieces.first() {
                let limits = Limits::default();
                assert_eq!(limits.read_file(dir.join("f0.pem")).unwrap(), *first);
                assert!(matches!(limits.read_file(&dir), Err(Error::Io { .. })));
            }
            let r = if mode & 2 != 0 {
                b.add_dir(&dir).map(|_| ())
            } else {
                b.add_file(dir.join("f0.pem")).map(|_| ())
            };
            let _ = std::fs::remove_dir_all(&dir);
            r
        }
        _ => b.add_bytes("fuzz", rest).map(|_| ()),
    };
    match outcome {
        Ok(()) => {}
        Err(Error::Store(_)) if strict => return,
        Err(e) => panic!("unexpected error type: {e:?}"),
    }
    let store = match b.build() {
        Ok(s) => s,
        Err(Error::Store(_)) if strict => return,
        Err(e) => panic!("unexpected build error: {e:?}"),
    };
    if !rest.is_empty() && mode & 0x7F != 1 {
        assert!(
            store.len() + store.findings().len() > 0,
            "non-empty input vanished without a finding"
        );
    }
    for f in store.findings() {
        let _ = f.to_string();
    }
    // The export loads back with every anchor it holds: those whose trust
    // settings restrict nothing (a plain PEM block cannot carry settings, so
    // a restricted anchor stays out rather than becoming trusted for all).
    let exportable = store.exportable_anchors().count();
    let restricted = store.len() - exportable;
    if restricted > 0 {
        assert!(
            store
                .findings()
                .iter()
                .any(|f| f.kind == hybridtrust::FindingKind::TrustRestricted
                    || f.kind == hybridtrust::FindingKind::DistrustedEntry),
            "an anchor restricted by trust settings has no finding"
        );
    }
    let bundle = store.to_pem_bundle();
    let mut again = TrustStore::builder();
    again.at(common::at());
    again.add_pem("export", bundle.as_bytes()).unwrap();
    let again = again.build().unwrap();
    assert_eq!(again.len(), exportable, "the PEM export does not load back");
});

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hybridtrust-fuzz-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
