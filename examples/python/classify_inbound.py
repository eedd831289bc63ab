"""Classify inbound SIP TLS connections into the Webex hybrid zone or the Default Zone,
with strict clientAuth checking and with the clientAuth-sunset transition mode.

Run: python examples/python/classify_inbound.py
"""

from datetime import datetime, timezone
from pathlib import Path

import hybridtrust

DATA = Path(__file__).resolve().parent.parent / "data"
AT = datetime(2026, 6, 1, tzinfo=timezone.utc)

store = hybridtrust.TrustStore.builder(at=AT).add_dir(DATA / "certs").build()
policy = hybridtrust.Policy(at=AT)
strict = hybridtrust.Zone.webex_hybrid()
transition = hybridtrust.Zone("webex-hybrid", "callservice.webex.com", eku_mode=hybridtrust.EkuMode.ACCEPT_SERVER_AUTH_ONLY)

for name in ["callservice-full.pem", "cn-only.pem", "server-auth-only.pem", "expired.pem"]:
    chain = hybridtrust.parse_chain(DATA / "chains" / name)
    for label, zone in [("strict EKU", strict), ("transition", transition)]:
        inbound = zone.classify_inbound(store, chain, policy)
        if inbound:
            assert inbound.verified is not None
            how = inbound.verified.identity
            print(f"{name} ({label}): zone {inbound.zone!r} via {how}")
        else:
            assert inbound.diagnosis is not None
            print(f"{name} ({label}): Default Zone, {inbound.diagnosis.kind}: {inbound.diagnosis.message}")

assert not strict.classify_inbound(store, DATA / "chains" / "server-auth-only.pem", policy)
assert transition.classify_inbound(store, DATA / "chains" / "server-auth-only.pem", policy)
