//! `hybridtrust endpoint check`: a real rustls handshake that captures the
//! chain the server presents (trusted or not), then our verification of it.
//!
//! The handshake uses a capturing verifier: it records the chain and lets the
//! handshake finish (handshake signatures are still checked), so that the
//! mutual-TLS part (did the server ask for, and accept, our certificate?) can
//! be observed too. No application data is sent; the connection is closed
//! right after, and the verdict comes from `hybridtrust`'s own verification.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use hybridtrust::text::escape_untrusted;
use hybridtrust::{Certificate, CertificateDer, DiagnosisKind, IdentityRule, Policy, Usage};
use pki_types::pem::PemObject;
use pki_types::{PrivateKeyDer, ServerName, UnixTime};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::ResolvesClientCert;
use rustls::crypto::CryptoProvider;
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme};
use serde_json::json;

use crate::chain::{read_chain, store_for_verify, Identity};
use crate::output::{CliError, Output, Style, EXIT_INPUT, EXIT_NOT_TRUSTED, EXIT_OK};
use crate::render;
use crate::sources::io_text;
use crate::EndpointArgs;

pub fn check(out: &Output, a: EndpointArgs) -> Result<u8, CliError> {
    let at = crate::time_arg(a.at.as_deref())?;
    if !(a.timeout.is_finite() && a.timeout > 0.0 && a.timeout <= 3600.0) {
        return Err(CliError::usage(
            "--timeout: give a number of seconds between 0 and 3600",
        ));
    }
    let timeout = Duration::from_secs_f64(a.timeout);
    let (host, port) = split_target(&a.target)?;
    let sni_text = a.sni.clone().unwrap_or_else(|| host.clone());
    let server_name = ServerName::try_from(sni_text.clone())
        .map_err(|_| CliError::usage(format!("not a valid server name: {sni_text:?}")))?;
    let mut identity = match Identity::from_args(&a.identity, Usage::ServerAuth)? {
        Identity::None => Identity::Name(
            IdentityRule::san(&sni_text)
                .map_err(|e| CliError::usage(format!("the server name: {e}")))?,
        ),
        other => other,
    };
    let provider = hybridtrust::tls::default_provider();
    let client = match (&a.client_cert, &a.client_key) {
        (Some(cert), Some(key)) => Some(load_client(cert, key, &provider)?),
        _ => None,
    };
    let (store, store_text) = store_for_verify(out, &a.store, at)?;
    let mut policy = Policy::server_auth();
    if let Some(at) = at {
        policy = policy.with_time(at);
    }
    if let Some(checks) = a.profile_checks {
        identity = identity.with_profile_checks(checks.core());
        policy = policy.with_profile_checks(checks.core());
    }

    let hs = handshake(&host, port, server_name, timeout, client.clone(), provider)?;
    let chain = hs.chain.clone().unwrap_or_default();
    let verdict = identity.verify(&store, &chain, &policy).map(|(v, _)| v);
    let refused_client = hs.client_auth_requested && hs.refusal.is_some();
    let trusted = verdict.is_ok();
    let code = if !trusted || refused_client || hs.refusal.is_some() {
        EXIT_NOT_TRUSTED
    } else if hs.interrupted.is_some() {
        EXIT_INPUT
    } else {
        EXIT_OK
    };
    let client_subject = client
        .as_ref()
        .and_then(|k| k.cert.first())
        .and_then(|c| Certificate::from_der(c.as_ref()).ok())
        .map(|c| c.subject().to_string());
    let explanation = match &verdict {
        Err(d) if d.kind == DiagnosisKind::IncompleteChain && chain.len() == 1 => {
            let issuer = Certificate::from_der(chain[0].as_ref())
                .map(|c| c.issuer().to_string())
                .unwrap_or_default();
            Some(format!(
                "the server sent only its leaf; its issuer '{issuer}' is missing"
            ))
        }
        _ => None,
    };

    if out.json() {
        out.document(
            "endpoint check",
            if code == EXIT_OK { "trusted" } else { "not-trusted" },
            code,
            json!({
                "target": format!("{host}:{port}"),
                "sni": sni_text,
                "identity": identity.json(),
                "tls": { "protocol": hs.protocol, "cipher_suite": hs.cipher },
                "client_auth": {
                    "requested": hs.client_auth_requested,
                    "sent": hs.client_cert_sent,
                    "certificate": client_subject,
                    "refused": refused_client,
                },
                "refusal": hs.refusal,
                "interrupted": hs.interrupted,
                "presented": render::presented_json(&chain),
                "verdict": if trusted { "trusted" } else { "not-trusted" },
                "result": verdict.as_ref().ok().map(render::verified_json),
                "diagnosis": verdict.as_ref().err().map(render::diagnosis_json),
                "explanation": explanation,
                "store": { "anchors": store.len(), "findings": render::findings_json(store.findings()) },
            }),
        );
        return Ok(code);
    }

    let mut s = String::new();
    let _ = writeln!(s, "endpoint: {host}:{port} (server name '{sni_text}')");
    let _ = writeln!(s, "store:    {store_text}");
    let _ = writeln!(
        s,
        "check:    {} for server",
        identity.describe(Usage::ServerAuth)
    );
    let _ = writeln!(
        s,
        "TLS:      {} {}",
        hs.protocol.as_deref().unwrap_or("(handshake not finished)"),
        hs.cipher.as_deref().unwrap_or("")
    );
    let client_line = match (hs.client_auth_requested, &client_subject, refused_client) {
        (false, _, _) => "not requested by the server".to_string(),
        (true, None, false) => {
            "requested by the server; none configured (give --client-cert and --client-key)".into()
        }
        (true, None, true) => {
            "required by the server; none configured (give --client-cert and --client-key)".into()
        }
        (true, Some(sub), false) => format!("requested by the server; sent '{sub}'; accepted"),
        (true, Some(sub), true) => format!(
            "requested by the server; sent '{sub}'; {}",
            out.paint(Style::Bad, "REFUSED")
        ),
    };
    let _ = writeln!(s, "client certificate: {client_line}");
    // The server's alert and error text are the peer's words: escaped.
    if let Some(r) = &hs.refusal {
        let _ = writeln!(s, "the server ended the handshake: {}", escape_untrusted(r));
    }
    if let Some(i) = &hs.interrupted {
        let _ = writeln!(s, "the handshake did not finish: {}", escape_untrusted(i));
    }
    let _ = writeln!(
        s,
        "\npresented chain ({} certificate{}):",
        chain.len(),
        if chain.len() == 1 { "" } else { "s" }
    );
    s.push_str(&render::presented_text(&chain));
    s.push('\n');
    match &verdict {
        Ok(v) => s.push_str(&render::verified_text(out, v)),
        Err(d) => {
            let _ = writeln!(s, "{}", out.paint(Style::Bad, "NOT TRUSTED"));
            if let Some(e) = &explanation {
                let _ = writeln!(s, "  {}", escape_untrusted(e));
            }
            s.push_str(&render::diagnosis_text(d));
        }
    }
    let line = match (trusted, refused_client, hs.refusal.is_some()) {
        (true, false, false) if hs.interrupted.is_some() => out.paint(
            Style::Bad,
            "server trusted, but the handshake did not finish",
        ),
        (true, false, false) => out.paint(Style::Good, "trusted"),
        (true, true, _) if client_subject.is_none() => out.paint(
            Style::Bad,
            "server trusted, but it requires a client certificate",
        ),
        (true, true, _) => out.paint(
            Style::Bad,
            "server trusted, but it refused our client certificate",
        ),
        (true, false, true) => {
            out.paint(Style::Bad, "server trusted, but it refused the handshake")
        }
        (false, _, _) => out.paint(Style::Bad, "not trusted"),
    };
    let _ = writeln!(s, "\nverdict: {line}");
    out.text(&s);
    Ok(code)
}

