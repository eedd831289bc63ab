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

step "rust tests"
cargo test --workspace --locked

step "core on the ring provider, with the OS store"
cargo clippy --locked --no-default-features --features ring,os-store --all-targets -- -D warnings
cargo test --locked --no-default-features --features ring,os-store --test verify --test store

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

# The performance harness, short: proves it builds and runs end to end (it
# fails only when the harness breaks; missed ratios are reported, not failed).
step "performance harness (quick)"
./scripts/bench.sh --quick

step "all tests passed"
