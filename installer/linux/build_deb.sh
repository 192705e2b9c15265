#!/usr/bin/env bash
# Package the PyInstaller folder as a Debian/Ubuntu .deb (dpkg-deb only, no root needed).
#
#   installer/linux/build_deb.sh [DIST_FOLDER] [VERSION]    -> dist/shenbao_<version>_<arch>.deb
#
# Layout: the program folder in /opt/shenbao, `shenbao` and `shenbao-gui` linked into
# /usr/bin, a desktop entry and the icon for the menus. The libraries the bundle takes
# from the system (X11/xcb, fontconfig, D-Bus, GLib, GL; build.spec lists why) become
# the package's Depends, computed by dpkg-shlibdeps from the files themselves (with the
# versions they need), so the list cannot fall behind the bundle. Settings IT
# presets go to /etc/xdg/shenbao/settings.json, which this package does not own, so an
# upgrade never overwrites them. Install: sudo apt install ./shenbao_<v>_<arch>.deb;
# remove: sudo apt remove shenbao (user data in ~/.local/share/shenbao stays).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIST=${1:-$ROOT/dist/shenbao}
VERSION=${2:-$(python3 -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")}
ARCH=$(dpkg --print-architecture)
[ -x "$DIST/shenbao" ] || { echo "$DIST/shenbao not found: run scripts/build_linux.sh first" >&2; exit 1; }

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
PKG=$STAGE/shenbao
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
  "$PKG/usr/share/icons/hicolor/scalable/apps" "$PKG/usr/share/icons/hicolor/256x256/apps" \
  "$PKG/usr/share/doc/shenbao"
cp -a "$DIST" "$PKG/opt/shenbao"
ln -s /opt/shenbao/shenbao "$PKG/usr/bin/shenbao"
ln -s /opt/shenbao/shenbao-gui "$PKG/usr/bin/shenbao-gui"
install -m 644 "$HERE/shenbao.desktop" "$PKG/usr/share/applications/shenbao.desktop"
install -m 644 "$ROOT/resources/icons/shenbao.svg" "$PKG/usr/share/icons/hicolor/scalable/apps/shenbao.svg"
if [ -f "$ROOT/build/icons/shenbao-256.png" ]; then
  install -m 644 "$ROOT/build/icons/shenbao-256.png" "$PKG/usr/share/icons/hicolor/256x256/apps/shenbao.png"
fi
cat >"$PKG/usr/share/doc/shenbao/copyright" <<TXT
shenbao $VERSION. Proprietary. Bundled third-party components keep their licences:
Qt and PySide6 (LGPL-3.0), WenQuanYi Micro Hei (Apache-2.0, see
/opt/shenbao/_internal/resources/fonts/wqy-microhei.COPYRIGHT.txt), Python (PSF).
TXT
SIZE_KB=$(du -sk "$PKG" | cut -f1)
FALLBACK_DEPENDS="libc6, libegl1, libgl1, libfontconfig1, libfreetype6, libdbus-1-3, libglib2.0-0, libstdc++6,
 libx11-6, libx11-xcb1, libxcb1, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-image0,
 libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xfixes0, libxcb-xkb1,
 libwayland-client0, libwayland-cursor0, libwayland-egl1, zlib1g, libzstd1"
if command -v dpkg-shlibdeps >/dev/null 2>&1; then
  # dpkg-shlibdeps wants a source tree; a two-line control file is all it reads.
  mkdir -p "$STAGE/src/debian"
  printf 'Source: shenbao\n\nPackage: shenbao\nArchitecture: any\n' >"$STAGE/src/debian/control"
  mapfile -t elves < <(find "$PKG/opt/shenbao" -type f \( -name '*.so*' -o -perm -u+x \) -exec sh -c \
    'head -c4 "$1" | grep -q ELF && echo "$1"' _ {} \;)
  DEPENDS=$(cd "$STAGE/src" && dpkg-shlibdeps -O -l"$PKG/opt/shenbao/_internal" --ignore-missing-info \
    -e"${elves[@]}" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
fi
DEPENDS=${DEPENDS:-$FALLBACK_DEPENDS}
cat >"$PKG/DEBIAN/control" <<CTRL
Package: shenbao
Version: $VERSION
Architecture: $ARCH
Maintainer: shenbao developers <shenbao@localhost>
Installed-Size: $SIZE_KB
Section: misc
Priority: optional
Depends: $DEPENDS
Recommends: gnome-keyring | kwalletmanager | keepassxc
Description: Offline preparation of Shanghai AI+ support applications
 申报助手: the policy catalog, the application wizard, validation, the application
 form as PDF and DOCX, and upload packages for the government portal, offline.
 Includes the command line (shenbao) and the desktop program (shenbao-gui).
CTRL
cat >"$PKG/DEBIAN/postinst" <<'SH'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
exit 0
SH
cp "$PKG/DEBIAN/postinst" "$PKG/DEBIAN/postrm"
chmod 755 "$PKG/DEBIAN/postinst" "$PKG/DEBIAN/postrm"
OUT=$ROOT/dist/shenbao_${VERSION}_${ARCH}.deb
# xz at level 1: about a third of level 6's time for a few percent more bytes, and every
# dpkg reads it (zstd would be faster still, but Debian 11's dpkg cannot read it).
dpkg-deb --root-owner-group -Zxz -z1 --build "$PKG" "$OUT" >/dev/null
echo "$OUT ($(du -h "$OUT" | cut -f1))"
dpkg-deb --info "$OUT" | sed -n '/Package:/,/Depends:/p'
