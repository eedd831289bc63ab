#!/usr/bin/env bash
# Fuzzing hybridtrust with cargo-fuzz (libFuzzer) on the stable toolchain.
#
#   bash scripts/fuzz.sh smoke             # every target for 10 s over the seeds
#   bash scripts/fuzz.sh run TARGET [SECS] # one target (default 1800 s), growing fuzz/corpus/TARGET
#   bash scripts/fuzz.sh list
#
# cargo-fuzz needs nightly-only flags (-Zsanitizer=address); RUSTC_BOOTSTRAP=1
# lets the stable compiler accept them. cargo-fuzz is installed (pinned) into
# target/tools when missing. Crashes land in fuzz/artifacts/TARGET/; reproduce
# one with `RUSTC_BOOTSTRAP=1 target/tools/bin/cargo-fuzz run -O TARGET FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
tools=${CARGO_TARGET_DIR:-$PWD/target}/tools
case "$tools" in /*) ;; *) tools=$PWD/$tools ;; esac
fuzz_bin=$tools/bin/cargo-fuzz
if ! { [ -x "$fuzz_bin" ] && [ "$("$fuzz_bin" --version)" = "cargo-fuzz $CARGO_FUZZ_VERSION" ]; }; then
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$tools"
fi
export RUSTC_BOOTSTRAP=1

targets=(store_load verify_chain identity c_api)
run() {
  local target=$1 secs=$2
  mkdir -p "fuzz/corpus/$target"
  (cd fuzz && "$fuzz_bin" run -O "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$secs" -rss_limit_mb=4096 -timeout=20 -print_final_stats=1)
}

case "${1:-smoke}" in
  list) printf '%s\n' "${targets[@]}" ;;
  smoke)
    (cd fuzz && "$fuzz_bin" build -O)
    for t in "${targets[@]}"; do
      echo "--- fuzz smoke: $t"
      run "$t" 10
    done
    ;;
  run) run "${2:?target}" "${3:-1800}" ;;
  *) echo "usage: $0 smoke | run TARGET [SECONDS] | list" >&2; exit 2 ;;
esac
