"""Seeded, reproducible generation of certificate chains and their one-field mutations.

Every case is a pure function of (seed, mutation id, base): keys are derived
from the seed (ECDSA and Ed25519 from seeded scalars, RSA from seeded primes),
ECDSA signatures are deterministic (RFC 6979), serial numbers and names come
from a per-case random.Random, so the same triple gives the same DER bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import random
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

UTC = dt.timezone.utc


def day(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=UTC)


# ---------------------------------------------------------------- keys ----

_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % q for q in range(2, int(p**0.5) + 1))]


def _probable_prime(n: int, rng: random.Random) -> bool:
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(24):
        a = rng.randrange(2, n - 2)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, rng: random.Random, e: int) -> int:
    while True:
        c = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if (c - 1) % e != 0 and _probable_prime(c, rng):
            return c


def _rsa_key(bits: int, rng: random.Random) -> rsa.RSAPrivateKey:
    e = 65537
    while True:
        p, q = _prime(bits // 2, rng, e), _prime(bits // 2, rng, e)
        if p != q and (p * q).bit_length() == bits:
            break
    if p < q:
        p, q = q, p
    lam = (p - 1) * (q - 1)
    d = pow(e, -1, lam)
    pub = rsa.RSAPublicNumbers(e, p * q)
    return rsa.RSAPrivateNumbers(
        p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q), pub
    ).private_key()


_KEYS: dict[tuple[int, str, int], object] = {}

KEY_KINDS = ("p256", "p384", "p521", "ed25519", "rsa1024", "rsa2048")


def key(seed: int, kind: str, index: int):
    """The index-th key of a kind for a run seed (cached: RSA keys take a moment)."""
    k = (seed, kind, index)
    if k not in _KEYS:
        rng = random.Random(f"hybridtrust-differential-key:{seed}:{kind}:{index}")
        if kind == "p256":
            _KEYS[k] = ec.derive_private_key(rng.randrange(1, 2**255), ec.SECP256R1())
        elif kind == "p384":
            _KEYS[k] = ec.derive_private_key(rng.randrange(1, 2**383), ec.SECP384R1())
        elif kind == "p521":
            _KEYS[k] = ec.derive_private_key(rng.randrange(1, 2**520), ec.SECP521R1())
        elif kind == "ed25519":
            _KEYS[k] = ed25519.Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))
        elif kind == "rsa1024":
            _KEYS[k] = _rsa_key(1024, rng)
        elif kind == "rsa2048":
            _KEYS[k] = _rsa_key(2048, rng)
        else:
            raise ValueError(f"unknown key kind {kind!r}")
    return _KEYS[k]


# ----------------------------------------------------------------- DER ----


def der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + der_len(len(body)) + body


def read_tlv(data: bytes, pos: int = 0) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the TLV at pos."""
    tag = data[pos]
    n = data[pos + 1]
    if n < 0x80:
        return tag, pos + 2, pos + 2 + n
    k = n & 0x7F
    length = int.from_bytes(data[pos + 2 : pos + 2 + k], "big")
    return tag, pos + 2 + k, pos + 2 + k + length


