#!/usr/bin/env python3
"""Writes the committed seed corpus of each fuzz target from the example data.

Run from anywhere: python3 fuzz/seeds/make_seeds.py. Inputs follow each
target's layout (see the doc comment of fuzz/fuzz_targets/*.rs); pieces are
separated by the bytes FF 00 FF.
"""
import base64
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = ROOT / "examples" / "data"
SEP = b"\xff\x00\xff"


def ders(pem: bytes) -> list[bytes]:
    blocks = re.findall(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", pem, re.S)
    return [base64.b64decode(b"".join(b.split())) for b in blocks]


def write(target: str, name: str, data: bytes) -> None:
    d = HERE / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


root_pem = (DATA / "certs" / "example-hybrid-root.pem").read_bytes()
partner_der = (DATA / "certs" / "partner-root.der").read_bytes()
retired_pem = (DATA / "certs" / "retired-ca.pem").read_bytes()
chains = {p.stem: p.read_bytes() for p in sorted((DATA / "chains").glob("*.pem"))}
sha1_root = (ROOT / "tests" / "fixtures" / "sha1-root.pem").read_bytes()
full = ders(chains["callservice-full"])

# store_load: mode byte (bit 7 strict; 0 pem, 1 der, 2..5 files/dirs, else by content), then bytes.
write("store_load", "pem", b"\x00" + root_pem)
write("store_load", "der", b"\x01" + partner_der)
write("store_load", "bytes-bundle", b"\x06" + root_pem + b"notes\n" + retired_pem + sha1_root)
write("store_load", "dir", b"\x03" + SEP.join([root_pem, partner_der, b"not a cert", retired_pem]))
write("store_load", "dir-strict", b"\x85" + SEP.join([root_pem, full[0], partner_der]))
write("store_load", "leaf-as-ca", b"\x06" + chains["callservice-full"])
# OpenSSL TRUSTED CERTIFICATEs (trust settings after the certificate), beside a plain copy.
reject_server = (ROOT / "bindings" / "c" / "tests" / "data" / "root-reject-server.pem").read_bytes()
distrusted = (ROOT / "bindings" / "c" / "tests" / "data" / "root-distrusted.pem").read_bytes()
write("store_load", "trusted-certificates", b"\x00" + reject_server + root_pem + distrusted)
# A restricted anchor alone: a plain export leaves it out (it once broke the export check).
write("store_load", "trusted-reject-only", b"\x00" + reject_server)

# verify_chain: policy byte, time byte (128 = 2026-06-01), flags, certificates.
for name, pem in chains.items():
    write("verify_chain", f"der-{name}", bytes([0, 128, 0]) + SEP.join(ders(pem)))
    write("verify_chain", f"pem-{name}", bytes([0, 128, 2]) + pem)
write("verify_chain", "client-transition", bytes([3, 128, 0x04]) + SEP.join(ders(chains["server-auth-only"])))
write("verify_chain", "extra-anchor", bytes([0, 128, 1]) + SEP.join(full + [partner_der]))

# identity: a reference name, then a certificate.
for name, pem in chains.items():
    leaf = ders(pem)[0]
    for ref in [b"callservice.webex.com", b"sip.webex.com", b"CallService.Webex.COM.", b"10.0.0.1"]:
        write("identity", f"{name}-{ref.decode().lower().rstrip('.')}", ref + SEP + leaf)
write("identity", "pem", b"exchange.example.com" + SEP + chains["exchange"])

# c_api: selector, time, then label, store bytes, chain, name, alias, zone JSON.
zone = b'{"name": "partner", "subject_name": "sip.partner.example", "wildcards": "leftmost-label"}'
write("c_api", "verify", bytes([0, 106]) + SEP.join([b"label", root_pem, chains["callservice-full"], b"callservice.webex.com", b"sip.webex.com", zone]))
write("c_api", "zone-json", bytes([0x20, 106]) + SEP.join([b"label", partner_der, chains["cn-only"], b"callservice.webex.com", b"", zone]))
write("c_api", "der-chain", bytes([0x06, 106]) + SEP.join([b"", partner_der, full[0], b"10.0.0.1", b"x", b"{}"]))
write("c_api", "bad-utf8", bytes([0x41, 0]) + SEP.join([b"\xff\xfe", b"", b"\xc3", b"\xc3(", b"", b"\xff"]))