/// `HOST:PORT` or `[V6]:PORT`.
fn split_target(target: &str) -> Result<(String, u16), CliError> {
    let bad = || CliError::usage(format!("expected HOST:PORT, got {target:?}"));
    let (host, port) = if let Some(rest) = target.strip_prefix('[') {
        let (h, p) = rest.split_once("]:").ok_or_else(bad)?;
        (h.to_string(), p)
    } else {
        let (h, p) = target.rsplit_once(':').ok_or_else(bad)?;
        (h.to_string(), p)
    };
    let port: u16 = port.parse().map_err(|_| bad())?;
    if host.is_empty() || port == 0 {
        return Err(bad());
    }
    Ok((host, port))
}

fn load_client(
    cert: &std::path::Path,
    key: &std::path::Path,
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<CertifiedKey>, CliError> {
    let chain = read_chain(cert)?;
    let bytes = crate::sources::read_input(key)?;
    let key_der = PrivateKeyDer::from_pem_slice(&bytes)
        .or_else(|_| PrivateKeyDer::try_from(bytes.clone()).map_err(|_| ()))
        .map_err(|_| {
            CliError::input(format!(
                "{}: not a private key (PEM PKCS#8, PKCS#1 or SEC1)",
                key.display()
            ))
        })?;
    let ck = CertifiedKey::from_der(chain, key_der, provider)
        .map_err(|e| CliError::input(format!("{}: {e}", key.display())))?;
    Ok(Arc::new(ck))
}

/// What the handshake showed.
struct Handshake {
    chain: Option<Vec<CertificateDer<'static>>>,
    protocol: Option<String>,
    cipher: Option<String>,
    client_auth_requested: bool,
    client_cert_sent: bool,
    /// The server ended the handshake (an alert) after presenting its chain.
    refusal: Option<String>,
    /// The handshake broke off (timeout, reset) after the chain was presented.
    interrupted: Option<String>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Plain values: a panic elsewhere cannot leave them torn.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Records the server's chain and accepts it; signatures are still checked.
#[derive(Debug)]
struct Capture {
    provider: Arc<CryptoProvider>,
    chain: Mutex<Option<Vec<CertificateDer<'static>>>>,
}

impl ServerCertVerifier for Capture {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.clone().into_owned())
            .collect();
        *lock(&self.chain) = Some(chain);
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Offers our client certificate (if any) and records whether it was asked for.
#[derive(Debug)]
struct ClientAuth {
    key: Option<Arc<CertifiedKey>>,
    asked: Mutex<bool>,
}

impl ResolvesClientCert for ClientAuth {
    fn resolve(&self, _hints: &[&[u8]], _schemes: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        *lock(&self.asked) = true;
        self.key.clone()
    }
    fn has_certs(&self) -> bool {
        self.key.is_some()
    }
}

/// Reads and writes on a socket, never past a deadline.
struct Deadline<'a> {
    sock: &'a TcpStream,
    until: Instant,
}

impl Deadline<'_> {
    fn remaining(&self) -> std::io::Result<Duration> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(std::io::ErrorKind::TimedOut.into())
        } else {
            Ok(left)
        }
    }
}

