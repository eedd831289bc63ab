//! The hybrid deployment's trust preflight: the embedded Webex cloud CA set
//! plus `[home]/.devicestool/certs` when present; reports the cloud CAs
//! (required, legacy, no longer embedded) and every finding, then a verdict.
//!
//! `cargo run --example preflight`

use hybridtrust::{CaStatus, Profile, Severity, TrustStore};

fn main() -> Result<(), hybridtrust::Error> {
    let profile = Profile::device_connector();
    let mut builder = TrustStore::builder();
    builder.add_profile_cas(&profile)?;
    builder.add_device_tool_certs()?;
    builder.require_profile(&profile);
    let store = builder.build()?;

    println!("{}", profile.description());
    for presence in profile.check_store(&store) {
        let state = match (&presence.present, presence.embedded) {
            (Some(p), _) => format!("present ({p})"),
            (None, true) => "missing".to_string(),
            (None, false) => "missing; no longer in Mozilla's root program".to_string(),
        };
        println!("  [{}] {}: {state}", presence.ca.status, presence.ca.name);
    }
    for finding in store.findings() {
        println!("  {finding}");
    }
    let missing_required = profile
        .check_store(&store)
        .iter()
        .any(|p| p.ca.status == CaStatus::Required && p.present.is_none());
    let errors = store
        .findings()
        .iter()
        .any(|f| f.severity == Severity::Error);
    println!(
        "verdict: {}",
        if missing_required || errors {
            "NOT ready: fix the errors above"
        } else {
            "ready: the required cloud CAs are trusted"
        }
    );
    Ok(())
}
