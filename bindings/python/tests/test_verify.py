"""Verification: a verified result, every diagnosis kind reachable from Python, warnings."""

from __future__ import annotations

import threading

import pytest
from conftest import AT, DATA, FIXTURES, Spec, ca, chain_file, crl, day, diagnose, issue, leaf
from cryptography.x509.oid import ExtendedKeyUsageOID

import hybridtrust
from hybridtrust import DiagnosisKind as K
from hybridtrust import WarningKind as W


def test_verified_result_has_path_anchor_provenance_and_name(example_store, server_policy):
    v = hybridtrust.verify(example_store, chain_file("callservice-full.pem"), server_policy, "callservice.webex.com")
    assert [e.role for e in v.path] == [hybridtrust.Role.LEAF, hybridtrust.Role.INTERMEDIATE, hybridtrust.Role.ANCHOR]
    assert [e.position for e in v.path] == [0, 1, None]
    assert v.path[0].common_name == "callservice.webex.com"
    assert v.path[-1].subject == v.anchor.subject
    assert v.anchor_provenance.path == DATA / "certs" / "example-hybrid-root.pem"
    assert v.anchor_provenance.line == 1
    assert v.matched_name == "callservice.webex.com"
    assert v.identity is not None and v.identity.field == "dns-san" and not v.identity.wildcard
    assert v.warnings == ()
    assert v.validated_at == AT
    assert v.store_generation == example_store.generation
    assert v.to_dict()["identity"]["matched"] == {"field": "dns-san", "value": "callservice.webex.com"}
    assert str(v).startswith("trusted as 'callservice.webex.com'")
    assert "Verified" in repr(v)


def test_verifier_object_and_default_policy(example_store):
    verifier = hybridtrust.Verifier(example_store, hybridtrust.Policy(at=AT))
    assert verifier.store is example_store
    assert verifier.verify(chain_file("exchange.pem"), "exchange.example.com").matched_name == "exchange.example.com"
    # Default policy: server auth at the current time.
    assert hybridtrust.Verifier(example_store).policy.at is None


def test_unknown_ca(pki):
    empty = hybridtrust.TrustStore.builder(at=AT).build()
    d = diagnose(empty, pki.chain())
    assert d.kind is K.UNKNOWN_CA
    assert d.recognised_as is not None and "certificate verify failed" in d.recognised_as


def test_incomplete_chain(example_store):
    d = diagnose(example_store, chain_file("callservice-leaf-only.pem"))
    assert d.kind is K.INCOMPLETE_CHAIN
    assert d.index == 0 and d.subject is not None and len(d.fingerprint or "") == 64
    assert "Example Hybrid Issuing CA" in (d.expected or "")
    assert d.recognised_as == "certificate unknown"


def test_expired_and_not_yet_valid(example_store, pki):
    d = diagnose(example_store, chain_file("expired.pem"))
    assert (d.kind, d.index) == (K.EXPIRED, 0)
    assert d.certificate is not None and d.certificate.not_after == day(2025, 1, 1)
    d = diagnose(pki.store(), pki.chain(not_before=day(2027, 1, 1), not_after=day(2028, 1, 1)))
    assert d.kind is K.NOT_YET_VALID


def test_bad_signature(pki):
    der = bytearray(pki.chain()[0])
    der[-1] ^= 0x01  # inside the signature value
    d = diagnose(pki.store(), [bytes(der), pki.issuing.der])
    assert d.kind is K.BAD_SIGNATURE


def test_weak_signature_and_sha1_warning():
    store = hybridtrust.TrustStore.builder(at=day(2030, 1, 1)).add_file(FIXTURES / "legacy-root.pem").build()
    chain = (FIXTURES / "sha1-leaf.pem").read_bytes()
    d = diagnose(store, chain, hybridtrust.Policy.server_auth(at=day(2030, 1, 1)))
    assert d.kind is K.WEAK_SIGNATURE
    v = hybridtrust.verify(store, chain, hybridtrust.Policy.client_auth(at=day(2030, 1, 1)))
    assert W.SHA1_ACCEPTED in [w.kind for w in v.warnings]


def test_name_mismatch_with_typo_and_alias(example_store):
    d = diagnose(example_store, chain_file("callservice-full.pem"), identity="calllservice.webex.com")
    assert d.kind is K.NAME_MISMATCH
    assert d.name_mismatch is not None and d.name_mismatch.near_miss
    assert d.name_mismatch.nearest == "callservice.webex.com"
    d = diagnose(example_store, chain_file("sip-webex.pem"), identity=hybridtrust.Zone.webex_hybrid().outbound_rule)
    assert d.name_mismatch is not None and d.name_mismatch.alias is not None
    assert d.name_mismatch.alias[0] == "sip.webex.com"
    assert "known alias" in d.hint


