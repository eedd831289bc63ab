"""Identity rules, zones (outbound verification, inbound classification)."""

from __future__ import annotations

import pytest
from conftest import AT, chain_file, leaf

import hybridtrust
from hybridtrust import DiagnosisKind as K


def first_cert(name: str) -> hybridtrust.Certificate:
    return hybridtrust.Certificate.of(hybridtrust.parse_chain(chain_file(name))[0])


def test_rule_kinds_decide_by_field():
    cn_only = first_cert("cn-only.pem")  # CN callservice.webex.com, SAN edge.example.com
    assert not hybridtrust.IdentityRule("callservice.webex.com").check(cn_only)
    assert not hybridtrust.IdentityRule.san_then_cn("callservice.webex.com").check(cn_only)
    hit = hybridtrust.IdentityRule.cn_or_san("callservice.webex.com").check(cn_only)
    assert hit and isinstance(hit, hybridtrust.NameMatch)
    assert (hit.field, hit.value, hit.rule) == ("common-name", "callservice.webex.com", hybridtrust.RuleKind.CN_OR_SAN)
    miss = hybridtrust.IdentityRule("callservice.webex.com", "san").check(cn_only)
    assert isinstance(miss, hybridtrust.NameMismatch)
    assert miss.presented_dns == ("edge.example.com",) and miss.presented_cn == "callservice.webex.com"


def test_typo_alias_and_wildcards(pki):
    full = first_cert("callservice-full.pem")
    typo = hybridtrust.IdentityRule.san("calllservice.webex.com").check(full)
    assert isinstance(typo, hybridtrust.NameMismatch) and typo.near_miss and typo.nearest == "callservice.webex.com"
    wild = leaf("wild", pki.issuing, dns=["*.webex.com"]).cert
    assert hybridtrust.IdentityRule("callservice.webex.com").check(wild).wildcard  # type: ignore[union-attr]
    assert not hybridtrust.IdentityRule("callservice.webex.com", wildcards="disallowed").check(wild)
    rule = hybridtrust.IdentityRule("callservice.webex.com", aliases={"sip.webex.com": "current SIP name"})
    assert rule.aliases == {"sip.webex.com": "current SIP name"}
    miss = rule.check(first_cert("sip-webex.pem"))
    assert isinstance(miss, hybridtrust.NameMismatch) and miss.alias == ("sip.webex.com", "current SIP name")
    assert rule == hybridtrust.IdentityRule("CALLSERVICE.webex.com.", aliases=[("sip.webex.com", "current SIP name")])
    assert len({rule, hybridtrust.IdentityRule("callservice.webex.com", aliases={"sip.webex.com": "current SIP name"})}) == 1


def test_invalid_rules():
    for bad in ["", "*.webex.com", "a b", "exa\x00mple.com"]:
        with pytest.raises(ValueError):
            hybridtrust.IdentityRule(bad)
    with pytest.raises(ValueError, match="kind must be one of"):
        hybridtrust.IdentityRule("a.example.com", kind="subject")
    with pytest.raises(TypeError):
        hybridtrust.IdentityRule("a.example.com", aliases=5)  # type: ignore[arg-type]


def test_webex_zone_outbound_and_inbound(example_store):
    zone = hybridtrust.Zone.webex_hybrid()
    policy = hybridtrust.Policy(at=AT)
    assert zone.verify_outbound(example_store, chain_file("callservice-full.pem"), policy).matched_name == "callservice.webex.com"
    with pytest.raises(hybridtrust.VerificationError) as info:
        zone.verify_outbound(example_store, chain_file("cn-only.pem"), policy)
    assert info.value.diagnosis.kind is K.NAME_MISMATCH  # outbound: SAN only
    inbound = zone.classify_inbound(example_store, chain_file("cn-only.pem"), policy)
    assert inbound and inbound.mapped and inbound.zone == "webex-hybrid"  # inbound: CN or SAN
    assert inbound.verified is not None and inbound.verified.identity.field == "common-name"  # type: ignore[union-attr]
    assert inbound.diagnosis is None and "mapped" in repr(inbound)
    # Strict EKU: a serverAuth-only client certificate falls into the Default Zone.
    default = zone.classify_inbound(example_store, chain_file("server-auth-only.pem"), policy)
    assert not default and default.zone is None and default.verified is None
    assert default.diagnosis is not None and default.diagnosis.kind is K.MISSING_EKU
    untrusted = zone.classify_inbound(hybridtrust.TrustStore.builder(at=AT).build(), chain_file("callservice-full.pem"), policy)
    assert untrusted.diagnosis is not None and untrusted.diagnosis.kind is K.UNKNOWN_CA
    relaxed = hybridtrust.Zone("webex-relaxed", "callservice.webex.com", eku_mode="accept-server-auth-only")
    assert relaxed.classify_inbound(example_store, chain_file("server-auth-only.pem"), policy).mapped


def test_zone_definitions():
    zone = hybridtrust.Zone("partner", "SIP.Partner.Example", wildcards="leftmost-label", mutual_tls=False, aliases={"old.partner.example": "former"})
    assert (zone.name, zone.mutual_tls, zone.wildcards) == ("partner", False, hybridtrust.WildcardMode.LEFTMOST_LABEL)
    assert hybridtrust.Zone.from_json(zone.to_json()) == zone
    assert zone.to_dict()["aliases"] == [{"name": "old.partner.example", "note": "former"}]
    assert zone.outbound_rule.kind is hybridtrust.RuleKind.SAN and zone.inbound_rule.kind is hybridtrust.RuleKind.CN_OR_SAN
    for bad in ['{"name": "x"}', '{"name": "x", "subject_name": "*.x.example"}', "not json", '{"name": "x", "subject_name": "a.example", "extra": 1}']:
        with pytest.raises(ValueError):
            hybridtrust.Zone.from_json(bad)
    with pytest.raises(ValueError):
        hybridtrust.Zone("x", "not a name")
    with pytest.raises(ValueError):
        hybridtrust.Zone("x", "a.example", eku_mode="off")


