#!/usr/bin/env bash
# The differential test's long run: generated chains and one-field mutations,
# verified by hybridtrust (the installed wheel), pyca/cryptography's verifier
# and `openssl verify` (when installed); prints a summary table and exits 1 on a
# disagreement that tests/differential/deviations.toml does not list.
#
#   scripts/differential.sh --cases 20000 --seed 7     # the long run
#   scripts/differential.sh                            # the suite's short run
#   scripts/differential.sh --seed 7 --only 'int.bc.noncritical/p256-server#3' --dump target/differential-case
#   scripts/differential.sh --list                     # the mutation ids
#
# Uses target/py-venv (made by `bash bindings/python/run-tests.sh`, which also
# installs the wheel under test); PYTHON overrides the interpreter.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
case $target in /*) ;; *) target=$root/$target ;; esac
python=${PYTHON:-$target/py-venv/bin/python}
if ! "$python" -c 'import hybridtrust, cryptography' 2>/dev/null; then
  echo "no hybridtrust wheel in $python: run 'bash bindings/python/run-tests.sh' first (or set PYTHON)" >&2
  exit 3
fi
# From outside the repository's python/ folder, so the installed package is what gets imported.
cd "$target"
exec "$python" "$root/tests/differential/differential.py" "$@"
