//! Hybrid profiles and zones: the cloud CA set, the Webex zone's two rules, user zones.

mod common;

use common::*;
use hybridtrust::{
    CaStatus, DiagnosisKind, EkuMode, Inbound, Policy, Profile, TrustStore, WildcardMode, Zone,
    WEBEX_CLOUD_CAS,
};
use rcgen::ExtendedKeyUsagePurpose as Eku;

#[test]
fn cloud_ca_set_marks_required_and_legacy_and_what_mozilla_dropped() {
    let required: Vec<_> = WEBEX_CLOUD_CAS
        .iter()
        .filter(|c| c.status == CaStatus::Required)
        .collect();
    assert_eq!(required.len(), 1);
    assert_eq!(required[0].name, "IdenTrust Commercial Root CA 1");
    let identrust = required[0]
        .embedded_der()
        .expect("IdenTrust is in Mozilla's set");
    let cert = hybridtrust::Certificate::from_der(identrust.to_vec()).unwrap();
    assert_eq!(
        cert.fingerprint().to_string(),
        "5D56499BE4D2E08BCFCAD08A3E38723D50503BDE706948E42F55603019E528AE"
    );
    assert_eq!(cert.subject(), required[0].subject);
    let go_daddy = WEBEX_CLOUD_CAS
        .iter()
        .find(|c| c.name.starts_with("Go Daddy"))
        .unwrap();
    assert!(
        go_daddy.embedded_der().is_none(),
        "no longer in Mozilla's program"
    );
}

#[test]
fn device_connector_store_has_the_required_ca() {
    let profile = Profile::device_connector();
    let mut b = TrustStore::builder();
    b.add_profile_cas(&profile).unwrap();
    b.require_profile(&profile);
    let store = b.build().unwrap();
    let report = profile.check_store(&store);
    let identrust = report
        .iter()
        .find(|p| p.ca.status == CaStatus::Required)
        .unwrap();
    assert!(identrust
        .present
        .as_ref()
        .unwrap()
        .source
        .starts_with("embedded:"));
    assert!(report.iter().any(|p| p.present.is_none() && !p.embedded));
}

#[test]
fn profiles_by_name() {
    for p in Profile::all() {
        assert_eq!(Profile::by_name(p.name()).unwrap(), p);
    }
    assert_eq!(
        Profile::expressway_e().zone().unwrap().subject_name,
        "callservice.webex.com"
    );
    assert!(Profile::calendar_connector().cloud_cas().is_empty());
    assert!(Profile::by_name("nope").is_none());
}

fn zone_store(pki: &Pki) -> TrustStore {
    pki.store()
}

#[test]
fn outbound_needs_the_name_in_a_san_inbound_accepts_the_cn() {
    let pki = Pki::new();
    let store = zone_store(&pki);
    let zone = Zone::webex_hybrid();
    let policy = Policy::server_auth().with_time(at());
    let cn_only = pki.chain(Spec::leaf("callservice.webex.com", &["edge.example.com"]));
    let d = zone.verify_outbound(&store, &cn_only, &policy).unwrap_err();
    assert_eq!(d.kind, DiagnosisKind::NameMismatch);
    match zone.classify_inbound(&store, &cn_only, &policy) {
        Inbound::Mapped { zone, verified } => {
            assert_eq!(zone, "webex-hybrid");
            assert_eq!(
                verified.identity().unwrap().matched,
                hybridtrust::MatchedName::CommonName("callservice.webex.com".into())
            );
        }
        Inbound::DefaultZone { diagnosis } => panic!("{diagnosis}"),
    }
}

#[test]
fn inbound_falls_into_the_default_zone_with_the_reason() {
    let pki = Pki::new();
    let store = zone_store(&pki);
    let zone = Zone::webex_hybrid();
    let policy = Policy::server_auth().with_time(at());
    let other = pki.chain(Spec::leaf("partner.example.com", &["partner.example.com"]));
    match zone.classify_inbound(&store, &other, &policy) {
        Inbound::DefaultZone { diagnosis } => {
            assert_eq!(diagnosis.kind, DiagnosisKind::NameMismatch)
        }
        Inbound::Mapped { .. } => panic!("must not map"),
    }
    let untrusted = Pki::new();
    let foreign = untrusted.chain(Spec::leaf(
        "callservice.webex.com",
        &["callservice.webex.com"],
    ));
    assert!(matches!(
        zone.classify_inbound(&store, &foreign[..1], &policy),
        Inbound::DefaultZone { diagnosis } if diagnosis.kind == DiagnosisKind::IncompleteChain
    ));
}

