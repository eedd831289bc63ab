"""Differential test: hybridtrust against pyca/cryptography's verifier and `openssl verify`.

The short run: every mutation of tests/differential/mutations.py once per
usage (about 400 cases). A case where hybridtrust accepts and a careful peer
refuses, or refuses where every peer accepts, fails the test unless
tests/differential/deviations.toml lists it. The long run is
`scripts/differential.sh --cases 20000 --seed N`.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tests" / "differential"))

import differential  # noqa: E402
import gen  # noqa: E402
import mutations  # noqa: E402
import verifiers  # noqa: E402
from verifiers import ACCEPT, NA, REFUSE, Verdict  # noqa: E402

SEED = 1


@pytest.fixture(scope="module")
def deviations() -> list[differential.Deviation]:
    return differential.load_deviations()


@pytest.fixture(scope="module")
def short_run(deviations) -> list[differential.Result]:
    return differential.run(differential.short_plan(), SEED, deviations, differential.default_profile_checks())


def reproducer(r: differential.Result) -> str:
    verdicts = "; ".join(f"{w}: {r.verdicts[w]}" for w in ("hybridtrust", "pyca", "openssl"))
    return (
        f"{r.case.id} [{r.direction}] {r.case.description}: {verdicts}\n"
        f"    reproduce: scripts/differential.sh --seed {SEED} --only '{r.case.id}' --dump target/differential-case"
    )


def test_no_unlisted_disagreement(short_run, deviations):
    failures = [r for r in short_run if r.failure]
    report = differential.summary(short_run, deviations, SEED, differential.default_profile_checks(), 0.0)
    print(report)
    assert not failures, (
        f"{len(failures)} disagreement(s) not in tests/differential/deviations.toml:\n"
        + "\n".join(reproducer(r) for r in failures)
    )
    # A pending entry that no case matches any more: its fix has landed, remove the entry.
    # (Entries of randomised mutations, "=...", depend on the drawn parameter: not judged here.)
    landed = [d for d in deviations if d.pending and d.matched == 0 and "=" not in d.case]
    if landed:
        warnings.warn(
            "deviations.toml entries that matched no case (fixed? remove them): "
            + ", ".join(f"{d.case} [{d.status}]" for d in landed),
            stacklevel=1,
        )


def test_the_run_covers_every_mutation_and_both_usages(short_run):
    assert len(short_run) >= 300
    assert {r.case.mutation for r in short_run} == set(mutations.MUTATION_IDS)
    assert {r.case.base for r in short_run} == set(gen.BASES)


def test_the_verifiers_really_run(short_run):
    """Controls: the valid chains are accepted by all three, and plainly broken
    chains refused by all three, so a harness that refuses (or accepts)
    everything cannot pass."""
    by_mutation: dict[str, list[differential.Result]] = {}
    for r in short_run:
        by_mutation.setdefault(r.case.mutation, []).append(r)
    openssl = verifiers.openssl_available()
    for r in by_mutation["valid"]:
        assert r.verdicts["hybridtrust"].outcome == ACCEPT, reproducer(r)
        assert r.verdicts["pyca"].outcome == ACCEPT, reproducer(r)
        assert r.verdicts["openssl"].outcome == (ACCEPT if openssl else NA), reproducer(r)
    for mid in ("time.leaf-expired", "chain.missing-int", "alg.leaf-bad-signature", "store.unknown-root", "leaf.unknown-critical"):
        for r in by_mutation[mid]:
            for who in ("hybridtrust", "pyca") + (("openssl",) if openssl else ()):
                assert r.verdicts[who].outcome == REFUSE, reproducer(r)
    kinds = {r.verdicts["hybridtrust"].kind for r in short_run}
    assert {"ok", "expired", "incomplete-chain", "bad-signature", "name-mismatch", "revoked", "missing-eku"} <= kinds


def test_comparison_rules():
    a, r, n = Verdict(ACCEPT, "ok"), Verdict(REFUSE, "x"), Verdict(NA, "n/a")
    classify = differential.classify
    assert classify({"hybridtrust": a, "pyca": a, "openssl": a}) is None
    assert classify({"hybridtrust": r, "pyca": r, "openssl": r}) is None
    assert classify({"hybridtrust": a, "pyca": r, "openssl": a}) == "wrong-accept"
    assert classify({"hybridtrust": a, "pyca": n, "openssl": r}) == "wrong-accept"
    assert classify({"hybridtrust": r, "pyca": a, "openssl": a}) == "stricter"
    assert classify({"hybridtrust": r, "pyca": n, "openssl": a}) == "stricter"
    assert classify({"hybridtrust": r, "pyca": a, "openssl": r}) == "peers-split"
    assert classify({"hybridtrust": a, "pyca": n, "openssl": n}) is None
    d = differential.Deviation("int.bc.noncritical/*", "wrong-accept", "pending: profile", "pyca", "why",
                               verdicts={"hybridtrust": "accept", "pyca": "refuse", "openssl": "*"})
    assert d.covers("int.bc.noncritical/p256-server#0", "wrong-accept", {"hybridtrust": a, "pyca": r, "openssl": a})
    assert not d.covers("int.bc.noncritical/p256-server#0", "wrong-accept", {"hybridtrust": a, "pyca": a, "openssl": r})
    assert not d.covers("int.bc.noncritical/p256-server#0", "stricter", {"hybridtrust": r, "pyca": a, "openssl": a})
    assert not d.covers("int.bc.absent/p256-server#0", "wrong-accept", {"hybridtrust": a, "pyca": r, "openssl": a})


def test_the_deviation_table_is_well_formed(deviations):
    ids = [f"{m}/{b}#0" for m, b, _ in differential.full_plan()]
    seen = set()
    for d in deviations:
        seen.add((d.case, d.direction))
        # A randomised mutation's parameter ("=...") is drawn per case: match the rest.
        mutation, _, rest = d.case.partition("/")
        pattern = mutation.split("=")[0] + "/" + rest
        assert any(differential.fnmatch.fnmatchcase(i, pattern) for i in ids), f"{d.case} matches no generated case"
        assert d.right.strip() and len(d.why) > 20, d.case
    assert len(seen) == len(deviations), "two entries for the same case and direction"


def test_generation_is_reproducible():
    for mid, base in (("valid", "rsa2048-server"), ("chain.cross-signed-first", "p256-client"), ("crl.leaf-revoked", "p256-server")):
        one, two = differential.make_case(SEED, mid, base), differential.make_case(SEED, mid, base)
        assert one.leaf == two.leaf and one.presented == two.presented and one.crls == two.crls
        assert [d for _, d in one.store] == [d for _, d in two.store]
    assert differential.make_case(SEED, "valid", "p256-server").leaf != differential.make_case(SEED + 1, "valid", "p256-server").leaf


@pytest.mark.skipif(not verifiers.openssl_available(), reason="openssl is not installed")
def test_trusted_certificate_encoding_is_openssls(tmp_path):
    case = differential.make_case(SEED, "valid", "p256-server")
    root = case.certs["root"]
    (tmp_path / "root.pem").write_text(gen.pem(root))
    out = subprocess.run(
        [verifiers.OPENSSL, "x509", "-in", str(tmp_path / "root.pem"), "-addtrust", "clientAuth", "-addreject", "serverAuth", "-trustout"],
        capture_output=True, text=True, check=True,
    ).stdout
    ours = gen.trusted_certificate_pem(root, ["1.3.6.1.5.5.7.3.2"], ["1.3.6.1.5.5.7.3.1"])
    assert "".join(ours.split()) == "".join(out.split())