fn timed_out(e: std::io::Error) -> std::io::Error {
    if e.kind() == std::io::ErrorKind::WouldBlock {
        std::io::ErrorKind::TimedOut.into()
    } else {
        e
    }
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.sock.set_read_timeout(Some(self.remaining()?))?;
        let mut s = self.sock;
        s.read(buf).map_err(timed_out)
    }
}

impl Write for Deadline<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.sock.set_write_timeout(Some(self.remaining()?))?;
        let mut s = self.sock;
        s.write(buf).map_err(timed_out)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn connect(
    host: &str,
    port: u16,
    until: Instant,
    timeout: Duration,
) -> Result<TcpStream, CliError> {
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| CliError::io(format!("cannot resolve {host}: {e}")))?
        .collect();
    let mut last = None;
    for addr in addrs {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match TcpStream::connect_timeout(&addr, left) {
            Ok(s) => return Ok(s),
            Err(e) => last = Some((addr, e)),
        }
    }
    Err(match last {
        Some((addr, e)) => match e.kind() {
            std::io::ErrorKind::ConnectionRefused => CliError::io(format!(
                "cannot connect to {addr}: connection refused (nothing listens on that port)"
            )),
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => CliError::io(format!(
                "cannot connect to {addr}: no answer within {}s (a firewall may drop the traffic)",
                timeout.as_secs_f64()
            )),
            _ => CliError::io(format!("cannot connect to {addr}: {e}")),
        },
        None => CliError::io(format!(
            "cannot connect to {host}:{port}: no address, or no time left within {}s",
            timeout.as_secs_f64()
        )),
    })
}

