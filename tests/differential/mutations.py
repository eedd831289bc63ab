"""The mutation catalog: each entry changes one thing of a valid base chain.

A mutation is `id -> (description, apply(ctx), bases)`; `bases` limits it to
some of gen.BASES (None: all). Ids are stable: they key the deviation table.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import replace
from typing import Callable, Optional

from cryptography import x509
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID, ObjectIdentifier

from gen import (
    ANY_EKU,
    CLIENT_AUTH,
    SERVER_AUTH,
    UNKNOWN_OID,
    CertSpec,
    CrlSpec,
    Ctx,
    StoreItem,
    day,
    der_len,
    key,
    ku,
    name,
    oid_der,
    read_tlv,
    tlv,
)

Mutation = tuple[str, Callable[[Ctx], None], Optional[tuple[str, ...]]]
MUTATIONS: dict[str, Mutation] = {}

SERVER = ("p256-server", "rsa2048-server")
CLIENT = ("p256-client", "rsa2048-client")
P256 = ("p256-server", "p256-client")
RSA = ("rsa2048-server", "rsa2048-client")


def mutation(mid: str, description: str, bases: Optional[tuple[str, ...]] = None):
    def deco(fn: Callable[[Ctx], None]):
        if mid in MUTATIONS:
            raise ValueError(f"duplicate mutation id {mid}")
        MUTATIONS[mid] = (description, fn, bases)
        return fn

    return deco


def simple(mid: str, description: str, fn: Callable[[Ctx], None], bases=None) -> None:
    mutation(mid, description, bases)(fn)


def set_ext(spec: CertSpec, ext: str, value, critical: Optional[bool] = None) -> None:
    old = spec.exts.get(ext)
    spec.exts[ext] = (value, old[1] if (critical is None and old) else bool(critical))


def crit(spec: CertSpec, ext: str, critical: bool) -> None:
    value, _ = spec.exts[ext]
    spec.exts[ext] = (value, critical)


def drop(spec: CertSpec, ext: str) -> None:
    spec.exts.pop(ext, None)


def raw(oid: str, body: bytes) -> x509.UnrecognizedExtension:
    return x509.UnrecognizedExtension(ObjectIdentifier(oid), body)


def san(ctx: Ctx, names: list[x509.GeneralName], critical: bool = False) -> None:
    set_ext(ctx.leaf, "san", x509.SubjectAlternativeName(names), critical)


def leaf_eku(ctx: Ctx, oids: list[ObjectIdentifier], critical: bool = False) -> None:
    set_ext(ctx.leaf, "eku", x509.ExtendedKeyUsage(oids), critical)


def own_usage(ctx: Ctx) -> ObjectIdentifier:
    return SERVER_AUTH if ctx.usage == "server" else CLIENT_AUTH


def other_usage(ctx: Ctx) -> ObjectIdentifier:
    return CLIENT_AUTH if ctx.usage == "server" else SERVER_AUTH


def add_int2(ctx: Ctx, path_len: Optional[int] = None) -> None:
    """root -> int2 -> int -> leaf (int2 is the upper intermediate)."""
    kind = ctx.root.key[0]
    int2 = CertSpec(
        "int2",
        "root",
        (kind, 3),
        name(f"Differential Policy CA {ctx.rng.randrange(1000, 9999)}"),
        ctx.serial(),
        day(2025, 1, 1),
        day(2036, 1, 1),
    )
    int2.exts = {
        "bc": (x509.BasicConstraints(ca=True, path_length=path_len), True),
        "ku": (ku("key_cert_sign", "crl_sign"), True),
        "ski": (x509.SubjectKeyIdentifier.from_public_key(key(ctx.seed, kind, 3).public_key()), False),
        "aki": (None, False),
    }
    ctx.specs["int2"] = int2
    ctx.int_.parent = "int2"
    ctx.presented = ["int", "int2"]


def rekey(ctx: Ctx, spec_name: str, kind: str, index: int) -> None:
    spec = ctx.specs[spec_name]
    spec.key = (kind, index)
    if "ski" in spec.exts:
        spec.exts["ski"] = (x509.SubjectKeyIdentifier.from_public_key(key(ctx.seed, kind, index).public_key()), spec.exts["ski"][1])
    if spec_name == "leaf" and "ku" in spec.exts:
        spec.exts["ku"] = (ku("digital_signature", key_encipherment=kind.startswith("rsa")), True)


def ca_ku(*extra: str, **over) -> x509.KeyUsage:
    return ku("key_cert_sign", "crl_sign", *extra, **over)


# --------------------------------------------------------------- valid ----

simple("valid", "the base chain, unchanged", lambda c: None)

# ------------------------------------------------------ basicConstraints ----

simple("leaf.bc.absent", "leaf without basicConstraints", lambda c: drop(c.leaf, "bc"))
simple("leaf.bc.noncritical", "leaf basicConstraints cA=FALSE, not critical", lambda c: crit(c.leaf, "bc", False))
simple("leaf.bc.ca-true", "leaf with cA=TRUE (a CA used as end entity)", lambda c: set_ext(c.leaf, "bc", x509.BasicConstraints(True, None)))
simple(
    "leaf.bc.pathlen-without-ca",
    "leaf basicConstraints cA=FALSE with pathLenConstraint 0 (RFC 5280 4.2.1.9: MUST NOT)",
    lambda c: set_ext(c.leaf, "bc", raw("2.5.29.19", bytes.fromhex("3003020100")), True),
)
simple("int.bc.absent", "intermediate without basicConstraints", lambda c: drop(c.int_, "bc"))
simple("int.bc.noncritical", "intermediate basicConstraints not critical (RFC 5280 4.2.1.9: MUST be critical)", lambda c: crit(c.int_, "bc", False))
simple("int.bc.ca-false", "intermediate with cA=FALSE", lambda c: set_ext(c.int_, "bc", x509.BasicConstraints(False, None)))
simple("int.bc.no-pathlen", "intermediate without pathLenConstraint", lambda c: set_ext(c.int_, "bc", x509.BasicConstraints(True, None)))
simple("root.bc.noncritical", "trust anchor basicConstraints not critical", lambda c: crit(c.root, "bc", False))
simple("root.bc.absent", "v3 trust anchor without basicConstraints", lambda c: drop(c.root, "bc"))
simple("root.bc.ca-false", "trust anchor with cA=FALSE", lambda c: set_ext(c.root, "bc", x509.BasicConstraints(False, None)))

# ------------------------------------------------------------- pathLen ----

simple("pathlen.root-0", "trust anchor pathLen 0 above an intermediate (RFC 5280 6.1.4 (m) on the anchor's own constraint)",
       lambda c: set_ext(c.root, "bc", x509.BasicConstraints(True, 0)))
simple("pathlen.two-ints-upper-0", "root -> int2 (pathLen 0) -> int -> leaf", lambda c: add_int2(c, 0))
simple("pathlen.two-ints-upper-1", "root -> int2 (pathLen 1) -> int -> leaf", lambda c: add_int2(c, 1))
simple("pathlen.two-ints-upper-none", "root -> int2 (no pathLen) -> int -> leaf", lambda c: add_int2(c, None))


def _root_pathlen_0_with_two(c: Ctx) -> None:
    add_int2(c, None)
    set_ext(c.root, "bc", x509.BasicConstraints(True, 1))


simple("pathlen.root-1-two-ints", "trust anchor pathLen 1 above two intermediates", _root_pathlen_0_with_two)

# ------------------------------------------------------------ keyUsage ----

simple("leaf.ku.absent", "leaf without keyUsage", lambda c: drop(c.leaf, "ku"))
simple("leaf.ku.noncritical", "leaf keyUsage not critical", lambda c: crit(c.leaf, "ku", False))
simple("leaf.ku.key-cert-sign", "leaf (cA=FALSE) asserting keyCertSign (RFC 5280 4.2.1.3: MUST NOT)",
       lambda c: set_ext(c.leaf, "ku", ku("digital_signature", "key_cert_sign")))
simple("leaf.ku.content-commitment-only", "leaf keyUsage contentCommitment only", lambda c: set_ext(c.leaf, "ku", ku("content_commitment")))
simple("leaf.ku.key-encipherment-only", "leaf keyUsage keyEncipherment only", lambda c: set_ext(c.leaf, "ku", ku("key_encipherment")))
simple("leaf.ku.key-agreement-only", "leaf keyUsage keyAgreement only", lambda c: set_ext(c.leaf, "ku", ku("key_agreement")))
simple("leaf.ku.crl-sign", "leaf keyUsage digitalSignature + cRLSign", lambda c: set_ext(c.leaf, "ku", ku("digital_signature", "crl_sign")))
simple("leaf.ku.empty", "leaf keyUsage with no bit set (RFC 5280 4.2.1.3: at least one bit MUST be set)",
       lambda c: set_ext(c.leaf, "ku", raw("2.5.29.15", bytes.fromhex("030100")), True))
simple("int.ku.absent", "intermediate without keyUsage (RFC 5280 4.2.1.3: MUST be present in CA certificates)", lambda c: drop(c.int_, "ku"))
simple("int.ku.noncritical", "intermediate keyUsage not critical", lambda c: crit(c.int_, "ku", False))
simple("int.ku.no-key-cert-sign", "intermediate keyUsage without keyCertSign", lambda c: set_ext(c.int_, "ku", ku("digital_signature", "crl_sign")))
simple("int.ku.cert-sign-only", "intermediate keyUsage keyCertSign only", lambda c: set_ext(c.int_, "ku", ku("key_cert_sign")))
simple("root.ku.no-key-cert-sign", "trust anchor keyUsage without keyCertSign", lambda c: set_ext(c.root, "ku", ku("digital_signature", "crl_sign")))
simple("root.ku.absent", "trust anchor without keyUsage", lambda c: drop(c.root, "ku"))

# ----------------------------------------------------------------- EKU ----

simple("leaf.eku.absent", "leaf without extendedKeyUsage", lambda c: drop(c.leaf, "eku"))
simple("leaf.eku.critical", "leaf extendedKeyUsage critical", lambda c: crit(c.leaf, "eku", True))
simple("leaf.eku.other-usage-only", "leaf EKU lists only the other TLS usage", lambda c: leaf_eku(c, [other_usage(c)]))
simple("leaf.eku.both", "leaf EKU serverAuth + clientAuth", lambda c: leaf_eku(c, [SERVER_AUTH, CLIENT_AUTH]))
simple("leaf.eku.any-only", "leaf EKU anyExtendedKeyUsage only", lambda c: leaf_eku(c, [ANY_EKU]))
simple("leaf.eku.usage-plus-any", "leaf EKU own usage + anyExtendedKeyUsage", lambda c: leaf_eku(c, [own_usage(c), ANY_EKU]))
simple("leaf.eku.usage-plus-unknown", "leaf EKU own usage + a private OID", lambda c: leaf_eku(c, [own_usage(c), UNKNOWN_OID]))
simple("leaf.eku.unknown-only", "leaf EKU a private OID only", lambda c: leaf_eku(c, [UNKNOWN_OID]))
simple("leaf.eku.code-signing", "leaf EKU codeSigning only", lambda c: leaf_eku(c, [x509.oid.ExtendedKeyUsageOID.CODE_SIGNING]))
simple("leaf.eku.server-only-for-client", "client leaf EKU serverAuth only (the clientAuth sunset)",
       lambda c: leaf_eku(c, [SERVER_AUTH]), CLIENT)
simple("int.eku.other-usage-only", "intermediate EKU lists only the other TLS usage",
       lambda c: set_ext(c.int_, "eku", x509.ExtendedKeyUsage([other_usage(c)]), False))
simple("int.eku.own-usage", "intermediate EKU lists the own usage", lambda c: set_ext(c.int_, "eku", x509.ExtendedKeyUsage([own_usage(c)]), False))
simple("int.eku.any", "intermediate EKU anyExtendedKeyUsage", lambda c: set_ext(c.int_, "eku", x509.ExtendedKeyUsage([ANY_EKU]), False))
simple("root.eku.other-usage-only", "trust anchor EKU lists only the other TLS usage",
       lambda c: set_ext(c.root, "eku", x509.ExtendedKeyUsage([other_usage(c)]), False))

# ------------------------------------------------------------- SKI/AKI ----

simple("leaf.ski.absent", "leaf without subjectKeyIdentifier", lambda c: drop(c.leaf, "ski"))
simple("leaf.ski.critical", "leaf subjectKeyIdentifier critical (RFC 5280 4.2.1.2: MUST NOT)", lambda c: crit(c.leaf, "ski", True))
simple("int.ski.absent", "intermediate without subjectKeyIdentifier (RFC 5280 4.2.1.2: MUST appear in CA certificates)", lambda c: drop(c.int_, "ski"))
simple("int.ski.critical", "intermediate subjectKeyIdentifier critical", lambda c: crit(c.int_, "ski", True))
simple("root.ski.absent", "trust anchor without subjectKeyIdentifier", lambda c: drop(c.root, "ski"))
simple("leaf.aki.absent", "leaf without authorityKeyIdentifier (RFC 5280 4.2.1.1: MUST)", lambda c: drop(c.leaf, "aki"))
simple("leaf.aki.critical", "leaf authorityKeyIdentifier critical (RFC 5280 4.2.1.1: MUST NOT)", lambda c: crit(c.leaf, "aki", True))
simple("int.aki.absent", "intermediate without authorityKeyIdentifier", lambda c: drop(c.int_, "aki"))
simple("int.aki.critical", "intermediate authorityKeyIdentifier critical", lambda c: crit(c.int_, "aki", True))


def _wrong_aki(c: Ctx) -> None:
    c.leaf.aki_from = (c.leaf.key[0], 9)


simple("leaf.aki.wrong-keyid", "leaf AKI keyIdentifier names another key than the issuer's SKI", _wrong_aki)


def _aki_issuer_serial(c: Ctx) -> None:
    set_ext(
        c.leaf,
        "aki",
        x509.AuthorityKeyIdentifier(None, [x509.DirectoryName(c.root.subject)], c.int_.serial),
    )


simple("leaf.aki.issuer-serial-only", "leaf AKI with authorityCertIssuer/serial but no keyIdentifier", _aki_issuer_serial)
simple("root.aki.self", "trust anchor with an AKI naming its own key", lambda c: set_ext(c.root, "aki", None, False))

# ----------------------------------------------------------- SAN forms ----


def _cn_only(c: Ctx) -> None:
    drop(c.leaf, "san")


simple("name.cn-only", "leaf without SAN; the name only in the CN", _cn_only)
simple("name.san-critical", "leaf SAN critical with a non-empty subject", lambda c: crit(c.leaf, "san", True))


def _empty_subject(critical: bool):
    def f(c: Ctx) -> None:
        c.leaf.subject = x509.Name([])
        crit(c.leaf, "san", critical)

    return f


simple("name.empty-subject-san-critical", "leaf with an empty subject and a critical SAN", _empty_subject(True))
simple("name.empty-subject-san-noncritical", "leaf with an empty subject and a non-critical SAN (RFC 5280 4.2.1.6: MUST be critical)", _empty_subject(False))


def _empty_san(c: Ctx) -> None:
    set_ext(c.leaf, "san", raw("2.5.29.17", b"\x30\x00"), False)


simple("name.san-empty-sequence", "leaf SAN with no names (RFC 5280 4.2.1.6: at least one entry)", _empty_san)
simple("name.san-mismatch", "leaf SAN names another host", lambda c: san(c, [x509.DNSName("other.example.com")]), SERVER)
simple("name.san-second", "the host is the second SAN", lambda c: san(c, [x509.DNSName("first.example.com"), x509.DNSName(c.host)]), SERVER)
simple("name.san-upper", "leaf SAN in upper case", lambda c: san(c, [x509.DNSName(c.host.upper())]), SERVER)


def _host_upper(c: Ctx) -> None:
    c.host = c.host.upper()


simple("name.reference-upper", "the reference name in upper case", _host_upper, SERVER)


def _ip(ip: str, in_san: str = "ip"):
    def f(c: Ctx) -> None:
        c.host = ip
        # The CN repeats the SAN (CA/B BR 7.1.4.3), so only the name rule differs.
        c.leaf.subject = name(ip)
        if in_san == "ip":
            san(c, [x509.IPAddress(ipaddress.ip_address(ip))])
        elif in_san == "dns":
            # An IP address written as a DNS name (RFC 6125 6.2.1: not a match).
            set_ext(c.leaf, "san", raw("2.5.29.17", tlv(0x30, tlv(0x82, ip.encode()))), False)
        elif in_san == "cn":
            drop(c.leaf, "san")
        elif in_san == "other":
            c.leaf.subject = name("192.0.2.99")
            san(c, [x509.IPAddress(ipaddress.ip_address("192.0.2.99"))])

    return f


simple("name.ip-san", "IPv4 reference, IP SAN", _ip("192.0.2.10"), SERVER)
simple("name.ipv6-san", "IPv6 reference, IP SAN", _ip("2001:db8::10"), SERVER)
simple("name.ip-as-dns-san", "IPv4 reference, the address as a DNS SAN", _ip("192.0.2.10", "dns"), SERVER)
simple("name.ip-in-cn-only", "IPv4 reference, the address only in the CN", _ip("192.0.2.10", "cn"), SERVER)
simple("name.ip-mismatch", "IPv4 reference, another IP SAN", _ip("192.0.2.10", "other"), SERVER)
simple("name.uri-san-only", "leaf SAN with only a URI naming the host", lambda c: san(c, [x509.UniformResourceIdentifier(f"sip:{c.host}")]), SERVER)
simple("name.uri-san-and-cn", "URI SAN only, the host in the CN", lambda c: san(c, [x509.UniformResourceIdentifier(f"https://{c.host}/")]), SERVER)
simple("name.email-san-only", "leaf SAN with only an rfc822Name", lambda c: san(c, [x509.RFC822Name(f"admin@{c.host}")]), SERVER)
simple("name.cn-not-in-san", "DNS SAN the host, CN another name (CA/B BR 7.1.4.3)",
       lambda c: setattr(c.leaf, "subject", name("other-name.example.com")), SERVER)
simple("name.dns-and-uri", "DNS SAN plus a URI SAN", lambda c: san(c, [x509.DNSName(c.host), x509.UniformResourceIdentifier(f"sip:{c.host}")]), SERVER)


def _wild(pattern: str, host: str):
    def f(c: Ctx) -> None:
        c.host = host
        c.leaf.subject = name(pattern)
        san(c, [x509.DNSName(pattern)])

    return f


simple("name.wildcard", "*.example.com for a.example.com", _wild("*.example.com", "a.example.com"), SERVER)
simple("name.wildcard-apex", "*.example.com for example.com", _wild("*.example.com", "example.com"), SERVER)
simple("name.wildcard-two-labels", "*.example.com for a.b.example.com", _wild("*.example.com", "a.b.example.com"), SERVER)
simple("name.wildcard-partial", "f*.example.com for foo.example.com", _wild("f*.example.com", "foo.example.com"), SERVER)
simple("name.wildcard-suffix", "*o.example.com for foo.example.com", _wild("*o.example.com", "foo.example.com"), SERVER)
simple("name.wildcard-tld", "*.com for example.com", _wild("*.com", "example.com"), SERVER)
simple("name.wildcard-double", "*.*.example.com for a.b.example.com", _wild("*.*.example.com", "a.b.example.com"), SERVER)
simple("name.wildcard-not-leftmost", "a.*.example.com for a.b.example.com", _wild("a.*.example.com", "a.b.example.com"), SERVER)
simple("name.wildcard-public-suffix", "*.co.uk for example.co.uk (CA/B BR 3.2.2.6)", _wild("*.co.uk", "example.co.uk"), SERVER)
simple("name.wildcard-idn", "*.example.com for xn--bcher-kva.example.com", _wild("*.example.com", "xn--bcher-kva.example.com"), SERVER)
simple("name.wildcard-on-alabel", "xn--*.example.com for xn--bcher-kva.example.com", _wild("xn--*.example.com", "xn--bcher-kva.example.com"), SERVER)


def _trailing_san(c: Ctx) -> None:
    set_ext(c.leaf, "san", raw("2.5.29.17", tlv(0x30, tlv(0x82, (c.host + ".").encode()))), False)


def _trailing_ref(c: Ctx) -> None:
    c.host = c.host + "."


simple("name.trailing-dot-san", "SAN with a trailing dot, reference without", _trailing_san, SERVER)
simple("name.trailing-dot-reference", "reference with a trailing dot, SAN without", _trailing_ref, SERVER)


def _raw_dns(value: bytes, host: str):
    def f(c: Ctx) -> None:
        c.host = host
        # An ASCII SAN is repeated in the CN (CA/B BR 7.1.4.3); others are not.
        c.leaf.subject = name(value.decode() if value.isascii() else "raw-name")
        set_ext(c.leaf, "san", raw("2.5.29.17", tlv(0x30, tlv(0x82, value))), False)

    return f


simple("name.san-utf8-ulabel", "DNS SAN with raw UTF-8 'bücher.example.com', reference its A-label",
       _raw_dns("bücher.example.com".encode(), "xn--bcher-kva.example.com"), SERVER)
simple("name.san-alabel-ref-ulabel", "DNS SAN A-label, reference the U-label 'bücher.example.com'",
       _raw_dns(b"xn--bcher-kva.example.com", "bücher.example.com"), SERVER)
simple("name.san-alabel", "DNS SAN A-label and the same reference", _raw_dns(b"xn--bcher-kva.example.com", "xn--bcher-kva.example.com"), SERVER)
simple("name.san-fullwidth-ref", "reference with a fullwidth dot 'a.example.com' (U+FF0E)",
       lambda c: setattr(c, "host", c.host.replace(".", "\uff0e", 1)), SERVER)
simple("name.san-nul", "DNS SAN with an embedded NUL ('host\\0.evil.com')",
       lambda c: set_ext(c.leaf, "san", raw("2.5.29.17", tlv(0x30, tlv(0x82, c.host.encode() + b"\x00.evil.com"))), False), SERVER)
simple("name.san-space", "DNS SAN ' host' with a leading space",
       lambda c: set_ext(c.leaf, "san", raw("2.5.29.17", tlv(0x30, tlv(0x82, b" " + c.host.encode()))), False), SERVER)
simple("name.san-underscore", "DNS SAN and reference with an underscore label", _wild("_sip.example.com", "_sip.example.com"), SERVER)
simple("name.cn-non-ascii", "no SAN, CN 'bücher.example.com', reference its A-label",
       lambda c: (drop(c.leaf, "san"), setattr(c.leaf, "subject", name("bücher.example.com")), setattr(c, "host", "xn--bcher-kva.example.com")), SERVER)

# ---------------------------------------------------- name constraints ----


def nc(spec: CertSpec, permitted=None, excluded=None, critical: bool = True) -> None:
    set_ext(spec, "nc", x509.NameConstraints(permitted_subtrees=permitted, excluded_subtrees=excluded), critical)


def _host_under(c: Ctx, host: str) -> None:
    c.host = host
    c.leaf.subject = name(host)
    san(c, [x509.DNSName(host)])


def _nc_case(where: str, permitted=None, excluded=None, host: str = "a.example.com", critical: bool = True):
    def f(c: Ctx) -> None:
        _host_under(c, host)
        nc(c.specs[where], permitted, excluded, critical)

    return f


D = x509.DNSName
simple("nc.permitted-match", "int permits example.com; a.example.com", _nc_case("int", [D("example.com")]), SERVER)
simple("nc.permitted-other", "int permits example.org; a.example.com", _nc_case("int", [D("example.org")]), SERVER)
simple("nc.permitted-suffix-not-label", "int permits ample.com; a.example.com", _nc_case("int", [D("ample.com")]), SERVER)
simple("nc.excluded-match", "int excludes example.com; a.example.com", _nc_case("int", None, [D("example.com")]), SERVER)
simple("nc.excluded-other", "int excludes example.org; a.example.com", _nc_case("int", None, [D("example.org")]), SERVER)
simple("nc.permitted-leading-dot", "int permits .example.com; a.example.com", _nc_case("int", [D(".example.com")]), SERVER)
simple("nc.permitted-leading-dot-apex", "int permits .example.com; example.com", _nc_case("int", [D(".example.com")], host="example.com"), SERVER)
simple("nc.excluded-leading-dot-apex", "int excludes .example.com; example.com", _nc_case("int", None, [D(".example.com")], host="example.com"), SERVER)
simple("nc.noncritical", "int permits example.com, not critical (RFC 5280 4.2.1.10: MUST be critical)",
       _nc_case("int", [D("example.com")], critical=False), SERVER)
simple("nc.noncritical-violated", "int permits example.org, not critical; a.example.com",
       _nc_case("int", [D("example.org")], critical=False), SERVER)
simple("nc.root-permitted-other", "trust anchor permits example.org; a.example.com", _nc_case("root", [D("example.org")]), SERVER)
simple("nc.root-excluded-match", "trust anchor excludes example.com; a.example.com", _nc_case("root", None, [D("example.com")]), SERVER)
simple("nc.root-permitted-match", "trust anchor permits example.com; a.example.com", _nc_case("root", [D("example.com")]), SERVER)


def _nc_ip(net: str, ip: str):
    def f(c: Ctx) -> None:
        c.host = ip
        c.leaf.subject = name(ip)
        san(c, [x509.IPAddress(ipaddress.ip_address(ip))])
        nc(c.int_, [x509.IPAddress(ipaddress.ip_network(net))])

    return f


simple("nc.ip-permitted-match", "int permits 192.0.2.0/24; 192.0.2.10", _nc_ip("192.0.2.0/24", "192.0.2.10"), SERVER)
simple("nc.ip-permitted-other", "int permits 198.51.100.0/24; 192.0.2.10", _nc_ip("198.51.100.0/24", "192.0.2.10"), SERVER)


def _nc_cn_only(c: Ctx) -> None:
    _host_under(c, "a.example.com")
    drop(c.leaf, "san")
    nc(c.int_, [D("example.org")])


simple("nc.cn-only-outside", "int permits example.org; leaf CN a.example.com, no SAN", _nc_cn_only, SERVER)


def _nc_second_san(c: Ctx) -> None:
    _host_under(c, "a.example.com")
    san(c, [D("a.example.com"), D("evil.example.net")])
    nc(c.int_, [D("example.com")])


simple("nc.second-san-outside", "int permits example.com; SANs a.example.com and evil.example.net", _nc_second_san, SERVER)


def _nc_dirname(c: Ctx) -> None:
    nc(c.int_, [x509.DirectoryName(name(None, "other organisation"))])


simple("nc.dirname-permitted-other", "int permits directoryName O=other organisation; the leaf's subject is outside", _nc_dirname)


def _nc_uri(c: Ctx) -> None:
    san(c, [D(c.host), x509.UniformResourceIdentifier(f"https://{c.host}/")])
    nc(c.int_, [D(c.host)], [x509.UniformResourceIdentifier(c.host)])


simple("nc.uri-excluded", "int excludes URI host = the leaf's URI SAN host (DNS permitted)", _nc_uri, SERVER)


def _nc_empty(c: Ctx) -> None:
    # NameConstraints ::= SEQUENCE {} (RFC 5280 4.2.1.10: MUST NOT be empty)
    set_ext(c.int_, "nc", raw("2.5.29.30", b"\x30\x00"), True)


simple("nc.empty", "int with an empty nameConstraints SEQUENCE", _nc_empty)

# --------------------------------------------------- policy extensions ----


def _policy_constraints(require: Optional[int], inhibit: Optional[int], critical: bool = True, with_policy: bool = False):
    def f(c: Ctx) -> None:
        set_ext(c.int_, "pc", x509.PolicyConstraints(require_explicit_policy=require, inhibit_policy_mapping=inhibit), critical)
        if with_policy:
            pol = x509.CertificatePolicies([x509.PolicyInformation(ObjectIdentifier("2.23.140.1.2.1"), None)])
            set_ext(c.int_, "cp", pol, False)
            set_ext(c.leaf, "cp", pol, False)

    return f


simple("pc.require-explicit-no-policies", "int requireExplicitPolicy 0, no certificatePolicies anywhere (RFC 5280 6.1.5 (g): the path fails)",
       _policy_constraints(0, None))
simple("pc.require-explicit-with-policies", "int requireExplicitPolicy 0, int and leaf assert one policy", _policy_constraints(0, None, with_policy=True))
simple("pc.inhibit-mapping", "int inhibitPolicyMapping 0", _policy_constraints(None, 0))
simple("pc.noncritical", "int policyConstraints not critical (RFC 5280 4.2.1.11: MUST be critical)", _policy_constraints(None, 0, critical=False))
simple("pc.empty", "int policyConstraints with neither field (RFC 5280 4.2.1.11: MUST NOT be empty)",
       lambda c: set_ext(c.int_, "pc", raw("2.5.29.36", b"\x30\x00"), True))
simple("cp.leaf-critical", "leaf certificatePolicies critical",
       lambda c: set_ext(c.leaf, "cp", x509.CertificatePolicies([x509.PolicyInformation(ObjectIdentifier("2.23.140.1.2.1"), None)]), True))
simple("cp.leaf", "leaf certificatePolicies (DV), not critical",
       lambda c: set_ext(c.leaf, "cp", x509.CertificatePolicies([x509.PolicyInformation(ObjectIdentifier("2.23.140.1.2.1"), None)]), False))
simple("ianyp.int", "int inhibitAnyPolicy 0, critical", lambda c: set_ext(c.int_, "iap", x509.InhibitAnyPolicy(0), True))
simple("pm.int", "int policyMappings, critical",
       lambda c: set_ext(c.int_, "pm", raw("2.5.29.33", tlv(0x30, tlv(0x30, oid_der("2.23.140.1.2.1") + oid_der("1.3.6.1.4.1.55555.3")))), True))

# ------------------------------------------------------------------ AIA ----


def _aia(critical: bool, form: str = "ok"):
    def f(c: Ctx) -> None:
        if form == "ok":
            v = x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier("http://ca.example.com/int.cer")),
                    x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier("http://ocsp.example.com")),
                ]
            )
        else:  # an empty SEQUENCE OF AccessDescription (RFC 5280: SIZE (1..MAX))
            v = raw("1.3.6.1.5.5.7.1.1", b"\x30\x00")
        set_ext(c.leaf, "aia", v, critical)

    return f


simple("aia.leaf", "leaf AIA (caIssuers + OCSP)", _aia(False))
simple("aia.leaf-critical", "leaf AIA critical (RFC 5280 4.2.2.1: MUST be non-critical)", _aia(True))
simple("aia.leaf-empty", "leaf AIA with no access description", _aia(False, "empty"))
simple("crldp.leaf", "leaf cRLDistributionPoints",
       lambda c: set_ext(c.leaf, "crldp", x509.CRLDistributionPoints([x509.DistributionPoint([x509.UniformResourceIdentifier("http://crl.example.com/i.crl")], None, None, None)]), False))

# -------------------------------------------------- unknown extensions ----

for who in ("leaf", "int", "root"):
    simple(f"{who}.unknown-critical", f"{who} with an unknown critical extension",
           (lambda w: lambda c: set_ext(c.specs[w], "unk", raw("1.3.6.1.4.1.55555.1", b"\x05\x00"), True))(who))
    simple(f"{who}.unknown-noncritical", f"{who} with an unknown non-critical extension",
           (lambda w: lambda c: set_ext(c.specs[w], "unk", raw("1.3.6.1.4.1.55555.1", b"\x05\x00"), False))(who))


def _duplicate_ext(c: Ctx) -> None:
    # Two unknown extensions whose OIDs differ in the last byte, then the
    # second rewritten to the first: the same extension twice (RFC 5280 4.2: MUST NOT).
    set_ext(c.leaf, "unk", raw("1.3.6.1.4.1.55555.1", b"\x05\x00"), False)
    set_ext(c.leaf, "unk2", raw("1.3.6.1.4.1.55555.2", b"\x05\x00"), False)
    a, b = oid_der("1.3.6.1.4.1.55555.1"), oid_der("1.3.6.1.4.1.55555.2")
    c.leaf.tbs_edits.append(lambda tbs: tbs.replace(b, a))


simple("leaf.duplicate-extension", "leaf with the same extension twice", _duplicate_ext)


def _dup_san(c: Ctx) -> None:
    # A second SAN under the private OID 2.5.29.99 (as long as 2.5.29.17), then
    # renamed in place: two subjectAltName extensions (RFC 5280 4.2: MUST NOT).
    evil = x509.SubjectAlternativeName([x509.DNSName("evil.example.net")]).public_bytes()
    c.leaf.exts["san2"] = (raw("2.5.29.99", evil), False)
    placeholder, san_oid = oid_der("2.5.29.99"), oid_der("2.5.29.17")
    c.leaf.tbs_edits.append(lambda tbs: tbs.replace(placeholder, san_oid))


simple("leaf.duplicate-san", "leaf with two SAN extensions (the second names another host)", _dup_san, SERVER)

# ------------------------------------------------------------ validity ----


def _at(fn):
    def f(c: Ctx) -> None:
        c.at = fn(c)

    return f


S = dt.timedelta(seconds=1)
simple("time.leaf-expired", "validation after the leaf's notAfter", _at(lambda c: c.leaf.not_after + dt.timedelta(days=3)))
simple("time.leaf-not-yet-valid", "validation before the leaf's notBefore", _at(lambda c: c.leaf.not_before - dt.timedelta(days=3)))
simple("time.at-not-after", "validation exactly at the leaf's notAfter (RFC 5280 4.1.2.5: inclusive)", _at(lambda c: c.leaf.not_after))
simple("time.after-not-after", "validation one second after the leaf's notAfter", _at(lambda c: c.leaf.not_after + S))
simple("time.at-not-before", "validation exactly at the leaf's notBefore", _at(lambda c: c.leaf.not_before))
simple("time.before-not-before", "validation one second before the leaf's notBefore", _at(lambda c: c.leaf.not_before - S))


def _inverted(c: Ctx) -> None:
    # cryptography refuses to build it: build 2026-01-01..2026-12-01 and swap the two times.
    c.leaf.not_before, c.leaf.not_after = day(2026, 1, 1), day(2026, 12, 1)
    c.at = day(2026, 6, 1)
    nb, na = b"\x17\x0d260101000000Z", b"\x17\x0d261201000000Z"
    c.leaf.tbs_edits.append(lambda tbs: tbs.replace(nb + na, na + nb))


simple("time.leaf-inverted", "leaf notBefore after notAfter", _inverted)


def _int_expired(c: Ctx) -> None:
    c.int_.not_after = day(2026, 1, 15)
    c.at = day(2026, 3, 1)


simple("time.int-expired", "intermediate expired", _int_expired)


def _int_future(c: Ctx) -> None:
    c.int_.not_before = day(2026, 9, 1)
    c.at = day(2026, 6, 1)


simple("time.int-not-yet-valid", "intermediate not yet valid", _int_future)


def _root_expired(c: Ctx) -> None:
    c.root.not_after = day(2026, 1, 15)
    c.at = day(2026, 3, 1)


simple("time.root-expired", "trust anchor expired", _root_expired)


def _root_future(c: Ctx) -> None:
    c.root.not_before = day(2026, 9, 1)
    c.at = day(2026, 6, 1)


simple("time.root-not-yet-valid", "trust anchor not yet valid", _root_future)


def _leaf_outlives_int(c: Ctx) -> None:
    c.int_.not_after = day(2026, 8, 1)
    c.leaf.not_after = day(2027, 3, 1)
    c.at = day(2026, 6, 1)


simple("time.leaf-outlives-issuer", "leaf notAfter after its issuer's", _leaf_outlives_int)


def _generalized(c: Ctx) -> None:
    c.leaf.not_after = day(2051, 1, 1)


simple("time.generalized-time", "leaf notAfter in 2051 (GeneralizedTime)", _generalized)


def _long_leaf(c: Ctx) -> None:
    c.leaf.not_before = day(2024, 1, 1)
    c.leaf.not_after = day(2029, 1, 1)


simple("time.leaf-five-years", "leaf valid for five years (CA/B BR 6.3.2: at most 398 days)", _long_leaf, SERVER)


def _utctime_after_2050(c: Ctx) -> None:
    # Rewrite the leaf's notAfter GeneralizedTime 20510101000000Z as UTCTime
    # 510101000000Z, which RFC 5280 4.1.2.5.1 reads as 1951.
    c.leaf.not_after = day(2051, 1, 1)
    c.leaf.tbs_edits.append(_gt_to_utc)


def _gt_to_utc(tbs: bytes) -> bytes:
    old = b"\x18\x0f20510101000000Z"
    new = b"\x17\x0d510101000000Z"
    assert old in tbs
    # Fix the lengths of the enclosing Validity and TBS SEQUENCEs (both shrink by 2).
    return _reseq(tbs.replace(old, new))


def _reseq(tbs: bytes) -> bytes:
    """Recomputes the outer SEQUENCE and Validity lengths after a 2-byte shrink."""
    _, start, end = read_tlv(tbs)
    body = tbs[start:]
    # Walk: [0] version, serial, sigalg, issuer, validity
    pos = 0
    out = b""
    for i in range(4):
        _, s, e = read_tlv(body, pos)
        out += body[pos:e]
        pos = e
    # validity: its declared length is 2 too long now
    tag, s, e = read_tlv(body, pos)
    inner = body[s : e - 2]
    out += tlv(0x30, inner)
    out += body[e - 2 :]
    return tlv(0x30, out)


simple("time.utctime-51", "leaf notAfter as UTCTime '51' (the year 1951)", _utctime_after_2050)

# ----------------------------------------------------------------- keys ----

simple("key.leaf-rsa1024", "leaf key RSA-1024 (CA/B BR 6.1.5: at least 2048)", lambda c: rekey(c, "leaf", "rsa1024", 2))
simple("key.int-rsa1024", "intermediate key RSA-1024, signing the leaf", lambda c: rekey(c, "int", "rsa1024", 1))
simple("key.root-rsa1024", "trust anchor key RSA-1024", lambda c: rekey(c, "root", "rsa1024", 0))
simple("key.leaf-p384", "leaf key P-384", lambda c: rekey(c, "leaf", "p384", 2))
simple("key.int-p384", "intermediate key P-384", lambda c: rekey(c, "int", "p384", 1))
simple("key.leaf-p521", "leaf key P-521", lambda c: rekey(c, "leaf", "p521", 2))
simple("key.int-p521", "intermediate key P-521, signing the leaf (ECDSA P-521/SHA-512)",
       lambda c: (rekey(c, "int", "p521", 1), setattr(c.leaf, "hash", "sha512")))
simple("key.leaf-ed25519", "leaf key Ed25519", lambda c: rekey(c, "leaf", "ed25519", 2))
simple("key.int-ed25519", "intermediate key Ed25519, signing the leaf", lambda c: rekey(c, "int", "ed25519", 1))
simple("key.leaf-rsa-in-p256-chain", "leaf key RSA-2048 under ECDSA CAs", lambda c: rekey(c, "leaf", "rsa2048", 2), P256)
simple("key.leaf-p256-in-rsa-chain", "leaf key P-256 under RSA CAs", lambda c: rekey(c, "leaf", "p256", 2), RSA)

# ----------------------------------------------------------- algorithms ----

simple("alg.leaf-sha1", "leaf signed with SHA-1", lambda c: setattr(c.leaf, "hash", "sha1"), RSA)
simple("alg.int-sha1", "intermediate signed with SHA-1", lambda c: setattr(c.int_, "hash", "sha1"), RSA)
simple("alg.root-sha1", "trust anchor self-signed with SHA-1", lambda c: setattr(c.root, "hash", "sha1"), RSA)
simple("alg.leaf-sha384", "leaf signed with SHA-384", lambda c: setattr(c.leaf, "hash", "sha384"))
simple("alg.leaf-sha512", "leaf signed with SHA-512", lambda c: setattr(c.leaf, "hash", "sha512"))
simple("alg.leaf-pss", "leaf signed with RSA-PSS/SHA-256", lambda c: setattr(c.leaf, "pss", True), RSA)
simple("alg.leaf-bad-signature", "leaf signature corrupted", lambda c: setattr(c.leaf, "corrupt_signature", True))
simple("alg.int-bad-signature", "intermediate signature corrupted", lambda c: setattr(c.int_, "corrupt_signature", True))
simple("alg.root-bad-self-signature", "trust anchor self-signature corrupted", lambda c: setattr(c.root, "corrupt_signature", True))


def _sigalg_mismatch(c: Ctx) -> None:
    # The TBS signature field says SHA-384, the outer algorithm (and the signature) SHA-256.
    def edit(tbs: bytes) -> bytes:
        if c.int_.key[0].startswith("rsa"):
            a, b = bytes.fromhex("2a864886f70d01010b"), bytes.fromhex("2a864886f70d01010c")
        else:
            a, b = bytes.fromhex("2a8648ce3d040302"), bytes.fromhex("2a8648ce3d040303")
        i = tbs.index(a)
        return tbs[:i] + b + tbs[i + len(a) :]

    c.leaf.tbs_edits.append(edit)


simple("alg.tbs-outer-mismatch", "leaf TBS signature algorithm differs from the outer one (RFC 5280 4.1.1.2: MUST be the same)", _sigalg_mismatch)


def _wrong_issuer_key(c: Ctx) -> None:
    c.leaf.signing_key = (c.int_.key[0], 8)


simple("alg.leaf-signed-by-other-key", "leaf signed by a key that is not its issuer's", _wrong_issuer_key)

# ------------------------------------------------- serial and subject ----

def _serial(c: Ctx, value: int) -> None:
    body = value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True)
    placeholder = c.leaf.serial

    def edit(tbs: bytes) -> bytes:
        old = tlv(0x02, placeholder.to_bytes((placeholder.bit_length() + 8) // 8, "big", signed=True))
        new = tlv(0x02, body)
        assert len(old) == len(new), (old, new)
        return tbs.replace(old, new, 1)

    c.leaf.tbs_edits.append(edit)


def _serial_neg(c: Ctx) -> None:
    # Same-length encodings: an 8-byte positive placeholder, an 8-byte negative value.
    c.leaf.serial = 0x0102030405060708
    _serial(c, -0x0102030405060708)


def _serial_21(c: Ctx) -> None:
    c.leaf.serial = 2 ** (20 * 8 - 2) + 12345  # 20 octets, grown to 21 below
    c.leaf.tbs_edits.append(_serial_grow)


def _serial_grow(tbs: bytes) -> bytes:
    # Replace the 20-octet serial by a 21-octet one and re-encode the TBS.
    _, start, _ = read_tlv(tbs)
    body = tbs[start:]
    _, s, e = read_tlv(body, 0)  # [0] version
    version = body[:e]
    _, s2, e2 = read_tlv(body, e)
    serial = body[s2:e2]
    new = tlv(0x02, b"\x01" + serial)
    return tlv(0x30, version + new + body[e2:])


def _serial_zero(c: Ctx) -> None:
    c.leaf.serial = 0x40  # one content octet, rewritten to 0x00
    _serial(c, 0)


simple("serial.zero", "leaf serial number 0 (RFC 5280 4.1.2.2: positive)", _serial_zero)
simple("serial.negative", "leaf serial number negative", _serial_neg)
simple("serial.21-octets", "leaf serial number of 21 octets (RFC 5280 4.1.2.2: at most 20)", _serial_21)
simple("serial.20-octets", "leaf serial number of 20 octets", lambda c: setattr(c.leaf, "serial", 2 ** (20 * 8 - 2) + 12345))
simple("subject.leaf-empty-no-san", "leaf with an empty subject and no SAN", lambda c: (setattr(c.leaf, "subject", x509.Name([])), drop(c.leaf, "san")))


def _int_empty_subject(c: Ctx) -> None:
    c.int_.subject = x509.Name([])


simple("subject.int-empty", "intermediate with an empty subject (RFC 5280 4.1.2.6: a CA's subject MUST be non-empty)", _int_empty_subject)


def _issuer_name_case(c: Ctx) -> None:
    # The leaf's issuer name differs from the intermediate's subject only in case (RFC 5280 7.1: caseIgnoreMatch).
    c.leaf.issuer_name = x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "hybridtrust differential"),
         x509.NameAttribute(NameOID.COMMON_NAME, c.int_.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value.upper())]
    )


simple("subject.issuer-name-case", "leaf issuer name equal to the issuer's subject only ignoring case", _issuer_name_case)


def _issuer_printable(c: Ctx) -> None:
    # Same name text, PrintableString instead of UTF8String (RFC 5280 7.1).
    c.leaf.issuer_name = x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "hybridtrust differential", x509.name._ASN1Type.PrintableString),
         x509.NameAttribute(NameOID.COMMON_NAME, c.int_.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value, x509.name._ASN1Type.PrintableString)]
    )


simple("subject.issuer-name-printable", "leaf issuer name as PrintableString, the issuer's subject UTF8String", _issuer_printable)

# ----------------------------------------------- presented intermediates ----

simple("chain.missing-int", "the intermediate is not presented", lambda c: setattr(c, "presented", []))
simple("chain.duplicate-int", "the intermediate presented twice", lambda c: setattr(c, "presented", ["int", "int"]))
simple("chain.with-root", "the root presented after the intermediate", lambda c: setattr(c, "presented", ["int", "root"]))
simple("chain.root-first", "the root presented before the intermediate", lambda c: setattr(c, "presented", ["root", "int"]))
simple("chain.two-ints-reversed", "two intermediates presented root-side first", lambda c: (add_int2(c, None), setattr(c, "presented", ["int2", "int"])))
simple("chain.two-ints-missing-upper", "two intermediates, the upper one not presented", lambda c: (add_int2(c, None), setattr(c, "presented", ["int"])))
simple("chain.leaf-twice", "the leaf presented again after the intermediate", lambda c: setattr(c, "presented", ["int", "leaf"]))


def _deep(n: int):
    """root -> up{n-1} -> ... -> up1 -> int -> leaf: n intermediates, no pathLen, all presented."""

    def f(c: Ctx) -> None:
        kind = c.root.key[0]
        set_ext(c.int_, "bc", x509.BasicConstraints(True, None))
        below = c.int_
        presented = ["int"]
        for k in range(1, n):
            spec = CertSpec(f"up{k}", "root", (kind, 10 + k), name(f"Differential Level {k} CA"), c.serial(), day(2025, 1, 1), day(2036, 1, 1))
            spec.exts = {
                "bc": (x509.BasicConstraints(ca=True, path_length=None), True),
                "ku": (ku("key_cert_sign", "crl_sign"), True),
                "ski": (x509.SubjectKeyIdentifier.from_public_key(key(c.seed, kind, 10 + k).public_key()), False),
                "aki": (None, False),
            }
            c.specs[spec.name] = spec
            below.parent = spec.name
            below = spec
            presented.append(spec.name)
        c.presented = presented

    return f


simple("chain.depth-5-intermediates", "five intermediates between the root and the leaf", _deep(5))
simple("chain.depth-6-intermediates", "six intermediates (webpki's most)", _deep(6))
simple("chain.depth-7-intermediates", "seven intermediates (over webpki's six; Policy max_depth 8 counts leaf and anchor)", _deep(7))


def _decoy(c: Ctx) -> None:
    # A CA with the intermediate's name but another key.
    d = replace(c.int_, name="decoy", key=(c.int_.key[0], 7), serial=c.serial(), exts=dict(c.int_.exts), tbs_edits=[])
    d.exts["ski"] = (x509.SubjectKeyIdentifier.from_public_key(key(c.seed, c.int_.key[0], 7).public_key()), False)
    c.specs["decoy"] = d
    c.presented = ["decoy", "int"]


simple("chain.decoy-same-name", "a decoy CA with the intermediate's name (another key) presented first", _decoy)


def _unrelated(c: Ctx) -> None:
    u = replace(c.int_, name="unrelated", subject=name("Unrelated CA"), key=(c.int_.key[0], 6), serial=c.serial(), exts=dict(c.int_.exts), tbs_edits=[])
    u.exts["ski"] = (x509.SubjectKeyIdentifier.from_public_key(key(c.seed, c.int_.key[0], 6).public_key()), False)
    c.specs["unrelated"] = u
    c.presented = ["unrelated", "int"]


simple("chain.unrelated-extra", "an unrelated CA certificate presented too", _unrelated)


def _expired_twin(c: Ctx) -> None:
    # The same intermediate (name and key) re-issued: one copy expired.
    t = replace(c.int_, name="twin", serial=c.serial(), not_before=day(2020, 1, 1), not_after=day(2025, 6, 1), exts=dict(c.int_.exts), tbs_edits=[])
    c.specs["twin"] = t
    c.presented = ["twin", "int"]


simple("chain.expired-twin-first", "an expired copy of the intermediate (same name and key) presented first", _expired_twin)


def _cross(c: Ctx) -> None:
    # int is also cross-signed by an old root that is not in the store; the store has only root.
    kind = c.root.key[0]
    old = CertSpec("oldroot", "oldroot", (kind, 5), name("Differential Old Root"), c.serial(), day(2020, 1, 1), day(2040, 1, 1))
    old.exts = dict(c.root.exts)
    old.exts["ski"] = (x509.SubjectKeyIdentifier.from_public_key(key(c.seed, kind, 5).public_key()), False)
    x = replace(c.int_, name="cross", parent="oldroot", serial=c.serial(), exts=dict(c.int_.exts), tbs_edits=[])
    c.specs["oldroot"] = old
    c.specs["cross"] = x
    c.presented = ["cross", "int"]


simple("chain.cross-signed-first", "the intermediate cross-signed by a root not in the store presented first", _cross)

# --------------------------------------------------------------- stores ----

simple("store.der", "trust anchor added as DER", lambda c: setattr(c, "store", [StoreItem("root", "der")]))
simple("store.trusted-plain", "trust anchor as TRUSTED CERTIFICATE without trust settings", lambda c: setattr(c, "store", [StoreItem("root", "trusted")]))


def _trusted(trust: list[str], reject: list[str], pyca: str):
    def f(c: Ctx) -> None:
        c.store = [StoreItem("root", "trusted", [t if t != "own" else own_usage(c).dotted_string for t in trust],
                             [r if r != "own" else own_usage(c).dotted_string for r in reject])]
        c.pyca_na = pyca

    return f


simple("store.trusted-reject-own-usage", "trust anchor as TRUSTED CERTIFICATE rejecting the usage (-addreject)",
       _trusted([], ["own"], "pyca has no trust settings"))
simple("store.trusted-trust-own-usage", "trust anchor as TRUSTED CERTIFICATE trusted for the usage (-addtrust)", _trusted(["own"], [], None))
simple("store.trusted-trust-other-usage", "trust anchor as TRUSTED CERTIFICATE trusted only for the other usage",
       lambda c: _trusted([other_usage(c).dotted_string], [], "pyca has no trust settings")(c))
simple("store.trusted-reject-any", "trust anchor as TRUSTED CERTIFICATE rejecting anyExtendedKeyUsage",
       _trusted([], [ANY_EKU.dotted_string], "pyca has no trust settings"))
simple("store.intermediate-only", "the store holds the intermediate, not the root", lambda c: setattr(c, "store", [StoreItem("int")]))
simple("store.root-and-int", "the store holds the root and the intermediate", lambda c: setattr(c, "store", [StoreItem("root"), StoreItem("int")]))
simple("store.leaf-only", "the store holds only the leaf", lambda c: setattr(c, "store", [StoreItem("leaf")]))


def _other_root(c: Ctx) -> None:
    kind = c.root.key[0]
    o = replace(c.root, name="other", key=(kind, 4), subject=name("Differential Other Root"), serial=c.serial(), exts=dict(c.root.exts), tbs_edits=[])
    o.exts["ski"] = (x509.SubjectKeyIdentifier.from_public_key(key(c.seed, kind, 4).public_key()), False)
    c.specs["other"] = o
    c.store = [StoreItem("other")]


simple("store.unknown-root", "the store holds only an unrelated root", _other_root)


def _same_name_root(c: Ctx) -> None:
    kind = c.root.key[0]
    o = replace(c.root, name="imposter", key=(kind, 4), serial=c.serial(), exts=dict(c.root.exts), tbs_edits=[])
    o.exts["ski"] = (x509.SubjectKeyIdentifier.from_public_key(key(c.seed, kind, 4).public_key()), False)
    c.specs["imposter"] = o
    c.store = [StoreItem("imposter")]


simple("store.same-name-other-key", "the store holds a root with the right name and another key", _same_name_root)

# ----------------------------------------------------------------- CRLs ----


def _crls(specs_fn, scope: str = "chain"):
    def f(c: Ctx) -> None:
        c.crls = specs_fn(c)
        c.crl_scope = scope
        c.pyca_na = "pyca's verifier does not check revocation"

    return f


simple("crl.none-revoked", "CRLs from the root and the intermediate, nothing revoked", _crls(lambda c: [CrlSpec("root"), CrlSpec("int")]))
simple("crl.leaf-revoked", "the intermediate's CRL revokes the leaf", _crls(lambda c: [CrlSpec("root"), CrlSpec("int", ["leaf"])]))
simple("crl.int-revoked", "the root's CRL revokes the intermediate", _crls(lambda c: [CrlSpec("root", ["int"]), CrlSpec("int")]))
simple("crl.missing-root-crl", "only the intermediate's CRL (the intermediate's status unknown)", _crls(lambda c: [CrlSpec("int")]))
simple("crl.leaf-scope-leaf-revoked", "end-entity scope, the leaf revoked", _crls(lambda c: [CrlSpec("int", ["leaf"])], "leaf"))
simple("crl.leaf-scope-ok", "end-entity scope, the leaf not revoked", _crls(lambda c: [CrlSpec("int")], "leaf"))


def _expired_crl(c: Ctx):
    c.at = day(2026, 8, 1)
    return [CrlSpec("root"), CrlSpec("int", [], day(2026, 5, 1), day(2026, 7, 1))]


simple("crl.expired", "the intermediate's CRL past its nextUpdate", _crls(_expired_crl))


def _future_crl(c: Ctx):
    return [CrlSpec("root"), CrlSpec("int", [], c.at + dt.timedelta(days=1), c.at + dt.timedelta(days=60))]


simple("crl.future-this-update", "the intermediate's CRL issued after the validation time (thisUpdate in the future)", _crls(_future_crl))


def _two_crls(order: str):
    def g(c: Ctx):
        old = CrlSpec("int", [], c.at - dt.timedelta(days=20), c.at + dt.timedelta(days=40), number=1)
        new = CrlSpec("int", ["leaf"], c.at - dt.timedelta(days=10), c.at + dt.timedelta(days=50), number=2)
        return [CrlSpec("root"), old, new] if order == "old-first" else [CrlSpec("root"), new, old]

    return g


simple("crl.two-old-first", "two CRLs from the intermediate: an older one without the leaf first, a newer one revoking it", _crls(_two_crls("old-first")))
simple("crl.two-new-first", "two CRLs from the intermediate: the newer one (revoking the leaf) first", _crls(_two_crls("new-first")))
simple("crl.bad-signature", "the intermediate's CRL signed by another key", _crls(lambda c: [CrlSpec("root"), CrlSpec("int", ["leaf"], signing_key=(c.int_.key[0], 8))]))
simple("crl.bad-signature-clean", "the intermediate's CRL (revoking nothing) signed by another key",
       _crls(lambda c: [CrlSpec("root"), CrlSpec("int", [], signing_key=(c.int_.key[0], 8))]))
simple("crl.unknown-critical", "the intermediate's CRL with an unknown critical extension", _crls(lambda c: [CrlSpec("root"), CrlSpec("int", [], unknown_critical=True)]))
simple("crl.idp-only-ca-certs", "the intermediate's CRL scoped to CA certificates only (IDP onlyContainsCACerts)",
       _crls(lambda c: [CrlSpec("root"), CrlSpec("int", [], idp=x509.IssuingDistributionPoint(None, None, False, True, None, False, False))]))
simple("crl.unrelated-issuer", "a CRL from an unrelated CA only", _crls(lambda c: [CrlSpec("leaf")]))



# ------------------------------------------------ randomised mutations ----
# These draw their parameter from the case's random.Random; the parameter is
# part of the case id ("rand.leaf-ku=ds+kcs;C/p256-server#3"), so deviation
# entries can name the parameters they cover.

_KU_BITS = {"ds": "digital_signature", "cc": "content_commitment", "ke": "key_encipherment",
            "de": "data_encipherment", "ka": "key_agreement", "kcs": "key_cert_sign", "crl": "crl_sign"}


def _rand_leaf_ku(c: Ctx) -> None:
    chosen = [b for b in _KU_BITS if c.rng.random() < 0.35]
    critical = c.rng.random() < 0.7
    if chosen:
        set_ext(c.leaf, "ku", ku(*(_KU_BITS[b] for b in chosen)), critical)
    else:
        set_ext(c.leaf, "ku", raw("2.5.29.15", bytes.fromhex("030100")), critical)
    # What TLS can do with the key (RFC 5280 4.2.1.12 with RFC 8446/5246):
    # a server needs digitalSignature, keyEncipherment (RSA key exchange) or
    # keyAgreement; a client signs, or does fixed (EC)DH.
    needs = {"ds", "ke", "ka"} if c.usage == "server" else {"ds", "ka"}
    tags = ["unusable"] if not needs & set(chosen) else []
    if "kcs" in chosen:
        tags.append("kcs-on-leaf")
    if not chosen:
        tags.append("empty")
    c.param = f"{'+'.join(chosen) or 'none'};{'C' if critical else 'N'};{','.join(tags) or 'ok'}"


simple("rand.leaf-ku", "leaf keyUsage: a random set of bits, random criticality", _rand_leaf_ku)

_EKUS = {"server": SERVER_AUTH, "client": CLIENT_AUTH, "any": ANY_EKU,
         "code": x509.oid.ExtendedKeyUsageOID.CODE_SIGNING, "private": UNKNOWN_OID}


def _rand_leaf_eku(c: Ctx) -> None:
    chosen = [e for e in _EKUS if c.rng.random() < 0.4]
    critical = c.rng.random() < 0.3
    if chosen:
        leaf_eku(c, [_EKUS[e] for e in chosen], critical)
    else:
        drop(c.leaf, "eku")
    c.param = f"{'+'.join(chosen) or 'absent'};{'C' if critical and chosen else 'N'}"


simple("rand.leaf-eku", "leaf EKU: a random set of purposes, random criticality", _rand_leaf_eku)


def _rand_time_edge(c: Ctx) -> None:
    who = c.rng.choice(["leaf", "int"])
    edge = c.rng.choice(["nb", "na"])
    off = c.rng.randint(-2, 2)
    spec = c.specs[who]
    base_t = spec.not_before if edge == "nb" else spec.not_after
    c.at = base_t + dt.timedelta(seconds=off)
    if who == "int" and edge == "na":
        # Keep the leaf inside the intermediate's life: end the intermediate mid-2026.
        spec.not_after = day(2026, 9, 1)
        c.at = spec.not_after + dt.timedelta(seconds=off)
    if who == "int" and edge == "nb":
        spec.not_before = day(2026, 1, 1)
        c.leaf.not_before = day(2025, 12, 1)
        c.at = spec.not_before + dt.timedelta(seconds=off)
    c.param = f"{who}-{edge}{off:+d}"


simple("rand.time-edge", "validation time within two seconds of a leaf or intermediate validity edge", _rand_time_edge)

MUTATION_IDS = tuple(MUTATIONS)
