"""The three verifiers, each giving a Verdict for a Case.

* hybridtrust, through the installed Python module;
* pyca/cryptography's verifier (cryptography.x509.verification), configured
  as its documentation says: PolicyBuilder().store(Store(roots)).time(t)
  .build_server_verifier(DNSName(name) | IPAddress(ip)) or
  .build_client_verifier(), then .verify(leaf, intermediates);
* `openssl verify` (when installed), strict: -x509_strict, -auth_level 2
  (112-bit security: RSA >= 2048, no SHA-1), -purpose sslserver|sslclient,
  only the case's own trust store (-no-CApath -no-CAstore), -partial_chain
  (any store certificate is a trust anchor, as in RFC 5280 6.1 and the other
  two verifiers), -attime, -verify_hostname / -verify_ip, -crl_check(_all).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from typing import Optional

from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import verification as pv

import hybridtrust
from gen import Case, pem, trusted_certificate_pem

ACCEPT, REFUSE, NA = "accept", "refuse", "n/a"


@dataclass(frozen=True)
class Verdict:
    outcome: str  # accept | refuse | n/a
    kind: str  # a short reason: the diagnosis kind, pyca's message, OpenSSL's error
    detail: str = ""

    def __str__(self) -> str:
        return self.outcome if self.outcome == ACCEPT else f"{self.outcome} ({self.kind})"


# ----------------------------------------------------------- hybridtrust ----

_PROFILE_CHECKS: Optional[bool] = None


def supports_profile_checks() -> bool:
    """True when this wheel's Policy takes `profile_checks` (the profile checks are merged)."""
    global _PROFILE_CHECKS
    if _PROFILE_CHECKS is None:
        try:
            hybridtrust.Policy(profile_checks="strict")
            _PROFILE_CHECKS = True
        except TypeError:
            _PROFILE_CHECKS = False
    return _PROFILE_CHECKS


def store_for(case: Case) -> hybridtrust.TrustStore:
    b = hybridtrust.TrustStore.builder(at=case.at)
    for i, (item, der) in enumerate(case.store):
        label = f"store-{i}-{item.cert}"
        if item.form == "pem":
            b = b.add_pem(pem(der), label=label)
        elif item.form == "der":
            b = b.add_der(der, label=label)
        elif item.form == "trusted":
            b = b.add_pem(trusted_certificate_pem(der, item.trust, item.reject), label=label)
        else:
            raise ValueError(f"unknown store form {item.form}")
    return b.build()


def run_hybridtrust(case: Case, profile_checks: Optional[str], check_binding: bool = True) -> Verdict:
    store = store_for(case)
    findings = ",".join(sorted({f.kind.value for f in store.findings}))
    kw: dict = {"at": case.at}
    if case.crls:
        kw["crls"] = list(case.crls)
        kw["revocation_scope"] = "end-entity" if case.crl_scope == "leaf" else "chain"
    if profile_checks:
        kw["profile_checks"] = profile_checks
    kw.update(case.hybridtrust_policy)
    try:
        policy = hybridtrust.Policy("server-auth" if case.usage == "server" else "client-auth", **kw)
    except hybridtrust.ParseError as e:  # a CRL the policy refuses to take: nothing can verify
        return Verdict(REFUSE, "crl-refused", str(e))
    identity = None
    if case.host is not None:
        try:
            identity = hybridtrust.IdentityRule.san(case.host)
        except ValueError as e:
            return Verdict(REFUSE, "reference-name-refused", str(e))
    try:
        v = hybridtrust.verify(store, [case.leaf, *case.presented], policy, identity)
    except hybridtrust.VerificationError as e:
        d = e.diagnosis
        verdict = Verdict(REFUSE, d.kind.value, f"{d.message} [store findings: {findings}]")
    else:
        warnings = ",".join(w.kind.value for w in v.warnings)
        verdict = Verdict(ACCEPT, "ok", f"warnings: {warnings or '-'}; store findings: {findings or '-'}")
    if check_binding:
        binding_consistency(case, store, policy, identity, verdict)
    return verdict


class BindingInconsistency(AssertionError):
    """The same case gave another verdict through another input form of the Python binding."""


def _outcome(fn) -> tuple[str, str]:
    try:
        fn()
    except hybridtrust.VerificationError as e:
        return REFUSE, e.diagnosis.kind.value
    return ACCEPT, "ok"


