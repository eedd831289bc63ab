"""Bad input: a clear exception of the documented type, never a crash, never a silent accept."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AT, chain_file

import hybridtrust


def test_wrong_types_are_type_errors(example_store):
    b = hybridtrust.TrustStore.builder()
    for call in [
        lambda: b.add_pem(123),
        lambda: b.add_der("not bytes"),
        lambda: b.add_bytes(None),
        lambda: b.add_file(42),
        lambda: b.add_dir(b"/tmp"),
        lambda: b.add_profile_cas("device-connector"),
        lambda: hybridtrust.TrustStore.builder(at="2026-06-01"),
        lambda: hybridtrust.TrustStore.builder(at=dt.date(2026, 6, 1)),
        lambda: hybridtrust.Policy(at=1780272000),
        lambda: hybridtrust.Policy(usage=1),
        lambda: hybridtrust.Policy(mutual_tls="yes"),
        lambda: hybridtrust.Policy(max_depth="8"),
        lambda: hybridtrust.Policy(crls=42),
        lambda: hybridtrust.Policy(nonsense=True),
        lambda: hybridtrust.verify("store", b""),
        lambda: hybridtrust.verify(example_store, 42),
        lambda: hybridtrust.verify(example_store, {"a": 1}),
        lambda: hybridtrust.verify(example_store, [42]),
        lambda: hybridtrust.verify(example_store, [], identity=42),
        lambda: hybridtrust.verify(example_store, [], policy="server-auth"),
        lambda: hybridtrust.Certificate.from_der("text"),
        lambda: hybridtrust.TrustStore.builder(expiry_warning_days=1.5),
        lambda: hybridtrust.TrustStore.builder(strict="yes"),
    ]:
        with pytest.raises(TypeError):
            call()


def test_naive_datetimes_and_bad_values_are_value_errors():
    naive = dt.datetime(2026, 6, 1)
    for call in [
        lambda: hybridtrust.TrustStore.builder(at=naive),
        lambda: hybridtrust.TrustStore.builder().at(naive),
        lambda: hybridtrust.Policy(at=naive),
        lambda: hybridtrust.Policy(at=dt.datetime(1960, 1, 1, tzinfo=dt.timezone.utc)),
        lambda: hybridtrust.Policy("sideways"),
        lambda: hybridtrust.Policy(sha1="maybe"),
        lambda: hybridtrust.Policy(max_depth=1),
        lambda: hybridtrust.Policy(max_depth=10**30),
        lambda: hybridtrust.Policy(expiry_warning_days=-1),
        lambda: hybridtrust.TrustStore.builder(expiry_warning_days=-1),
        lambda: hybridtrust.TrustStore.builder(expiry_warning_days=2**40),
        lambda: hybridtrust.TrustStore.builder().build().anchor_by_fingerprint("xyz"),
    ]:
        with pytest.raises(ValueError):
            call()
    # Any time zone works and means the same instant.
    plus2 = dt.timezone(dt.timedelta(hours=2))
    assert hybridtrust.Policy(at=dt.datetime(2026, 6, 1, 2, tzinfo=plus2)).at == AT


def test_garbage_bytes_are_parse_errors(example_store):
    for garbage in [b"garbage", b"\x00\x01\x02", "no pem here", b"-----BEGIN CERTIFICATE-----\nAAAA\n"]:
        with pytest.raises(hybridtrust.ParseError) as info:
            hybridtrust.verify(example_store, garbage)
        assert isinstance(info.value, ValueError) and isinstance(info.value, hybridtrust.HybridTrustError)
    with pytest.raises(hybridtrust.ParseError):
        hybridtrust.parse_chain(b"")
    with pytest.raises(hybridtrust.ParseError):
        hybridtrust.verify(example_store, [b""])
    with pytest.raises(hybridtrust.ParseError):
        hybridtrust.Policy(crls=b"not a crl")
    with pytest.raises(hybridtrust.ParseError):
        hybridtrust.Policy(crls="not pem")
    with pytest.raises(hybridtrust.ParseError):
        hybridtrust.Certificate.from_der(b"\x30\x03\x02\x01\x00")
    with pytest.raises(hybridtrust.ParseError):
        hybridtrust.Certificate.from_pem(chain_file("callservice-full.pem").read_text())  # two certificates
    # In a store, garbage is a finding, not a silent accept.
    store = hybridtrust.TrustStore.builder().add_bytes(b"\x30garbage").add_pem("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n").build()
    assert len(store) == 0 and [f.kind.value for f in store.findings] == ["unparsable", "unparsable"]


def test_missing_files(example_store, tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        hybridtrust.verify(example_store, tmp_path / "missing.pem")
    with pytest.raises(FileNotFoundError):
        hybridtrust.Policy(crls=tmp_path / "missing.crl")
    with pytest.raises(FileNotFoundError):
        hybridtrust.TrustStore.builder().add_file(str(tmp_path / "missing.pem"))


def test_devices_and_directories_are_not_read(example_store, tmp_path: Path):
    # /dev/zero would stream without end; a directory has no bytes to read.
    with pytest.raises(OSError, match="not a regular file"):
        hybridtrust.verify(example_store, Path("/dev/zero"))
    with pytest.raises(OSError, match="not a regular file"):
        hybridtrust.Policy(crls=Path("/dev/zero"))
    with pytest.raises(OSError, match="is a directory"):
        hybridtrust.verify(example_store, tmp_path)


def test_huge_inputs(example_store, tmp_path: Path):
    huge = b"-----BEGIN CERTIFICATE-----\n" + b"A" * (33 * 1024 * 1024) + b"\n-----END CERTIFICATE-----\n"
    with pytest.raises(hybridtrust.ParseError, match="exceeds the limit"):
        hybridtrust.verify(example_store, huge)
    with pytest.raises(hybridtrust.ParseError, match="exceeds the limit"):
        hybridtrust.verify(example_store, [huge])
    store = hybridtrust.TrustStore.builder().add_bytes(huge).build()
    assert [f.kind.value for f in store.findings] == ["too-large"]
    with pytest.raises(hybridtrust.StoreError):
        hybridtrust.TrustStore.builder(strict=True).add_bytes(huge).build()
    big = tmp_path / "big.pem"
    big.write_bytes(huge)
    with pytest.raises(hybridtrust.ParseError, match="exceeds the limit"):
        hybridtrust.verify(example_store, big)
    assert [f.kind.value for f in hybridtrust.TrustStore.builder().add_file(big).build().findings] == ["too-large"]
    # A long list is refused by count before any parsing.
    with pytest.raises(hybridtrust.VerificationError) as info:
        hybridtrust.verify(example_store, [b"\x30\x00"] * 100_000)
    assert info.value.diagnosis.kind.value == "too-many-certificates"


def test_objects_are_frozen(example_store):
    for obj, attr in [(example_store, "findings"), (hybridtrust.Policy(), "at"), (hybridtrust.Zone.webex_hybrid(), "name")]:
        with pytest.raises(AttributeError):
            setattr(obj, attr, None)


def test_no_crash_in_a_subprocess_on_hostile_input():
    # Anything that could take the interpreter down runs in a child process.
    code = (
        "import hybridtrust, os\n"
        "s = hybridtrust.TrustStore.builder().build()\n"
        "for blob in [os.urandom(n) for n in (1, 10, 1000, 100000)] + [b'\\x30\\x82\\xff\\xff' + b'\\x00' * 10]:\n"
        "    for item in (blob, [blob]):\n"
        "        try:\n"
        "            hybridtrust.verify(s, item)\n"
        "        except (hybridtrust.HybridTrustError, ValueError):\n"
        "            pass\n"
        "print('survived')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "survived"
