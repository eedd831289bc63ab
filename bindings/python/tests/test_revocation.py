"""Revocation with several CRLs, the CRL profile, and the bounds on CRL and chain inputs."""

from __future__ import annotations

from typing import Optional

import pytest
from conftest import AT, day, diagnose, leaf
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

import hybridtrust
from hybridtrust import DiagnosisKind as K


def crl_of(issuer, serials, number: Optional[int] = 1, this_update=None, critical_number: bool = False) -> bytes:
    """A DER CRL by `issuer`; `number=None` leaves crlNumber out."""
    b = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(this_update or day(2026, 5, 1))
        .next_update(day(2026, 8, 1))
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    )
    if number is not None:
        b = b.add_extension(x509.CRLNumber(number), critical=critical_number)
    for s in serials:
        b = b.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(s).revocation_date(day(2026, 5, 2)).build()
        )
    return b.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="module")
def revoked_chain(pki):
    lf = leaf("callservice.webex.com", pki.issuing, serial=4242)
    return [lf.der, pki.issuing.der]


@pytest.mark.parametrize("older_first", [True, False])
def test_an_older_crl_does_not_hide_a_newer_one_that_revokes(pki, revoked_chain, older_first):
    older = crl_of(pki.issuing, [], number=1, this_update=day(2026, 5, 1))
    newer = crl_of(pki.issuing, [4242], number=2, this_update=day(2026, 5, 15))
    crls = [older, newer] if older_first else [newer, older]
    policy = hybridtrust.Policy(at=AT, crls=crls + [crl_of(pki.root, [])])
    d = diagnose(pki.store(), revoked_chain, policy)
    assert d.kind is K.REVOKED
    assert d.index == 0


def test_a_crl_issued_after_the_validation_time_is_not_current(pki, revoked_chain):
    future = crl_of(pki.issuing, [4242], number=5, this_update=day(2026, 7, 1))
    policy = hybridtrust.Policy(at=AT, crls=[future, crl_of(pki.root, [])])
    d = diagnose(pki.store(), revoked_chain, policy)
    assert d.kind is K.REVOCATION_UNKNOWN
    assert "not current" in d.message and "2026-07-01" in d.message
    # Unknown status allowed: accepted, the future CRL does not count.
    hybridtrust.verify(pki.store(), revoked_chain, policy.replace(unknown_status="allow"))


def test_crls_without_crl_number_or_with_a_critical_one_are_refused(pki):
    with pytest.raises(hybridtrust.ParseError, match="no crlNumber"):
        hybridtrust.Policy(crls=crl_of(pki.issuing, [], number=None))
    with pytest.raises(hybridtrust.ParseError, match="critical"):
        hybridtrust.Policy(crls=crl_of(pki.issuing, [], critical_number=True))


def test_crl_bytes_are_bounded_by_the_source_limit():
    with pytest.raises(hybridtrust.ParseError, match="exceeds the limit"):
        hybridtrust.Policy(crls=b"A" * (32 * 1024 * 1024 + 1))
    with pytest.raises(hybridtrust.ParseError, match="exceeds the limit"):
        hybridtrust.Policy(crls=[b"A" * (32 * 1024 * 1024 + 1)])


def test_a_pem_chain_follows_the_policys_chain_limit(pki):
    lf = leaf("callservice.webex.com", pki.issuing)
    # The leaf and 99 copies of its issuer: 100 PEM blocks in one text.
    pem = lf.pem + pki.issuing.pem * 99
    raised = hybridtrust.Policy(at=AT, max_chain_certificates=200)
    v = hybridtrust.verify(pki.store(), pem, raised)
    assert [e.position for e in v.path] == [0, 1, None]
    assert hybridtrust.Verifier(pki.store(), raised).verify(pem.encode()).path[1].position == 1
    zone_name = hybridtrust.Zone.webex_hybrid()
    assert zone_name.verify_outbound(pki.store(), [pem], raised).path[0].position == 0
    # With the default limit of 64 the same text is refused, by its size.
    with pytest.raises(hybridtrust.ParseError, match="exceeds the limit of 64"):
        hybridtrust.verify(pki.store(), pem, hybridtrust.Policy(at=AT))
