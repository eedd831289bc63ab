//! rustls integration: real handshakes on 127.0.0.1 with the verifiers of `hybridtrust::tls`.
#![cfg(feature = "rustls")]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use common::*;
use hybridtrust::tls::{diagnosis_of, ClientVerifier, ServerVerifier, Unmapped};
use hybridtrust::{CertificateDer, DiagnosisKind, EkuMode, Inbound, Policy, WarningKind, Zone};
use pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use rcgen::{ExtendedKeyUsagePurpose as Eku, KeyPair};
use rustls::{ClientConfig, ClientConnection, ServerConfig, ServerConnection};

type Outcome = Result<Option<Vec<CertificateDer<'static>>>, rustls::Error>;

fn key_der(key: &KeyPair) -> PrivateKeyDer<'static> {
    PrivatePkcs8KeyDer::from(key.serialize_der()).into()
}

fn tls_error(e: std::io::Error) -> rustls::Error {
    match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
        Some(inner) => inner.clone(),
        None => rustls::Error::General(e.to_string()),
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    hybridtrust::tls::default_provider()
}

/// Serves one connection: handshake, then one line. Returns the client's chain.
fn serve(config: ServerConfig) -> (u16, JoinHandle<Outcome>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (mut sock, _) = listener.accept().unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut conn = ServerConnection::new(Arc::new(config)).unwrap();
        while conn.is_handshaking() {
            conn.complete_io(&mut sock).map_err(tls_error)?;
        }
        let peer = conn
            .peer_certificates()
            .map(|c| c.iter().map(|d| d.clone().into_owned()).collect());
        let mut stream = rustls::Stream::new(&mut conn, &mut sock);
        stream.write_all(b"hello\n").map_err(tls_error)?;
        stream.flush().map_err(tls_error)?;
        conn.send_close_notify();
        let _ = conn.complete_io(&mut sock);
        Ok(peer)
    });
    (port, handle)
}

fn server_config(chain: Vec<CertificateDer<'static>>, key: &KeyPair) -> ServerConfig {
    ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key_der(key))
        .unwrap()
}

fn mtls_server_config(
    chain: Vec<CertificateDer<'static>>,
    key: &KeyPair,
    verifier: Arc<ClientVerifier>,
) -> ServerConfig {
    ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key_der(key))
        .unwrap()
}