fn handshake(
    host: &str,
    port: u16,
    server_name: ServerName<'static>,
    timeout: Duration,
    client: Option<Arc<CertifiedKey>>,
    provider: Arc<CryptoProvider>,
) -> Result<Handshake, CliError> {
    let until = Instant::now() + timeout;
    let capture = Arc::new(Capture {
        provider: provider.clone(),
        chain: Mutex::new(None),
    });
    let client_auth = Arc::new(ClientAuth {
        key: client.clone(),
        asked: Mutex::new(false),
    });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| CliError::input(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(capture.clone())
        .with_client_cert_resolver(client_auth.clone());
    let sock = connect(host, port, until, timeout)?;
    let mut conn = ClientConnection::new(Arc::new(config), server_name)
        .map_err(|e| CliError::input(e.to_string()))?;
    let mut io = Deadline { sock: &sock, until };

    let mut failure = None;
    while conn.is_handshaking() {
        if let Err(e) = conn.complete_io(&mut io) {
            failure = Some(e);
            break;
        }
    }
    let chain = lock(&capture.chain).clone();
    let asked = *lock(&client_auth.asked);
    let mut refusal = None;
    let mut interrupted = None;
    match failure {
        Some(e) if chain.is_none() => return Err(handshake_error(e, host, port, timeout)),
        Some(e) if tls_error(&e).is_some() => refusal = Some(refusal_text(&e)),
        Some(e) => {
            interrupted = Some(match e.kind() {
                std::io::ErrorKind::TimedOut => format!(
                    "the server stopped answering after presenting its certificate (no progress within {}s)",
                    timeout.as_secs_f64()
                ),
                _ => format!("the connection broke after the server presented its certificate: {}", io_text(&e)),
            })
        }
        None if asked => {
            // TLS 1.3: a server that refuses our certificate (or its absence)
            // says so after the handshake; listen briefly for its alert.
            let probe_until = until.min(Instant::now() + Duration::from_millis(1500));
            let mut probe = Deadline {
                sock: &sock,
                until: probe_until,
            };
            let mut buf = [0u8; 1024];
            loop {
                let mut stream = rustls::Stream::new(&mut conn, &mut probe);
                match stream.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => continue,
                    Err(e) => {
                        if tls_error(&e).is_some() {
                            refusal = Some(refusal_text(&e));
                        }
                        break;
                    }
                }
            }
        }
        None => {}
    }
    let protocol = conn.protocol_version().map(|v| format!("{v:?}"));
    let cipher = conn
        .negotiated_cipher_suite()
        .map(|c| format!("{:?}", c.suite()));
    conn.send_close_notify();
    let _ = conn.complete_io(&mut io);
    Ok(Handshake {
        chain,
        protocol,
        cipher,
        client_auth_requested: asked,
        client_cert_sent: asked && client.is_some(),
        refusal,
        interrupted,
    })
}

fn tls_error(e: &std::io::Error) -> Option<&rustls::Error> {
    e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>())
}

fn refusal_text(e: &std::io::Error) -> String {
    match tls_error(e) {
        Some(rustls::Error::AlertReceived(alert)) => format!("alert '{alert:?}' from the server"),
        Some(other) => other.to_string(),
        None => io_text(e),
    }
}

fn handshake_error(e: std::io::Error, host: &str, port: u16, timeout: Duration) -> CliError {
    let target = format!("{host}:{port}");
    if let Some(t) = tls_error(&e) {
        return match t {
            rustls::Error::InvalidMessage(_) => CliError::io(format!(
                "{target} did not answer with TLS (is it a plain-TCP service, or the wrong port?)"
            )),
            rustls::Error::AlertReceived(alert) => CliError::io(format!(
                "{target} refused the TLS handshake before presenting a certificate: alert '{alert:?}'"
            )),
            other => CliError::io(format!("TLS handshake with {target} failed: {other}")),
        };
    }
    match e.kind() {
        std::io::ErrorKind::TimedOut => CliError::io(format!(
            "{target} did not complete the TLS handshake within {}s (the server stalled, or is not a TLS service)",
            timeout.as_secs_f64()
        )),
        std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
            CliError::io(format!(
                "{target} closed the connection during the TLS handshake (is it a TLS service?)"
            ))
        }
        _ => CliError::io(format!("TLS handshake with {target} failed: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::split_target;

    #[test]
    fn targets() {
        assert_eq!(
            split_target("example.com:5062").unwrap(),
            ("example.com".into(), 5062)
        );
        assert_eq!(split_target("[::1]:443").unwrap(), ("::1".into(), 443));
        for bad in [
            "example.com",
            ":443",
            "example.com:0",
            "example.com:http",
            "[::1]443",
        ] {
            assert!(split_target(bad).is_err(), "{bad}");
        }
    }
}
