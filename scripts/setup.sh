#!/usr/bin/env bash
# setup.sh - install what salvage needs (Debian 12 packages) and build it.
#
#   scripts/setup.sh              install missing packages, build build/salvage
#   scripts/setup.sh --deps-only  only install missing packages
#
# Packages are installed with apt-get only when missing; as a non-root user
# the install runs through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config clang
  libarchive-dev libzstd-dev libxml2-dev libgsl-dev check libpcap-dev
  libjansson-dev libssl-dev libsqlite3-dev
  zstd xz-utils libxml2-utils
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" = "--deps-only" ]; then
  exit 0
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
