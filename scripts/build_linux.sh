#!/usr/bin/env bash
# Build the one-folder Linux bundle, prove it works, and measure it.
#
#   scripts/build_linux.sh            build dist/shenbao/, self-test, size, start-up times
#   scripts/build_linux.sh --deb      ... and package it as dist/shenbao_<version>_<arch>.deb
#
# Uses the project's .venv (PYTHON=/path/to/python to use another); installs PyInstaller
# into it when missing. The self-test runs offscreen with a clean environment (no venv on
# PATH, an empty home), the way a fresh machine would start the program.
# SHENBAO_DROP_CACHES=1 (as root) empties the page cache before the timings: a cold start.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
PYINSTALLER_VERSION=${PYINSTALLER_VERSION:-6.22.3}
MAKE_DEB=0
[ "${1:-}" = "--deb" ] && MAKE_DEB=1

step() { printf '\n== %s\n' "$*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs() { printf '%d.%02d' $(($1 / 1000)) $((($1 % 1000) / 10)); }

if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  step "installing pyinstaller==$PYINSTALLER_VERSION"
  "$PYTHON" -m pip install -q "pyinstaller==$PYINSTALLER_VERSION"
fi
VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')

step "building shenbao $VERSION with $("$PYTHON" -m PyInstaller --version) (build.spec)"
start=$(now_ms)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN build.spec
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
(cd "$SCRATCH" && "${clean_env[@]}" "$DIST/shenbao" --self-test)

step "missing shared libraries (ldd)"
missing=$(find "$DIST" -name '*.so*' -type f -exec ldd {} \; 2>/dev/null | grep 'not found' | sort -u || true)
if [ -n "$missing" ]; then
  echo "$missing"
  echo "(libraries above are expected from the system; see docs/it-deployment.md for the packages)"
else
  echo "none"
fi

drop_caches() {
  if [ "${SHENBAO_DROP_CACHES:-0}" = 1 ] && [ "$(id -u)" = 0 ]; then
    sync && echo 3 >/proc/sys/vm/drop_caches && echo "(page cache dropped: cold start)"
  fi
}
elapsed_ms() { local s; s=$(now_ms); "$@" >/dev/null; echo $(($(now_ms) - s)); }

step "start-up times"
drop_caches
cold_version=$(cd "$SCRATCH" && elapsed_ms "${clean_env[@]}" "$DIST/shenbao" --version)
warm_version=$(cd "$SCRATCH" && elapsed_ms "${clean_env[@]}" "$DIST/shenbao" --version)
drop_caches
start=$(now_ms)
probe=$(cd "$SCRATCH" && "${clean_env[@]}" SHENBAO_STARTUP_PROBE=1 SHENBAO_PASSPHRASE=probe "$DIST/shenbao-gui")
gui_cold=$(($(now_ms) - start))
start=$(now_ms)
(cd "$SCRATCH" && "${clean_env[@]}" SHENBAO_STARTUP_PROBE=1 SHENBAO_PASSPHRASE=probe "$DIST/shenbao-gui" >/dev/null)
gui_warm=$(($(now_ms) - start))
echo "$probe"

size=$(du -sh "$DIST" | cut -f1)
files=$(find "$DIST" -type f | wc -l)
echo
echo "build $(secs "$build_ms") s; dist/shenbao $size in $files files"
echo "shenbao --version: $(secs "$cold_version") s first run, $(secs "$warm_version") s again"
echo "shenbao-gui to first window (offscreen): $(secs "$gui_cold") s first run, $(secs "$gui_warm") s again"

if [ "$MAKE_DEB" = 1 ]; then
  step "Debian package"
  installer/linux/build_deb.sh "$DIST" "$VERSION"
fi
