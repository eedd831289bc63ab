#!/usr/bin/env bash
# The C API's own test run, self-contained (scripts/test.sh calls it):
#   1. build libhybridtrust (.so and .a) and run the crate's Rust tests
#      (unit tests and the parity test over tests/scenarios.txt);
#   2. regenerate include/hybridtrust.h with the pinned cbindgen (installed
#      into the target dir if that version is not on PATH) and fail on any
#      difference; check the header's version defines against the crate's;
#   3. generate hybridtrust.pc (pkg-config) for the build tree in the target dir,
#      from hybridtrust.pc.in, the template install.sh uses;
#   4. compile the C tests (-Wall -Wextra -Werror -std=c11) and run them under
#      AddressSanitizer + UBSan, then under valgrind when it is installed
#      (--leak-check=full; any error or definite/indirect leak fails the run);
#   5. compile the C++ translation unit (-Wall -Wextra -Werror) and run it;
#   6. link one test against the static library;
#   7. install into a temporary prefix with install.sh (the debug build unless
#      HYBRIDTRUST_C_PROFILE says otherwise), check the files, links and SONAME;
#   8. copy examples/c out of the repository, build it with make using only
#      pkg-config against that prefix, and run it without LD_LIBRARY_PATH.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

CBINDGEN_VERSION=0.29.2
CC=${CC:-cc}
CXX=${CXX:-c++}
target_dir=${CARGO_TARGET_DIR:-$root/target}
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
libdir="$target_dir/debug"
work="$target_dir/c-tests"
mkdir -p "$work"

step() { printf '\n--- c: %s\n' "$*"; }

step "build libhybridtrust and run its Rust tests"
cargo build -p hybridtrust-ffi --locked
cargo test -p hybridtrust-ffi --locked

step "header is up to date (cbindgen $CBINDGEN_VERSION)"
cbindgen_bin=""
if command -v cbindgen >/dev/null 2>&1 && [ "$(cbindgen --version)" = "cbindgen $CBINDGEN_VERSION" ]; then
  cbindgen_bin=$(command -v cbindgen)
elif [ -x "$target_dir/tools/bin/cbindgen" ] \
  && [ "$("$target_dir/tools/bin/cbindgen" --version)" = "cbindgen $CBINDGEN_VERSION" ]; then
  cbindgen_bin="$target_dir/tools/bin/cbindgen"
else
  cargo install cbindgen --version "$CBINDGEN_VERSION" --locked --root "$target_dir/tools"
  cbindgen_bin="$target_dir/tools/bin/cbindgen"
fi
(cd "$here" && "$cbindgen_bin" --quiet --config cbindgen.toml --crate hybridtrust-ffi --output "$work/hybridtrust.h")
if ! diff -u "$root/include/hybridtrust.h" "$work/hybridtrust.h"; then
  echo "include/hybridtrust.h is stale: regenerate it with cbindgen $CBINDGEN_VERSION:" >&2
  echo "  (cd bindings/c && cbindgen --config cbindgen.toml --crate hybridtrust-ffi --output ../../include/hybridtrust.h)" >&2
  exit 1
fi
version=$(cargo pkgid -p hybridtrust-ffi | sed 's/.*@//')
IFS=. read -r major minor patch <<<"${version%%-*}"
for part in "MAJOR $major" "MINOR $minor" "PATCH $patch"; do
  set -- $part
  if ! grep -qx "#define HYBRIDTRUST_VERSION_$1 $2" "$root/include/hybridtrust.h"; then
    echo "header's HYBRIDTRUST_VERSION_$1 does not match the crate version $version" >&2
    exit 1
  fi
done
echo "header matches cbindgen output and version $version"

step "pkg-config file for the build tree"
# The library's SONAME is libhybridtrust.so.$major (build.rs): programs linked
# here look for that name, so the build tree gets the link an install makes.
ln -sf libhybridtrust.so "$libdir/libhybridtrust.so.$major"
pcdir="$libdir/pkgconfig"
mkdir -p "$pcdir"
# The same template install.sh fills in, pointed at the repository's header and the target dir.
sed -e "s|@prefix@|$root|" -e 's|@includedir@|${prefix}/include|' \
  -e "s|@libdir@|$libdir|" -e "s|@version@|$version|" \
  "$here/hybridtrust.pc.in" >"$pcdir/hybridtrust.pc"
# The caller's PKG_CONFIG_PATH, for cargo runs below: aws-lc-sys's build script
# is rerun when it changes, so cargo must see the same value as in step 1.
caller_pkg_config_path=(env -u PKG_CONFIG_PATH)
[ -n "${PKG_CONFIG_PATH+set}" ] && caller_pkg_config_path=(env PKG_CONFIG_PATH="$PKG_CONFIG_PATH")
export PKG_CONFIG_PATH="$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
pkg-config --cflags --libs hybridtrust

