"""Shared test data: the repository's example data, and a small PKI made with `cryptography`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import hybridtrust

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "examples" / "data"
FIXTURES = REPO / "tests" / "fixtures"
UTC = dt.timezone.utc
AT = dt.datetime(2026, 6, 1, tzinfo=UTC)


def day(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, tzinfo=UTC)


@dataclass
class Issued:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()


@dataclass
class Spec:
    cn: str
    dns: list[str] = field(default_factory=list)
    ca: bool = False
    basic_constraints: bool = True
    path_len: Optional[int] = None
    eku: Optional[list[x509.ObjectIdentifier]] = field(
        default_factory=lambda: [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    )
    not_before: dt.datetime = day(2026, 1, 1)
    not_after: dt.datetime = day(2027, 1, 1)
    serial: Optional[int] = None
    permitted_dns: Optional[list[str]] = None
    unknown_critical: bool = False
    key: Optional[ec.EllipticCurvePrivateKey] = None
    issuer_cn: Optional[str] = None


def issue(spec: Spec, parent: Optional[Issued]) -> Issued:
    key = spec.key or ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "hybridtrust tests"), x509.NameAttribute(NameOID.COMMON_NAME, spec.cn)]
    )
    issuer_name = parent.cert.subject if parent else name
    if spec.issuer_cn is not None:
        issuer_name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "hybridtrust tests"),
                x509.NameAttribute(NameOID.COMMON_NAME, spec.issuer_cn),
            ]
        )
    signing_key = parent.key if parent else key
    b = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(spec.serial or x509.random_serial_number())
        .not_valid_before(spec.not_before)
        .not_valid_after(spec.not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if parent is not None:
        b = b.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(parent.key.public_key()), critical=False
        )
    if spec.basic_constraints:
        b = b.add_extension(x509.BasicConstraints(ca=spec.ca, path_length=spec.path_len if spec.ca else None), critical=True)
    if spec.ca:
        b = b.add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    else:
        if spec.eku:
            b = b.add_extension(x509.ExtendedKeyUsage(spec.eku), critical=False)
    if spec.dns:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in spec.dns]), critical=False)
    if spec.permitted_dns is not None:
        b = b.add_extension(
            x509.NameConstraints(permitted_subtrees=[x509.DNSName(d) for d in spec.permitted_dns], excluded_subtrees=None),
            critical=True,
        )
    if spec.unknown_critical:
        b = b.add_extension(
            x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00"), critical=True
        )
    return Issued(b.sign(signing_key, hashes.SHA256()), key)


def ca(cn: str, parent: Optional[Issued] = None, **kw) -> Issued:
    kw.setdefault("not_before", day(2025, 1, 1))
    kw.setdefault("not_after", day(2045, 1, 1))
    return issue(Spec(cn, ca=True, eku=None, **kw), parent)


def leaf(cn: str, parent: Issued, dns: Optional[list[str]] = None, **kw) -> Issued:
    return issue(Spec(cn, dns=[cn] if dns is None else dns, **kw), parent)


def crl(issuer: Issued, serials: list[int]) -> bytes:
    b = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(day(2026, 5, 1))
        .next_update(day(2026, 7, 1))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    )
    for s in serials:
        b = b.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(s).revocation_date(day(2026, 5, 2)).build()
        )
    return b.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


@dataclass
class Pki:
    root: Issued
    issuing: Issued

    def store(self, **kw) -> hybridtrust.TrustStore:
        kw.setdefault("at", AT)
        return hybridtrust.TrustStore.builder(**kw).add_pem(self.root.pem, label="test-root").build()

    def chain(self, cn: str = "callservice.webex.com", **kw) -> list[bytes]:
        return [leaf(cn, self.issuing, **kw).der, self.issuing.der]


@pytest.fixture(scope="session")
def pki() -> Pki:
    root = ca("Test Hybrid Root CA")
    return Pki(root, ca("Test Hybrid Issuing CA", root))


@pytest.fixture(scope="session")
def example_store() -> hybridtrust.TrustStore:
    return hybridtrust.TrustStore.builder(at=AT).add_dir(DATA / "certs").build()


@pytest.fixture
def server_policy() -> hybridtrust.Policy:
    return hybridtrust.Policy.server_auth(at=AT)


def chain_file(name: str) -> Path:
    return DATA / "chains" / name


def diagnose(store, chain, policy=None, identity=None) -> hybridtrust.Diagnosis:
    with pytest.raises(hybridtrust.VerificationError) as info:
        hybridtrust.verify(store, chain, policy or hybridtrust.Policy(at=AT), identity)
    return info.value.diagnosis
