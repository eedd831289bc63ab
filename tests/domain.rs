//! One named test per fact of `shared/docs/domain.md` (the hybrid deployment's
//! certificate-trust rules), so each can be traced to its check.

mod common;

use std::fs;

use common::*;
use hybridtrust::{
    device_tool_certs_dir, CaStatus, DiagnosisKind, EkuMode, FindingKind, IdentityRule, Inbound,
    Policy, Profile, Sha1Policy, TrustStore, Verifier, WarningKind, Zone, WEBEX_CLOUD_CAS,
};
use rcgen::ExtendedKeyUsagePurpose as Eku;

fn policy() -> Policy {
    Policy::server_auth().with_time(at())
}

// ---- Cloud CAs ---------------------------------------------------------------

#[test]
fn cloud_root_moved_from_quovadis_to_identrust_on_2021_03_31() {
    let identrust = WEBEX_CLOUD_CAS
        .iter()
        .find(|c| c.name == "IdenTrust Commercial Root CA 1")
        .unwrap();
    assert_eq!(identrust.status, CaStatus::Required);
    assert_eq!(
        identrust.sha256.unwrap().to_string(),
        "5D56499BE4D2E08BCFCAD08A3E38723D50503BDE706948E42F55603019E528AE"
    );
    let quovadis = WEBEX_CLOUD_CAS
        .iter()
        .find(|c| c.name == "QuoVadis Root CA 2")
        .unwrap();
    assert_eq!(quovadis.status, CaStatus::Legacy);
}

#[test]
fn cloud_profile_reports_which_required_ca_a_store_lacks() {
    let profile = Profile::expressway_e();
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_pem("own", Pki::new().root.pem.as_bytes()).unwrap();
    b.require_profile(&profile);
    let store = b.build().unwrap();
    let missing = store
        .findings()
        .iter()
        .find(|f| f.kind == FindingKind::MissingRequiredCa)
        .unwrap();
    assert_eq!(
        missing.hint.as_deref(),
        Some("add the CA 'IdenTrust Commercial Root CA 1' to the trust store")
    );
}

#[test]
fn listed_cas_no_longer_in_mozillas_program_are_said_plainly() {
    let mut b = TrustStore::builder();
    b.add_profile_cas(&Profile::device_connector()).unwrap();
    let store = b.build().unwrap();
    let gone: Vec<&str> = store
        .findings()
        .iter()
        .filter(|f| f.kind == FindingKind::CaNotEmbedded)
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        gone.iter().any(|m| m.contains("Go Daddy Class 2")),
        "{gone:?}"
    );
    assert!(gone
        .iter()
        .all(|m| m.contains("no longer in Mozilla's root program")));
}

// ---- The zone rule is two rules ------------------------------------------------

#[test]
fn outbound_verification_needs_the_name_in_a_san() {
    let pki = Pki::new();
    let cn_only = pki.chain(Spec::leaf("callservice.webex.com", &["other.example.com"]));
    let d = Zone::webex_hybrid()
        .verify_outbound(&pki.store(), &cn_only, &policy())
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::NameMismatch);
    assert!(d.detail.unwrap().contains("only in the CN"));
}

#[test]
fn inbound_mapping_accepts_the_name_as_cn_or_san() {
    let pki = Pki::new();
    for chain in [
        pki.chain(Spec::leaf("callservice.webex.com", &["other.example.com"])),
        pki.chain(Spec::leaf("other.example.com", &["callservice.webex.com"])),
    ] {
        assert!(matches!(
            Zone::webex_hybrid().classify_inbound(&pki.store(), &chain, &policy()),
            Inbound::Mapped { .. }
        ));
    }
}

#[test]
fn failed_inbound_mapping_falls_into_the_default_zone_not_a_reject() {
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf("partner.example.com", &["partner.example.com"]));
    match Zone::webex_hybrid().classify_inbound(&pki.store(), &chain, &policy()) {
        Inbound::DefaultZone { diagnosis } => {
            assert_eq!(diagnosis.kind, DiagnosisKind::NameMismatch)
        }
        Inbound::Mapped { .. } => panic!("must not map"),
    }
}

// ---- Name history, case, typos, wildcards ------------------------------------

