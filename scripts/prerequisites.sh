#!/usr/bin/env bash
# Installs what building, testing and running the workbook need on Debian 12 with the .NET 10 SDK. Idempotent: each step is
# skipped when its result is already there.
#   bash scripts/prerequisites.sh            everything the tests need (Debian packages need root or sudo when missing)
#   bash scripts/prerequisites.sh --no-apt   only .NET packages and tools (what the main job needs)
set -euo pipefail
cd "$(dirname "$0")/.."

with_apt=1
[ "${1:-}" = "--no-apt" ] && with_apt=0

command -v dotnet >/dev/null || { echo "The .NET 10 SDK (dotnet) is required: https://dot.net" >&2; exit 1; }

if [ "$with_apt" = 1 ]; then
  # chromium: the browser test of the HTML reports; jupyter-nbconvert + python3-nbclient: the Jupyter kernel compatibility test.
  apt_packages=(chromium jupyter-nbconvert python3-nbclient)
  missing=()
  for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# Pinned .NET tools (.config/dotnet-tools.json): dotnet-interactive (the Jupyter/VS Code kernel) and dotnet-repl.
dotnet tool restore >/dev/null

# Register the .NET kernels with Jupyter (kernelspec .net-csharp runs 'dotnet interactive jupyter').
if [ "$with_apt" = 1 ] && command -v jupyter >/dev/null; then
  kernels="$(jupyter --data-dir)/kernels"
  if [ ! -f "$kernels/.net-csharp/kernel.json" ]; then
    mkdir -p "$kernels"
    dotnet interactive jupyter install >/dev/null
  fi
fi

dotnet restore WeightDecay.Notebooks.sln --nologo -v quiet
