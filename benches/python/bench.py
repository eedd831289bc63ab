"""Python-side measurements for scripts/bench.sh; prints one JSON object per line.

    python bench.py DATA_DIR verify ROUNDS BATCH   hybridtrust vs cryptography, per call (ns), paired
    python bench.py DATA_DIR threads SECONDS REPS  1 vs 2 threads verifying different chains
    python bench.py DATA_DIR ssl-load REPS         ssl.SSLContext().load_verify_locations (10,000 roots)

Runs in the benchmark's own venv (target/bench-venv: the release wheel and
cryptography). Timings are medians of batches; nothing here asserts a timing.
"""

from __future__ import annotations

import json
import ssl
import statistics
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import hybridtrust

AT = datetime(2026, 6, 1, tzinfo=timezone.utc)
NAME = "callservice.webex.com"


def load(data: Path, alg: str) -> tuple[bytes, list[bytes]]:
    d = data / alg
    root = (d / "root.pem").read_bytes()
    return root, [(d / "leaf.der").read_bytes(), (d / "inter.der").read_bytes()]


def ht_verifier(root_pem: bytes) -> hybridtrust.Verifier:
    store = hybridtrust.TrustStore.builder(at=AT).add_pem(root_pem, label="root").build()
    # Uncached, like the Rust and C figures it is compared with: every call verifies.
    return hybridtrust.Verifier(store, hybridtrust.Policy.server_auth(at=AT), cache_size=0)


def cmd_verify(data: Path, rounds: int, batch: int) -> None:
    from cryptography import x509
    from cryptography.x509.verification import PolicyBuilder, Store

    rule = hybridtrust.IdentityRule.san(NAME)
    for alg in ("ecdsa-p256", "rsa-2048"):
        root_pem, chain = load(data, alg)
        v = ht_verifier(root_pem)
        assert v.verify(chain, rule).matched_name == NAME

        root = x509.load_pem_x509_certificate(root_pem)
        leaf = x509.load_der_x509_certificate(chain[0])
        inter = x509.load_der_x509_certificate(chain[1])
        pyca = (
            PolicyBuilder()
            .store(Store([root]))
            .time(AT)
            .build_server_verifier(x509.DNSName(NAME))
        )
        pyca.verify(leaf, [inter])

        # Alternate short batches of the two (the order flips every round) so
        # that load from other processes hits both alike; the median of the
        # per-pair ratios is the comparison.
        def timed(f: Callable[[], object]) -> float:
            t = time.perf_counter_ns()
            for _ in range(batch):
                f()
            return (time.perf_counter_ns() - t) / batch

        ours = lambda: v.verify(chain, rule)  # noqa: E731
        theirs = lambda: pyca.verify(leaf, [inter])  # noqa: E731
        for _ in range(min(batch, 200)):
            ours()
            theirs()
        hs, cs, ratios = [], [], []
        for r in range(rounds):
            if r % 2 == 0:
                h = timed(ours)
                c = timed(theirs)
            else:
                c = timed(theirs)
                h = timed(ours)
            hs.append(h)
            cs.append(c)
            ratios.append(h / c)
        for who, samples in (("python-hybridtrust", hs), ("python-cryptography", cs)):
            print(
                json.dumps(
                    {
                        "what": who,
                        "alg": alg,
                        "median_ns": statistics.median(samples),
                        "min_ns": min(samples),
                        "max_ns": max(samples),
                        "rounds": rounds,
                        "batch": batch,
                    }
                ),
                flush=True,
            )
        print(
            json.dumps(
                {
                    "what": "python-paired",
                    "alg": alg,
                    "ratio": statistics.median(ratios),
                    "ratio_min": min(ratios),
                    "ratio_max": max(ratios),
                    "rounds": rounds,
                    "batch": batch,
                }
            ),
            flush=True,
        )


def throughput(pairs: list[tuple[hybridtrust.Verifier, list[bytes]]], secs: float) -> tuple[float, float]:
    """Calls per second, and the CPUs the process got meanwhile (CPU s per s)."""
    rule = hybridtrust.IdentityRule.san(NAME)
    stop = threading.Event()
    counts = [0] * len(pairs)

    def work(i: int) -> None:
        v, chain = pairs[i]
        n = 0
        while not stop.is_set():
            v.verify(chain, rule)
            n += 1
        counts[i] = n

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(pairs))]
    cpu = time.process_time()
    t = time.perf_counter()
    for th in threads:
        th.start()
    time.sleep(secs)
    stop.set()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t
    return sum(counts) / wall, (time.process_time() - cpu) / wall


def cmd_threads(data: Path, secs: float, reps: int) -> None:
    pairs = []
    for alg in ("ecdsa-p256", "ecdsa-p256-b"):
        root_pem, chain = load(data, alg)
        pairs.append((ht_verifier(root_pem), chain))
    ones, twos, ratios, cpus_one, cpus_two = [], [], [], [], []
    for _ in range(reps):
        one, c1 = throughput(pairs[:1], secs)
        two, c2 = throughput(pairs, secs)
        cpus_one.append(c1)
        cpus_two.append(c2)
        ones.append(one)
        twos.append(two)
        ratios.append(two / one)
    print(
        json.dumps(
            {
                "what": "python-threads",
                "one_per_s": statistics.median(ones),
                "two_per_s": statistics.median(twos),
                "ratio": statistics.median(ratios),
                "ratio_min": min(ratios),
                "ratio_max": max(ratios),
                "cpus_one": statistics.median(cpus_one),
                "cpus_two": statistics.median(cpus_two),
                "reps": reps,
            }
        ),
        flush=True,
    )


def cmd_ssl_load(data: Path, reps: int) -> None:
    path = str(data / "bundle-10000.pem")
    samples = []
    for _ in range(reps):
        t = time.perf_counter_ns()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(cafile=path)
        samples.append(time.perf_counter_ns() - t)
        assert ctx.cert_store_stats()["x509_ca"] == 10_000
    print(
        json.dumps(
            {
                "what": "python-ssl-load-10000",
                "median_ns": statistics.median(samples),
                "min_ns": min(samples),
                "max_ns": max(samples),
                "reps": reps,
                "openssl": ssl.OPENSSL_VERSION,
            }
        ),
        flush=True,
    )


def main(argv: list[str]) -> None:
    data, cmd, rest = Path(argv[1]), argv[2], argv[3:]
    if cmd == "verify":
        cmd_verify(data, int(rest[0]), int(rest[1]))
    elif cmd == "threads":
        cmd_threads(data, float(rest[0]), int(rest[1]))
    elif cmd == "ssl-load":
        cmd_ssl_load(data, int(rest[0]))
    else:
        raise SystemExit(f"unknown command {cmd!r}")


if __name__ == "__main__":
    main(sys.argv)