#[test]
fn the_clouds_sip_names_get_an_alias_hint() {
    let pki = Pki::new();
    for alias in ["sip.webex.com", "callservice.ciscospark.com"] {
        let chain = pki.chain(Spec::leaf(alias, &[alias]));
        let d = Zone::webex_hybrid()
            .verify_outbound(&pki.store(), &chain, &policy())
            .unwrap_err();
        assert!(d.hint.contains("known alias"), "{alias}: {}", d.hint);
        assert_eq!(d.name_mismatch.unwrap().alias.unwrap().name, alias);
    }
}

#[test]
fn subject_names_compare_case_insensitively() {
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf(
        "CallService.Webex.COM",
        &["CallService.Webex.COM"],
    ));
    Zone::webex_hybrid()
        .verify_outbound(&pki.store(), &chain, &policy())
        .unwrap();
}

#[test]
fn a_typo_calllservice_is_reported_as_a_near_miss_with_expressways_message() {
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf(
        "callservice.webex.com",
        &["callservice.webex.com"],
    ));
    let zone = Zone::new("typo", "calllservice.webex.com").unwrap();
    let d = zone
        .verify_outbound(&pki.store(), &chain, &policy())
        .unwrap_err();
    assert!(d.name_mismatch.as_ref().unwrap().near_miss);
    assert!(d.hint.contains("typo"));
    assert_eq!(
        d.recognised_as,
        Some("Peer's TLS certificate identity was unacceptable")
    );
}

#[test]
fn wildcard_matching_for_zones_is_a_setting_strict_by_default() {
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf("webex", &["*.webex.com"]));
    assert!(Zone::webex_hybrid()
        .verify_outbound(&pki.store(), &chain, &policy())
        .is_err());
    let lenient = Zone::webex_hybrid().with_wildcards(hybridtrust::WildcardMode::LeftmostLabel);
    assert!(lenient
        .verify_outbound(&pki.store(), &chain, &policy())
        .is_ok());
}

// ---- Mutual TLS and the clientAuth sunset -------------------------------------

#[test]
fn client_auth_sunset_strict_refuses_and_transition_accepts_with_a_warning() {
    let pki = Pki::new();
    let chain = pki.chain(
        Spec::leaf("callservice.webex.com", &["callservice.webex.com"]).eku(vec![Eku::ServerAuth]),
    );
    let strict = Policy::client_auth().with_time(at());
    let d = Verifier::new(pki.store(), strict.clone())
        .verify(&chain, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::MissingEku);
    let v = Verifier::new(
        pki.store(),
        strict.with_eku_mode(EkuMode::AcceptServerAuthOnly),
    )
    .verify(&chain, None)
    .unwrap();
    assert_eq!(v.warnings()[0].kind, WarningKind::ClientAuthMissingAccepted);
}

#[test]
fn a_certificate_meant_for_mutual_tls_without_client_auth_is_warned_about() {
    let pki = Pki::new();
    let chain = pki.chain(
        Spec::leaf("callservice.webex.com", &["callservice.webex.com"]).eku(vec![Eku::ServerAuth]),
    );
    let v = Zone::webex_hybrid()
        .verify_outbound(&pki.store(), &chain, &policy())
        .unwrap();
    assert_eq!(v.warnings()[0].kind, WarningKind::NoClientAuthForMutualTls);
}

// ---- Chains ---------------------------------------------------------------------

#[test]
fn an_expressway_sending_only_its_leaf_is_an_incomplete_chain_not_an_unknown_ca() {
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf(
        "callservice.webex.com",
        &["callservice.webex.com"],
    ));
    let d = Verifier::new(pki.store(), policy())
        .verify(&chain[..1], None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::IncompleteChain);
    assert!(d.message.contains("incomplete chain: issuer 'Test Hybrid Issuing CA' was not presented and is not in the trust store"));
    assert_eq!(d.recognised_as, Some("certificate unknown"));
}

// ---- Store hygiene ----------------------------------------------------------------

#[test]
fn two_ca_certificates_with_the_same_cn_are_warned_about() {
    let mut a = Spec::ca("Corp CA");
    a.org = Some("A".into());
    let mut b2 = Spec::ca("Corp CA");
    b2.org = Some("B".into());
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_pem("a", root(a).pem.as_bytes()).unwrap();
    b.add_pem("b", root(b2).pem.as_bytes()).unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.findings()[0].kind, FindingKind::DuplicateCommonName);
}

