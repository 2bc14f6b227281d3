#!/usr/bin/env bash
# Installs everything ngfreq needs to build, test and benchmark on Debian 12.
# One apt-get line, as mold's install-build-deps.sh: the build only uses Debian packages.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libtbb-dev libfmt-dev libcli11-dev zlib1g-dev libisal-dev libxxhash-dev libicu-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  wamerican python3 hyperfine pigz isal time gnuplot-nox
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
