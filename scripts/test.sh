#!/usr/bin/env bash
# Runs every test of hybridtrust: Rust (core, CLI), C, Python, examples, lints, docs,
# and a quick run of the performance harness.
# Needs only a Rust toolchain, Python 3 and a C compiler; installs the rest itself.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

step() { printf '\n=== %s ===\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "dependencies: licences, bans, sources (cargo-deny)"
# Pinned; installed into target/tools when missing (about 5-8 minutes on 2 cores).
# Advisories need the RustSec database from a git host, out of reach here:
# run `cargo deny check advisories` by hand where it is reachable.
CARGO_DENY_VERSION=0.20.2
tools=${CARGO_TARGET_DIR:-target}/tools
deny_bin=$tools/bin/cargo-deny
if command -v cargo-deny >/dev/null 2>&1 && [ "$(cargo-deny --version)" = "cargo-deny $CARGO_DENY_VERSION" ]; then
  deny_bin=$(command -v cargo-deny)
elif ! { [ -x "$deny_bin" ] && [ "$("$deny_bin" --version)" = "cargo-deny $CARGO_DENY_VERSION" ]; }; then
  cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked --root "$tools"
fi
"$deny_bin" --locked check licenses bans sources

step "rust tests"
cargo test --workspace --locked

step "core on the ring provider, with the OS store"
cargo clippy --locked --no-default-features --features ring,os-store --all-targets -- -D warnings
cargo test --locked --no-default-features --features ring,os-store --test verify --test store

step "fuzz targets compile (run them with scripts/fuzz.sh)"
RUSTFLAGS="-D warnings" cargo check --locked --manifest-path fuzz/Cargo.toml --bins \
  --target-dir "${CARGO_TARGET_DIR:-target}/fuzz-check"

step "rust examples"
for ex in examples/*.rs; do
  name=$(basename "$ex" .rs)
  echo "--- example $name"
  cargo run --quiet --locked --example "$name" > /dev/null
done

for suite in bindings/*/run-tests.sh; do
  [ -e "$suite" ] || continue
  step "$suite"
  bash "$suite"
done

if [ "${HYBRIDTRUST_FUZZ_SMOKE:-1}" = 1 ]; then
  # Every fuzz target for 10 s over the committed seeds (which include every
  # input that once crashed a target). Installs cargo-fuzz into target/tools
  # and builds the instrumented targets: several minutes on a fresh 2-core
  # machine. HYBRIDTRUST_FUZZ_SMOKE=0 skips it for a quick local run.
  step "fuzz smoke run (cargo-fuzz, 10 s per target)"
  bash scripts/fuzz.sh smoke
else
  step "fuzz smoke run skipped (HYBRIDTRUST_FUZZ_SMOKE=0)"
fi

# The performance harness, short: proves it builds and runs end to end (it
# fails only when the harness breaks; missed ratios are reported, not failed).
step "performance harness (quick)"
./scripts/bench.sh --quick

step "all tests passed"