def binding_consistency(case: Case, store, policy, identity, verdict: Verdict) -> None:
    """The verdict must not depend on how the chain reaches the binding: PEM
    text, one PEM bytes buffer, hybridtrust.Certificate objects, cryptography
    certificates (when cryptography parses them), or a caching Verifier asked
    twice (the second answer may come from its cache)."""
    chain = [case.leaf, *case.presented]
    forms = {
        "pem-text": lambda: "".join(pem(d) for d in chain),
        "pem-bytes": lambda: "".join(pem(d) for d in chain).encode(),
        "certificate-objects": lambda: [hybridtrust.Certificate.from_der(d) for d in chain],
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            crypto = [x509.load_der_x509_certificate(d) for d in chain]
        forms["cryptography-objects"] = lambda: crypto
    except ValueError:
        pass
    want = (verdict.outcome, verdict.kind)
    for form, make in forms.items():
        try:
            given = make()
        except (ValueError, hybridtrust.ParseError):
            continue  # a certificate this form cannot carry (e.g. one the full parser refuses)
        try:
            got = _outcome(lambda: hybridtrust.verify(store, given, policy, identity))
        except hybridtrust.ParseError:
            got = (REFUSE, "parse-error")
        if got[0] != want[0]:
            raise BindingInconsistency(f"{case.id}: {form} gives {got}, DER list gives {want}")
    verifier = hybridtrust.Verifier(store, policy)
    for attempt in ("first", "cached"):
        got = _outcome(lambda: verifier.verify(chain, identity))
        if got != want:
            raise BindingInconsistency(f"{case.id}: Verifier.verify ({attempt}) gives {got}, verify gives {want}")


# ------------------------------------------------------------------ pyca ----


def _pyca_reason(message: str) -> str:
    m = message.strip().splitlines()[0] if message.strip() else "error"
    m = re.sub(r"0x[0-9a-f]+|\d{4,}", "#", m)
    return m[:90]


def run_pyca(case: Case) -> Verdict:
    if case.pyca_na:
        return Verdict(NA, "n/a", case.pyca_na)
    try:
        with warnings.catch_warnings():  # cryptography warns about non-positive serials (serial.* cases)
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            roots = [x509.load_der_x509_certificate(der) for _, der in case.store]
            leaf = x509.load_der_x509_certificate(case.leaf)
            inters = [x509.load_der_x509_certificate(d) for d in case.presented]
    except ValueError as e:
        return Verdict(REFUSE, "unparsable", str(e))
    try:
        builder = pv.PolicyBuilder().store(pv.Store(roots)).time(case.at.astimezone(dt.timezone.utc).replace(tzinfo=None))
        if case.usage == "server":
            try:
                subject = x509.IPAddress(ipaddress.ip_address(case.host))
            except ValueError:
                subject = x509.DNSName(case.host)
            verifier = builder.build_server_verifier(subject)
        else:
            verifier = builder.build_client_verifier()
        verifier.verify(leaf, inters)
    except pv.VerificationError as e:
        return Verdict(REFUSE, _pyca_reason(str(e)), str(e))
    except ValueError as e:  # a certificate or name pyca cannot take at all
        return Verdict(REFUSE, "invalid-input: " + _pyca_reason(str(e)), str(e))
    return Verdict(ACCEPT, "ok")


# --------------------------------------------------------------- OpenSSL ----

OPENSSL = os.environ.get("HYBRIDTRUST_DIFF_OPENSSL") or shutil.which("openssl")
_ERROR = re.compile(r"error (\d+) at (\d+) depth lookup: ?(.*)")


def openssl_available() -> bool:
    return bool(OPENSSL) and os.access(OPENSSL, os.X_OK)


def openssl_command(case: Case, d: str) -> list[str]:
    """Writes the case's files into d and returns the `openssl verify` command."""

    def write(name: str, text: str) -> str:
        p = os.path.join(d, name)
        with open(p, "w") as f:
            f.write(text)
        return p

    ca = []
    for item, der in case.store:
        ca.append(trusted_certificate_pem(der, item.trust, item.reject) if item.form == "trusted" else pem(der))
    args = [
        OPENSSL,
        "verify",
        "-x509_strict",
        "-auth_level",
        "2",
        "-purpose",
        "sslserver" if case.usage == "server" else "sslclient",
        "-no-CApath",
        "-no-CAstore",
        "-partial_chain",
        "-CAfile",
        write("store.pem", "".join(ca)),
        "-attime",
        str(int(case.at.timestamp())),
    ]
    if case.presented:
        args += ["-untrusted", write("untrusted.pem", "".join(pem(x) for x in case.presented))]
    if case.host is not None:
        try:
            ipaddress.ip_address(case.host)
            args += ["-verify_ip", case.host]
        except ValueError:
            args += ["-verify_hostname", case.host]
    if case.crls:
        args += ["-CRLfile", write("crls.pem", "".join(pem(c, "X509 CRL") for c in case.crls))]
        args += ["-crl_check"] if case.crl_scope == "leaf" else ["-crl_check_all"]
    args.append(write("leaf.pem", pem(case.leaf)))
    return args


def run_openssl(case: Case) -> Verdict:
    if not openssl_available():
        return Verdict(NA, "n/a", "openssl is not installed")
    with tempfile.TemporaryDirectory(prefix="ht-diff-") as d:
        args = openssl_command(case, d)
        try:
            p = subprocess.run(args, capture_output=True, text=True, timeout=30, errors="replace")
        except UnicodeEncodeError:
            return Verdict(NA, "n/a", "the reference name cannot be passed to openssl")
    out = p.stdout + p.stderr
    if p.returncode == 0 and re.search(r": OK\s*$", p.stdout):
        return Verdict(ACCEPT, "ok")
    m = _ERROR.search(out)
    if m:
        return Verdict(REFUSE, f"{m.group(1)}@{m.group(2)}: {m.group(3).strip()}", out.strip()[-400:])
    if "Could not read" in out or "unable to load" in out.lower() or "Could not find" in out:
        return Verdict(REFUSE, "unparsable", out.strip()[-400:])
    if p.returncode == 1 and "Invalid" in out:
        return Verdict(NA, "n/a", "openssl refused the arguments: " + out.strip()[-200:])
    return Verdict(REFUSE, f"exit-{p.returncode}", out.strip()[-400:])
