#!/usr/bin/env bash
# Build the AppImage type-2 runtime from the sources here and Debian's libraries.
#
#   installer/linux/appimage-runtime/build_runtime.sh OUT    -> OUT (runtime-<arch>)
#
# The runtime is the executable head of every AppImage: it mounts the squashfs appended
# to it (FUSE 3, `fusermount3`) or, with --appimage-extract-and-run, extracts it, then
# runs AppRun. Its prebuilt binaries are published only where this build machine cannot
# reach, so it is built here, statically linked (nothing needed on the target machine
# but the kernel, and `fusermount3` for mounting):
#   runtime.c, data_sections.ld  AppImage/type2-runtime at commit caf24f9 (MIT,
#                                LICENSE.runtime), unchanged; the one call that differs
#                                in Debian's squashfuse (sqfs_usage takes two arguments
#                                there) is adapted below, on a copy
#   squashfuse/fuseprivate.h     squashfuse 0.1.105 (BSD-2-Clause, squashfuse/LICENSE),
#                                the header Debian's libsquashfuse-dev leaves out; its
#                                functions are in Debian's libsquashfuse_ll.a
# Debian packages (build machine only): gcc, libsquashfuse-dev, libfuse3-dev, zlib1g-dev,
# libzstd-dev, liblzma-dev, liblz4-dev, liblzo2-dev (`--install` installs them with apt).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PACKAGES=(gcc libsquashfuse-dev libfuse3-dev zlib1g-dev libzstd-dev liblzma-dev liblz4-dev liblzo2-dev)
if [ "${1:-}" = "--install" ]; then
  shift
  missing=()
  for pkg in "${PACKAGES[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
OUT=${1:?usage: build_runtime.sh [--install] OUT}
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || { echo "missing Debian package $pkg (build_runtime.sh --install installs: ${PACKAGES[*]})" >&2; exit 3; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -R "$HERE/." "$WORK/"
sed -i 's/sqfs_usage(argv\[0\], true, true)/sqfs_usage(argv[0], true)/' "$WORK/runtime.c"
gcc -std=gnu99 -Os -D_FILE_OFFSET_BITS=64 -DGIT_COMMIT='"caf24f9-debian"' \
  -I"$WORK" -I/usr/include/squashfuse -I/usr/include/fuse3 \
  -T "$WORK/data_sections.ld" -ffunction-sections -fdata-sections -Wl,--gc-sections -static \
  "$WORK/runtime.c" -lsquashfuse_ll -lsquashfuse -lzstd -lz -llzma -llz4 -llzo2 -lfuse3 -lpthread -ldl \
  -o "$WORK/runtime" 2> >(grep -vE "statically linked applications requires at runtime|in function \`" >&2)
strip --strip-unneeded "$WORK/runtime"
# AppImage's magic bytes ("AI", type 2) at offset 8 of the ELF header, after stripping.
printf 'AI\002' | dd of="$WORK/runtime" bs=1 count=3 seek=8 conv=notrunc status=none
mkdir -p "$(dirname "$OUT")"
install -m 755 "$WORK/runtime" "$OUT"
echo "$OUT ($(stat -c %s "$OUT") bytes, static)"