fn client_config(
    verifier: Arc<ServerVerifier>,
    client: Option<(Vec<CertificateDer<'static>>, &KeyPair)>,
) -> ClientConfig {
    let b = ClientConfig::builder_with_provider(verifier.provider().clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    match client {
        Some((chain, key)) => b.with_client_auth_cert(chain, key_der(key)).unwrap(),
        None => b.with_no_client_auth(),
    }
}

/// Connects, handshakes and reads the server's line.
fn connect(port: u16, sni: &str, config: ClientConfig) -> Result<String, rustls::Error> {
    let mut sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let name = ServerName::try_from(sni.to_string()).unwrap();
    let mut conn = ClientConnection::new(Arc::new(config), name).unwrap();
    let mut stream = rustls::Stream::new(&mut conn, &mut sock);
    let mut line = String::new();
    stream.read_to_string(&mut line).map_err(tls_error)?;
    Ok(line)
}

fn server_policy() -> Policy {
    Policy::server_auth().with_time(at())
}

struct Server {
    chain: Vec<CertificateDer<'static>>,
    key: KeyPair,
}

fn server_cert(pki: &Pki, spec: Spec) -> Server {
    let (leaf, key) = leaf_with_key(spec, &pki.issuing);
    Server {
        chain: vec![leaf, pki.issuing.der.clone()],
        key,
    }
}

/// Runs one server-auth handshake; returns the client's result and the verifier.
fn handshake(
    server: &Server,
    verifier: ServerVerifier,
    sni: &str,
) -> (Result<String, rustls::Error>, Arc<ServerVerifier>) {
    let (port, handle) = serve(server_config(server.chain.clone(), &server.key));
    let verifier = Arc::new(verifier);
    let result = connect(port, sni, client_config(verifier.clone(), None));
    let _ = handle.join().unwrap();
    (result, verifier)
}

fn diagnosed(result: Result<String, rustls::Error>) -> hybridtrust::Diagnosis {
    let err = result.expect_err("the handshake should be refused");
    diagnosis_of(&err)
        .unwrap_or_else(|| panic!("no diagnosis in {err:?}"))
        .clone()
}

#[test]
fn trusted_server_and_dialled_name() {
    let pki = Pki::new();
    let server = server_cert(&pki, Spec::leaf("edge.example.com", &["edge.example.com"]));
    let (result, verifier) = handshake(
        &server,
        ServerVerifier::new(pki.store(), server_policy(), None),
        "edge.example.com",
    );
    assert_eq!(result.unwrap(), "hello\n");
    assert_eq!(verifier.last_verified().unwrap().path().len(), 3);
    assert!(verifier.last_diagnosis().is_none());
    assert_eq!(verifier.last_presented_chain().unwrap().len(), 2);
}

#[test]
fn zone_name_differs_from_the_dialled_srv_target() {
    let pki = Pki::new();
    let server = server_cert(
        &pki,
        Spec::leaf("callservice.webex.com", &["callservice.webex.com"]),
    );
    let zone = Zone::webex_hybrid();
    let v = ServerVerifier::for_zone(pki.store(), &zone, &server_policy());
    let (result, _) = handshake(&server, v, "sip-target-1.example.net");
    assert_eq!(result.unwrap(), "hello\n");

    // Without the zone rule, the dialled SRV target is checked and does not match.
    let (result, _) = handshake(
        &server,
        ServerVerifier::new(pki.store(), server_policy(), None),
        "sip-target-1.example.net",
    );
    assert_eq!(diagnosed(result).kind, DiagnosisKind::NameMismatch);
}

#[test]
fn unknown_ca_is_diagnosed() {
    let pki = Pki::new();
    let other = root(Spec::ca("Some Other Root CA"));
    let mut b = hybridtrust::TrustStore::builder();
    b.at(at());
    b.add_pem("other", other.pem.as_bytes()).unwrap();
    let server = server_cert(&pki, Spec::leaf("edge.example.com", &["edge.example.com"]));
    let (result, verifier) = handshake(
        &server,
        ServerVerifier::new(b.build().unwrap(), server_policy(), None),
        "edge.example.com",
    );
    let d = diagnosed(result);
    assert_eq!(d.kind, DiagnosisKind::UnknownCa, "{d}");
    assert_eq!(verifier.last_diagnosis().unwrap(), d);
}

#[test]
fn incomplete_chain_when_the_server_sends_only_its_leaf() {
    let pki = Pki::new();
    let mut server = server_cert(&pki, Spec::leaf("edge.example.com", &["edge.example.com"]));
    server.chain.truncate(1);
    let (result, verifier) = handshake(
        &server,
        ServerVerifier::new(pki.store(), server_policy(), None),
        "edge.example.com",
    );
    let d = diagnosed(result);
    assert_eq!(d.kind, DiagnosisKind::IncompleteChain, "{d}");
    assert!(d.to_string().contains("Test Hybrid Issuing CA"), "{d}");
    assert_eq!(verifier.last_presented_chain().unwrap().len(), 1);
}

#[test]
fn name_mismatch_and_near_miss() {
    let pki = Pki::new();
    let zone = Zone::webex_hybrid();
    let typo = server_cert(
        &pki,
        Spec::leaf("calllservice.webex.com", &["calllservice.webex.com"]),
    );
    let (result, _) = handshake(
        &typo,
        ServerVerifier::for_zone(pki.store(), &zone, &server_policy()),
        "callservice.webex.com",
    );
    let d = diagnosed(result);
    assert_eq!(d.kind, DiagnosisKind::NameMismatch);
    assert!(d.name_mismatch.as_ref().unwrap().near_miss, "{d}");

    let other = server_cert(
        &pki,
        Spec::leaf("exchange.example.com", &["exchange.example.com"]),
    );
    let (result, _) = handshake(
        &other,
        ServerVerifier::for_zone(pki.store(), &zone, &server_policy()),
        "callservice.webex.com",
    );
    let d = diagnosed(result);
    assert_eq!(d.kind, DiagnosisKind::NameMismatch);
    assert!(!d.name_mismatch.as_ref().unwrap().near_miss, "{d}");
}

#[test]
fn expired_server_certificate() {
    let pki = Pki::new();
    let server = server_cert(
        &pki,
        Spec::leaf("edge.example.com", &["edge.example.com"]).valid((2024, 1, 1), (2025, 1, 1)),
    );
    let (result, _) = handshake(
        &server,
        ServerVerifier::new(pki.store(), server_policy(), None),
        "edge.example.com",
    );
    assert_eq!(diagnosed(result).kind, DiagnosisKind::Expired);
}

/// One mutual-TLS handshake into the Webex hybrid zone; returns the client's
/// result, the server's result and the server's verifier.
fn mutual(
    client_spec: Option<Spec>,
    eku_mode: EkuMode,
    unmapped: Unmapped,
) -> (Result<String, rustls::Error>, Outcome, Arc<ClientVerifier>) {
    let pki = Pki::new();
    let server = server_cert(
        &pki,
        Spec::leaf("expressway.example.com", &["expressway.example.com"]),
    );
    let zone = Zone::webex_hybrid().with_eku_mode(eku_mode);
    let cv = Arc::new(
        ClientVerifier::new(pki.store(), zone, Policy::client_auth().with_time(at()))
            .with_unmapped(unmapped),
    );
    let (port, handle) = serve(mtls_server_config(
        server.chain.clone(),
        &server.key,
        cv.clone(),
    ));
    let sv = Arc::new(ServerVerifier::new(pki.store(), server_policy(), None));
    let client = client_spec.map(|spec| {
        let (leaf, key) = leaf_with_key(spec, &pki.issuing);
        (vec![leaf, pki.issuing.der.clone()], key)
    });
    let config = client_config(sv, client.as_ref().map(|(c, k)| (c.clone(), k)));
    let result = connect(port, "expressway.example.com", config);
    let served = handle.join().unwrap();
    (result, served, cv)
}

fn cloud_client(eku: Vec<Eku>) -> Option<Spec> {
    Some(Spec::leaf("callservice.webex.com", &["callservice.webex.com"]).eku(eku))
}

#[test]
fn mutual_tls_with_client_auth_maps_into_the_zone() {
    for mode in [EkuMode::Strict, EkuMode::AcceptServerAuthOnly] {
        let (client, served, cv) = mutual(
            cloud_client(vec![Eku::ServerAuth, Eku::ClientAuth]),
            mode,
            Unmapped::Reject,
        );
        assert_eq!(client.unwrap(), "hello\n");
        assert_eq!(served.unwrap().unwrap().len(), 2);
        match cv.last_inbound().unwrap() {
            Inbound::Mapped { zone, verified } => {
                assert_eq!(zone, "webex-hybrid");
                assert!(verified
                    .warnings()
                    .iter()
                    .all(|w| w.kind != WarningKind::ClientAuthMissingAccepted));
            }
            Inbound::DefaultZone { diagnosis } => panic!("{diagnosis}"),
        }
    }
}

#[test]
fn mutual_tls_server_auth_only_is_refused_when_strict() {
    let (client, served, cv) = mutual(
        cloud_client(vec![Eku::ServerAuth]),
        EkuMode::Strict,
        Unmapped::Reject,
    );
    assert!(client.is_err());
    let err = served.unwrap_err();
    let d = diagnosis_of(&err).expect("a diagnosis");
    assert_eq!(d.kind, DiagnosisKind::MissingEku, "{d}");
    assert_eq!(cv.last_diagnosis().unwrap().kind, DiagnosisKind::MissingEku);
}

#[test]
fn mutual_tls_server_auth_only_is_accepted_in_transition_mode() {
    let (client, served, cv) = mutual(
        cloud_client(vec![Eku::ServerAuth]),
        EkuMode::AcceptServerAuthOnly,
        Unmapped::Reject,
    );
    assert_eq!(client.unwrap(), "hello\n");
    assert!(served.unwrap().is_some());
    match cv.last_inbound().unwrap() {
        Inbound::Mapped { verified, .. } => {
            assert!(verified
                .warnings()
                .iter()
                .any(|w| w.kind == WarningKind::ClientAuthMissingAccepted));
        }
        Inbound::DefaultZone { diagnosis } => panic!("{diagnosis}"),
    }
}

#[test]
fn mutual_tls_without_a_client_certificate() {
    let (client, served, _) = mutual(None, EkuMode::Strict, Unmapped::Reject);
    assert!(client.is_err());
    assert_eq!(served.unwrap_err(), rustls::Error::NoCertificatesPresented);

    // Expressway-style: accepted, but in the Default Zone.
    let (client, served, cv) = mutual(None, EkuMode::Strict, Unmapped::DefaultZone);
    assert_eq!(client.unwrap(), "hello\n");
    assert!(served.unwrap().is_none());
    match cv.classify(&[]) {
        Inbound::DefaultZone { diagnosis } => assert_eq!(diagnosis.kind, DiagnosisKind::EmptyChain),
        Inbound::Mapped { .. } => panic!("no certificate cannot map"),
    }
}

#[test]
fn mutual_tls_client_outside_the_zone() {
    let other = Some(Spec::leaf("partner.example.com", &["partner.example.com"]));
    let (client, served, cv) = mutual(other.clone(), EkuMode::Strict, Unmapped::Reject);
    assert!(client.is_err());
    assert_eq!(
        diagnosis_of(&served.unwrap_err()).unwrap().kind,
        DiagnosisKind::NameMismatch
    );
    assert!(cv.last_diagnosis().is_some());

    let (client, served, cv) = mutual(other, EkuMode::Strict, Unmapped::DefaultZone);
    assert_eq!(client.unwrap(), "hello\n");
    assert!(served.unwrap().is_some());
    match cv.last_inbound().unwrap() {
        Inbound::DefaultZone { diagnosis } => {
            assert_eq!(diagnosis.kind, DiagnosisKind::NameMismatch)
        }
        Inbound::Mapped { .. } => panic!("a partner certificate must not map into the Webex zone"),
    }
}

#[test]
fn root_cert_store_holds_every_anchor() {
    let pki = Pki::new();
    let store = pki.store();
    let roots = store.to_root_cert_store();
    assert_eq!(roots.len(), 1);
    assert_eq!(
        roots.roots[0].subject.as_ref(),
        store.webpki_anchors()[0].subject.as_ref()
    );
}

#[test]
fn repeated_handshakes_with_the_same_peer_are_served_by_the_cache() {
    let pki = Pki::new();
    let server = server_cert(&pki, Spec::leaf("edge.example.com", &["edge.example.com"]));
    let verifier = Arc::new(ServerVerifier::new(pki.store(), server_policy(), None));
    for round in 0..2 {
        let (port, handle) = serve(server_config(server.chain.clone(), &server.key));
        let result = connect(
            port,
            "edge.example.com",
            client_config(verifier.clone(), None),
        );
        let _ = handle.join().unwrap();
        assert_eq!(result.unwrap(), "hello\n");
        assert_eq!(verifier.last_verified().unwrap().from_cache(), round == 1);
    }
    // Another dialled name is another input: checked afresh, and refused.
    let (port, handle) = serve(server_config(server.chain.clone(), &server.key));
    let result = connect(
        port,
        "other.example.com",
        client_config(verifier.clone(), None),
    );
    let _ = handle.join().unwrap();
    assert_eq!(
        diagnosed(result).kind,
        hybridtrust::DiagnosisKind::NameMismatch
    );
}