def test_missing_eku(example_store):
    d = diagnose(example_store, chain_file("server-auth-only.pem"), hybridtrust.Policy.client_auth(at=AT))
    assert d.kind is K.MISSING_EKU
    v = hybridtrust.verify(
        example_store,
        chain_file("server-auth-only.pem"),
        hybridtrust.Policy.client_auth(at=AT, eku_mode="accept-server-auth-only"),
    )
    assert [w.kind for w in v.warnings] == [W.CLIENT_AUTH_MISSING_ACCEPTED]


def test_revoked_and_revocation_unknown(pki):
    lf = leaf("callservice.webex.com", pki.issuing, serial=4242)
    chain = [lf.der, pki.issuing.der]
    policy = hybridtrust.Policy(at=AT, crls=[crl(pki.issuing, [4242])], revocation_scope="end-entity")
    assert policy.crls and len(policy.crls[0]) == 64
    assert diagnose(pki.store(), chain, policy).kind is K.REVOKED
    # A CRL from another CA only: the leaf's status is unknown, and unknown means deny.
    policy = hybridtrust.Policy(at=AT, crls=crl(pki.root, []), revocation_scope="end-entity")
    assert diagnose(pki.store(), chain, policy).kind is K.REVOCATION_UNKNOWN
    # ... unless told otherwise.
    hybridtrust.verify(pki.store(), chain, policy.replace(unknown_status="allow"))


def test_path_too_long(pki):
    d = diagnose(pki.store(), pki.chain(), hybridtrust.Policy(at=AT, max_depth=2))
    assert d.kind is K.PATH_TOO_LONG


def test_issuer_not_ca(pki):
    not_ca = issue(Spec("Not A CA", ca=False, eku=None, not_before=day(2025, 1, 1), not_after=day(2045, 1, 1)), pki.root)
    lf = leaf("callservice.webex.com", not_ca)
    assert diagnose(pki.store(), [lf.der, not_ca.der]).kind is K.ISSUER_NOT_CA


def test_ca_as_leaf(pki):
    assert diagnose(pki.store(), [pki.issuing.der]).kind is K.CA_AS_LEAF


def test_name_constraint_violation(pki):
    constrained = ca("Constrained CA", pki.root, permitted_dns=["example.org"])
    lf = leaf("callservice.webex.com", constrained)
    assert diagnose(pki.store(), [lf.der, constrained.der]).kind is K.NAME_CONSTRAINT_VIOLATION


def test_malformed():
    store = hybridtrust.TrustStore.builder(at=AT).build()
    assert diagnose(store, [b"\x30\x03\x02\x01\x00"]).kind is K.MALFORMED


def test_unsupported_critical_extension(pki):
    d = diagnose(pki.store(), pki.chain(unknown_critical=True))
    assert d.kind is K.UNSUPPORTED


def test_empty_chain_and_too_many_certificates(pki):
    assert diagnose(pki.store(), []).kind is K.EMPTY_CHAIN
    chain = pki.chain()
    assert diagnose(pki.store(), [chain[0]] + [chain[1]] * 64).kind is K.TOO_MANY_CERTIFICATES


def test_too_complex(pki):
    # 150 CAs named like the real issuer but with other keys, and no real
    # issuer: the path search runs out of its signature budget.
    lf = leaf("h.example.com", pki.issuing)
    decoys = [ca("Test Hybrid Issuing CA").der for _ in range(150)]
    policy = hybridtrust.Policy(at=AT, max_chain_certificates=200)
    assert diagnose(pki.store(), [lf.der] + decoys, policy).kind is K.TOO_COMPLEX
    # With the default limit the same chain is refused before any signature check.
    assert diagnose(pki.store(), [lf.der] + decoys).kind is K.TOO_MANY_CERTIFICATES


def test_warnings_expires_soon_mutual_tls_and_anchor_validity(example_store, pki):
    v = hybridtrust.verify(pki.store(), pki.chain(not_after=day(2026, 6, 10)), hybridtrust.Policy(at=AT))
    assert W.EXPIRES_SOON in [w.kind for w in v.warnings]
    w = v.warnings[0]
    assert w.certificate.position == 0 and w.certificate.role is hybridtrust.Role.LEAF and w.message
    v = hybridtrust.Zone.webex_hybrid().verify_outbound(example_store, chain_file("server-auth-only.pem"), hybridtrust.Policy(at=AT))
    assert [w.kind for w in v.warnings] == [W.NO_CLIENT_AUTH_FOR_MUTUAL_TLS]
    short_root = ca("Short Root", not_before=day(2025, 1, 1), not_after=day(2026, 3, 1))
    store = hybridtrust.TrustStore.builder(at=day(2026, 1, 1)).add_pem(short_root.pem).build()
    v = hybridtrust.verify(store, [leaf("x.example.com", short_root).der], hybridtrust.Policy(at=AT))
    assert W.ANCHOR_OUTSIDE_VALIDITY in [w.kind for w in v.warnings]


