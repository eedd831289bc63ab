"""The same inputs give the same verdicts in Python as in Rust.

The expectations are read from the Rust test tests/fixtures.rs itself, so that
the two cannot drift apart silently.
"""

from __future__ import annotations

import re

import pytest
from conftest import AT, REPO, chain_file

import hybridtrust

RUST = (REPO / "tests" / "fixtures.rs").read_text()


def kebab(camel: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"-\1", camel).lower()


def rust_expectations() -> dict[str, str]:
    found = re.findall(r'kind\(\s*"([^"]+)"\s*\)\s*,\s*DiagnosisKind::(\w+)', RUST)
    return {chain: kebab(kind) for chain, kind in found}


def test_expectations_were_found():
    exp = rust_expectations()
    assert len(exp) >= 4, exp
    assert exp["callservice-leaf-only.pem"] == "incomplete-chain"


@pytest.mark.parametrize("chain,kind", sorted(rust_expectations().items()))
def test_outbound_diagnosis_kind_matches_rust(example_store, chain, kind):
    with pytest.raises(hybridtrust.VerificationError) as info:
        hybridtrust.Zone.webex_hybrid().verify_outbound(example_store, chain_file(chain), hybridtrust.Policy.server_auth(at=AT))
    assert info.value.diagnosis.kind.value == kind
    assert hybridtrust.DiagnosisKind(kind) is info.value.diagnosis.kind


def test_accepted_and_inbound_verdicts_match_rust(example_store):
    ok = re.findall(r'verify_outbound\(\s*&store,\s*&chain\("([^"]+)"\)\s*,\s*&policy\s*\)\s*\.is_ok\(\)', RUST)
    mapped = re.findall(r'classify_inbound\(\s*&store,\s*&chain\("([^"]+)"\)\s*,\s*&policy\s*\)\s*,\s*hybridtrust::Inbound::Mapped', RUST)
    assert ok and mapped
    zone = hybridtrust.Zone.webex_hybrid()
    policy = hybridtrust.Policy.server_auth(at=AT)
    for name in ok:
        zone.verify_outbound(example_store, chain_file(name), policy)
    for name in mapped:
        assert zone.classify_inbound(example_store, chain_file(name), policy).mapped


def test_example_store_matches_rust(example_store):
    m = re.search(r"assert_eq!\(store\.len\(\),\s*(\d+)", RUST)
    assert m and len(example_store) == int(m.group(1))
    expected = {kebab(k) for k in re.findall(r"kinds\.contains\(&FindingKind::(\w+)\)", RUST)}
    assert expected and expected <= {f.kind.value for f in example_store.findings}
