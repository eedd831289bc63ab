//! The baseline every verification figure is compared with: raw rustls-webpki
//! building a server-auth path and checking the DNS name, as a TLS client does.

use hybridtrust::{CertificateDer, UnixTime};
use pki_types::{ServerName, TrustAnchor};

/// Verifies `chain` (leaf first) against `anchors` at `at` for `name` with
/// webpki alone; panics on a refusal (benchmark inputs are valid).
pub fn webpki_verify(
    chain: &[CertificateDer<'_>],
    anchors: &[TrustAnchor<'_>],
    at: UnixTime,
    name: &ServerName<'_>,
) {
    let ee = webpki::EndEntityCert::try_from(&chain[0]).unwrap();
    ee.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        anchors,
        &chain[1..],
        at,
        webpki::KeyUsage::server_auth(),
        None,
        None,
    )
    .unwrap();
    ee.verify_is_valid_for_subject_name(name).unwrap();
}
