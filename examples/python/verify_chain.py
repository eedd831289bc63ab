"""Verify the example SIP chains against the Webex hybrid zone, as an Expressway-E would.

Run: python examples/python/verify_chain.py
"""

from datetime import datetime, timezone
from pathlib import Path

import hybridtrust

DATA = Path(__file__).resolve().parent.parent / "data"
AT = datetime(2026, 6, 1, tzinfo=timezone.utc)  # the example data's validation time

store = hybridtrust.TrustStore.builder(at=AT).add_dir(DATA / "certs").build()
zone = hybridtrust.Zone.webex_hybrid()
policy = hybridtrust.Policy.server_auth(at=AT)

verdicts = {}
for chain in sorted((DATA / "chains").glob("*.pem")):
    try:
        verified = zone.verify_outbound(store, chain, policy)
    except hybridtrust.VerificationError as e:
        d = e.diagnosis
        verdicts[chain.name] = d.kind.value
        print(f"{chain.name}: REFUSED ({d.kind})")
        print(f"    certificate #{d.index}: {d.subject}")
        print(f"    next step: {d.hint}")
    else:
        verdicts[chain.name] = "trusted"
        print(f"{chain.name}: trusted as {verified.matched_name!r}, anchor from {verified.anchor_provenance}")
        for w in verified.warnings:
            print(f"    warning: {w.kind}: {w.message}")

assert verdicts["callservice-full.pem"] == "trusted"
assert verdicts["callservice-leaf-only.pem"] == "incomplete-chain"
assert verdicts["expired.pem"] == "expired"
