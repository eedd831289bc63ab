"""Store assembly from every kind of source, and its findings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import AT, DATA, FIXTURES, ca, day, leaf

import hybridtrust
from hybridtrust import FindingKind as F
from hybridtrust import Severity


def kinds(store: hybridtrust.TrustStore) -> list[F]:
    return [f.kind for f in store.findings]


def test_example_folder_gives_its_documented_findings(example_store):
    assert len(example_store) == 2
    assert set(kinds(example_store)) == {F.EXPIRED, F.UNPARSABLE}
    notes = next(f for f in example_store.findings if f.kind is F.UNPARSABLE)
    assert notes.source.endswith("notes.txt")
    assert notes.provenance.path == DATA / "certs" / "notes.txt"
    assert notes.severity is Severity.ERROR
    expired = next(f for f in example_store.findings if f.kind is F.EXPIRED)
    assert expired.subject == "CN=Example Retired CA,O=hybridtrust tests"
    assert expired.sha256 is not None and expired.hint
    assert expired.provenance.line == 1 and expired.provenance.index == 0
    assert expired.to_dict()["kind"] == "expired"
    assert "expired" in repr(expired) and str(expired).startswith("error [expired]")
    assert example_store.worst_severity is Severity.ERROR
    assert example_store.assembled_at == AT


def test_sources_pem_str_bytes_der_path(pki):
    root = pki.root
    b = hybridtrust.TrustStore.builder(at=AT)
    for store in [
        b.add_pem(root.pem).build(),
        b.add_pem(root.pem.encode()).build(),
        b.add_der(root.der).build(),
        b.add_der(root.cert).build(),  # a cryptography certificate
        b.add_der(hybridtrust.Certificate.from_der(root.der)).build(),
        b.add_bytes(root.der).build(),
        b.add_bytes(bytearray(root.pem.encode())).build(),
        b.add_bytes(memoryview(root.der)).build(),
    ]:
        assert len(store) == 1 and store.findings == (), store.findings
        assert store.anchors[0].certificate.der == root.der


def test_files_dirs_and_pathlike(tmp_path: Path, pki):
    (tmp_path / "root.pem").write_text(pki.root.pem)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "5ad8a5d6.0").write_bytes(ca("Other Root").der)
    b = hybridtrust.TrustStore.builder(at=AT)
    assert len(b.add_file(tmp_path / "root.pem").build()) == 1
    assert len(b.add_file(str(tmp_path / "root.pem")).build()) == 1
    store = b.add_dir(tmp_path).build()
    assert len(store) == 2
    assert {a.provenance.path for a in store.anchors} == {tmp_path / "root.pem", tmp_path / "sub" / "5ad8a5d6.0"}
    empty = tmp_path / "empty"
    empty.mkdir()
    assert kinds(b.add_dir(empty).build()) == [F.EMPTY]


def test_missing_paths_raise_at_once(tmp_path: Path):
    b = hybridtrust.TrustStore.builder()
    with pytest.raises(FileNotFoundError) as info:
        b.add_file(tmp_path / "nope.pem")
    assert info.value.filename == str(tmp_path / "nope.pem")
    with pytest.raises(FileNotFoundError):
        b.add_dir(tmp_path / "nope")
    with pytest.raises(IsADirectoryError):
        b.add_file(tmp_path)
    (tmp_path / "f.pem").write_text("x")
    with pytest.raises(NotADirectoryError):
        b.add_dir(tmp_path / "f.pem")


def test_file_removed_before_build_is_a_finding(tmp_path: Path, pki):
    path = tmp_path / "root.pem"
    path.write_text(pki.root.pem)
    b = hybridtrust.TrustStore.builder(at=AT).add_file(path)
    path.unlink()
    assert kinds(b.build()) == [F.UNREADABLE]
    with pytest.raises(hybridtrust.StoreError) as info:
        b.strict(True).build()
    assert info.value.finding.kind is F.UNREADABLE


def test_builder_is_immutable_and_reusable(pki):
    base = hybridtrust.TrustStore.builder(at=AT)
    one = base.add_pem(pki.root.pem)
    two = one.add_pem(ca("Second Root").pem)
    assert (len(base), len(one), len(two)) == (0, 1, 2)
    assert (len(base.build()), len(one.build()), len(two.build())) == (0, 1, 2)
    assert one.build().generation != one.build().generation
    assert not base.is_strict and base.strict(True).is_strict and not base.is_strict
    with pytest.raises(AttributeError):
        base.foo = 1  # type: ignore[attr-defined]


def test_strict_builder_raises_store_error_with_the_finding():
    with pytest.raises(hybridtrust.StoreError) as info:
        hybridtrust.TrustStore.builder(strict=True, at=AT).add_dir(DATA / "certs").build()
    err = info.value
    assert isinstance(err, hybridtrust.HybridTrustError)
    assert err.finding.kind in (F.EXPIRED, F.UNPARSABLE)
    assert "trust store rejected" in str(err)


def test_hygiene_findings(pki):
    b = hybridtrust.TrustStore.builder(at=AT)
    store = b.add_pem(pki.root.pem).add_pem(pki.root.pem, label="copy").build()
    assert kinds(store) == [F.DUPLICATE_CERTIFICATE]
    assert store.findings[0].source == "copy"
    lf = leaf("h.example.com", pki.issuing)
    assert kinds(b.add_der(lf.der).build()) == [F.NOT_A_CA]
    assert kinds(b.add_pem(ca("Soon", not_after=day(2026, 6, 10)).pem).build()) == [F.EXPIRING_SOON]
    assert kinds(b.add_pem(ca("Later", not_before=day(2027, 1, 1)).pem).build()) == [F.NOT_YET_VALID]
    assert kinds(b.add_pem(ca("Same CN").pem).add_pem(ca("Same CN").pem).build()) == [F.DUPLICATE_COMMON_NAME]
    key_text = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
    assert kinds(b.add_pem(key_text).build()) == [F.NOT_A_CERTIFICATE]
    legacy = hybridtrust.TrustStore.builder(at=day(2030, 1, 1))
    assert kinds(legacy.add_file(FIXTURES / "md5-root.pem").build()) == [F.MD5_SIGNATURE]
    assert kinds(legacy.add_file(FIXTURES / "weak-rsa1024-root.pem").build()) == [F.WEAK_KEY]
    assert kinds(legacy.add_file(FIXTURES / "sha1-root.pem").build()) == [F.SHA1_SIGNATURE]


def test_profiles(pki):
    profile = hybridtrust.Profile.device_connector()
    missing = hybridtrust.TrustStore.builder(at=AT).require_profile(profile).build()
    assert F.MISSING_REQUIRED_CA in kinds(missing)
    with pytest.raises(hybridtrust.StoreError):
        hybridtrust.TrustStore.builder(strict=True, at=AT).require_profile(profile).build()
    full = hybridtrust.TrustStore.builder(at=AT).add_profile_cas(profile).require_profile(profile).build()
    assert F.MISSING_REQUIRED_CA not in kinds(full)
    presence = {p.ca.name: p for p in profile.check_store(full)}
    idt = presence["IdenTrust Commercial Root CA 1"]
    assert idt.present is not None and idt.present.source == "embedded:device-connector"
    assert idt.ca.status is hybridtrust.CaStatus.REQUIRED and idt.embedded
    assert idt.ca.sha256 == "5D56499BE4D2E08BCFCAD08A3E38723D50503BDE706948E42F55603019E528AE"
    assert full.anchor_by_fingerprint(idt.ca.sha256) is not None
    not_embedded = [p.ca.name for p in presence.values() if not p.embedded]
    assert all(f.kind is F.CA_NOT_EMBEDDED for f in full.findings if f.kind is not F.MISSING_LEGACY_CA)
    assert len([f for f in full.findings if f.kind is F.CA_NOT_EMBEDDED]) == len(not_embedded)
    assert hybridtrust.Profile.by_name("expressway-e").zone == hybridtrust.Zone.webex_hybrid()
    with pytest.raises(ValueError, match="unknown profile"):
        hybridtrust.Profile.by_name("nope")


def test_device_tool_folder(tmp_path: Path, monkeypatch, pki):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert hybridtrust.device_tool_certs_dir() == tmp_path / ".devicestool" / "certs"
    b = hybridtrust.TrustStore.builder(at=AT).add_device_tool_certs()
    absent = b.build()
    assert kinds(absent) == [F.FOLDER_ABSENT] and absent.findings[0].severity is Severity.INFO
    folder = tmp_path / ".devicestool" / "certs"
    folder.mkdir(parents=True)
    (folder / "device-ca.crt").write_bytes(pki.root.der)
    shutil.copy(DATA / "certs" / "notes.txt", folder / "readme.txt")
    store = b.build()  # the folder is read at build time
    assert len(store) == 1 and kinds(store) == [F.UNPARSABLE]
    explicit = hybridtrust.TrustStore.builder(at=AT).add_device_tool_certs(folder).build()
    assert len(explicit) == 1


def test_os_store_can_be_added():
    store = hybridtrust.TrustStore.builder().add_os_store().build()
    assert len(store) >= 0  # the machine may have none; every problem is a finding


def test_pem_bundle_round_trip(pki):
    store = hybridtrust.TrustStore.builder(at=AT).add_pem(pki.root.pem).add_pem(pki.issuing.pem).build()
    again = hybridtrust.TrustStore.builder(at=AT).add_pem(store.to_pem_bundle()).build()
    assert [a.sha256 for a in again.anchors] == [a.sha256 for a in store.anchors]
    assert "TrustStore anchors=2" in repr(store)


def openssl_trusted(tmp_path: Path, root, *settings: str) -> str:
    """The CA as an OpenSSL TRUSTED CERTIFICATE, made by openssl with ``settings``."""
    import subprocess

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    plain = tmp_path / "ca.pem"
    plain.write_text(root.pem)
    out = tmp_path / "trusted.pem"
    subprocess.run([openssl, "x509", "-in", str(plain), "-trustout", *settings, "-out", str(out)], check=True)
    return out.read_text()


def test_openssl_trust_settings_restrict_the_anchor(tmp_path: Path):
    from hybridtrust import DiagnosisKind, Policy, Usage

    root = ca("Python Reject Server Root")
    server = leaf("s.example.com", root)
    pem = openssl_trusted(tmp_path, root, "-addreject", "serverAuth", "-setalias", "py root")
    store = hybridtrust.TrustStore.builder(at=AT).add_pem(pem).build()
    assert len(store) == 1
    anchor = store.anchors[0]
    assert anchor.rejected_purposes == ("1.3.6.1.5.5.7.3.1",)
    assert anchor.trusted_purposes is None and anchor.alias == "py root"
    assert not anchor.is_unrestricted and anchor.trust_settings == "rejected for serverAuth"
    assert not anchor.is_trusted_for(Usage.SERVER_AUTH) and anchor.is_trusted_for("client-auth")
    assert kinds(store) == [F.TRUST_RESTRICTED] and store.findings[0].severity is Severity.WARNING
    assert store.to_pem_bundle() == ""
    with pytest.raises(hybridtrust.VerificationError) as info:
        hybridtrust.verify(store, [server.der], Policy.server_auth(at=AT))
    assert info.value.diagnosis.kind is DiagnosisKind.UNKNOWN_CA
    assert "do not allow serverAuth" in info.value.diagnosis.message
    hybridtrust.verify(store, [server.der], Policy.client_auth(at=AT))

    distrusted = openssl_trusted(tmp_path, root, "-addreject", "anyExtendedKeyUsage")
    store = hybridtrust.TrustStore.builder(at=AT).add_pem(distrusted).add_pem(root.pem).build()
    assert len(store) == 0
    assert kinds(store) == [F.DISTRUSTED_ENTRY, F.DISTRUSTED_ENTRY]


def test_findings_are_bounded_with_summaries(tmp_path: Path):
    for i in range(3):
        (tmp_path / f"broken-{i}.pem").write_text("-----BEGIN CERTIFICATE-----\n" * 1000)
    store = hybridtrust.TrustStore.builder(at=AT).add_dir(tmp_path).build()
    assert len(store.findings) == 3 * 101
    summaries = [f for f in store.findings if f.message.startswith("and 900 more unparsable findings like it")]
    assert len(summaries) == 3 and all(f.severity is Severity.ERROR for f in summaries)
