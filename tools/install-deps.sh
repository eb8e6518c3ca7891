#!/usr/bin/env bash
# Installs the Debian 12 packages Sigrun needs to build, test, lint and benchmark.
# Idempotent: when every package is already installed it does nothing (no apt-get update).
# Run as root, or as a user with sudo.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates python3
  libyaml-cpp-dev tao-pegtl-dev libsimdjson-dev llvm-14-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libre2-dev
  clang-format-14 clang-tidy-14
  # Looked for by LLVM 14's CMake package config.
  zlib1g-dev libzstd-dev libedit-dev libffi-dev libxml2-dev libcurl4-openssl-dev libtinfo-dev
)

missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "${pkg}" 2>/dev/null || true)"
  if [[ "${status}" != "install ok installed" ]]; then
    missing+=("${pkg}")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "install-deps: not root and sudo not found; install as root: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