cflags=(-Wall -Wextra -Werror -std=c11 -g -pthread $(pkg-config --cflags hybridtrust))
libs=($(pkg-config --libs hybridtrust) -lpthread -ldl -lm)
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

step "C tests under AddressSanitizer + UBSan"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
tests=()
for src in "$here"/tests/*.c; do
  name=$(basename "$src" .c)
  tests+=("$name")
  "$CC" "${cflags[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
    "$src" -o "$work/$name.asan" "${libs[@]}"
  "$work/$name.asan" "$root"
done

if command -v valgrind >/dev/null 2>&1; then
  step "C tests under valgrind"
  for name in "${tests[@]}"; do
    "$CC" "${cflags[@]}" "$here/tests/$name.c" -o "$work/$name" "${libs[@]}"
    valgrind -q --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect \
      --errors-for-leak-kinds=definite,indirect \
      "$work/$name" "$root"
  done
else
  step "valgrind not installed: skipped"
fi

step "C++ translation unit"
"$CXX" -Wall -Wextra -Werror -std=c++17 -pthread $(pkg-config --cflags hybridtrust) \
  "$here/tests/test_cxx.cpp" -o "$work/test_cxx" "${libs[@]}"
"$work/test_cxx" "$root"

step "static library"
"$CC" "${cflags[@]}" "$here/tests/test_verify.c" -o "$work/test_verify.static" \
  "$libdir/libhybridtrust.a" $(pkg-config --libs-only-l --static hybridtrust | sed 's/-lhybridtrust//')
"$work/test_verify.static" "$root"

step "install into a temporary prefix (install.sh, ${HYBRIDTRUST_C_PROFILE:-debug} build)"
# The test installs the debug build it already has (the documented install
# builds release); HYBRIDTRUST_C_PROFILE=release checks the release install.
outside=$(mktemp -d)
prefix=$(mktemp -d)
trap 'rm -rf "$outside" "$prefix"' EXIT
"${caller_pkg_config_path[@]}" -u LD_LIBRARY_PATH \
  HYBRIDTRUST_C_PROFILE="${HYBRIDTRUST_C_PROFILE:-debug}" sh "$here/install.sh" "$prefix"
for f in "lib/libhybridtrust.so.$version" lib/libhybridtrust.a include/hybridtrust.h \
  lib/pkgconfig/hybridtrust.pc; do
  [ -f "$prefix/$f" ] || { echo "install.sh did not install $f" >&2; exit 1; }
done
[ "$(readlink "$prefix/lib/libhybridtrust.so.$major")" = "libhybridtrust.so.$version" ]
[ "$(readlink "$prefix/lib/libhybridtrust.so")" = "libhybridtrust.so.$major" ]
soname=$(readelf -d "$prefix/lib/libhybridtrust.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ "$soname" != "libhybridtrust.so.$major" ]; then
  echo "installed library has SONAME '$soname', expected libhybridtrust.so.$major" >&2
  exit 1
fi
echo "SONAME $soname"
grep -qx "prefix=$prefix" "$prefix/lib/pkgconfig/hybridtrust.pc"

step "example outside the repository, built against the prefix with pkg-config only"
cp "$root/examples/c/verify_zone.c" "$root/examples/c/Makefile" "$outside/"
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs hybridtrust
env -u LD_LIBRARY_PATH PKG_CONFIG_PATH="$prefix/lib/pkgconfig" make -s -C "$outside" CC="$CC"
if ! readelf -d "$outside/verify_zone" | grep -q "NEEDED.*\[libhybridtrust.so.$major\]"; then
  echo "verify_zone does not record libhybridtrust.so.$major as needed" >&2
  exit 1
fi
data="$root/examples/data"
# No LD_LIBRARY_PATH: the rpath from hybridtrust.pc finds the installed library.
env -u LD_LIBRARY_PATH "$outside/verify_zone" "$data/certs" "$data/chains/callservice-full.pem" 1780272000 \
  | tee "$work/example.out"
grep -q "^trusted as 'callservice.webex.com'" "$work/example.out"
set +e
env -u LD_LIBRARY_PATH "$outside/verify_zone" "$data/certs" "$data/chains/callservice-leaf-only.pem" 1780272000 \
  >"$work/example2.out"
status=$?
set -e
cat "$work/example2.out"
[ "$status" -eq 1 ] && grep -q "^refused: incomplete-chain" "$work/example2.out"
if command -v ldd >/dev/null 2>&1; then
  env -u LD_LIBRARY_PATH ldd "$outside/verify_zone" | grep libhybridtrust | tee "$work/example.ldd"
  grep -q "libhybridtrust.so.$major => $prefix/lib/" "$work/example.ldd"
fi

step "C API: all tests passed"