#[test]
fn a_sha1_peer_is_accepted_as_a_client_with_a_warning_and_refused_as_a_server() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let t = time("2030-01-01T00:00:00Z");
    let mut b = TrustStore::builder();
    b.at(t);
    b.add_file(dir.join("legacy-root.pem")).unwrap();
    let store = b.build().unwrap();
    let chain = hybridtrust::parse_chain(&fs::read(dir.join("sha1-leaf.pem")).unwrap()).unwrap();
    assert_eq!(Policy::client_auth().sha1(), Sha1Policy::Warn);
    let v = Verifier::new(store.clone(), Policy::client_auth().with_time(t))
        .verify(&chain, None)
        .unwrap();
    assert_eq!(v.warnings()[0].kind, WarningKind::Sha1Accepted);
    let d = Verifier::new(store, Policy::server_auth().with_time(t))
        .verify(&chain, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::WeakSignature);
}

#[test]
fn crls_are_an_input_the_library_accepts() {
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf("h.example.com", &["h.example.com"]).serial(9));
    let crls = hybridtrust::Crl::parse_all(&crl(&pki.issuing, &[9]))
        .unwrap()
        .into_iter()
        .chain(hybridtrust::Crl::parse_all(&crl(&pki.root, &[])).unwrap())
        .collect();
    let d = Verifier::new(pki.store(), policy().with_crls(crls))
        .verify(&chain, None)
        .unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::Revoked);
}

// ---- Device Connector certs folder ------------------------------------------------

#[test]
fn the_device_tool_folder_takes_pem_and_der_by_content_and_reports_other_files() {
    let home = std::env::temp_dir().join(format!("hybridtrust-domain-{}", std::process::id()));
    let certs = home.join(".devicestool/certs");
    fs::create_dir_all(&certs).unwrap();
    fs::write(certs.join("device-ca"), root(Spec::ca("Device CA A")).pem).unwrap();
    fs::write(
        certs.join("device-ca.txt"),
        root(Spec::ca("Device CA B")).der.as_ref(),
    )
    .unwrap();
    fs::write(certs.join("readme.md"), "notes").unwrap();
    let mut b = TrustStore::builder();
    b.at(at());
    b.add_device_tool_certs_in(&certs).unwrap();
    let store = b.build().unwrap();
    assert_eq!(store.len(), 2);
    assert_eq!(store.findings().len(), 1);
    assert!(store.findings()[0].provenance.source.ends_with("readme.md"));
    let _ = fs::remove_dir_all(&home);
}

#[test]
fn the_device_tool_folder_is_under_the_users_home() {
    let dir = device_tool_certs_dir().expect("a home folder is known here");
    assert!(dir.ends_with(".devicestool/certs"));
    assert!(dir.starts_with(std::env::home_dir().unwrap()));
}

// ---- Exchange -----------------------------------------------------------------------

#[test]
fn exchange_is_a_plain_server_auth_check_of_its_host_name() {
    let pki = Pki::new();
    let chain = pki.chain(Spec::leaf("mail.example.com", &["mail.example.com"]));
    let rule = IdentityRule::san("mail.example.com").unwrap();
    assert_eq!(
        Profile::calendar_connector().usage(),
        hybridtrust::Usage::ServerAuth
    );
    Verifier::new(pki.store(), policy())
        .verify(&chain, Some(&rule))
        .unwrap();
}

// ---- Messages an admin recognises ------------------------------------------------------

#[test]
fn each_diagnosis_names_the_certificate_and_the_next_step() {
    let pki = Pki::new();
    let v = Verifier::new(pki.store(), policy());
    let expired = pki
        .chain(Spec::leaf("h.example.com", &["h.example.com"]).valid((2024, 1, 1), (2025, 1, 1)));
    let other = Pki::new();
    let mut foreign = other.chain(Spec::leaf("h.example.com", &["h.example.com"]));
    foreign.push(other.root.der.clone());
    for (chain, kind, recognised) in [
        (expired, DiagnosisKind::Expired, "certificate has expired"),
        (
            foreign,
            DiagnosisKind::UnknownCa,
            "self signed certificate in certificate chain / certificate verify failed",
        ),
    ] {
        let d = v.verify(&chain, None).unwrap_err();
        assert_eq!(d.kind, kind);
        assert_eq!(d.recognised_as, Some(recognised));
        let c = d.certificate.as_ref().unwrap();
        assert!(c.position.is_some() && !c.subject.is_empty());
        assert_eq!(c.sha256.to_string().len(), 64);
        assert!(!d.hint.is_empty());
        assert!(d.to_string().contains("next step:"));
    }
}