def oid_der(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    body = bytearray([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, bytes(body))


def split_certificate(der: bytes) -> tuple[bytes, bytes, bytes]:
    """(tbs, signatureAlgorithm, signature BIT STRING) TLVs of a certificate."""
    _, start, _ = read_tlv(der)
    _, s1, e1 = read_tlv(der, start)
    tbs = der[start:e1]
    _, s2, e2 = read_tlv(der, e1)
    alg = der[e1:e2]
    sig = der[e2:]
    return tbs, alg, sig


def sign_bytes(signer, hash_name: str, data: bytes, pss: bool = False) -> bytes:
    h = {"sha1": hashes.SHA1(), "sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[hash_name]
    if isinstance(signer, ed25519.Ed25519PrivateKey):
        return signer.sign(data)
    if isinstance(signer, ec.EllipticCurvePrivateKey):
        return signer.sign(data, ec.ECDSA(h, deterministic_signing=True))
    pad = padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size) if pss else padding.PKCS1v15()
    return signer.sign(data, pad, h)


def reassemble(tbs: bytes, alg: bytes, signature: bytes) -> bytes:
    return tlv(0x30, tbs + alg + tlv(0x03, b"\x00" + signature))


# -------------------------------------------------------------- specs ----


@dataclass
class CertSpec:
    """One certificate to build; `parent` names the issuing spec (itself for a self-signed one)."""

    name: str
    parent: str
    key: tuple[str, int]
    subject: x509.Name
    serial: int
    not_before: dt.datetime
    not_after: dt.datetime
    exts: dict[str, tuple[x509.ExtensionType, bool]] = field(default_factory=dict)
    hash: str = "sha256"
    pss: bool = False
    issuer_name: Optional[x509.Name] = None  # default: the parent's subject
    signing_key: Optional[tuple[str, int]] = None  # default: the parent's key
    aki_from: Optional[tuple[str, int]] = None  # default: the parent's key
    tbs_edits: list[Callable[[bytes], bytes]] = field(default_factory=list)
    corrupt_signature: bool = False


@dataclass
class CrlSpec:
    issuer: str  # a CertSpec name
    revoked: list[str] = field(default_factory=list)  # CertSpec names
    this_update: Optional[dt.datetime] = None  # default: 30 days before the validation time
    next_update: Optional[dt.datetime] = None  # default: 30 days after it
    number: Optional[int] = 1
    signing_key: Optional[tuple[str, int]] = None
    unknown_critical: bool = False
    idp: Optional[x509.IssuingDistributionPoint] = None


@dataclass
class StoreItem:
    cert: str  # a CertSpec name
    form: str = "pem"  # pem | der | trusted (TRUSTED CERTIFICATE)
    trust: list[str] = field(default_factory=list)  # OpenSSL trust settings: EKU OIDs
    reject: list[str] = field(default_factory=list)


SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH
ANY_EKU = ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE
UNKNOWN_OID = ObjectIdentifier("1.3.6.1.4.1.55555.7.1")


def name(cn: Optional[str], org: str = "hybridtrust differential") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)] if org else []
    if cn is not None:
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def ku(*bits: str, **over) -> x509.KeyUsage:
    args = dict(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    for b in bits:
        args[b] = True
    args.update(over)
    return x509.KeyUsage(**args)


@dataclass
class Ctx:
    """A case under construction: the specs and everything around them."""

    seed: int
    rng: random.Random
    base: str
    usage: str  # server | client
    at: dt.datetime
    host: Optional[str]  # the reference identity (server usage), DNS name or IP text
    specs: dict[str, CertSpec]
    presented: list[str]  # after the leaf, in order
    store: list[StoreItem]
    crls: list[CrlSpec] = field(default_factory=list)
    crl_scope: Optional[str] = None  # None | leaf | chain
    pyca_na: Optional[str] = None  # why the pyca verifier cannot express the case
    hybridtrust_policy: dict = field(default_factory=dict)
    raw_leaf: Optional[bytes] = None
    param: Optional[str] = None  # a randomised mutation's drawn parameter, part of the case id

    def spec(self, n: str) -> CertSpec:
        return self.specs[n]

    def key_for(self, n: str):
        k = self.specs[n].key
        return key(self.seed, *k)

    def serial(self) -> int:
        return self.rng.getrandbits(63) + 1

    @property
    def leaf(self) -> CertSpec:
        return self.specs["leaf"]

    @property
    def int_(self) -> CertSpec:
        return self.specs["int"]

    @property
    def root(self) -> CertSpec:
        return self.specs["root"]


HOSTS = ["callservice.webex.com", "sip.example.net", "exchange.example.com", "device-17.lab.example.org", "a.b.example.com"]

BASES = {
    # base id: (key kind, usage)
    "p256-server": ("p256", "server"),
    "p256-client": ("p256", "client"),
    "rsa2048-server": ("rsa2048", "server"),
    "rsa2048-client": ("rsa2048", "client"),
}


def base_ctx(seed: int, mutation: str, base: str, variant: int = 0) -> Ctx:
    kind, usage = BASES[base]
    rng = random.Random(f"hybridtrust-differential-case:{seed}:{mutation}:{base}:{variant}")
    host = rng.choice(HOSTS)
    # A validation time inside every certificate's validity, at a random second.
    at = day(2026, 3, 1) + dt.timedelta(seconds=rng.randrange(0, 150 * 86400))
    tag = rng.randrange(1000, 9999)
    root = CertSpec(
        "root",
        "root",
        (kind, 0),
        name(f"Differential Root CA {tag}"),
        rng.getrandbits(63) + 1,
        day(2024, 1, 1),
        day(2044, 1, 1),
    )
    root.exts = {
        "bc": (x509.BasicConstraints(ca=True, path_length=None), True),
        "ku": (ku("key_cert_sign", "crl_sign"), True),
        "ski": (x509.SubjectKeyIdentifier.from_public_key(key(seed, kind, 0).public_key()), False),
    }
    inter = CertSpec(
        "int",
        "root",
        (kind, 1),
        name(f"Differential Issuing CA {tag}"),
        rng.getrandbits(63) + 1,
        day(2025, 1, 1),
        day(2035, 1, 1),
    )
    inter.exts = {
        "bc": (x509.BasicConstraints(ca=True, path_length=0), True),
        "ku": (ku("digital_signature", "key_cert_sign", "crl_sign"), True),
        "ski": (x509.SubjectKeyIdentifier.from_public_key(key(seed, kind, 1).public_key()), False),
        "aki": (None, False),  # filled from the parent's key at build time
    }
    leaf = CertSpec(
        "leaf",
        "int",
        (kind, 2),
        name(host),
        rng.getrandbits(63) + 1,
        day(2026, 1, 1),
        day(2026, 12, 31, 23, 59, 59),
    )
    leaf_ku = ku("digital_signature", key_encipherment=kind.startswith("rsa"))
    leaf.exts = {
        "bc": (x509.BasicConstraints(ca=False, path_length=None), True),
        "ku": (leaf_ku, True),
        "eku": (x509.ExtendedKeyUsage([SERVER_AUTH if usage == "server" else CLIENT_AUTH]), False),
        "san": (x509.SubjectAlternativeName([x509.DNSName(host)]), False),
        "ski": (x509.SubjectKeyIdentifier.from_public_key(key(seed, kind, 2).public_key()), False),
        "aki": (None, False),
    }
    return Ctx(
        seed=seed,
        rng=rng,
        base=base,
        usage=usage,
        at=at,
        host=host,
        specs={"root": root, "int": inter, "leaf": leaf},
        presented=["int"],
        store=[StoreItem("root")],
    )


# -------------------------------------------------------------- build ----


@dataclass
class Case:
    """One generated case: what each verifier gets."""

    id: str
    mutation: str
    base: str
    seed: int
    variant: int
    usage: str
    at: dt.datetime
    host: Optional[str]
    leaf: bytes
    presented: list[bytes]
    store: list[tuple[StoreItem, bytes]]  # the item and the certificate's DER
    crls: list[bytes]
    crl_scope: Optional[str]
    pyca_na: Optional[str]
    hybridtrust_policy: dict
    certs: dict[str, bytes]
    description: str = ""

    @property
    def host_is_ip(self) -> bool:
        if self.host is None:
            return False
        try:
            ipaddress.ip_address(self.host)
            return True
        except ValueError:
            return False


def _build_cert(ctx: Ctx, spec: CertSpec, built: dict[str, bytes]) -> bytes:
    parent = ctx.specs[spec.parent]
    subj_key = key(ctx.seed, *spec.key)
    sign_key = key(ctx.seed, *(spec.signing_key or parent.key))
    issuer_name = spec.issuer_name or parent.subject
    b = (
        x509.CertificateBuilder()
        .subject_name(spec.subject)
        .issuer_name(issuer_name)
        .public_key(subj_key.public_key())
        .serial_number(spec.serial)
        .not_valid_before(spec.not_before)
        .not_valid_after(spec.not_after)
    )
    for ext_name, (value, critical) in spec.exts.items():
        if value is None and ext_name == "aki":
            value = x509.AuthorityKeyIdentifier.from_issuer_public_key(key(ctx.seed, *(spec.aki_from or parent.key)).public_key())
        if value is None:
            continue
        b = b.add_extension(value, critical=critical)
    # cryptography no longer signs with SHA-1: sign with SHA-256, then rewrite
    # the algorithm (sha256WithRSAEncryption -> sha1WithRSAEncryption) and re-sign.
    sha1 = spec.hash == "sha1"
    h = {"sha1": hashes.SHA256(), "sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[spec.hash]
    kw: dict = {}
    if isinstance(sign_key, ed25519.Ed25519PrivateKey):
        h = None
    elif isinstance(sign_key, ec.EllipticCurvePrivateKey):
        kw["ecdsa_deterministic"] = True
    elif spec.pss:
        kw["rsa_padding"] = padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size)
    der = b.sign(sign_key, h, **kw).public_bytes(serialization.Encoding.DER)
    if spec.tbs_edits or spec.corrupt_signature or sha1:
        tbs, alg, sig = split_certificate(der)
        if sha1:
            if not isinstance(sign_key, rsa.RSAPrivateKey):
                raise ValueError("SHA-1 signatures are generated for RSA issuers only")
            a, b = bytes.fromhex("2a864886f70d01010b"), bytes.fromhex("2a864886f70d010105")
            i = tbs.index(a)
            tbs = tbs[:i] + b + tbs[i + len(a) :]
            alg = alg.replace(a, b)
        for edit in spec.tbs_edits:
            tbs = edit(tbs)
        signature = sign_bytes(sign_key, spec.hash, tbs, spec.pss)
        if spec.corrupt_signature:
            signature = signature[:-8] + bytes(b ^ 0x5A for b in signature[-8:])
        der = reassemble(tbs, alg, signature)
    return der


def _build_crl(ctx: Ctx, spec: CrlSpec, serials: dict[str, int]) -> bytes:
    issuer = ctx.specs[spec.issuer]
    sign_key = key(ctx.seed, *(spec.signing_key or issuer.key))
    this_update = spec.this_update or ctx.at - dt.timedelta(days=30)
    next_update = spec.next_update or ctx.at + dt.timedelta(days=30)
    b = x509.CertificateRevocationListBuilder().issuer_name(issuer.subject).last_update(this_update).next_update(next_update)
    if spec.number is not None:
        b = b.add_extension(x509.CRLNumber(spec.number), critical=False)
    b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key(ctx.seed, *issuer.key).public_key()), critical=False)
    if spec.idp is not None:
        b = b.add_extension(spec.idp, critical=True)
    if spec.unknown_critical:
        b = b.add_extension(x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.55555.9"), b"\x05\x00"), critical=True)
    for r in spec.revoked:
        b = b.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serials[r]).revocation_date(day(2026, 2, 1)).build()
        )
    h = None if isinstance(sign_key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    kw = {"ecdsa_deterministic": True} if isinstance(sign_key, ec.EllipticCurvePrivateKey) else {}
    return b.sign(sign_key, h, **kw).public_bytes(serialization.Encoding.DER)


def build(ctx: Ctx, mutation: str, description: str, variant: int = 0) -> Case:
    built: dict[str, bytes] = {}
    pending = dict(ctx.specs)
    while pending:
        progressed = False
        for n, spec in list(pending.items()):
            if spec.parent == n or spec.parent in built:
                built[n] = _build_cert(ctx, spec, built)
                del pending[n]
                progressed = True
        if not progressed:
            raise ValueError(f"cyclic specs: {sorted(pending)}")
    leaf = ctx.raw_leaf if ctx.raw_leaf is not None else built["leaf"]
    serials = {n: s.serial for n, s in ctx.specs.items()}
    return Case(
        id=f"{mutation}{'=' + ctx.param if ctx.param else ''}/{ctx.base}#{variant}",
        mutation=mutation,
        base=ctx.base,
        seed=ctx.seed,
        variant=variant,
        usage=ctx.usage,
        at=ctx.at,
        host=ctx.host if ctx.usage == "server" else None,
        leaf=leaf,
        presented=[built[n] for n in ctx.presented],
        store=[(item, built[item.cert]) for item in ctx.store],
        crls=[_build_crl(ctx, c, serials) for c in ctx.crls],
        crl_scope=ctx.crl_scope,
        pyca_na=ctx.pyca_na,
        hybridtrust_policy=dict(ctx.hybridtrust_policy),
        certs=built,
        description=description,
    )


# ------------------------------------------------ trust-store encodings ----


def trusted_certificate_pem(cert_der: bytes, trust: list[str], reject: list[str]) -> str:
    """OpenSSL's `TRUSTED CERTIFICATE`: the certificate followed by X509_CERT_AUX
    (trust SEQUENCE OF OID, reject [0] IMPLICIT SEQUENCE OF OID), as
    `openssl x509 -addtrust/-addreject` writes it."""
    aux = b""
    if trust:
        aux += tlv(0x30, b"".join(oid_der(o) for o in trust))
    if reject:
        aux += tlv(0xA0, b"".join(oid_der(o) for o in reject))
    body = cert_der + tlv(0x30, aux)
    import base64

    b64 = base64.encodebytes(body).decode().replace("\n", "")
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return "-----BEGIN TRUSTED CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END TRUSTED CERTIFICATE-----\n"


def pem(der: bytes, label: str = "CERTIFICATE") -> str:
    import base64

    b64 = base64.encodebytes(der).decode().replace("\n", "")
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()[:16]
