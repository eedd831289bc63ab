"""Differential test of hybridtrust against pyca/cryptography's verifier and `openssl verify`.

Generates valid chains and one-field mutations of them (gen.py, mutations.py),
verifies each with the three verifiers (verifiers.py) and compares:

* wrong-accept: hybridtrust accepts, a careful peer refuses: a failure
  unless deviations.toml lists it;
* stricter: hybridtrust refuses, every available peer accepts: a failure
  unless listed (a stricter refusal is allowed, with its reason);
* peers-split: hybridtrust refuses and one peer accepts, the other refuses
  (informational: hybridtrust sides with a careful peer);
* binding-inconsistent: the Python binding gave another verdict for the same
  case through another input form (PEM text or bytes, Certificate or
  cryptography objects, a caching Verifier): always a failure.

Command line (see scripts/differential.sh):

    python tests/differential/differential.py --cases 20000 --seed 7
    python tests/differential/differential.py --seed 7 --only 'int.bc.noncritical/*' --dump /tmp/case
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11: tomli (bindings/python/requirements-dev.txt)
    import tomli as tomllib

import cryptography

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402
import mutations  # noqa: E402
import verifiers  # noqa: E402
from verifiers import ACCEPT, NA, REFUSE, Verdict  # noqa: E402

DEVIATIONS = HERE / "deviations.toml"
PEERS = ("pyca", "openssl")


def applicable_bases(mid: str) -> tuple[str, ...]:
    bases = mutations.MUTATIONS[mid][2]
    return tuple(b for b in gen.BASES if bases is None or b in bases)


def make_case(seed: int, mid: str, base: str, variant: int = 0) -> gen.Case:
    description, apply, _ = mutations.MUTATIONS[mid]
    ctx = gen.base_ctx(seed, mid, base, variant)
    apply(ctx)
    return gen.build(ctx, mid, description, variant)


def full_plan() -> list[tuple[str, str, int]]:
    """Every mutation on every base it applies to, variant 0."""
    return [(mid, base, 0) for mid in mutations.MUTATION_IDS for base in applicable_bases(mid)]


def short_plan() -> list[tuple[str, str, int]]:
    """The suite's run: every mutation once for each usage it applies to, the
    key type alternating between mutations (P-256 server with RSA client, then
    RSA server with P-256 client), variant 0."""
    plan = []
    for i, mid in enumerate(mutations.MUTATION_IDS):
        bases = applicable_bases(mid)
        for usage, first in (("server", i % 2 == 0), ("client", i % 2 == 1)):
            mine = [b for b in bases if b.endswith(usage)]
            if mine:
                pick = [b for b in mine if b.startswith("p256") == first] or mine
                plan.append((mid, pick[0], 0))
    return plan


def long_plan(cases: int) -> Iterator[tuple[str, str, int]]:
    """`cases` cases cycling through every (mutation, base) pair, each round a new variant."""
    pairs = full_plan()
    for i in range(cases):
        mid, base, _ = pairs[i % len(pairs)]
        yield mid, base, i // len(pairs)


# ------------------------------------------------------------ deviations ----


@dataclass
class Deviation:
    case: str  # an fnmatch pattern over case ids "mutation/base#variant"
    direction: str  # wrong-accept | stricter
    status: str  # "deliberate" or "pending: <topic>"
    right: str
    why: str
    found: str = "known"
    verdicts: dict[str, str] = field(default_factory=dict)  # verifier -> accept|refuse|n/a|*
    matched: int = 0

    def covers(self, case_id: str, direction: str, verdicts: dict[str, Verdict]) -> bool:
        if direction != self.direction or not fnmatch.fnmatchcase(case_id, self.case):
            return False
        return all(want in ("*", verdicts[who].outcome) for who, want in self.verdicts.items())

    @property
    def pending(self) -> bool:
        return self.status.startswith("pending:")


def load_deviations(path: Path = DEVIATIONS) -> list[Deviation]:
    data = tomllib.loads(path.read_text())
    out = []
    for i, e in enumerate(data.get("deviation", [])):
        missing = {"case", "direction", "status", "found", "right", "why", "hybridtrust", "pyca", "openssl"} - set(e)
        if missing:
            raise ValueError(f"deviations.toml entry #{i} ({e.get('case')}) lacks {sorted(missing)}")
        if e["direction"] not in ("wrong-accept", "stricter"):
            raise ValueError(f"deviations.toml entry #{i}: direction must be wrong-accept or stricter")
        if e["found"] not in ("known", "differential"):
            raise ValueError(f"deviations.toml entry #{i}: found must be known or differential")
        if not (e["status"] == "deliberate" or e["status"].startswith("pending: ")):
            raise ValueError(f"deviations.toml entry #{i}: status must be 'deliberate' or 'pending: <topic>'")
        mpat = e["case"].split("/")[0].split("=")[0]
        if not any(fnmatch.fnmatchcase(m, mpat) for m in mutations.MUTATION_IDS):
            raise ValueError(f"deviations.toml entry #{i}: no mutation matches {e['case']!r}")
        out.append(
            Deviation(
                e["case"],
                e["direction"],
                e["status"],
                e["right"],
                e["why"],
                e["found"],
                {who: e[who] for who in ("hybridtrust", *PEERS)},
            )
        )
    return out


# ------------------------------------------------------------ comparison ----


@dataclass
class Result:
    case: gen.Case
    verdicts: dict[str, Verdict]
    direction: Optional[str]  # wrong-accept | stricter | peers-split | None (agreement)
    deviation: Optional[Deviation]

    @property
    def failure(self) -> bool:
        return self.direction in ("wrong-accept", "stricter", "binding-inconsistent") and self.deviation is None


def classify(verdicts: dict[str, Verdict]) -> Optional[str]:
    ht = verdicts["hybridtrust"].outcome
    peers = [verdicts[p].outcome for p in PEERS if verdicts[p].outcome != NA]
    if not peers:
        return None
    if ht == ACCEPT and REFUSE in peers:
        return "wrong-accept"
    if ht == REFUSE and all(p == ACCEPT for p in peers):
        return "stricter"
    if ht == REFUSE and ACCEPT in peers:
        return "peers-split"
    return None


def run_case(case: gen.Case, deviations: list[Deviation], profile_checks: Optional[str]) -> Result:
    try:
        ht = verifiers.run_hybridtrust(case, profile_checks)
    except verifiers.BindingInconsistency as e:
        ht = Verdict(REFUSE if "DER list gives ('refuse'" in str(e) else ACCEPT, "binding-inconsistent", str(e))
    verdicts = {
        "hybridtrust": ht,
        "pyca": verifiers.run_pyca(case),
        "openssl": verifiers.run_openssl(case),
    }
    direction = "binding-inconsistent" if ht.kind == "binding-inconsistent" else classify(verdicts)
    dev = None
    if direction in ("wrong-accept", "stricter"):
        dev = next((d for d in deviations if d.covers(case.id, direction, verdicts)), None)
        if dev is not None:
            dev.matched += 1
    return Result(case, verdicts, direction, dev)


def default_profile_checks() -> Optional[str]:
    """`strict` once the wheel has the profile checks: pyca is a Web PKI verifier,
    and the generated roots are private, so `by-anchor-origin` would only warn on
    CA/B Forum rules."""
    env = os.environ.get("HYBRIDTRUST_DIFF_PROFILE_CHECKS")
    if env:
        return None if env == "unset" else env
    return "strict" if verifiers.supports_profile_checks() else None


def run(plan: Iterable[tuple[str, str, int]], seed: int, deviations: list[Deviation], profile_checks: Optional[str],
        progress: bool = False) -> list[Result]:
    results = []
    t0 = time.monotonic()
    for n, (mid, base, variant) in enumerate(plan, 1):
        results.append(run_case(make_case(seed, mid, base, variant), deviations, profile_checks))
        if progress and n % 500 == 0:
            print(f"  {n} cases, {time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)
    return results


# --------------------------------------------------------------- report ----


def summary(results: list[Result], deviations: list[Deviation], seed: int, profile_checks: Optional[str], elapsed: float,
            list_stale: bool = True) -> str:
    lines = []
    n = len(results)
    agree = sum(1 for r in results if r.direction is None)
    lines.append(f"differential run: seed {seed}, {n} cases, {elapsed:.1f} s; hybridtrust {verifiers.hybridtrust.__version__}, "
                 f"profile_checks={profile_checks or 'default (setting not available)'}, "
                 f"cryptography {cryptography.__version__}, "
                 f"openssl {'yes: ' + str(verifiers.OPENSSL) if verifiers.openssl_available() else 'not installed'}")
    outcomes = Counter()
    for r in results:
        outcomes[tuple(r.verdicts[w].outcome for w in ("hybridtrust", *PEERS))] += 1
    lines.append("")
    lines.append(f"{'':34} {'cases':>7}")
    lines.append(f"{'cases':34} {n:>7}")
    lines.append(f"{'agreements':34} {agree:>7}")
    kinds = Counter()
    for r in results:
        if r.direction is None:
            continue
        if r.direction == "peers-split":
            kinds["peers-split (informational)"] += 1
        elif r.deviation is None:
            kinds[f"{r.direction}: UNLISTED (failure)"] += 1
        elif r.deviation.pending:
            kinds[f"{r.direction}: {r.deviation.status}"] += 1
        else:
            kinds[f"{r.direction}: deliberate"] += 1
    lines.append("disagreements by kind:")
    for k, v in sorted(kinds.items()):
        lines.append(f"  {k:32} {v:>7}")
    lines.append("verdict triples (hybridtrust, pyca, openssl):")
    for k, v in sorted(outcomes.items()):
        lines.append(f"  {' / '.join(k):32} {v:>7}")
    by_mut: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for r in results:
        if r.direction is not None:
            by_mut[(r.case.mutation, r.direction)].append(r)
    if by_mut:
        lines.append("")
        lines.append("disagreements by mutation (first case's verdicts):")
        for (mid, direction), rs in sorted(by_mut.items()):
            r = rs[0]
            status = "peers-split" if direction == "peers-split" else (r.deviation.status if r.deviation else "UNLISTED")
            bases = ",".join(sorted({x.case.base for x in rs}))
            lines.append(f"  {mid} [{direction}, {status}] x{len(rs)} ({bases})")
            for w in ("hybridtrust", *PEERS):
                lines.append(f"      {w:11} {r.verdicts[w]}")
    stale = [d for d in deviations if d.matched == 0]
    if stale and list_stale:
        lines.append("")
        lines.append("deviation entries that matched no case in this run:")
        for d in stale:
            lines.append(f"  {d.case} [{d.direction}, {d.status}]")
    return "\n".join(lines)


def dump(case: gen.Case, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "leaf.pem").write_text(gen.pem(case.leaf))
    (directory / "chain.pem").write_text(gen.pem(case.leaf) + "".join(gen.pem(x) for x in case.presented))
    for name, der in case.certs.items():
        (directory / f"{name}.pem").write_text(gen.pem(der))
    if case.crls:
        (directory / "crls.pem").write_text("".join(gen.pem(c, "X509 CRL") for c in case.crls))
    if verifiers.openssl_available():
        cmd = verifiers.openssl_command(case, str(directory))
        (directory / "openssl.sh").write_text(" ".join(f"'{a}'" for a in cmd) + "\n")
    (directory / "case.txt").write_text(
        f"id: {case.id}\nseed: {case.seed}\ndescription: {case.description}\nusage: {case.usage}\n"
        f"at: {case.at.isoformat()}\nhost: {case.host}\ncrl scope: {case.crl_scope}\n"
        f"store: {[(i.cert, i.form, i.trust, i.reject) for i, _ in case.store]}\n"
    )


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=0, help="number of cases (default: the short run, every mutation on every base once)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", help="fnmatch pattern over case ids (mutation/base#variant)")
    ap.add_argument("--dump", type=Path, help="write the matching cases' files (PEMs, openssl command) under this folder")
    ap.add_argument("--profile-checks", help="strict | by-anchor-origin | lenient | unset (default: strict when supported)")
    ap.add_argument("--list", action="store_true", help="list the mutation ids and exit")
    ap.add_argument("--verbose", action="store_true", help="print every disagreeing case with its details")
    args = ap.parse_args(argv)
    if args.list:
        for mid in mutations.MUTATION_IDS:
            print(f"{mid:40} {','.join(applicable_bases(mid)):60} {mutations.MUTATIONS[mid][0]}")
        return 0
    if args.profile_checks:
        os.environ["HYBRIDTRUST_DIFF_PROFILE_CHECKS"] = args.profile_checks
    pc = default_profile_checks()
    deviations = load_deviations()
    plan = list(long_plan(args.cases)) if args.cases else (full_plan() if args.only else short_plan())
    if args.only:
        plan = [p for p in plan if fnmatch.fnmatchcase(f"{p[0]}/{p[1]}#{p[2]}", args.only)]
        # A reproducer may name a variant beyond the plan's.
        if not plan and "#" in args.only and "*" not in args.only and "?" not in args.only:
            mid, rest = args.only.split("/", 1)
            base, variant = rest.split("#")
            plan = [(mid, base, int(variant))]
    t0 = time.monotonic()
    results = run(plan, args.seed, deviations, pc, progress=args.cases > 0)
    elapsed = time.monotonic() - t0
    print(summary(results, deviations, args.seed, pc, elapsed, list_stale=not args.only))
    if args.verbose or args.only:
        for r in results:
            if args.only or r.direction is not None:
                print(f"\n{r.case.id}: {r.case.description} [{r.direction or 'agree'}]")
                for w in ("hybridtrust", *PEERS):
                    v = r.verdicts[w]
                    print(f"  {w:11} {v}  {v.detail[:300]}")
    if args.dump:
        for r in results:
            dump(r.case, args.dump / r.case.id.replace("/", "_").replace("#", "_"))
    failures = [r for r in results if r.failure]
    if failures:
        print(f"\n{len(failures)} unlisted disagreement(s):")
        for r in failures:
            print(f"  {r.case.id} [{r.direction}] " + "; ".join(f"{w}: {r.verdicts[w]}" for w in ("hybridtrust", *PEERS)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
