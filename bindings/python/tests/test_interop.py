"""cryptography certificate objects are accepted without cryptography being a dependency."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import AT, leaf

import hybridtrust


def test_cryptography_certificates_in_chains_and_rules(pki):
    lf = leaf("callservice.webex.com", pki.issuing)
    v = hybridtrust.verify(pki.store(), [lf.cert, pki.issuing.cert], hybridtrust.Policy(at=AT), "callservice.webex.com")
    assert v.path[0].sha256 == hybridtrust.Certificate.of(lf.cert).fingerprint
    assert hybridtrust.verify(pki.store(), [lf.der, pki.issuing.cert], hybridtrust.Policy(at=AT))
    assert hybridtrust.IdentityRule("callservice.webex.com").check(lf.cert)
    assert hybridtrust.Certificate.of(lf.cert) == hybridtrust.Certificate.from_der(lf.der)
    assert hybridtrust.Certificate.of(lf.cert).not_after == lf.cert.not_valid_after_utc


def test_public_bytes_returning_junk_is_a_type_error(pki):
    class Fake:
        def public_bytes(self, encoding):
            return "not bytes"

    with pytest.raises(TypeError, match="did not return bytes"):
        hybridtrust.verify(pki.store(), [Fake()])


def test_cryptography_is_not_imported_unless_used():
    code = (
        "import sys, hybridtrust\n"
        "from pathlib import Path\n"
        f"s = hybridtrust.TrustStore.builder().build()\n"
        "try:\n"
        "    hybridtrust.verify(s, [b'\\x30\\x03\\x02\\x01\\x00'])\n"
        "except hybridtrust.VerificationError:\n"
        "    pass\n"
        "assert 'cryptography' not in sys.modules, 'cryptography was imported'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
