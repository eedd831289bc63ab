//! Assembles a trust store from a folder (default: the shipped example folder)
//! and prints every finding, the way an admin checks a device-tool certs folder.
//!
//! `cargo run --example store_check -- [FOLDER]`

use std::path::PathBuf;

use hybridtrust::{format_time, Severity, TrustStore};

fn main() -> Result<(), hybridtrust::Error> {
    let folder = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/certs"));
    let mut builder = TrustStore::builder();
    // A fixed assembly time keeps the example's output stable.
    builder.at(hybridtrust::parse_time("2026-06-01T00:00:00Z")?);
    builder.add_dir(&folder)?;
    let store = builder.build()?;

    println!(
        "trust store from {} (generation {})",
        folder.display(),
        store.generation()
    );
    for anchor in store.anchors() {
        let c = anchor.certificate();
        println!(
            "  trusted  {}  until {}  SHA-256 {}  ({})",
            c.display_name(),
            format_time(c.not_after()),
            c.fingerprint(),
            anchor.provenance()
        );
    }
    for finding in store.findings() {
        println!("  {finding}");
    }
    let errors = store
        .findings()
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    println!(
        "{} trusted, {} findings, {} of error severity",
        store.len(),
        store.findings().len(),
        errors
    );
    Ok(())
}
