//! Verifies the shipped example chains against the Webex hybrid zone in both
//! directions, printing the verdict or the diagnosis for each.
//!
//! `cargo run --example zone_verify`

use std::path::PathBuf;

use hybridtrust::{parse_chain, parse_time, Inbound, Limits, Policy, TrustStore, Zone};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let at = parse_time("2026-06-01T00:00:00Z")?;
    let mut builder = TrustStore::builder();
    builder.at(at).add_dir(data.join("certs"))?;
    let store = builder.build()?;
    let zone = Zone::webex_hybrid();
    let policy = Policy::server_auth().with_time(at);

    let mut names: Vec<_> = std::fs::read_dir(data.join("chains"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    names.sort();
    for path in names {
        let chain = parse_chain(&Limits::default().read_file(&path)?)?;
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        println!("== {file}");
        match zone.verify_outbound(&store, &chain, &policy) {
            Ok(verified) => println!("outbound: {verified}"),
            Err(diagnosis) => println!("outbound: NOT trusted\n  {diagnosis}"),
        }
        match zone.classify_inbound(&store, &chain, &policy) {
            Inbound::Mapped { zone, .. } => println!("inbound: mapped to zone '{zone}'"),
            Inbound::DefaultZone { diagnosis } => {
                println!("inbound: Default Zone, because {}", diagnosis.message)
            }
        }
    }
    Ok(())
}
