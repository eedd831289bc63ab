#!/usr/bin/env bash
# The performance harness: builds what it needs in release mode, runs every
# benchmark (Rust criterion, the probe, Python, C) and prints one table of
# the performance targets with their baselines, measured ratios and pass/miss.
#
#   ./scripts/bench.sh            full run (about 10 minutes on 2 cores)
#   ./scripts/bench.sh --quick    short measurements: proves the harness runs
#
# Ratios are measured side by side in one run (medians). A missed target is
# reported, not an exit code; the script fails only when the harness itself
# breaks (a build, a benchmark, or a missing result).
# Outputs: target/perf/results.jsonl, target/perf/report.md, target/perf/growth.svg.
# Needs a Rust toolchain, Python 3 and a C compiler; the benchmark venv
# (target/bench-venv: the release wheel and cryptography) is made here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

quick=0
case "${1:-}" in
  --quick) quick=1 ;;
  "") ;;
  *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac

target=${CARGO_TARGET_DIR:-$root/target}
case $target in /*) ;; *) target=$root/$target ;; esac
export CARGO_TARGET_DIR=$target
out=$target/perf
data=$out/data
export HT_PERF_DATA=$data
python=${PYTHON:-python3}
venv=$target/bench-venv
mkdir -p "$out"

if [ "$quick" = 1 ]; then
  crit=(--warm-up-time 0.2 --measurement-time 0.5 --sample-size 10)
  rounds=5 batch=20 reps=1 prounds=41 pbatch=5 secs=0.3 treps=3 sslreps=1 grounds=3 gbatch=10
else
  crit=(--warm-up-time 1 --measurement-time 4 --sample-size 30)
  rounds=21 batch=200 reps=3 prounds=301 pbatch=10 secs=1.5 treps=5 sslreps=3 grounds=11 gbatch=100
fi

step() { printf '\n=== bench: %s ===\n' "$*" >&2; }
start=$(date +%s)
results=$out/results.jsonl
: >"$results"

step "build (release): libhybridtrust, the probe"
cargo build --release --locked -p hybridtrust-ffi
# Its SONAME is libhybridtrust.so.MAJOR (bindings/c/build.rs), the name the C
# benchmark loads: give the build tree the link an install makes.
ln -sf libhybridtrust.so "$target/release/libhybridtrust.so.$(cargo pkgid -p hybridtrust-ffi | sed 's/.*@//; s/\..*//')"
cargo build --release --locked --example perf_probe
probe=$target/release/examples/perf_probe

step "fixtures ($data)"
"$probe" fixtures >&2

step "benchmark venv and the release wheel ($venv)"
if ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
# The versions the Python test suite pins.
"$venv/bin/python" -m pip install --quiet \
  $(grep -E '^(maturin|cryptography)==' "$root/bindings/python/requirements-dev.txt")
rm -rf "$out/wheels"
(cd "$root/bindings/python" && "$venv/bin/maturin" build --locked --release \
  --interpreter "$venv/bin/python" --out "$out/wheels")
wheels=("$out"/wheels/hybridtrust-*-cp39-abi3-*.whl)
[ -f "${wheels[0]}" ] || { echo "no wheel was built" >&2; exit 1; }
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "${wheels[0]}"

step "C benchmark against the release libhybridtrust"
cbench=$out/bench_verify
"${CC:-cc}" -O2 -Wall -Wextra -Werror -std=c11 -I"$root/include" "$root/benches/c/bench_verify.c" \
  -o "$cbench" -L"$target/release" -Wl,-rpath,"$target/release" -lhybridtrust -lpthread -ldl -lm

step "criterion: verify, store (${crit[*]})"
cargo bench --locked --bench verify --bench store -- "${crit[@]}" >&2

step "per call: Rust, C and Python on the same chains, interleaved ($reps reps); paired comparisons"
for _ in $(seq "$reps"); do
  for alg in ecdsa-p256 rsa-2048; do
    "$probe" verify "$alg" "$rounds" "$batch" >>"$results"
    "$probe" paired "$alg" "$prounds" "$pbatch" >>"$results"
    "$cbench" "$data" "$alg" "$rounds" "$batch" >>"$results"
  done
  (cd "$out" && "$venv/bin/python" "$root/benches/python/bench.py" "$data" verify "$prounds" "$pbatch") >>"$results"
done
"$probe" paired-store "$prounds" "$pbatch" >>"$results"
"$probe" paired-decoys "$prounds" "$pbatch" >>"$results"

step "threads, snapshot swaps, memory, ssl load"
"$probe" threads "$secs" "$treps" >>"$results"
(cd "$out" && "$venv/bin/python" "$root/benches/python/bench.py" "$data" threads "$secs" "$treps") >>"$results"
"$probe" swap "$secs" >>"$results"
"$probe" rss >>"$results"
(cd "$out" && "$venv/bin/python" "$root/benches/python/bench.py" "$data" ssl-load "$sslreps") >>"$results"

step "growth: chain length, store size, decoys"
"$probe" growth "$grounds" "$gbatch" >>"$results"

step "report ($(nproc) CPUs; $(($(date +%s) - start)) s)"
"$python" "$root/benches/report.py" "$target" "$start" \
  --markdown "$out/report.md" --svg "$out/growth.svg"
