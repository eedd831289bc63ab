"""Assemble a Device Connector trust store and report what an admin should know.

Sources: the embedded Webex cloud CAs, the example CA folder, and the device
tool folder ([home]/.devicestool/certs, if present). Run:
python examples/python/inventory_store.py
"""

from datetime import datetime, timezone
from pathlib import Path

import hybridtrust

DATA = Path(__file__).resolve().parent.parent / "data"
profile = hybridtrust.Profile.device_connector()

store = (
    hybridtrust.TrustStore.builder(at=datetime(2026, 6, 1, tzinfo=timezone.utc))
    .add_profile_cas(profile)
    .add_dir(DATA / "certs")
    .add_device_tool_certs()
    .require_profile(profile)
    .build()
)

print(f"{len(store)} trusted CAs")
for anchor in store.anchors:
    print(f"  {anchor.subject}  [{anchor.provenance}]")
print(f"{len(store.findings)} findings (worst: {store.worst_severity})")
for finding in store.findings:
    print(f"  {finding}")
print(f"profile {profile.name}:")
for presence in profile.check_store(store):
    where = presence.present.source if presence.present else "MISSING"
    print(f"  {presence.ca.status.value:8} {presence.ca.name}: {where}")

assert any(p.present for p in profile.check_store(store))
