#!/bin/sh
# Installs libhybridtrust into PREFIX the way a C library is installed:
#
#   PREFIX/lib/libhybridtrust.so.X.Y.Z    the shared library, SONAME libhybridtrust.so.X
#   PREFIX/lib/libhybridtrust.so.X        -> libhybridtrust.so.X.Y.Z (what programs load)
#   PREFIX/lib/libhybridtrust.so          -> libhybridtrust.so.X     (what -lhybridtrust finds)
#   PREFIX/lib/libhybridtrust.a           the static library
#   PREFIX/include/hybridtrust.h          the header
#   PREFIX/lib/pkgconfig/hybridtrust.pc   Cflags, Libs (with an rpath to PREFIX/lib), Libs.private
#
# Usage: sh bindings/c/install.sh [PREFIX]          (default /usr/local)
#
# It builds the release library first (cargo build --release -p hybridtrust-ffi).
# Environment:
#   DESTDIR                 stage the files under DESTDIR (for packaging); the paths
#                           written into hybridtrust.pc stay PREFIX
#   HYBRIDTRUST_C_PROFILE   release (default) or debug (the tests use debug, to save a build)
#   CARGO_TARGET_DIR, CARGO as for cargo
set -eu

die() { echo "install.sh: $*" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cargo=${CARGO:-cargo}

prefix=${1:-/usr/local}
case $prefix in
  /*) ;;
  *) die "PREFIX must be an absolute path (it is written into hybridtrust.pc): $prefix" ;;
esac
case $prefix in
  *[[:space:]]*) die "PREFIX must not contain white space (pkg-config splits on it): $prefix" ;;
esac
while [ "${#prefix}" -gt 1 ] && [ "${prefix%/}" != "$prefix" ]; do prefix=${prefix%/}; done

profile=${HYBRIDTRUST_C_PROFILE:-release}
case $profile in
  release) build_flag=--release ;;
  debug) build_flag= ;;
  *) die "HYBRIDTRUST_C_PROFILE must be release or debug, not '$profile'" ;;
esac

target_dir=${CARGO_TARGET_DIR:-$root/target}
case $target_dir in /*) ;; *) target_dir=$root/$target_dir ;; esac
built=$target_dir/$profile

cd "$root"
# shellcheck disable=SC2086 # build_flag is one word or none
"$cargo" build -p hybridtrust-ffi --locked $build_flag
version=$("$cargo" pkgid -p hybridtrust-ffi | sed 's/.*@//')
major=${version%%.*}

dest=${DESTDIR:-}$prefix
echo "installing libhybridtrust $version ($profile) into ${DESTDIR:+$DESTDIR}$prefix"
install -d "$dest/lib" "$dest/lib/pkgconfig" "$dest/include"
install -m 0755 "$built/libhybridtrust.so" "$dest/lib/libhybridtrust.so.$version"
ln -sf "libhybridtrust.so.$version" "$dest/lib/libhybridtrust.so.$major"
ln -sf "libhybridtrust.so.$major" "$dest/lib/libhybridtrust.so"
install -m 0644 "$built/libhybridtrust.a" "$dest/lib/libhybridtrust.a"
install -m 0644 "$root/include/hybridtrust.h" "$dest/include/hybridtrust.h"

# sed replacement text: escape \, & and the | delimiter.
esc() { printf '%s\n' "$1" | sed 's/[\\&|]/\\&/g'; }
pc=$(mktemp)
trap 'rm -f "$pc"' EXIT
sed -e "s|@prefix@|$(esc "$prefix")|" \
  -e 's|@libdir@|${prefix}/lib|' \
  -e 's|@includedir@|${prefix}/include|' \
  -e "s|@version@|$version|" \
  "$here/hybridtrust.pc.in" >"$pc"
install -m 0644 "$pc" "$dest/lib/pkgconfig/hybridtrust.pc"

echo "installed:"
for f in lib/libhybridtrust.so.$version lib/libhybridtrust.so.$major lib/libhybridtrust.so \
  lib/libhybridtrust.a include/hybridtrust.h lib/pkgconfig/hybridtrust.pc; do
  echo "  $dest/$f"
done
case ":${PKG_CONFIG_PATH:-}:" in
  *":$prefix/lib/pkgconfig:"*) ;;
  *) echo "build against it with: PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs hybridtrust" ;;
esac