def named(pki, cn: str, sans: list, org: str = "hybridtrust tests") -> bytes:
    """A leaf with a free-form subject and subjectAltNames (any GeneralName)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    b = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, org), x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
        .issuer_name(pki.issuing.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
        .not_valid_after(dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(pki.issuing.key.public_key()), critical=False
        )
    )
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return b.sign(pki.issuing.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


LOOK_ALIKES = [
    "ｃａｌｌｓｅｒｖｉｃｅ.webex.com",
    "callservice\u3002webex.com",
    "call\u00adservice.webex.com",
    "call\u200bservice.webex.com",
]


def test_presented_names_are_compared_as_ascii_only(pki):
    for cn in LOOK_ALIKES:
        cert = hybridtrust.Certificate.from_der(named(pki, cn, []))
        for rule in [
            hybridtrust.IdentityRule.cn_or_san("callservice.webex.com"),
            hybridtrust.IdentityRule.san_then_cn("callservice.webex.com"),
        ]:
            miss = rule.check(cert)
            assert isinstance(miss, hybridtrust.NameMismatch), cn
            assert any("non-ASCII" in n and "look-alike" in n for n in miss.notes), miss.notes
    # A trailing dot on a presented name never matches, under any rule.
    from cryptography import x509

    dotted = hybridtrust.Certificate.from_der(named(pki, "callservice.webex.com.", [x509.DNSName("callservice.webex.com.")]))
    for kind in ["san", "san-then-cn", "cn-or-san"]:
        miss = hybridtrust.IdentityRule("callservice.webex.com", kind=kind).check(dotted)
        assert isinstance(miss, hybridtrust.NameMismatch), kind
        assert any("ends with a dot" in n for n in miss.notes), miss.notes


def test_san_then_cn_reads_sip_uri_sans_and_ignores_the_cn_beside_any_san(pki):
    from cryptography import x509

    uri_only = hybridtrust.Certificate.from_der(
        named(pki, "callservice.webex.com", [x509.UniformResourceIdentifier("sip:callservice.webex.com;transport=tls")])
    )
    assert uri_only.uris == ("sip:callservice.webex.com;transport=tls",)
    hit = hybridtrust.IdentityRule.san_then_cn("callservice.webex.com").check(uri_only)
    assert hit and (hit.field, hit.value) == ("uri-san", "sip:callservice.webex.com;transport=tls")
    assert not hybridtrust.IdentityRule.san("callservice.webex.com").check(uri_only)
    other = hybridtrust.Certificate.from_der(
        named(pki, "callservice.webex.com", [x509.UniformResourceIdentifier("sips:callservice.webex.com")])
    )
    miss = hybridtrust.IdentityRule.san_then_cn("callservice.webex.com").check(other)
    assert isinstance(miss, hybridtrust.NameMismatch)
    assert miss.presented_uris == ("sips:callservice.webex.com",)
    assert any("CN is ignored" in n for n in miss.notes) and any("only sip:" in n for n in miss.notes), miss.notes
    # CN-or-SAN still reads the CN.
    assert hybridtrust.IdentityRule.cn_or_san("callservice.webex.com").check(other)


def test_diagnosis_text_and_json_cannot_attack_a_terminal(pki):
    import json
    import unicodedata

    cn = "callservice.webex.com\n  next step: trust\x1b[2J\r\u202emoc"  # at most 64 characters
    der = named(pki, cn, [], org="Org\x1b]0;pwned\x07\u202e\u2066")
    d = None
    try:
        hybridtrust.verify(
            pki.store(), [der, pki.issuing.der], hybridtrust.Policy.server_auth(at=AT), hybridtrust.IdentityRule.cn_or_san("callservice.webex.com")
        )
    except hybridtrust.VerificationError as e:
        d = e.diagnosis
    assert d is not None and d.kind == K.NAME_MISMATCH
    text = str(d)
    bad = [c for c in text if c != "\n" and (unicodedata.category(c) in ("Cc", "Cf"))]
    assert not bad, (bad, text)
    assert not any(line.startswith("  next step: trust") for line in text.splitlines()), text
    assert "\\n  next step: trust\\x1b[2J\\r\\u{202e}moc" in text, text
    assert d.subject is not None and "\\e2\\80\\ae" in d.subject
    raw = d.to_json()
    assert raw.isascii() and "\x7f" not in raw
    assert json.loads(raw)["kind"] == "name-mismatch"
    assert d.name_mismatch is not None and "\\u{202e}" in (d.name_mismatch.presented_cn or "")


def test_zone_profile_checks():
    assert hybridtrust.Zone.webex_hybrid().profile_checks is None
    z = hybridtrust.Zone("edge", "edge.example.com", profile_checks="strict")
    assert z.profile_checks is hybridtrust.ProfileChecks.STRICT
    z = hybridtrust.Zone.from_json('{"name": "e", "subject_name": "e.example", "profile_checks": "lenient"}')
    assert z.profile_checks == "lenient"
    with pytest.raises(ValueError):
        hybridtrust.Zone("edge", "edge.example.com", profile_checks="relaxed")
