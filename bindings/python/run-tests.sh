#!/usr/bin/env bash
# Tests the Python package from outside, as a user gets it: builds the abi3
# wheel with maturin, installs it into a virtual environment, then runs
#   1. mypy.stubtest (the .pyi stubs against the native module), and mypy
#      --strict on examples/python (the stubs as a user's type checker sees them),
#   2. pytest: tests/ (incl. the docstring examples) against the installed wheel,
#   3. every examples/python/*.py in a fresh venv holding only the wheel.
# Needs only Rust, Python 3 and a C compiler; tools come from PyPI (pinned in
# requirements-dev.txt). Environment: PYTHON (default python3),
# HYBRIDTRUST_PY_RELEASE=1 for a release build (default: dev profile, which
# reuses the workspace's debug artifacts).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
case $target in /*) ;; *) target=$root/$target ;; esac
python=${PYTHON:-python3}
venv=$target/py-venv
fresh=$target/py-venv-fresh
wheels=$target/py-wheels
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

say() { printf -- '--- %s\n' "$*"; }

say "tools venv: $venv"
if ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet -r "$here/requirements-dev.txt"

say "build the wheel"
rm -rf "$wheels"
release=()
if [ "${HYBRIDTRUST_PY_RELEASE:-0}" = 1 ]; then release=(--release); fi
(cd "$here" && "$venv/bin/maturin" build --locked ${release[@]+"${release[@]}"} \
  --interpreter "$venv/bin/python" --out "$wheels")
wheels_found=("$wheels"/hybridtrust-*-cp39-abi3-*.whl)
[ -f "${wheels_found[0]}" ] || { echo "no abi3 wheel was built" >&2; exit 1; }
wheel=${wheels_found[0]}
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "$wheel"

# Run the checks from a directory without a hybridtrust/ folder, so that the
# installed package is what gets imported.
cd "$target"

say "stubtest"
"$venv/bin/python" -m mypy.stubtest hybridtrust \
  --allowlist "$here/stubtest-allowlist.txt"

say "mypy --strict on the examples (the stubs as users see them)"
"$venv/bin/python" -m mypy --strict --no-incremental "$root/examples/python"

say "pytest"
set +e
"$venv/bin/python" -m pytest "$here/tests" -p no:cacheprovider --rootdir "$here" -c "$here/pyproject.toml"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: refusing to call that a pass" >&2
  exit 1
fi
[ "$rc" -eq 0 ] || exit "$rc"

say "examples, in a fresh venv with only the wheel"
rm -rf "$fresh"
"$python" -m venv "$fresh"
"$fresh/bin/python" -m pip install --quiet --no-index --no-deps "$wheel"
examples=("$root"/examples/python/*.py)
[ -f "${examples[0]}" ] || { echo "no examples/python/*.py found" >&2; exit 1; }
for ex in "${examples[@]}"; do
  say "example $(basename "$ex")"
  "$fresh/bin/python" "$ex"
done
say "python: all passed"