def test_diagnosis_object_is_complete(example_store):
    d = diagnose(example_store, chain_file("expired.pem"))
    assert d.to_dict()["kind"] == "expired"
    assert d.to_dict()["certificate"]["position"] == 0
    assert d.message and d.hint and d.expected and d.found
    assert d.store_generation == example_store.generation
    assert "next step:" in str(d)
    assert repr(d).startswith("<Diagnosis expired at leaf #0")
    with pytest.raises(hybridtrust.VerificationError) as info:
        hybridtrust.verify(example_store, chain_file("expired.pem"), hybridtrust.Policy(at=AT))
    assert isinstance(info.value, hybridtrust.HybridTrustError)
    assert str(info.value) == str(info.value.diagnosis)


def _issuing_ca_without_key_cert_sign(root):
    """An intermediate whose keyUsage lacks keyCertSign (cryptography's builder)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from conftest import Issued

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "No CertSign Issuing CA")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(root.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(day(2025, 1, 1))
        .not_valid_after(day(2045, 1, 1))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key()), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(root.key, hashes.SHA256())
    )
    return Issued(cert, key)


def test_profile_checks_setting_and_diagnosis(pki):
    assert hybridtrust.Policy().profile_checks is hybridtrust.ProfileChecks.BY_ANCHOR_ORIGIN
    assert hybridtrust.Policy(profile_checks="lenient").profile_checks == "lenient"
    with pytest.raises(ValueError):
        hybridtrust.Policy(profile_checks="relaxed")
    inter = _issuing_ca_without_key_cert_sign(pki.root)
    chain = [leaf("leaf.example.com", inter).der, inter.der]
    store = pki.store()
    for setting in ("by-anchor-origin", "strict", hybridtrust.ProfileChecks.STRICT):
        d = diagnose(store, chain, hybridtrust.Policy(at=AT, profile_checks=setting))
        assert d.kind is K.PROFILE_VIOLATION
        assert d.index == 1
        assert "rfc5280-ca-key-cert-sign" in d.message
        assert "lenient" in d.hint
        assert d.detail == "rfc5280-ca-key-cert-sign"
    v = hybridtrust.verify(store, chain, hybridtrust.Policy(at=AT, profile_checks="lenient"))
    kinds = [w.kind for w in v.warnings]
    assert kinds == [W.PROFILE_VIOLATION_ACCEPTED]
    assert v.warnings[0].message.startswith("rfc5280-ca-key-cert-sign:")
    # A leaf without an authorityKeyIdentifier breaks a rule of strict
    # verifiers only: a warning on a chain to our own CA, unless strict.
    from conftest import Issued
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    no_aki = Issued(
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "device.example.com")]))
        .issuer_name(pki.issuing.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(day(2026, 1, 1))
        .not_valid_after(day(2027, 1, 1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("device.example.com")]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(pki.issuing.key, hashes.SHA256()),
        key,
    )
    chain = [no_aki.der, pki.issuing.der]
    v = hybridtrust.verify(store, chain, hybridtrust.Policy(at=AT))
    assert [w.kind for w in v.warnings] == [W.PROFILE_VIOLATION_ACCEPTED]
    assert "rfc5280-aki-missing" in v.warnings[0].message
    d = diagnose(store, chain, hybridtrust.Policy(at=AT, profile_checks="strict"))
    assert d.kind is K.PROFILE_VIOLATION and "by-anchor-origin" in d.hint


def test_every_reachable_kind_is_covered():
    # distrusted (webpki's built-in distrust list) and other (a webpki error with
    # no better name) cannot be provoked with certificates a test can make.
    unreachable = {K.DISTRUSTED, K.OTHER}
    covered = {
        K.UNKNOWN_CA, K.INCOMPLETE_CHAIN, K.EXPIRED, K.NOT_YET_VALID, K.BAD_SIGNATURE, K.WEAK_SIGNATURE,
        K.NAME_MISMATCH, K.MISSING_EKU, K.REVOKED, K.REVOCATION_UNKNOWN, K.PATH_TOO_LONG, K.ISSUER_NOT_CA,
        K.CA_AS_LEAF, K.NAME_CONSTRAINT_VIOLATION, K.MALFORMED, K.UNSUPPORTED, K.EMPTY_CHAIN,
        K.TOO_MANY_CERTIFICATES, K.TOO_COMPLEX, K.PROFILE_VIOLATION,
    }
    assert covered | unreachable == set(K)


def test_threads_share_objects_and_agree(example_store):
    verifier = hybridtrust.Verifier(example_store, hybridtrust.Policy(at=AT))
    chains = {name: chain_file(name).read_bytes() for name in ["callservice-full.pem", "expired.pem", "cn-only.pem"]}
    results: list[tuple[str, str]] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(30):
            for name, chain in chains.items():
                try:
                    verifier.verify(chain, "callservice.webex.com")
                    outcome = "ok"
                except hybridtrust.VerificationError as e:
                    outcome = e.diagnosis.kind.value
                with lock:
                    results.append((name, outcome))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 * 30 * 3
    assert set(results) == {("callservice-full.pem", "ok"), ("expired.pem", "expired"), ("cn-only.pem", "name-mismatch")}


def test_eku_oids_of_server_auth_only_leaf():
    cert = hybridtrust.Certificate.from_pem(chain_file("server-auth-only.pem").read_text().split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n")
    assert cert.extended_key_usage == (ExtendedKeyUsageOID.SERVER_AUTH.dotted_string,)
    assert not cert.allows_client_auth and cert.allows_server_auth


def test_verification_releases_the_gil(pki):
    # With a 5 s switch interval a thread that kept the GIL while verifying
    # would run its whole loop before the main thread woke up again. The
    # main thread waking up while the worker is still busy shows that the
    # verifier lets go of the GIL.
    import sys
    import time

    decoys = [ca("Test Hybrid Issuing CA").der for _ in range(150)]
    chain = [leaf("h.example.com", pki.issuing).der] + decoys
    store = pki.store()
    policy = hybridtrust.Policy(at=AT, max_chain_certificates=200)
    rounds = 400
    done: list[int] = []
    stop = threading.Event()

    def work() -> None:
        for _ in range(rounds):
            if stop.is_set():
                return
            try:
                hybridtrust.verify(store, chain, policy)
            except hybridtrust.VerificationError:
                pass
            done.append(1)

    old = sys.getswitchinterval()
    sys.setswitchinterval(5.0)
    try:
        worker = threading.Thread(target=work)
        worker.start()
        started = time.monotonic()
        time.sleep(0.05)
        woke_after = time.monotonic() - started
        finished_when_main_woke = len(done)
        stop.set()
        worker.join()
    finally:
        sys.setswitchinterval(old)
    assert woke_after < 2.5, woke_after
    assert finished_when_main_woke < rounds


def test_verifier_cache_serves_repeats_and_never_a_stale_accept(pki):
    store = pki.store()
    chain = pki.chain()
    policy = hybridtrust.Policy(at=AT)
    v = hybridtrust.Verifier(store, policy)
    assert not v.verify(chain, "callservice.webex.com").from_cache
    assert v.verify(chain, "callservice.webex.com").from_cache
    assert v.cached_len == 1
    # Another name is another input; a rejection is never cached.
    with pytest.raises(hybridtrust.VerificationError):
        v.verify(chain, "other.example.com")
    assert v.cached_len == 1
    # A later validation time outside the leaf's validity is another policy,
    # hence another verifier: it rejects.
    late = hybridtrust.Verifier(store, hybridtrust.Policy(at=day(2030, 1, 1)))
    with pytest.raises(hybridtrust.VerificationError) as info:
        late.verify(chain, "callservice.webex.com")
    assert info.value.diagnosis.kind is K.EXPIRED
    off = hybridtrust.Verifier(store, policy, cache_size=0)
    off.verify(chain)
    assert not off.verify(chain).from_cache
    assert off.cached_len == 0


def test_chain_items_may_be_der_or_pem_with_leading_text(example_store, server_policy):
    # As `openssl pkcs12` writes them: "Bag Attributes" lines before the PEM.
    pem = chain_file("callservice-full.pem").read_bytes()
    der = hybridtrust.parse_chain(pem)
    prefixed = b"Bag Attributes\n    friendlyName: callservice\n" + pem
    for chain in ([prefixed], der, [der[0], pem[pem.index(b"-----BEGIN", 10) :]], [bytes(der[0]), bytearray(der[1])]):
        verified = hybridtrust.verify(example_store, chain, server_policy)
        assert verified.path[0].subject == "CN=callservice.webex.com,O=hybridtrust tests"
    # DER with one byte cut is still taken as DER, and refused as malformed, never as text.
    diagnosis = diagnose(example_store, [der[0][:-1], der[1]], server_policy)
    assert diagnosis.kind.value == "malformed"
