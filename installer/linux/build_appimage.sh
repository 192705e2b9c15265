#!/usr/bin/env bash
# Package the PyInstaller folder as an AppImage, for distributions that are not Debian-based.
#
#   installer/linux/build_appimage.sh [DIST_FOLDER] [VERSION] [OUT_FOLDER]
#     -> OUT_FOLDER (default dist/): shenbao.AppDir/, shenbao-<version>.squashfs and
#        shenbao-<version>-<arch>.AppImage
#
# The same folder as the .deb (build.spec), laid out as an AppDir: usr/lib/shenbao/ holds
# it, AppRun starts `shenbao-gui`, or the command line when started under the name
# `shenbao` (a link to the AppImage) or with --self-test, --version or `cli ARGS...`:
#   ./shenbao-0.1.0-x86_64.AppImage --self-test
#   ./shenbao-0.1.0-x86_64.AppImage cli catalog
# Like the .deb, the bundle uses the session's own X11/xcb, fontconfig, D-Bus, GLib and
# GL (every desktop has them); the AppImage adds the xcb helper libraries and
# xkbcommon-x11, which only desktops with Qt or GTK 4 programs are sure to have. The
# AppDir is self-tested (AppRun --self-test) in a clean environment.
#
# The AppImage file is the AppImage runtime (a small static ELF that mounts or extracts
# the squashfs appended to it) followed by dist/shenbao-<version>.squashfs. No PyPI, npm
# or Debian package carries a prebuilt runtime, so it is built from the sources in
# installer/linux/appimage-runtime/ with Debian's squashfuse and FUSE 3 libraries
# (build_runtime.sh, into OUT_FOLDER; APPIMAGE_RUNTIME=/path/to/runtime-x86_64 uses
# another). When its build packages are missing the AppDir and the squashfs are still
# built and tested, and the script says that the last step was left out and why.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIST=${1:-$ROOT/dist/shenbao}
VERSION=${2:-$(python3 -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")}
OUTDIR=${3:-$ROOT/dist}
ARCH=$(uname -m)
[ -x "$DIST/shenbao" ] || { echo "$DIST/shenbao not found: run scripts/build_linux.sh first" >&2; exit 1; }
command -v mksquashfs >/dev/null || { echo "mksquashfs not found: apt-get install squashfs-tools" >&2; exit 1; }

mkdir -p "$OUTDIR"
APPDIR=$OUTDIR/shenbao.AppDir
rm -rf "$APPDIR"
mkdir -p "$APPDIR/usr/lib" "$APPDIR/usr/share/applications" "$APPDIR/usr/share/icons/hicolor/scalable/apps"
cp -a "$DIST" "$APPDIR/usr/lib/shenbao"

# What a desktop without Qt may lack: copied from this machine beside Qt's libraries.
EXTRA='libxcb-cursor|libxcb-icccm|libxcb-image|libxcb-keysyms|libxcb-render-util|libxcb-util|libxcb-xkb|libxkbcommon-x11'
ldd "$DIST/_internal/PySide6/Qt/plugins/platforms/libqxcb.so" | awk '{print $3}' | grep -E "/($EXTRA)\\." \
  | while read -r lib; do cp -L "$lib" "$APPDIR/usr/lib/shenbao/_internal/"; done

cat >"$APPDIR/AppRun" <<'SH'
#!/bin/sh
# shenbao's AppImage entry: the GUI, or the command line (see installer/linux/build_appimage.sh).
HERE=$(dirname "$(readlink -f "$0")")
PROGRAM=$HERE/usr/lib/shenbao
case "$(basename "${ARGV0:-$0}")" in
  shenbao) exec "$PROGRAM/shenbao" "$@" ;;
esac
case "${1:-}" in
  --self-test|--version) exec "$PROGRAM/shenbao" "$@" ;;
  cli) shift; exec "$PROGRAM/shenbao" "$@" ;;
esac
exec "$PROGRAM/shenbao-gui" "$@"
SH
chmod 755 "$APPDIR/AppRun"
sed 's/^Exec=.*/Exec=shenbao-gui %F/; s/^TryExec=.*//' "$HERE/shenbao.desktop" >"$APPDIR/shenbao.desktop"
cp "$APPDIR/shenbao.desktop" "$APPDIR/usr/share/applications/shenbao.desktop"
cp "$ROOT/resources/icons/shenbao.svg" "$APPDIR/shenbao.svg"
cp "$ROOT/resources/icons/shenbao.svg" "$APPDIR/usr/share/icons/hicolor/scalable/apps/shenbao.svg"
if [ -f "$ROOT/build/icons/shenbao-256.png" ]; then
  cp "$ROOT/build/icons/shenbao-256.png" "$APPDIR/.DirIcon"
else
  ln -s shenbao.svg "$APPDIR/.DirIcon"
fi

SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$SCRATCH/home"
echo "self-test of the AppDir (AppRun --self-test, clean environment)"
(cd "$SCRATCH" && env -i "HOME=$SCRATCH/home" "PATH=/usr/bin:/bin" "LANG=C.UTF-8" "QT_QPA_PLATFORM=offscreen" \
  "SHENBAO_HOME=$SCRATCH/data" "SHENBAO_SETTINGS=" "TMPDIR=$SCRATCH" "$APPDIR/AppRun" --self-test)
[ "$("$APPDIR/AppRun" --version)" = "shenbao $VERSION" ]

SQUASHFS=$OUTDIR/shenbao-$VERSION.squashfs
rm -f "$SQUASHFS"
# gzip: every AppImage runtime reads it.
mksquashfs "$APPDIR" "$SQUASHFS" -root-owned -noappend -comp gzip -quiet -no-progress
echo "$SQUASHFS ($(du -h "$SQUASHFS" | cut -f1))"

if [ -z "${APPIMAGE_RUNTIME:-}" ]; then
  APPIMAGE_RUNTIME=$OUTDIR/appimage-runtime-$ARCH
  if ! "$HERE/appimage-runtime/build_runtime.sh" "$APPIMAGE_RUNTIME"; then
    echo "AppImage not assembled: the runtime could not be built (above; or set" \
      "APPIMAGE_RUNTIME=/path/to/runtime-$ARCH)"
    exit 0
  fi
fi
OUT=$OUTDIR/shenbao-$VERSION-$ARCH.AppImage
cat "$APPIMAGE_RUNTIME" "$SQUASHFS" >"$OUT"
chmod 755 "$OUT"
echo "self-test of the AppImage (--appimage-extract-and-run: no FUSE needed)"
(cd "$SCRATCH" && env -i "HOME=$SCRATCH/home" "PATH=/usr/bin:/bin" "LANG=C.UTF-8" "QT_QPA_PLATFORM=offscreen" \
  "SHENBAO_HOME=$SCRATCH/data2" "SHENBAO_SETTINGS=" "TMPDIR=$SCRATCH" "$OUT" --appimage-extract-and-run --self-test)
if [ -e /dev/fuse ] && command -v fusermount3 >/dev/null; then
  echo "the AppImage mounted with FUSE: $("$OUT" --version)"
else
  echo "(no /dev/fuse or fusermount3 here: the mounted start was not tried)"
fi
echo "$OUT ($(du -h "$OUT" | cut -f1))"