#[test]
fn inbound_eku_mode_for_the_client_auth_sunset() {
    let pki = Pki::new();
    let store = zone_store(&pki);
    let policy = Policy::server_auth().with_time(at());
    let server_only = pki.chain(
        Spec::leaf("callservice.webex.com", &["callservice.webex.com"]).eku(vec![Eku::ServerAuth]),
    );
    let strict = Zone::webex_hybrid();
    assert!(matches!(
        strict.classify_inbound(&store, &server_only, &policy),
        Inbound::DefaultZone { diagnosis } if diagnosis.kind == DiagnosisKind::MissingEku
    ));
    let transition = Zone::webex_hybrid().with_eku_mode(EkuMode::AcceptServerAuthOnly);
    assert!(matches!(
        transition.classify_inbound(&store, &server_only, &policy),
        Inbound::Mapped { .. }
    ));
    // Outbound verification of the same peer warns that mutual TLS will break.
    let v = strict
        .verify_outbound(&store, &server_only, &policy)
        .unwrap();
    assert!(v
        .warnings()
        .iter()
        .any(|w| w.kind == hybridtrust::WarningKind::NoClientAuthForMutualTls));
}

#[test]
fn zone_wildcards_are_strict_by_default() {
    let pki = Pki::new();
    let store = zone_store(&pki);
    let policy = Policy::server_auth().with_time(at());
    let wildcard = pki.chain(Spec::leaf("webex", &["*.webex.com"]));
    let zone = Zone::webex_hybrid();
    assert_eq!(
        zone.verify_outbound(&store, &wildcard, &policy)
            .unwrap_err()
            .kind,
        DiagnosisKind::NameMismatch
    );
    let lenient = Zone::webex_hybrid().with_wildcards(WildcardMode::LeftmostLabel);
    assert!(lenient.verify_outbound(&store, &wildcard, &policy).is_ok());
}

#[test]
fn user_defined_zones_from_code_and_json() {
    let zone = Zone::new("partner", "sip.partner.example").unwrap();
    assert_eq!(zone.wildcards, WildcardMode::Disallowed);
    let json = r#"{"name": "partner", "subject_name": "sip.partner.example", "wildcards": "leftmost-label", "eku_mode": "accept-server-auth-only"}"#;
    let zone = Zone::from_json(json).unwrap();
    assert_eq!(zone.wildcards, WildcardMode::LeftmostLabel);
    assert_eq!(zone.eku_mode, EkuMode::AcceptServerAuthOnly);
    assert!(Zone::from_json(r#"{"name": "x", "subject_name": "*.bad"}"#).is_err());
    assert!(Zone::from_json(r#"{"name": "x", "subject_name": "ok.example", "typo": 1}"#).is_err());
    assert!(Zone::new("x", "not a name").is_err());
}

#[test]
fn calendar_connector_is_a_plain_server_auth_host_check() {
    let pki = Pki::new();
    let store = zone_store(&pki);
    let chain = pki.chain(Spec::leaf(
        "exchange.example.com",
        &["exchange.example.com"],
    ));
    let rule = hybridtrust::IdentityRule::san("exchange.example.com").unwrap();
    let v = hybridtrust::Verifier::new(store.clone(), Policy::server_auth().with_time(at()))
        .verify(&chain, Some(&rule))
        .unwrap();
    assert_eq!(v.path().len(), 3);
    let wrong = hybridtrust::IdentityRule::san("mail.example.com").unwrap();
    assert!(
        hybridtrust::Verifier::new(store, Policy::server_auth().with_time(at()))
            .verify(&chain, Some(&wrong))
            .is_err()
    );
}

#[test]
fn every_mozilla_root_parses_into_a_store() {
    let mut b = TrustStore::builder();
    b.at(at());
    for (i, root) in webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().enumerate() {
        b.add_der(&format!("mozilla-{i}"), root.as_ref()).unwrap();
    }
    let store = b.build().unwrap();
    let errors: Vec<_> = store
        .findings()
        .iter()
        .filter(|f| f.severity == hybridtrust::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(store.len(), webpki_root_certs::TLS_SERVER_ROOT_CERTS.len());
}
