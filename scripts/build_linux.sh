#!/usr/bin/env bash
# Build the one-folder Linux bundle, prove it works, package it, and measure it.
#
#   scripts/build_linux.sh [--deb] [--appimage] [--docs]
#     (always)    dist/shenbao/ built from build.spec and self-tested in a clean environment
#     --deb       dist/shenbao_<version>_<arch>.deb (installer/linux/build_deb.sh)
#     --appimage  dist/shenbao-<version>-<arch>.AppImage (installer/linux/build_appimage.sh),
#                 its AppDir self-tested
#     --docs      write the figures printed at the end into docs/it-deployment.md
#
# Uses the project's .venv (PYTHON=/path/to/python to use another); installs PyInstaller
# into it when missing. The self-test runs offscreen with a clean environment (no venv on
# PATH, an empty home), the way a fresh machine would start the program. The figures at
# the end (installer/figures.py) time the programs with an emptied page cache before each
# start when run as root, and warm; FIGURE_RUNS=N starts each (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
PYINSTALLER_VERSION=${PYINSTALLER_VERSION:-6.22.3}
MAKE_DEB=0 MAKE_APPIMAGE=0 WRITE_DOCS=0
for arg in "$@"; do
  case "$arg" in
    --deb) MAKE_DEB=1 ;;
    --appimage) MAKE_APPIMAGE=1 ;;
    --docs) WRITE_DOCS=1 ;;
    *) echo "unknown option $arg (use --deb, --appimage, --docs)" >&2; exit 2 ;;
  esac
done

step() { printf '\n== %s\n' "$*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs() { printf '%d.%d' $(($1 / 1000)) $((($1 % 1000) / 100)); }
began=$(now_ms)

if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  step "installing pyinstaller==$PYINSTALLER_VERSION"
  "$PYTHON" -m pip install -q "pyinstaller==$PYINSTALLER_VERSION"
fi
VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')

step "building shenbao $VERSION with PyInstaller $("$PYTHON" -m PyInstaller --version) (build.spec)"
start=$(now_ms)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level ERROR build.spec
build_ms=$(($(now_ms) - start))
DIST=$ROOT/dist/shenbao
[ -x "$DIST/shenbao" ] && [ -x "$DIST/shenbao-gui" ] || { echo "build produced no executables" >&2; exit 1; }

# A clean environment: nothing from this checkout or its venv is reachable.
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
clean_env=(env -i "HOME=$SCRATCH/home" "PATH=/usr/bin:/bin" "LANG=C.UTF-8" "QT_QPA_PLATFORM=offscreen"
  "SHENBAO_HOME=$SCRATCH/data" "SHENBAO_SETTINGS=" "TMPDIR=$SCRATCH")
mkdir -p "$SCRATCH/home"

step "self-test (frozen, offscreen, clean environment)"
start=$(now_ms)
(cd "$SCRATCH" && "${clean_env[@]}" "$DIST/shenbao" --self-test)
selftest_ms=$(($(now_ms) - start))

step "shared libraries the bundle takes from the system"
missing=$(find "$DIST" -name '*.so*' -type f -exec ldd {} \; 2>/dev/null | grep 'not found' | sort -u || true)
if [ -n "$missing" ]; then
  echo "$missing"
  echo "missing on this machine: install them before building (see docs/it-deployment.md)" >&2
  exit 1
fi
find "$DIST" -name '*.so*' -type f -exec ldd {} \; 2>/dev/null | awk '/=> \// && $3 !~ /dist\/shenbao/ {print $1}' \
  | sort -u | tr '\n' ' '
echo

steps=(--step "PyInstaller build=$(secs "$build_ms")" --step "self-test=$(secs "$selftest_ms")")
if [ "$MAKE_DEB" = 1 ]; then
  step "Debian package"
  start=$(now_ms)
  installer/linux/build_deb.sh "$DIST" "$VERSION"
  steps+=(--step ".deb packaging=$(secs $(($(now_ms) - start)))")
  steps+=(--step ".deb (build, self-test and package)=$(secs $(($(now_ms) - began)))")
fi
if [ "$MAKE_APPIMAGE" = 1 ]; then
  step "AppImage"
  start=$(now_ms)
  installer/linux/build_appimage.sh "$DIST" "$VERSION"
  steps+=(--step "AppImage (AppDir, runtime, squashfs, both self-tests)=$(secs $(($(now_ms) - start)))")
fi

step "figures (installer/figures.py)"
docs=()
[ "$WRITE_DOCS" = 1 ] && docs=(--docs docs/it-deployment.md)
"$PYTHON" -m installer.figures "$DIST" --runs "${FIGURE_RUNS:-5}" "${steps[@]}" "${docs[@]}"
