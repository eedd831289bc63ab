"""Verification from many Python threads while another swaps the trust store.

The module has no shared-store handle of its own: a service keeps the current
`TrustStore` (or a `Verifier` over it) in a variable and rebinds it. Every
result must be consistent with the store generation it reports: an accept only
from a store that trusts the root, a refusal only from one that does not.
"""

from __future__ import annotations

import threading
import time

import hybridtrust
from conftest import AT, Pki, ca

SWAPS = 300
READERS = 4


def test_verify_while_the_store_is_swapped(pki: Pki) -> None:
    trusting = [pki.store() for _ in range(2)]
    other_root = ca("Unrelated Root CA")
    distrusting = [
        hybridtrust.TrustStore.builder(at=AT).add_pem(other_root.pem, label="other").build()
        for _ in range(2)
    ]
    trusting_gens = {s.generation for s in trusting}
    distrusting_gens = {s.generation for s in distrusting}
    assert len(trusting_gens | distrusting_gens) == 4

    policy = hybridtrust.Policy.server_auth(at=AT)
    verifiers = [hybridtrust.Verifier(s, policy) for s in trusting + distrusting]
    chain = pki.chain("callservice.webex.com")
    current = {"verifier": verifiers[0]}
    done = threading.Event()
    errors: list[str] = []
    counts = {"accepted": 0, "refused": 0}
    lock = threading.Lock()

    def reader() -> None:
        accepted = refused = 0
        try:
            while not done.is_set():
                verifier = current["verifier"]  # one atomic read of the snapshot
                try:
                    verified = verifier.verify(chain, "callservice.webex.com")
                except hybridtrust.VerificationError as e:
                    d = e.diagnosis
                    if d.store_generation not in distrusting_gens:
                        errors.append(f"refused by generation {d.store_generation} ({d.kind})")
                    if verifier.store.generation != d.store_generation:
                        errors.append("diagnosis reports another store than the verifier's")
                    refused += 1
                else:
                    if verified.store_generation not in trusting_gens:
                        errors.append(f"accepted by generation {verified.store_generation}")
                    if verified.anchor.certificate.der != pki.root.der:
                        errors.append("accepted with an anchor other than the root")
                    accepted += 1
        except Exception as e:  # pragma: no cover - reported below
            errors.append(repr(e))
        with lock:
            counts["accepted"] += accepted
            counts["refused"] += refused

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    for t in threads:
        t.start()
    try:
        for i in range(SWAPS):
            current["verifier"] = verifiers[i % len(verifiers)]
            time.sleep(0.001)
    finally:
        done.set()
        for t in threads:
            t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    assert errors == [], errors[:5]
    assert counts["accepted"] > 0 and counts["refused"] > 0, counts


def test_stores_built_concurrently_get_distinct_generations(pki: Pki) -> None:
    generations: list[int] = []
    lock = threading.Lock()

    def build() -> None:
        for _ in range(25):
            g = pki.store().generation
            with lock:
                generations.append(g)

    threads = [threading.Thread(target=build) for _ in range(READERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(generations) == 25 * READERS
    assert len(set(generations)) == len(generations)
