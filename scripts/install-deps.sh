#!/usr/bin/env bash
# Installs everything ngfreq needs to build, test and benchmark on Debian 12.
# One apt-get line, as mold's install-build-deps.sh: the build only uses Debian packages.
#   --fuzz  also clang and its libFuzzer runtime (scripts/fuzz)
#   --tsan  also what `apt-get source` needs, and Debian's source lists (scripts/tsan)
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libtbb-dev libfmt-dev libcli11-dev zlib1g-dev libisal-dev libxxhash-dev libicu-dev liblz4-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libopenmpi-dev openmpi-bin
  pybind11-dev python3-dev python3-pytest python3-pandas
  wamerican python3 sqlite3 hyperfine pigz isal time gnuplot-nox procps
)
for flag in "$@"; do
  case $flag in
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    --tsan) packages+=(dpkg-dev xz-utils) ;;
    *) echo "install-deps.sh: unknown option $flag" >&2; exit 2 ;;
  esac
done
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive

# scripts/tsan builds oneTBB from Debian's source package: that needs
# deb-src entries, made here from the binary ones if there are none.
deb_src=/etc/apt/sources.list.d/ngfreq-deb-src.sources
if [[ " $* " == *" --tsan "* ]] && ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | "${sudo_cmd[@]}" tee "$deb_src" > /dev/null
  "${sudo_cmd[@]}" apt-get update -qq
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
